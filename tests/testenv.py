"""A pytest plugin loaded before Django starts (see addopts): the suite's environment.

Tests run on the development profile (no HTTPS redirect, no required SECRET_KEY);
the production profile is exercised by its own tests and by `check --deploy`.

Under pytest-xdist (`make test` runs the suite in parallel) each worker gets a Redis
database of its own: the fixtures clear the cache before and after every test, which
empties the whole database, and the channel layer's groups are named the same in every
process. REDIS_URL=redis://host:6379/1 gives worker gw0 database 1, gw1 database 2, and
so on. (pytest-django already gives each worker a test database of its own.)
"""

import os
from urllib.parse import parse_qsl, urlencode, urlsplit

os.environ.setdefault("DEBUG", "1")

REDIS_DATABASES = 16  # Redis's default `databases`


def worker_redis_url(url: str, worker: str, workers: int) -> str:
    """The Redis URL for xdist worker `worker` (gw0, gw1, ...) of `workers`."""
    number = int(worker.removeprefix("gw"))
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if "db" in query or parts.scheme == "unix":
        base = int(query.get("db", 0))
    else:
        base = int(parts.path.strip("/") or 0)
    if base + workers > REDIS_DATABASES:
        raise RuntimeError(
            f"{workers} xdist workers from Redis database {base} need databases up to "
            f"{base + workers - 1}; Redis has {REDIS_DATABASES}: run fewer workers "
            "(PYTEST_PARALLEL='-n 4') or start from a lower database in REDIS_URL"
        )
    if "db" in query or parts.scheme == "unix":
        # Rebuilt by hand: urlunsplit would drop the // of unix:///path.
        return f"{parts.scheme}://{parts.netloc}{parts.path}?" + urlencode(
            {**query, "db": base + number}
        )
    return parts._replace(path=f"/{base + number}").geturl()


if os.environ.get("REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["REDIS_URL"] = worker_redis_url(
        os.environ["REDIS_URL"],
        os.environ["PYTEST_XDIST_WORKER"],
        int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")),
    )
