"""Derived identifiers for members: profile slugs, search and sort keys, the parts of a name."""

from __future__ import annotations

import functools
from dataclasses import dataclass

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


# --- The parts of a full name ---------------------------------------------------------
# Members type one name. Russian writes it «Имя Отчество Фамилия» in speech and «Фамилия Имя
# Отчество» in official lists, and people type either, so the parts are told apart by their
# endings: a patronymic is certain; a surname ending is a strong or a weak hint.

_PATRONYMIC_ENDINGS = ("ич", "овна", "евна", "ёвна", "ична")
# Endings that first names almost never have.
_SURNAME_ENDINGS = (
    "ов", "ев", "ёв", "ова", "ева", "ёва", "кий", "кая", "ской", "ых", "их", "енко", "дзе", "швили",
)  # fmt: skip
# Endings that some first names share (Ильина and Марина): a weaker hint.
_WEAK_SURNAME_ENDINGS = ("ин", "ын", "ина", "ына", "ой", "ый", "ая")
# The common first names that look like surnames, so that «Сафиуллина Зарина» parses.
_FIRST_NAMES_WITH_SURNAME_ENDINGS = frozenset(
    {
        "алина", "альбина", "амина", "ангелина", "арина", "валентина", "галина", "дарина",
        "екатерина", "зарина", "ирина", "карина", "кристина", "мадина", "марина", "полина",
        "регина", "розалина", "сабина", "эвелина", "элина", "эльвина",
        "амин", "валентин", "вениамин", "константин", "эмин", "яков",
    }
)  # fmt: skip
_SHORTEST_STEM = 2  # Лев is a first name, Ежов a surname


@dataclass(frozen=True)
class NameParts:
    """A full name told apart: first name, patronymic (or ""), surname, and the order typed."""

    first: str
    patronymic: str
    surname: str
    surname_first: bool


def _ends_with(word: str, endings: tuple[str, ...]) -> bool:
    # The last part of a double name carries the ending: Салтыкова-Щедрина.
    last = word.casefold().rsplit("-", 1)[-1]
    return any(last.endswith(e) and len(last) >= len(e) + _SHORTEST_STEM for e in endings)


def _surname_likeness(word: str) -> int:
    if word.casefold() in _FIRST_NAMES_WITH_SURNAME_ENDINGS:
        return 0
    if _ends_with(word, _SURNAME_ENDINGS):
        return 2
    return 1 if _ends_with(word, _WEAK_SURNAME_ENDINGS) else 0


# Pure and asked often (every avatar's initials, fifty to a forum chunk): remembered.
@functools.lru_cache(maxsize=4096)
def name_parts(full_name: str) -> NameParts | None:
    """The parts of «Имя [Отчество] Фамилия» or «Фамилия Имя [Отчество]»; None for a name of
    another shape (one word, four words, three words without a patronymic)."""
    words = full_name.split()
    if len(words) == 3:
        first, middle, last = words
        if _ends_with(middle, _PATRONYMIC_ENDINGS):
            return NameParts(first, middle, last, surname_first=False)
        if _ends_with(last, _PATRONYMIC_ENDINGS):
            return NameParts(middle, last, first, surname_first=True)
        return None
    if len(words) == 2:
        first, last = words
        # A tie keeps the order the forms ask for: the first name first.
        if _surname_likeness(first) > _surname_likeness(last):
            return NameParts(last, "", first, surname_first=True)
        return NameParts(first, "", last, surname_first=False)
    return None


def given_name(full_name: str) -> str:
    """What to call a member by: «Анна» for both «Анна Иванова» and «Иванова Анна»."""
    parts = name_parts(full_name)
    if parts is not None:
        return parts.first
    return full_name.split()[0] if full_name.split() else ""


def sort_key(full_name: str) -> str:
    """Surname first, for lists: «иванова анна павловна»."""
    parts = name_parts(full_name)
    if parts is None:
        return search_key(full_name)
    return search_key(f"{parts.surname} {parts.first} {parts.patronymic}")
