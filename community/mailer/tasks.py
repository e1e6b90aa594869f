"""Delivery of the outbox (community.mailer.services), run by the workers."""

from __future__ import annotations

from django_tasks import TaskContext, task

from community.background.queue import enqueue_on_commit
from community.mailer import services


@task(takes_context=True)
def deliver_due(context: TaskContext) -> dict:
    """Send a batch of due emails; queue the next batch, and a run for the retry of the
    emails this batch failed."""
    delivery = services.deliver(claimant=str(context.task_result.id))
    if delivery.sent + delivery.failed >= services.BATCH_SIZE:
        enqueue_on_commit(deliver_due)
    if delivery.retry_at is not None:
        enqueue_on_commit(deliver_due.using(run_after=delivery.retry_at))
    return {"sent": delivery.sent, "failed": delivery.failed}


@task()
def sweep_outbox() -> bool:
    """Periodic: see services.outbox_sweep()."""
    due = services.outbox_sweep()
    if due:
        enqueue_on_commit(deliver_due)
    return due
