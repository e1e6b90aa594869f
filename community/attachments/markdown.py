"""How an attachment is written into a post's or message's text."""

from __future__ import annotations

import re

from community.attachments.models import Attachment

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


def markdown_for(attachment: Attachment) -> str:
    """An image as its thumbnail linking to the full picture; a document as a link."""
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", attachment.name)
    url = _link_target(attachment.get_absolute_url())
    if attachment.is_image:
        return f"[![{name}]({attachment.thumbnail_url})]({url})"
    return f"[{name}]({url})"


def _link_target(url: str) -> str:
    """reverse() leaves parentheses alone; one unbalanced would end the link early."""
    return url.replace("(", "%28").replace(")", "%29")
