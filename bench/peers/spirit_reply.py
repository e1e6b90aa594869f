"""Time posting a reply in Spirit, a Django forum, as a peer for our own reply benchmark.

Spirit (https://pypi.org/project/django-spirit/) lives in its own virtualenv under var/
(git-ignored); nothing of it is copied into this repository. Create that venv once, from
the repository root (Django pinned to the version of requirements/base.lock, so that both
forums run on the same framework; psycopg only for the optional PostgreSQL run):

    python3.11 -m venv var/peers/spirit
    var/peers/spirit/bin/pip install "django-spirit==0.14.3" "Django==5.2.19" \\
        "psycopg[binary]==3.3.9"

and run this script with that venv's python (it does not need ours):

    var/peers/spirit/bin/python bench/peers/spirit_reply.py
    var/peers/spirit/bin/python bench/peers/spirit_reply.py --rounds 50 --json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        var/peers/spirit/bin/python bench/peers/spirit_reply.py

What it does. Django is configured in-process the way Spirit's own project template sets it
up (spirit/extra/project_template: its INSTALLED_APPS, middleware, context processors and
auth backends; locmem caches as in its dev and test settings; the locmem email backend),
on a temporary SQLite file (WAL, IMMEDIATE transactions, as our settings make it) or, with
a PostgreSQL DATABASE_URL, on a scratch database created next to the one it names and
dropped afterwards. After `migrate` it makes one category, a poster and 50 members, and
two topics through Spirit's own views: one watched by a single member (its author), one
by 50 (its author plus 49 who pressed "Notify me", Spirit's TopicNotification). Every
subscriber then opens the topic, so each has read it.

It then posts replies to both topics in turn, as the logged-in poster, through Django's
test client (Client(enforce_csrf_checks=False)) to Spirit's comment publish URL, and
checks each answers 302 to the new comment. Spirit's rate limiting (ST_RATELIMIT_ENABLE)
is off, and each reply's text differs (Spirit refuses a repeated post for 30 minutes).
Before each timed reply, outside the timing, every subscriber's notification and unread
mark for the topic are set back to read, as if they had opened the topic since the last
reply: Spirit only notifies subscribers who have read the topic, so without that only the
first reply would notify anybody (`--unread` measures that quieter steady state instead).
After each reply the script checks that exactly the topic's subscribers were notified.

Reported per topic: p50 and p95 wall time of the request (perf_counter around
client.post), p50 CPU time of this process over the same span (time.process_time), the
SQL queries per request (CaptureQueriesContext) and the emails sent.

How this mirrors bench/forum.py's "reply POST" lines: the same Django test client and full
middleware stack, a logged-in member posting a reply (the same markdown text, with a list
and a link), rate limiting switched off, warm-up rounds first, then per-request wall time
with p50 and p95 computed the same way (statistics.quantiles, n=20, inclusive) and the
queries of each request; emails go to the locmem backend. Both cases run in one process
and alternate round by round, so a change of machine load hits both alike.

What differs from our forum, and is not hidden: with Spirit's default ST_TASK_MANAGER=None
a reply sends no email at all and updates no search index (both tasks return at once);
with Huey or Celery configured they are queued on commit and run in a worker, which emails
the subscribers whose preference is "immediately". Our forum writes notification rows and
one task row in the request and leaves the emails to a worker too. Spirit notifies its
subscribers with two UPDATE statements (TopicNotification, TopicUnread), whatever their
number. Its publish view opens no transaction (nor does its template set ATOMIC_REQUESTS),
so each of its seven writes commits on its own; sessions are in the database, as there.
The topics are small (a first comment plus this run's replies), so compare with our reply
measured on a thread of similar size.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

SUBSCRIBER_CASES = (1, 50)

# The reply of bench/forum.py (REPLY_BODY): markdown with emphasis, a list and a link.
REPLY_BODY = (
    "Попробовал по вашей инструкции — **получилось**. Добавлю для остальных:\n\n"
    "1. Заявку подаём через СЭД.\n2. Копию отправляем в отдел кадров.\n\n"
    "Подробности в регламенте: https://city.example.org/reglament/2024"
)

# Spirit's project template (spirit/extra/project_template/project_name/settings/base.py).
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "spirit.core",
    "spirit.admin",
    "spirit.search",
    "spirit.user",
    "spirit.user.admin",
    "spirit.user.auth",
    "spirit.category",
    "spirit.category.admin",
    "spirit.topic",
    "spirit.topic.admin",
    "spirit.topic.favorite",
    "spirit.topic.moderate",
    "spirit.topic.notification",
    "spirit.topic.private",
    "spirit.topic.unread",
    "spirit.comment",
    "spirit.comment.bookmark",
    "spirit.comment.flag",
    "spirit.comment.flag.admin",
    "spirit.comment.history",
    "spirit.comment.like",
    "spirit.comment.poll",
    "djconfig",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spirit.user.middleware.TimezoneMiddleware",
    "spirit.user.middleware.LastIPMiddleware",
    "spirit.user.middleware.LastSeenMiddleware",
    "spirit.user.middleware.ActiveUserMiddleware",
    "spirit.core.middleware.PrivateForumMiddleware",
    "djconfig.middleware.DjConfigMiddleware",
]

CONTEXT_PROCESSORS = [
    "django.contrib.auth.context_processors.auth",
    "django.template.context_processors.debug",
    "django.template.context_processors.i18n",
    "django.template.context_processors.media",
    "django.template.context_processors.static",
    "django.template.context_processors.tz",
    "django.template.context_processors.request",
    "django.contrib.messages.context_processors.messages",
    "djconfig.context_processors.config",
]

URLCONF = "spirit_bench_urls"


@contextlib.contextmanager
def scratch_database(database_url: str, scratch: Path) -> Iterator[dict]:
    """Django's DATABASES["default"] for a throw-away database, dropped afterwards."""
    if not database_url.startswith("postgres"):
        yield {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(scratch / "spirit.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
        return
    import psycopg

    parts = urlsplit(database_url)
    name = f"spirit_bench_{uuid.uuid4().hex[:10]}"
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(database: dict, scratch: Path) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.configure(
        DEBUG=True,  # as bench/_setup.py runs our forum
        SECRET_KEY="spirit-bench",
        ALLOWED_HOSTS=["testserver", "127.0.0.1"],
        INSTALLED_APPS=INSTALLED_APPS,
        MIDDLEWARE=MIDDLEWARE,
        ROOT_URLCONF=URLCONF,
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
            }
        ],
        DATABASES={"default": database},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        CACHES={
            "default": {"BACKEND": locmem},
            "st_rate_limit": {
                "BACKEND": locmem,
                "LOCATION": "spirit_rl_cache",
                "TIMEOUT": None,
            },
        },
        AUTHENTICATION_BACKENDS=[
            "spirit.user.auth.backends.UsernameAuthBackend",
            "spirit.user.auth.backends.EmailAuthBackend",
        ],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        HAYSTACK_CONNECTIONS={
            "default": {
                "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
                "PATH": str(scratch / "st_search"),
                "STORAGE": "ram",
            }
        },
        HAYSTACK_SIGNAL_PROCESSOR="spirit.search.signals.RealtimeSignalProcessor",
        LOGIN_URL="spirit:user:auth:login",
        LOGIN_REDIRECT_URL="spirit:user:update",
        LOGOUT_REDIRECT_URL="spirit:index",
        LANGUAGE_CODE="ru",  # as our forum
        TIME_ZONE="Europe/Moscow",
        USE_I18N=True,
        USE_TZ=True,
        STATIC_URL="/static/",
        STATIC_ROOT=str(scratch / "static"),
        MEDIA_URL="/media/",
        MEDIA_ROOT=str(scratch / "media"),
        STORAGES={
            "default": {"BACKEND": "spirit.core.storage.OverwriteFileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DEFAULT_FROM_EMAIL="forum@example.com",
        # Spirit's own settings (spirit/core/conf/defaults.py).
        ST_SITE_URL="http://127.0.0.1:8000/",
        ST_RATELIMIT_ENABLE=False,
        ST_RATELIMIT_CACHE="st_rate_limit",
        ST_TASK_MANAGER=None,  # Spirit's default: no Huey or Celery
        ST_NOTIFY_WHEN="immediately",  # new members would want reply emails, as ours do
        ST_EXTENDED_FONT=True,
    )
    django.setup()

    from django.urls import include, path

    urls = types.ModuleType(URLCONF)
    urls.urlpatterns = [path("", include("spirit.urls"))]
    sys.modules[URLCONF] = urls
    call_command("migrate", verbosity=0)


def build(cases: tuple[int, ...]) -> dict:
    """A poster and, for each case, a topic with that many subscribers who have read it."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from spirit.category.models import Category
    from spirit.topic.models import Topic
    from spirit.topic.notification.models import TopicNotification

    User = get_user_model()
    category = Category.objects.create(title="Вопросы новичков", sort=1)
    poster = User.objects.create_user(username="poster", email="poster@example.com")
    members = [
        User.objects.create_user(username=f"member{n}", email=f"member{n}@example.com")
        for n in range(max(cases))
    ]
    client = Client()
    topics = {}
    for count in cases:
        author, *others = members[:count]
        client.force_login(author)
        response = client.post(
            reverse("spirit:topic:publish"),
            {
                "title": f"Как оформить наставничество ({count})",
                "category": category.pk,
                "comment": f"С чего начать оформление? Тема на {count} подписчиков.",
            },
        )
        assert response.status_code == 302, response.status_code
        topic = Topic.objects.filter(user=author).latest("pk")
        for member in others:
            client.force_login(member)
            response = client.post(
                reverse("spirit:topic:notification:create", kwargs={"topic_id": topic.pk}),
                {"is_active": "True"},
            )
            assert response.status_code == 302, response.status_code
        for member in members[:count]:
            client.force_login(member)
            response = client.get(topic.get_absolute_url())
            assert response.status_code == 200, response.status_code
        subscribed = TopicNotification.objects.filter(topic=topic, is_active=True).count()
        assert subscribed == count, (subscribed, count)
        topics[count] = topic
    return {"poster": poster, "topics": topics}


def mark_read(topic, poster) -> None:
    """Every subscriber has opened the topic since the last reply (what its detail view does)."""
    from spirit.topic.notification.models import TopicNotification
    from spirit.topic.unread.models import TopicUnread

    TopicNotification.objects.filter(topic=topic).exclude(user=poster).update(is_read=True)
    TopicUnread.objects.filter(topic=topic).exclude(user=poster).update(is_read=True)


def notified(topic, poster) -> int:
    """Subscribers whose notification points at the topic's newest reply, unread."""
    from spirit.comment.models import Comment
    from spirit.topic.notification.models import TopicNotification

    newest = Comment.objects.filter(topic=topic).latest("pk")
    return (
        TopicNotification.objects.filter(
            topic=topic, comment=newest, is_read=False, action=TopicNotification.COMMENT
        )
        .exclude(user=poster)
        .count()
    )


def run(args: argparse.Namespace, database: dict, scratch: Path) -> dict:
    configure(database, scratch)
    from django.core import mail
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    data = build(SUBSCRIBER_CASES)
    poster, topics = data["poster"], data["topics"]
    client = Client(enforce_csrf_checks=False)
    client.force_login(poster)
    results = {
        count: {"wall": [], "cpu": [], "queries": [], "emails": 0, "notified": set()}
        for count in topics
    }
    sent = 0

    def reply(count: int, *, timed: bool) -> None:
        nonlocal sent
        topic = topics[count]
        if not args.unread:
            mark_read(topic, poster)
        sent += 1
        url = reverse("spirit:comment:publish", kwargs={"topic_id": topic.pk})
        body = {"comment": f"{REPLY_BODY}\n\nОтвет {sent}."}
        reset_queries()  # the query log keeps 9000 entries: a full log would count 0
        mail.outbox = []
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            wall = time.perf_counter()
            response = client.post(url, body)
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
        if response.status_code != 302 or "/comment/" not in response["Location"]:
            raise SystemExit(f"{response.status_code} instead of 302: {response.content[:500]!r}")
        if timed:
            result = results[count]
            result["wall"].append(wall * 1000)
            result["cpu"].append(cpu * 1000)
            result["queries"].append(len(captured))
            result["emails"] += len(mail.outbox)
            result["notified"].add(notified(topic, poster))

    for _ in range(args.warmup):
        for count in topics:
            reply(count, timed=False)
    for _ in range(args.rounds):
        for count in topics:  # alternate, so that load changes hit both cases alike
            reply(count, timed=True)

    cases = []
    for count, result in results.items():
        # The poster is none of the subscribers (it subscribes itself by replying, but is
        # not notified of its own replies): each reply notifies every subscriber.
        expected = {0} if args.unread else {count}
        if result["notified"] != expected:
            raise SystemExit(f"{count} subscribers: notified {result['notified']}, not {expected}")
        queries = result["queries"]
        cases.append(
            {
                "subscribers": count,
                "notified_per_reply": next(iter(result["notified"])),
                "p50_ms": round(statistics.median(result["wall"]), 2),
                "p95_ms": round(
                    statistics.quantiles(result["wall"], n=20, method="inclusive")[-1], 2
                ),
                "cpu_p50_ms": round(statistics.median(result["cpu"]), 2),
                "queries_min": min(queries),
                "queries_median": statistics.median(queries),
                "queries_max": max(queries),
                "emails": result["emails"],
            }
        )
    return {
        "peer": "spirit",
        "measure": "reply POST",
        "spirit": version("django-spirit"),
        "django": version("Django"),
        "python": sys.version.split()[0],
        "database": connection.vendor,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "unread": args.unread,
        "cases": cases,
    }


def table(report: dict) -> str:
    lines = [
        f"Spirit {report['spirit']} reply POST on Django {report['django']} "
        f"({report['database']}, {report['rounds']} rounds after {report['warmup']} warm-up, "
        f"subscribers {'left unread' if report['unread'] else 'had read the topic'}; "
        f"load {report['load_before']} -> {report['load_after']})",
        f"{'subscribers':>11} {'notified':>8} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} "
        f"{'queries':>8} {'emails':>6}",
    ]
    for case in report["cases"]:
        low, high = case["queries_min"], case["queries_max"]
        queries = f"{low}" if low == high else f"{low}-{high}"
        lines.append(
            f"{case['subscribers']:>11} {case['notified_per_reply']:>8} {case['p50_ms']:>8.1f} "
            f"{case['p95_ms']:>8.1f} {case['cpu_p50_ms']:>8.1f} {queries:>8} {case['emails']:>6}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="timed replies per case")
    parser.add_argument("--warmup", type=int, default=5, help="untimed replies per case first")
    parser.add_argument(
        "--unread",
        action="store_true",
        help="do not mark the topic read between replies (Spirit then notifies nobody anew)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON line (the table goes to stderr)"
    )
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2")

    load_before = [round(x, 2) for x in os.getloadavg()]
    scratch = Path(tempfile.mkdtemp(prefix="spirit-bench-"))
    try:
        with scratch_database(os.environ.get("DATABASE_URL", ""), scratch) as database:
            report = run(args, database, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report["load_before"] = load_before
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    report["cpus"] = os.cpu_count()
    print(table(report), file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
