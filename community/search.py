"""One search across the community: threads and posts, articles, chat messages, profiles.

Apps fill `KINDS` with what they make searchable (a `SearchKind`) in their plugins, and call
`index()` / `unindex()` from the services that write, inside their transactions. Every
document lives in one table, `SearchDocument`, with the fields that decide who may see it
(category, room); each kind says, as a Q over those fields, which of its documents a member
may see, so permission is part of the query, never a filter after it.

PostgreSQL: a stored tsvector (`russian` configuration) with a GIN index, `websearch`
queries, SearchRank and SearchHeadline. SQLite: an FTS5 table holding Snowball stems, the
same words stemmed in Python at query time, bm25 ranking and snippets cut in Python. Both
fold «ё» into «е» and case, and neither ever raises on a malformed query.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache, reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Model, Q, QuerySet, Value

from community.slots import Slot

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FTS_TABLE = "community_search_fts"
MAX_QUERY_LENGTH = 300
MAX_TERMS = 12
SIMILAR_MIN_LENGTH = 4
BODY_INDEX_LENGTH = 20000
SNIPPET_WORDS = 30
_MARK, _UNMARK = "\x02", "\x03"
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
# PostgreSQL's russian configuration drops these; SQLite drops them too, so that both
# backends find the same documents for «как оформить записку».
# A word list reads better as text than as a list literal.
STOP_WORDS = frozenset(
    """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы
нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над
больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою
этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между
""".split()  # noqa: SIM905
)


# --- What apps register ---------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What one object contributes to the index. `tags` are slugs, for the tag filter."""

    title: str
    body: str
    created_at: datetime
    author_id: int | None = None
    category_id: int | None = None
    room_id: int | None = None
    tags: tuple[str, ...] = ()


M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class SearchKind(Generic[M]):
    key: str
    label: StrOrPromise
    model: type[M]
    # The object's document, or None when it must not be found (deleted, hidden, a draft).
    document: Callable[[M], Document | None]
    # Which documents of this kind `user` may see: a Q over SearchDocument's fields.
    visible_to: Callable[[Any], Q]
    url: Callable[[M], str]
    order: int = 100


KINDS: Slot[SearchKind[Any]] = Slot("search kinds")


@dataclass(frozen=True)
class Facet:
    """A filter an app offers on the search page, such as the forum's categories."""

    key: str  # a Filters field: "category_id" or "tag"
    label: StrOrPromise
    # (member) -> [(value, label)], only what the member may see
    choices: Callable[[object], list[tuple[str, str]]]


FACETS: Slot[Facet] = Slot("search facets")


def kinds() -> list[SearchKind[Any]]:
    return list(KINDS)


def _kind_for(obj: Model) -> SearchKind[Any]:
    for kind in KINDS:
        if isinstance(obj, kind.model):
            return kind
    raise LookupError(f"{type(obj).__name__} is not searchable: fill search.KINDS")


# --- Words ----------------------------------------------------------------------------


def normalize(text: str) -> str:
    return text.casefold().replace("ё", "е")


@cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=65536)  # a community's vocabulary repeats: most words are seen often
def stem(word: str) -> str:
    return _stemmer("russian" if _CYRILLIC.search(word) else "english").stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(word) for word in _WORD.findall(normalize(text)) if word not in STOP_WORDS]


@dataclass(frozen=True)
class ParsedQuery:
    """A websearch-like query: words and "phrases" all required, -words excluded."""

    required: tuple[tuple[str, ...], ...] = ()  # each a word (one stem) or a phrase
    excluded: tuple[str, ...] = ()
    text: str = ""  # what PostgreSQL's websearch_to_tsquery gets
    any_word: bool = False  # match documents with any of the words (similar())
    words: tuple[str, ...] = ()  # the words themselves, for PostgreSQL to stem

    def __bool__(self) -> bool:
        return bool(self.required)


def parse(query: str) -> ParsedQuery:
    """Never raises: anything that is not a word, a quote or a leading minus is ignored."""
    query = normalize(query[:MAX_QUERY_LENGTH])
    required, excluded = [], []
    for match in re.finditer(r'(-?)"([^"]*)"?|(-?)([^\s"]+)', query):
        if match.group(2) is not None:
            negated, words = match.group(1), stems(match.group(2))
        else:
            negated, words = match.group(3), stems(match.group(4))
        if not words:
            continue
        if negated:
            excluded += words
        else:
            required.append(tuple(words))
    required, excluded = required[:MAX_TERMS], excluded[:MAX_TERMS]
    # PostgreSQL gets only words, quotes and minuses too, so both sides read it alike.
    text = " ".join(
        [
            f'"{" ".join(_WORD.findall(match))}"' if match.startswith('"') else match
            for match in re.findall(r'-?"[^"]*"?|[^\s"]+', query)
        ]
    )
    return ParsedQuery(tuple(required), tuple(excluded), text)


def _fts_match(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression made only of quoted stems: no syntax left to break."""
    terms = [f'"{" ".join(phrase)}"' for phrase in parsed.required]
    expression = (" OR " if parsed.any_word else " AND ").join(terms)
    for word in parsed.excluded:
        expression += f' NOT "{word}"'
    return expression


# --- Writing the index ------------------------------------------------------------------


def index(obj: Model, *, new: bool = False) -> None:
    """Bring the object's entry up to date, or drop it if it must no longer be found.

    `new`: the object was created in this transaction and has no entry yet, so the entry
    is simply inserted (two queries instead of eight, on the path of every reply).
    """
    from community.models import SearchDocument

    kind = _kind_for(obj)
    document = kind.document(obj)
    if document is None:
        if not new:
            unindex(obj)
        return
    fields = {
        "title": document.title[:300],
        "body": document.body[:BODY_INDEX_LENGTH],
        "url": kind.url(obj)[:500],
        "created_at": document.created_at,
        "author_id": document.author_id,
        "category_id": document.category_id,
        "room_id": document.room_id,
        "tags": " ".join(document.tags)[:500],
    }
    if new:
        entry = SearchDocument.objects.create(kind=kind.key, object_id=obj.pk, **fields)
    else:
        entry, _created = SearchDocument.objects.update_or_create(
            kind=kind.key, object_id=obj.pk, defaults=fields
        )
    _index_text(entry, new=new)


def index_all(objects: Iterable[Model]) -> int:
    done = 0
    for obj in objects:
        index(obj)
        done += 1
    return done


def unindex(obj: Model) -> None:
    from community.models import SearchDocument

    entry = SearchDocument.objects.filter(kind=_kind_for(obj).key, object_id=obj.pk).first()
    if entry is not None:
        unindex_document(entry)


def unindex_document(entry) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])  # noqa: S608
    entry.delete()


def purge_orphans() -> None:
    """Drop FTS rows whose document is gone (deleted without unindex(), e.g. by a cascade)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "  # noqa: S608
                "(SELECT id FROM community_searchdocument)"
            )


def _index_text(entry, *, new: bool = False) -> None:
    from community.models import SearchDocument

    title, body = normalize(entry.title), normalize(entry.body)
    if connection.vendor == "postgresql":
        SearchDocument.objects.filter(pk=entry.pk).update(
            search_vector=(
                SearchVector(Value(title), weight="A", config="russian")
                + SearchVector(Value(body), weight="B", config="russian")
            )
        )
        return
    with connection.cursor() as cursor:
        if not new:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
            [entry.pk, " ".join(stems(title)), " ".join(stems(body))],
        )


# --- Searching ------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around the matches
    created_at: datetime
    author_id: int | None
    object_id: int


@dataclass
class Group:
    kind: SearchKind[Any]
    count: int
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    category_id: int | None = None
    tag: str = ""
    author_id: int | None = None
    since: datetime | None = None


def visible_documents(user, filters: Filters = Filters()) -> QuerySet:
    """The documents `user` may see, narrowed by the filters: every search starts here."""
    from community.models import SearchDocument

    chosen = [k for k in kinds() if not filters.kinds or k.key in filters.kinds]
    allowed = Q(pk__in=[])
    for kind in chosen:
        allowed |= Q(kind=kind.key) & kind.visible_to(user)
    documents = SearchDocument.objects.filter(allowed)
    if filters.category_id is not None:
        documents = documents.filter(category_id=filters.category_id)
    if filters.tag:
        documents = documents.filter(tags__regex=rf"(^| ){re.escape(filters.tag)}( |$)")
    if filters.author_id is not None:
        documents = documents.filter(author_id=filters.author_id)
    if filters.since is not None:
        documents = documents.filter(created_at__gte=filters.since)
    return documents


def search(user, query: str, filters: Filters = Filters(), *, per_kind: int = 10) -> list[Group]:
    """Hits grouped by kind, best first, each group with its total count."""
    parsed = parse(query)
    if not parsed:
        return []
    matching = _matching(visible_documents(user, filters), parsed)
    counts = dict(matching.order_by().values_list("kind").annotate(n=Count("pk")))
    groups = []
    for kind in kinds():
        if not counts.get(kind.key):
            continue
        rows = list(_ranked(matching.filter(kind=kind.key), parsed)[:per_kind])
        groups.append(Group(kind, counts[kind.key], [_hit(kind, row, parsed) for row in rows]))
    return groups


def similar(user, text: str, *, kinds: tuple[str, ...], limit: int = 5) -> list[Hit]:
    """Documents sharing any significant word with `text`, best first: "did you mean"."""
    words = tuple(
        dict.fromkeys(
            word
            for word in _WORD.findall(normalize(text[:300]))
            if len(word) >= SIMILAR_MIN_LENGTH and word not in STOP_WORDS
        )
    )[:MAX_TERMS]
    if not words:
        return []
    parsed = ParsedQuery(
        required=tuple((stem(word),) for word in words), any_word=True, words=words
    )
    matching = _matching(visible_documents(user, Filters(kinds=kinds)), parsed)
    rows = _ranked(matching, parsed)[:limit]
    return [_hit(KINDS[row.kind], row, parsed) for row in rows]


def _matching(documents: QuerySet, parsed: ParsedQuery) -> QuerySet:
    if connection.vendor == "postgresql":
        return documents.filter(search_vector=_pg_query(parsed))
    return documents.extra(  # noqa: S610  (the MATCH text is built from quoted stems only)
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = community_searchdocument.id", f"{FTS_TABLE} MATCH %s"],
        params=[_fts_match(parsed)],
    )


def _pg_query(parsed: ParsedQuery) -> SearchQuery:
    if parsed.any_word:
        return reduce(or_, (SearchQuery(word, config="russian") for word in parsed.words))
    return SearchQuery(parsed.text, config="russian", search_type="websearch")


def _ranked(matching: QuerySet, parsed: ParsedQuery) -> QuerySet:
    if connection.vendor == "postgresql":
        query = _pg_query(parsed)
        return matching.annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=SearchHeadline(
                "body",
                query,
                config="russian",
                start_sel=_MARK,
                stop_sel=_UNMARK,
                max_words=SNIPPET_WORDS,
                min_words=12,
            ),
        ).order_by("-rank", "-created_at")
    return matching.extra(select={"rank": f"bm25({FTS_TABLE}, 5.0, 1.0)"}).order_by(  # noqa: S610
        "rank", "-created_at"
    )


def _hit(kind: SearchKind[Any], row, parsed: ParsedQuery) -> Hit:
    raw = getattr(row, "headline", None)
    snippet = _marked(raw) if raw is not None else snippet_for(row.body, parsed)
    return Hit(
        kind=kind.key,
        title=row.title,
        url=row.url,
        snippet=snippet,
        created_at=row.created_at,
        author_id=row.author_id,
        object_id=row.object_id,
    )


def _marked(headline: str) -> str:
    """SearchHeadline's text, escaped, with its markers turned into <mark>."""
    return html.escape(headline).replace(_MARK, "<mark>").replace(_UNMARK, "</mark>")


def snippet_for(body: str, parsed: ParsedQuery) -> str:
    """The words around the first match, escaped, with every matching word marked."""
    wanted = {word for phrase in parsed.required for word in phrase}

    def matches(word: re.Match) -> bool:
        return stem(normalize(word.group())) in wanted

    words = list(_WORD.finditer(body))
    first = next((i for i, word in enumerate(words) if matches(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    chosen = words[start : start + SNIPPET_WORDS]
    if not chosen:
        return ""
    pieces, cursor = [], chosen[0].start()
    for word in chosen:
        pieces.append(html.escape(body[cursor : word.start()]))
        text = html.escape(word.group())
        pieces.append(f"<mark>{text}</mark>" if matches(word) else text)
        cursor = word.end()
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return prefix + "".join(pieces).strip() + suffix
