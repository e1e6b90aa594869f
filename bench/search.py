"""Search speed: 30 Russian queries over 200 000 posts, 5 000 articles and 100 000 chat
messages, against a naive `icontains` scan of the same documents.

    .venv/bin/python bench/search.py                      # SQLite (FTS5), full size
    .venv/bin/python bench/search.py --scale 0.1          # a tenth, for a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres .venv/bin/python bench/search.py

With a PostgreSQL DATABASE_URL the run creates a scratch database next to it and drops it
afterwards. Documents go straight into the index (as search_reindex would leave it), so
the run measures searching, not the services that write. Each query is timed as the search
page runs it: permission filter, match, count per kind, the best ten of each kind with
snippets. The baseline does what a site without an index would: every word as a
case-insensitive substring of title or body, under the same permission filter.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import django_on_scratch_database, run_on_scratch_database

QUERIES = [
    "служебная записка",
    "служебной записки",
    "наставник",
    "наставнику",
    "наставники",
    "отпуск",
    "отпуска в первый год",
    "командировка",
    "командировки семинар",
    "лимиты бюджета",
    "бюджетных обязательств",
    "электронная подпись",
    "доступ к СЭД",
    "больничный лист",
    "график приёма",
    "аттестация",
    "первая встреча",
    '"первый день"',
    "адаптация новичка",
    "план адаптации",
    "закупка канцтоваров",
    "обращения граждан",
    "отдел кадров",
    "согласование приказа",
    "шаблон",
    "мёд",
    "экскурсия по зданию",
    "проверка документов -приказ",
    "публичное выступление",
    "цифровые сервисы",
]

WORDS = {
    "noun": [
        "наставник",
        "наставника",
        "наставнику",
        "наставники",
        "новичок",
        "новичка",
        "новичку",
        "записка",
        "записки",
        "записку",
        "отпуск",
        "отпуска",
        "командировка",
        "командировки",
        "семинар",
        "лимиты",
        "бюджет",
        "бюджета",
        "обязательств",
        "подпись",
        "подписи",
        "доступ",
        "СЭД",
        "больничный",
        "график",
        "приёма",
        "аттестация",
        "встреча",
        "встречи",
        "день",
        "адаптация",
        "план",
        "закупка",
        "канцтоваров",
        "обращения",
        "граждан",
        "отдел",
        "кадров",
        "согласование",
        "приказа",
        "шаблон",
        "шаблона",
        "экскурсия",
        "здание",
        "проверка",
        "документов",
        "выступление",
        "сервисы",
        "мэрия",
        "управление",
        "заявка",
        "начальник",
        "сотрудник",
        "коллеги",
        "вопрос",
        "ответ",
        "срок",
        "неделя",
    ],
    "adjective": [
        "служебная",
        "служебной",
        "первый",
        "первая",
        "бюджетных",
        "электронная",
        "новый",
        "муниципальной",
        "цифровые",
        "публичное",
        "рабочих",
        "трудный",
        "полезный",
        "важная",
        "финансовое",
    ],
    "verb": [
        "оформить",
        "согласует",
        "подать",
        "проверить",
        "получить",
        "найти",
        "помогает",
        "встречает",
        "объясняет",
        "готовит",
        "спросить",
        "узнать",
    ],
    "other": ["и", "в", "на", "для", "по", "с", "как", "где", "когда", "не", "уже", "ещё"],
}


def sentence(rng: random.Random, length: int) -> str:
    kinds = ["adjective", "noun", "verb", "other", "noun", "noun", "other"]
    return " ".join(rng.choice(WORDS[rng.choice(kinds)]) for _ in range(length)) + "."


def text(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(6, 14)) for _ in range(sentences)).capitalize()


def build(scale: float, rng: random.Random):
    """Categories, rooms, a reader, and the documents, written straight into the index."""
    from django.db import connection, transaction
    from django.utils import timezone

    from chat.models import Membership, Room
    from community import search
    from community.models import SearchDocument
    from forum.models import Access, Category
    from profiles.models import User

    reader = User.objects.create(
        email="reader@example.com",
        full_name="Читатель Бенчмарка",
        role=User.Role.NEWCOMER,
        slug="reader",
    )
    categories = [
        Category.objects.create(
            name=f"Раздел {n}",
            slug=f"razdel-{n}",
            read_access=Access.MENTORS if n == 0 else Access.MEMBERS,
        )
        for n in range(5)
    ]
    rooms = [
        Room.objects.create(
            kind=Room.Kind.CHANNEL, name=f"Канал {n}", slug=f"kanal-{n}", created_by=reader
        )
        for n in range(50)
    ]
    Membership.objects.bulk_create([Membership(room=room, user=reader) for room in rooms[:10]])
    now = timezone.now()
    counts = {
        "forum.post": int(200_000 * scale),
        "knowledge.article": int(5_000 * scale),
        "chat.message": int(100_000 * scale),
    }
    batch: list[SearchDocument] = []
    started = time.perf_counter()
    next_id = 1
    for kind, count in counts.items():
        for n in range(count):
            document = SearchDocument(
                id=next_id,
                kind=kind,
                object_id=n + 1,
                url=f"/x/{next_id}/",
                created_at=now - timezone.timedelta(minutes=rng.randint(0, 500_000)),
                title=sentence(rng, rng.randint(3, 8)).rstrip("."),
                body=text(rng, {"forum.post": 3, "knowledge.article": 25, "chat.message": 1}[kind]),
                category_id=rng.choice(categories).pk if kind == "forum.post" else None,
                room_id=rng.choice(rooms).pk if kind == "chat.message" else None,
            )
            next_id += 1
            batch.append(document)
            if len(batch) == 5000:
                _flush(batch, connection, search, transaction)
        print(f"  {kind}: {count} documents ({time.perf_counter() - started:.0f} s)", flush=True)
    _flush(batch, connection, search, transaction)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE community_searchdocument SET search_vector = "
                "setweight(to_tsvector('russian', replace(lower(title), 'ё', 'е')), 'A') || "
                "setweight(to_tsvector('russian', replace(lower(body), 'ё', 'е')), 'B')"
            )
            cursor.execute("ANALYZE community_searchdocument")
    print(f"  indexed in {time.perf_counter() - started:.0f} s", flush=True)
    return reader


def _flush(batch: list, connection, search, transaction) -> None:
    from community.models import SearchDocument

    with transaction.atomic():
        SearchDocument.objects.bulk_create(batch)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {search.FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                    [
                        (d.id, " ".join(search.stems(d.title)), " ".join(search.stems(d.body)))
                        for d in batch
                    ],
                )
    batch.clear()


def naive(reader, query: str) -> int:
    """Every word a substring of title or body: what a site without an index does."""
    from django.db.models import Count, Q

    from community import search

    documents = search.visible_documents(reader)
    for word in query.replace('"', " ").split():
        if word.startswith("-"):
            documents = documents.exclude(
                Q(title__icontains=word[1:]) | Q(body__icontains=word[1:])
            )
        else:
            documents = documents.filter(Q(title__icontains=word) | Q(body__icontains=word))
    counts = dict(documents.values_list("kind").annotate(n=Count("pk")))
    for kind in counts:
        list(documents.filter(kind=kind).order_by("-created_at")[:10])
    return sum(counts.values())


def indexed(reader, query: str) -> int:
    from community import search

    return sum(group.count for group in search.search(reader, query))


def timed(function, reader, rounds: int) -> tuple[list[float], dict[str, int]]:
    timings, found = [], {}
    for query in QUERIES:
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            found[query] = function(reader, query)
            samples.append((time.perf_counter() - started) * 1000)
        timings.append(statistics.median(samples))
    return timings, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of 200k posts / 5k articles / 100k messages",
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs per query (median)")
    args = parser.parse_args()
    run_on_scratch_database(run, args)


def run(args) -> None:
    django_on_scratch_database()
    from django.db import connection

    print(f"Search on {connection.vendor}, scale {args.scale:g}:", flush=True)
    reader = build(args.scale, random.Random(7))
    ours, found = timed(indexed, reader, args.rounds)
    baseline, naive_found = timed(naive, reader, args.rounds)
    connection.close()
    for name, values in (("index", ours), ("icontains scan", baseline)):
        print(
            f"{name:<16} p50 {statistics.median(values):8.1f} ms   "
            f"p95 {statistics.quantiles(values, n=20)[18]:8.1f} ms   "
            f"max {max(values):8.1f} ms"
        )
    p95 = [statistics.quantiles(values, n=20)[18] for values in (baseline, ours)]
    print(
        f"{'scan / index':<16} p50 ×{statistics.median(baseline) / statistics.median(ours):.1f}"
        f"   p95 ×{p95[0] / p95[1]:.1f}"
    )
    print("hits per query (index / scan; the scan misses other word forms):")
    print("  " + "; ".join(f"{q}: {found[q]}/{naive_found[q]}" for q in QUERIES))


if __name__ == "__main__":
    main()
