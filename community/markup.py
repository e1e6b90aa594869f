"""THE pipeline for user text: Markdown -> bleach allowlist -> linkify -> safe HTML.

Every piece of user markup in Nastavnik goes through `render()`, at write time.
Rows store the source, the cooked HTML and the MARKUP_VERSION that cooked it, so
that `manage.py rerender_markup` can re-cook stale rows after this module changes.
The sanitizer is only referenced here, so that it can be swapped (nh3, say) in one place.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

import bleach
import markdown
from bleach.linkifier import TLDS, LinkifyFilter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import LinkInlineProcessor
from pygments.token import STANDARD_TYPES

from community import text as user_text
from community.slots import Slot

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from bleach.callbacks import _HTMLAttrs
    from django.db.models import Model

# Bump when the output of render() changes for the same input.
# 2: linkify keeps to ALLOWED_PROTOCOLS and starts links only at word starts, encoded
#    image URLs are judged decoded, span classes must be real Pygments token classes,
#    "[" floods are escaped.
# 3: bare links to the community's own pages show their titles.
# 4: a list may start on the line right after a line of text ("Нужно:\n- паспорт").
MARKUP_VERSION = 4

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Pygments emits short token classes ("k", "nf", "s2"); codehilite wraps them in
# div.highlight. Nothing else may borrow the site's own CSS classes: a pattern such
# as "up to three letters" would let "btn" or "nav" through, so take Pygments' own list.
_PYGMENTS_CLASSES = frozenset(STANDARD_TYPES.values()) - {""}
_URL_SCHEME = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:")
# Browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces at its
# ends, so "ht&#9;tp:", "/&#10;/host" and "&#1;//host" are remote URLs too.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def _is_local_url(value: str) -> bool:
    """Only same-site images: a remote image would leak readers' addresses."""
    # bleach hands over the attribute as written, character references and all
    # ("/&#47;host", "http&#58;//host"); judge the URL the browser will decode.
    value = _URL_IGNORED.sub("", html_lib.unescape(value)).strip(_C0_OR_SPACE)
    return (
        bool(value)
        and not value.startswith("//")
        and not _URL_SCHEME.match(value)
        and "\\" not in value
    )


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name in {"title", "alt"}:
        return tag in {"a", "img", "abbr"}
    if tag == "a":
        return name in {"href", "rel"}
    if tag == "img":
        return name == "src" and _is_local_url(value)
    if tag in {"th", "td"}:
        return name == "align" and value in {"left", "center", "right"}
    if tag == "ol":
        return name == "start" and value.isdigit()
    if name == "class":
        if tag == "div":
            return value == "highlight"
        if tag == "span":
            return value in _PYGMENTS_CLASSES
        if tag == "code":
            return bool(re.fullmatch(r"language-[a-z0-9+#-]{1,30}", value))
    return False


# bleach's URL and email patterns, each with one change: a match may only start where a
# word starts. bleach's own patterns may start anywhere in a run, so a long unbroken
# run ("a-.a-.a-." x 8000, or 16000 "a") costs quadratic time, seconds per post. The
# URL pattern also knows only ALLOWED_PROTOCOLS: linkify runs after the protocol check,
# and bleach's default would turn "data:..." or "ssh:..." text into live links.
_TLD_ALTERNATIVES = "|".join(sorted(TLDS, key=len, reverse=True))
_LINKIFY_URL = re.compile(
    r"""(?<![\w.@(-])\(*                              # a run's opening parentheses
    \b(?<![@.])(?:(?:{protocols}):/{{0,3}}(?:(?:\w+:)?\w+@)?)?
    ([\w-]+\.)+(?:{tlds})(?:\:[0-9]+)?(?!\.\w)\b     # host.tld(:port)
    (?:[/?][^\s\{{\}}\|\\\^`<>"]*)?                  # /path?query
    """.format(protocols="|".join(sorted(ALLOWED_PROTOCOLS)), tlds=_TLD_ALTERNATIVES),
    re.IGNORECASE | re.VERBOSE | re.UNICODE,
)
_LINKIFY_EMAIL = re.compile(
    rf"""(?<!//)(?<![-!#$%&'*+/=?^_`{{}}|~0-9A-Z.])
    (([-!#$%&'*+/=?^_`{{}}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{{}}|~0-9A-Z]+)*   # dot-atom
    )@(?:[A-Z0-9](?:[A-Z0-9-]{{0,61}}[A-Z0-9])?\.)+(?:{_TLD_ALTERNATIVES}))          # domain
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)


def _set_link_rel(attrs: _HTMLAttrs, new: bool = False, /) -> _HTMLAttrs:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_CLEANER_OPTIONS: dict[str, Any] = dict(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_set_link_rel],
            skip_tags={"pre", "code"},
            parse_email=True,
            url_re=_LINKIFY_URL,
            email_re=_LINKIFY_EMAIL,
        )
    ],
)

# How far Python-Markdown may look for a link's "]" and ")": a link whose text and
# address run longer than this is shown as text. Unbounded, each "[" scans to the end
# of its paragraph, which is quadratic work.
LINK_SCAN_LIMIT = 4096


class _BoundedLinkScan(LinkInlineProcessor):
    """Mixin for Python-Markdown's link processors (each a LinkInlineProcessor): scan at
    most LINK_SCAN_LIMIT characters."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        return super().getText(data[: index + LINK_SCAN_LIMIT], index)

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        return super().getLink(data[: index + LINK_SCAN_LIMIT], index)


class _BoundedLinksExtension(markdown.Extension):
    # Python-Markdown's names and priorities for its link and image processors.
    PROCESSORS = {
        "reference": 170,
        "link": 160,
        "image_link": 150,
        "image_reference": 140,
        "short_reference": 130,
        "short_image_ref": 125,
    }

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name, priority in self.PROCESSORS.items():
            original = md.inlinePatterns[name]
            bounded = type(
                f"Bounded{type(original).__name__}", (_BoundedLinkScan, type(original)), {}
            )
            md.inlinePatterns.register(bounded(original.pattern, md), name, priority)


class _ListAfterTextProcessor(BlockProcessor):
    r"""Splits a paragraph where a list starts, so that "Нужно:\n- паспорт" is a list.

    Python-Markdown wants a blank line before a list; CommonMark, and every messenger our
    members write in, start the list on the next line. Follow CommonMark: a bullet, or an
    ordered item numbered 1, interrupts a paragraph; "2. ..." after a line of text stays
    text, so that a wrapped "…в\n2024. году" is not turned into a list.

    Registered just above the paragraph processor, it sees only blocks that no other
    processor took: fenced code is set aside before any block is parsed, and indented
    code, lists, quotes, headings and rules are taken by processors that run first.
    Quotes and list items parse their contents block by block, so the text of a quote or
    of a list item may be followed by a list too ("> Нужно:\n> - паспорт").
    """

    # What the list processors take at the start of a block (up to three spaces, "[*+-]" or
    # "1." and spaces), with some text in the item: an empty item cannot interrupt a paragraph.
    LIST_START = re.compile(r"\n(?=[ ]{0,3}(?:[*+-]|1\.)[ ]+\S)")

    def test(self, parent: Element, block: str) -> bool:
        return self.LIST_START.search(block) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        # Parse the text, then the list, as if a blank line stood between them.
        blocks[:1] = self.LIST_START.split(blocks[0], maxsplit=1)


class _ListsAfterTextExtension(markdown.Extension):
    PRIORITY = 12  # below every other block processor except the paragraph (10)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.parser.blockprocessors.register(
            _ListAfterTextProcessor(md.parser), "list_after_text", self.PRIORITY
        )


_MARKDOWN_EXTENSIONS: list[str | markdown.Extension] = [
    "fenced_code",
    "codehilite",
    "tables",
    "sane_lists",
    _ListsAfterTextExtension(),
    "nl2br",
    _BoundedLinksExtension(),
]
_MARKDOWN_CONFIG: dict[str, dict[str, Any]] = {
    "codehilite": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
    "tables": {"use_align_attribute": True},
}

# Discourse's default maximum post length; models may allow less, never more.
MAX_SOURCE_LENGTH = 32_000

# Python-Markdown scans from every "[" to the end of its paragraph looking for the "]"
# (and then the ")"), so a paragraph of thousands of "[" costs quadratic time: 4 000 of
# them took 2 s. A paragraph with more than this many is shown as plain text: its "["
# stand in as a private-use character while Markdown runs. (Backslash escapes would not
# do: every escape is a match, and each match rebuilds the paragraph.) No real
# paragraph has fifty links.
MAX_BRACKETS_PER_PARAGRAPH = 50
_BRACKET_STAND_IN = "\ue000"
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")


_per_thread = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's converter, reset for a new text.

    Building one costs more than converting a chat message, so each thread keeps one; a
    Markdown instance carries state between conversions and must not be shared by threads.
    """
    md = getattr(_per_thread, "markdown", None)
    if md is None:
        md = _per_thread.markdown = markdown.Markdown(
            extensions=_MARKDOWN_EXTENSIONS, extension_configs=_MARKDOWN_CONFIG
        )
    return md.reset()


def _cleaner() -> bleach.Cleaner:
    """This thread's sanitizer: a Cleaner's parser is not safe to share between threads."""
    cleaner = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = bleach.Cleaner(**_CLEANER_OPTIONS)
    return cleaner


def render(text: str) -> SafeString:
    """Cook user markdown into sanitized HTML that templates may print as is."""
    if len(text) > MAX_SOURCE_LENGTH:
        raise ValidationError(
            _("The text is too long: at most %(limit)d characters.") % {"limit": MAX_SOURCE_LENGTH},
            code="too_long",
        )
    html = _markdown().convert(_set_aside_bracket_floods(text)).replace(_BRACKET_STAND_IN, "[")
    return mark_safe(_title_links(_cleaner().clean(html)))  # noqa: S308  (cleaned, then escaped titles)


def sanitize(html: str) -> SafeString:
    """Sanitize HTML; idempotent, so HTML from render() comes back unchanged."""
    return mark_safe(_cleaner().clean(html))  # noqa: S308


def _set_aside_bracket_floods(text: str) -> str:
    text = text.replace(_BRACKET_STAND_IN, "\ufffd")
    return "".join(
        part.replace("[", _BRACKET_STAND_IN)
        if part.count("[") > MAX_BRACKETS_PER_PARAGRAPH
        else part
        for part in _PARAGRAPH_BREAK.split(text)
    )


# --- Links to the community's own pages ----------------------------------------------


@dataclass(frozen=True)
class LinkTitler:
    """Names a link to one kind of page: a thread, an article, a profile."""

    key: str  # the kind of page: "forum.thread"
    pattern: re.Pattern  # matched against the whole path, with its #fragment
    # The title to show, or None to leave the link as written (unknown, or not public:
    # the cooked HTML is shown to every reader, so only public titles may go into it).
    title: Callable[[re.Match], str | None]


LINK_TITLERS: Slot[LinkTitler] = Slot("link titlers")
# A link as the cleaner writes it; only links whose text is their address get a title.
_LINK = re.compile(r'<a href="(?P<href>[^"]+)"(?P<attrs>[^>]*)>(?P<text>[^<]*)</a>')


def _title_links(html: str) -> str:
    """A bare link to a thread, article or profile shows that page's title instead."""
    if not LINK_TITLERS or "<a " not in html:
        return html

    def replace(match: re.Match) -> str:
        href = html_lib.unescape(match["href"])
        if html_lib.unescape(match["text"]).strip() != href:
            return match[0]  # the author chose the words
        path = _own_path(href)
        for titler in LINK_TITLERS if path else ():
            if (found := titler.pattern.fullmatch(path)) and (title := titler.title(found)):
                return f'<a href="{match["href"]}"{match["attrs"]}>{html_lib.escape(title)}</a>'
        return match[0]

    return _LINK.sub(replace, html)


def _own_path(href: str) -> str | None:
    """The path (and fragment) of a link to this site, or None for any other link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        own = {
            urlsplit(settings.SITE_URL).netloc,
            *(host for host in settings.ALLOWED_HOSTS if host != "*"),
        }
        if parts.scheme not in {"http", "https"} or (
            parts.netloc not in own and parts.hostname not in own
        ):
            return None
    elif not parts.path.startswith("/"):
        return None
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


# --- Stored, cooked text ---------------------------------------------------------


@dataclass(frozen=True)
class CookedField:
    """A model's markdown source field with its cooked HTML and markup version fields."""

    model: type[Model]
    source: str
    html: str
    version: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.source}"


# Apps fill this with their cooked fields, so that rerender_markup finds them.
COOKED_FIELDS: Slot[CookedField] = Slot("cooked fields")


class Cooked(TypedDict):
    html: str
    version: int


def cook(source: str) -> Cooked:
    """The values to store for a source text: {"html": ..., "version": ...}. Text that
    cannot be stored (NUL, a lone surrogate) is refused here, on every path that stores."""
    user_text.check(source)
    return {"html": str(render(source)), "version": MARKUP_VERSION}


def rerender_stale(field: CookedField, *, batch_size: int = 200) -> int:
    """Re-cook every row of one field whose markup version is older than ours."""
    manager = field.model._default_manager
    # Only older versions: during a rolling deploy, old code must not re-cook new rows.
    stale = manager.filter(**{f"{field.version}__lt": MARKUP_VERSION}).order_by("pk")
    done = 0
    last_pk = None
    while True:
        batch = stale if last_pk is None else stale.filter(pk__gt=last_pk)
        rows = list(batch.only("pk", field.source)[:batch_size])
        if not rows:
            return done
        with transaction.atomic():
            for row in rows:
                cooked = cook(getattr(row, field.source))
                manager.filter(pk=row.pk).update(
                    **{field.html: cooked["html"], field.version: cooked["version"]}
                )
        done += len(rows)
        last_pk = rows[-1].pk
