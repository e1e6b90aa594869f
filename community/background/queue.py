"""Deferred work goes through Django's tasks interface (django-tasks, `django.tasks` from
Django 6). This is the one way the site hands work to a worker."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Run `task` in a worker once the caller's write commits; a rollback enqueues nothing.

    With the database backend the task row is written inside the caller's transaction: it
    becomes visible to workers in the same commit as the write, and a crash between the
    commit and an on_commit hook cannot lose it. Any other backend enqueues on commit.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)
