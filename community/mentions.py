"""@mentions: find the members a text names and link them when cooking it."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model

# Profile slugs are Latin, lower case, with hyphens: @aliia-khasanova.
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{0,78}[a-z0-9])")
# Code is shown as written, so mentions inside it neither link nor notify.
_CODE = re.compile(r"(^ {0,3}(```|~~~).*?^ {0,3}\2[^\n]*$|`+[^`\n]+`+)", re.M | re.S)
MAX_MENTIONS = 20
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|])")


def _outside_code(text: str) -> list[tuple[bool, str]]:
    pieces, last = [], 0
    for match in _CODE.finditer(text):
        pieces.append((False, text[last : match.start()]))
        pieces.append((True, match.group(0)))
        last = match.end()
    pieces.append((False, text[last:]))
    return pieces


def mentioned_members(text: str) -> list:
    """Active members named in `text` (outside code), at most MAX_MENTIONS."""
    slugs = []
    for is_code, piece in _outside_code(text):
        if not is_code:
            slugs += [m.group(1) for m in MENTION.finditer(piece)]
    slugs = list(dict.fromkeys(slugs))[:MAX_MENTIONS]
    if not slugs:
        return []
    return list(get_user_model().objects.filter(slug__in=slugs, is_active=True))


def link_mentions(text: str, members: list) -> str:
    """Markdown with each @slug of a known member turned into a link to their profile."""
    by_slug = {member.slug: member for member in members}

    def replace(match: re.Match) -> str:
        member = by_slug.get(match.group(1))
        if member is None:
            return match.group(0)
        name = _MARKDOWN_SPECIAL.sub(r"\\\1", member.full_name)
        return f"[@{name}]({member.get_absolute_url()})"

    return "".join(
        piece if is_code else MENTION.sub(replace, piece) for is_code, piece in _outside_code(text)
    )
