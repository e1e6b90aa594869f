"""Delivery of the outbox (community.mailer.services), run by the workers."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import TaskContext, task

from community.background.queue import enqueue_on_commit
from community.mailer import services


@task(takes_context=True)
def deliver_due(context: TaskContext) -> dict:
    """Send a batch of due emails; queue the next batch, or a run for the next retry."""
    sent, failed = services.deliver(claimant=str(context.task_result.id))
    if sent + failed >= services.BATCH_SIZE:
        enqueue_on_commit(deliver_due)
    else:
        retry_at = services.next_retry_at()
        if retry_at is not None and failed:
            enqueue_on_commit(deliver_due.using(run_after=max(retry_at, timezone.now())))
    return {"sent": sent, "failed": failed}


@task()
def release_stale_claims() -> int:
    """Periodic: emails whose delivery died mid-send go back to the queue."""
    released = services.release_stale_claims()
    if released:
        enqueue_on_commit(deliver_due)
    return released
