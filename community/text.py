"""The one text rule: what any user text may hold, in forms and websocket frames alike.

- No text may hold NUL (PostgreSQL's text cannot store it) or a lone surrogate (it is not
  Unicode and cannot be encoded): such text is refused with a clear message.
- A one-line field (a title, a name, a position, a room's name) also loses its control
  characters (C0 and C1) and the invisible marks that reorder text (bidi embeddings,
  overrides and isolates: «U+202E» turns «exe.txt» into «txt.exe»), and its runs of
  white space become one space.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Bidi embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), the marks
# (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def check(text: str) -> str:
    """Refuse text that cannot be stored or sent: NUL, lone surrogates."""
    if "\x00" in text:
        raise ValidationError(
            _("The text holds a NUL character, which cannot be saved."), code="nul"
        )
    if _SURROGATE.search(text):
        raise ValidationError(
            _("The text holds a broken character (a lone surrogate)."), code="surrogate"
        )
    return text


def one_line(text: str) -> str:
    """A one-line field as it is stored: checked, without control or reordering
    characters, its white space folded."""
    check(text)
    kept = (
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in unicodedata.normalize("NFC", text)
        if ch not in BIDI_CONTROLS
    )
    return " ".join("".join(kept).split())
