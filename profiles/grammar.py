"""Members' names in the case a Russian sentence needs: «стать наставником для Тимура Сабирова».

English has no cases, so a sentence names the case of its placeholder in the msgid
(`%(newcomer_genitive)s`) and gets the plain name in English; msgfmt's format check wants
the msgid and the msgstr to use the same placeholders, so the msgstr cannot choose alone.
"""

from __future__ import annotations

import functools
import re

from django.utils import translation
from django.utils.translation import pgettext
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from profiles import naming
from profiles.models import User

__all__ = ["ACCUSATIVE", "DATIVE", "GENITIVE", "INSTRUMENTAL", "PREPOSITIONAL", "name_in_case"]

GENITIVE = Case.GENITIVE
DATIVE = Case.DATIVE
ACCUSATIVE = Case.ACCUSATIVE
INSTRUMENTAL = Case.INSTRUMENTAL
PREPOSITIONAL = Case.PREPOSITIONAL

_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*")


@functools.cache
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@functools.cache
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def _member_in(case: Case) -> str:
    """«участника», «участнику»…: the noun that lets a name it cannot decline stay as it is."""
    # Built per call, not at import, so that it is in the active language.
    return {
        GENITIVE: pgettext("genitive case, before a name that cannot be declined", "member"),
        DATIVE: pgettext("dative case, before a name that cannot be declined", "member"),
        ACCUSATIVE: pgettext("accusative case, before a name that cannot be declined", "member"),
        INSTRUMENTAL: pgettext(
            "instrumental case, before a name that cannot be declined", "member"
        ),
        PREPOSITIONAL: pgettext(
            "prepositional case, before a name that cannot be declined", "member"
        ),
    }[case]


def name_in_case(person: User | str, case: Case) -> str:
    """`person`'s full name in `case` when the active language is Russian; the plain name in
    any other. A name the rules do not know (one word, Latin letters, a gender they cannot
    tell) stays in the nominative after «участника»/«участнику»…, as Russian allows."""
    full_name = person if isinstance(person, str) else str(person)
    if not (translation.get_language() or "").startswith("ru") or case == Case.NOMINATIVE:
        return full_name
    inflected = _inflect(full_name, case)
    return inflected if inflected is not None else f"{_member_in(case)} {full_name}"


def _inflect(full_name: str, case: Case) -> str | None:
    parts = naming.name_parts(full_name)
    if parts is None or not all(_CYRILLIC_WORD.fullmatch(word) for word in full_name.split()):
        return None
    gender = _gender(parts)
    if gender == Gender.ANDROGYNOUS:  # «Саша Ким»: no guessing
        return None
    # A patronymic settles the gender; a surname's or first name's ending only suggests it.
    known = bool(parts.patronymic)

    def make(part: NamePart, word: str) -> str:
        if not word:
            return ""
        # The rules keep the letters' case but append lowercase endings: «ИВАНа».
        source = word.title() if word.isupper() else word
        result = _maker().make(part, gender, case, source, known_gender=known)
        return result.upper() if word.isupper() else result

    first = make(NamePart.FIRSTNAME, parts.first)
    patronymic = make(NamePart.MIDDLENAME, parts.patronymic)
    surname = make(NamePart.LASTNAME, parts.surname)
    ordered = [surname, first, patronymic] if parts.surname_first else [first, patronymic, surname]
    return " ".join(word for word in ordered if word)


def _gender(parts: naming.NameParts) -> Gender:
    """The patronymic's gender, else the surname's, else the first name's: a surname in -ова
    is a woman's even when her first name (Лейсан, Гузель) ends like a man's."""
    detect = _detector().detect
    for gender in (
        detect(middlename=parts.patronymic) if parts.patronymic else Gender.ANDROGYNOUS,
        detect(lastname=parts.surname),
        detect(firstname=parts.first),
    ):
        if gender != Gender.ANDROGYNOUS:
            return gender
    return Gender.ANDROGYNOUS
