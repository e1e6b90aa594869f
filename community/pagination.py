"""Keyset (cursor) pagination: a page costs the same on the first screen and the
thousandth, and nothing is counted.

A page is the rows after (or before) the last row the reader saw, in an order that ends
with the primary key: `WHERE (a, b, id) < (%s, %s, %s) ORDER BY a DESC, b DESC, id DESC
LIMIT n`, which an index on (a, b, id) answers by reading n entries from the cursor on,
on PostgreSQL and SQLite alike. OFFSET pagination reads and throws away every row before
the page, and its page count is a COUNT of the whole list (138–535 ms over 100k threads on
PostgreSQL). Misago pages its threads this way; Discourse loads "more topics" likewise.

The cursor names the row's sort values, not a position, so a thread bumped meanwhile
neither repeats nor vanishes between pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, QuerySet, Value
from django.db.models.lookups import Exact, GreaterThan, LessThan, Lookup

# Longer is not a cursor we made.
MAX_CURSOR_LENGTH = 500


@dataclass
class CursorPage:
    """One page of rows; the cursors of the pages before and after it, if any."""

    object_list: list
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


class Row(Func):
    """A row value, `(a, b, c)`, to compare with another in one go."""

    function = ""
    template = "(%(expressions)s)"
    output_field = models.Field()


def keyset_page(
    queryset: QuerySet,
    order: Sequence[str],
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int,
) -> CursorPage:
    """The page of `queryset` after the `after` cursor (or before `before`; the first page
    without either), in `order`: field names, each descending ("-name"), the last "-pk".

    Raises ValueError for a cursor that is not one of ours.
    """
    if not order or any(not name.startswith("-") for name in order) or order[-1] != "-pk":
        raise ValueError("A keyset order is descending on every field and ends with -pk")
    names = [name[1:] for name in order]
    meta = queryset.model._meta
    fields = [meta.pk if name == "pk" else meta.get_field(name) for name in names]
    if any(field.null for field in fields):
        raise ValueError("A NULL never compares: keyset fields must be NOT NULL")
    if after and before:
        raise ValueError("A page is after one cursor or before another, not both")
    cursor = after or before
    rows = queryset.order_by(*order)
    if cursor:
        values = cursor_decode(cursor, fields)
        rows = rows.filter(*_beyond(names, fields, values, forward=bool(after)))
        if before:
            # Backwards from the cursor (ascending), then put the page back in order.
            rows = rows.order_by(*names)
    # One row more than the page tells whether another page follows, without counting.
    fetched = list(rows[: per_page + 1])
    more = len(fetched) > per_page
    page = fetched[:per_page]
    if before:
        page.reverse()
    first_cursor = cursor_encode(page[0], names) if page else None
    last_cursor = cursor_encode(page[-1], names) if page else None
    if before:
        # Going back: rows after this page exist (we came from there); before it, if more.
        return CursorPage(
            page, next_cursor=last_cursor, previous_cursor=first_cursor if more else None
        )
    return CursorPage(
        page,
        next_cursor=last_cursor if more else None,
        previous_cursor=first_cursor if after else None,
    )


def _beyond(
    names: Sequence[str], fields: Sequence[models.Field], values: Sequence[Any], *, forward: bool
) -> list[Lookup]:
    """The conditions of the rows past the cursor: `(a, b, id) < (…)` going forward,
    `>` going back.

    A leading yes/no field whose cursor value is its end (nothing is below «no») becomes
    an equality: «not pinned, and (activity, id) below the cursor's». The database then
    reads it as an index prefix, and PostgreSQL estimates the rest by its statistics;
    it judges a row comparison by its first column alone, and `pinned < no` would be
    taken for an empty range, joined and sorted in full.
    """
    conditions: list[Lookup] = []
    while (
        len(names) > 1 and isinstance(fields[0], models.BooleanField) and values[0] is not forward
    ):
        # Value(), not the bare bool: Django writes `= False` as `NOT field`, which SQLite
        # does not match to an index column.
        conditions.append(Exact(F(names[0]), Value(values[0], output_field=fields[0])))
        names, fields, values = names[1:], fields[1:], values[1:]
    seen = Row(*(F(name) for name in names))
    bound = Row(*(Value(v, output_field=f) for v, f in zip(values, fields, strict=True)))
    conditions.append(LessThan(seen, bound) if forward else GreaterThan(seen, bound))
    return conditions


def cursor_encode(row: models.Model, names: Sequence[str]) -> str:
    values = [_plain(getattr(row, name)) for name in names]
    text = json.dumps(values, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, fields: Sequence[models.Field]) -> list[Any]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise ValueError("Not a page cursor")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise ValueError("Not a page cursor") from error
    if not isinstance(values, list) or len(values) != len(fields):
        raise ValueError("Not a page cursor")
    try:
        return [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except (ValidationError, TypeError) as error:
        raise ValueError("Not a page cursor") from error


def _plain(value: Any) -> Any:
    """A sort value as JSON can carry it (datetimes as ISO 8601, with their offset)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
