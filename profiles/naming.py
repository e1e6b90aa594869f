"""Derived identifiers for members: profile slugs and search keys."""

from __future__ import annotations

from django.utils.text import slugify

_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
        "ә": "a",
        "ө": "o",
        "ү": "u",
        "җ": "zh",
        "ң": "n",
        "һ": "h",
    }
)

# Slugs that the /people/ URLs could confuse with a member.
RESERVED_SLUGS = frozenset({"me", "new", "edit", "search", "admin", "suggest", "import"})


def search_key(text: str) -> str:
    """Casefold and fold «ё» into «е», as search on both sides must."""
    return " ".join(text.casefold().replace("ё", "е").split())


def slug_base(full_name: str, email: str) -> str:
    """A readable Latin slug: «Алия Хасанова» -> "aliia-khasanova" (Russian passport style)."""
    latin = full_name.lower().translate(_CYRILLIC_TO_LATIN)
    base = slugify(latin)[:60].strip("-")
    if not base or base in RESERVED_SLUGS or base.isdigit():
        base = slugify(email.split("@")[0])[:60].strip("-") or "member"
    if base.isdigit() or base in RESERVED_SLUGS:
        base = f"member-{base}"
    return base


def unique_slug(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
