"""How an attachment is written into a post's or message's text."""

from __future__ import annotations

import re

from community.attachments.models import Attachment

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


def markdown_for(attachment: Attachment) -> str:
    """An image as its thumbnail linking to the full picture; a document as a link."""
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", attachment.name)
    if attachment.is_image:
        return f"[![{name}]({attachment.thumbnail_url})]({attachment.get_absolute_url()})"
    return f"[{name}]({attachment.get_absolute_url()})"
