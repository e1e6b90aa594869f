"""The knowledge base on the home page: what a newcomer should read."""

from __future__ import annotations

from django.db.models import F

from knowledge import selectors

SUGGESTED = 5


def suggested(user) -> dict | None:
    """For newcomers: practices and articles, the verified ones first."""
    if not user.is_newcomer:
        return None
    articles = list(
        selectors.published().order_by(F("verified_at").desc(nulls_last=True), "-updated_at")[
            :SUGGESTED
        ]
    )
    return {"articles": articles} if articles else None
