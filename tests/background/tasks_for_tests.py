"""Tasks that exist only for the worker's own tests."""

from django_tasks import task

RECORDED: list[str] = []


@task()
def record(what: str) -> None:
    RECORDED.append(what)


@task()
def explode() -> None:
    1 / 0
