"""Template context the whole site needs."""

from __future__ import annotations

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict:
    """The page's CSP nonce, for script tags and django-htmx's `htmx_script`; made (and put
    in the header) only if a template uses it."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
