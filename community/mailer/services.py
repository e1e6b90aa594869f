"""Every email the site sends goes through here: stored in the outbox within the caller's
transaction, delivered by a worker (community.mailer.tasks) with retries and backoff."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from community.background.queue import enqueue_on_commit
from community.mailer.models import OutgoingEmail

logger = logging.getLogger(__name__)
State = OutgoingEmail.State
# A delivery task takes this many emails, over one connection, then queues the next batch.
BATCH_SIZE = 100
# A claim older than this belongs to a delivery that died without its task being run
# again (its task failed on a database error): the email goes back to the queue.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
ERROR_MAX_LENGTH = 2000


def outbox_add(messages: Iterable[tuple[str, mail.EmailMessage]]) -> int:
    """Queue (key, message) pairs, one email per recipient; returns how many are new.

    A key already in the outbox is skipped: a task that runs twice queues nothing twice.
    Delivery starts once the caller's transaction commits.
    """
    rows = []
    for key, message in messages:
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        recipients = message.recipients()
        for index, address in enumerate(recipients):
            rows.append(
                OutgoingEmail(
                    key=key if len(recipients) == 1 else f"{key}:{index}",
                    from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                    to=address,
                    subject=" ".join(str(message.subject).split()),
                    body=str(message.body),
                    html_body=str(html),
                )
            )
    if not rows:
        return 0
    with transaction.atomic():
        existing = set(
            OutgoingEmail.objects.filter(key__in=[row.key for row in rows]).values_list(
                "key", flat=True
            )
        )
        new = [row for row in rows if row.key not in existing]
        OutgoingEmail.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            from community.mailer.tasks import deliver_due

            enqueue_on_commit(deliver_due)
    return len(new)


def email_render(template: str, context: dict, recipients: list[str]) -> mail.EmailMessage:
    """The one way the site words an email: `<template>_subject.txt` and `<template>.txt`,
    in the site's language (not the language of whoever triggered it), with links to
    SITE_URL and the site's subject prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return mail.EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0
    # When the earliest of the emails this delivery failed is to be tried again: the
    # delivery that failed an email is the one that sees to its retry.
    retry_at: datetime.datetime | None = None


def deliver(*, claimant: str, limit: int = BATCH_SIZE) -> Delivery:
    """Send up to `limit` due emails over one connection.

    Each email is claimed before it is sent and marked sent right after, one by one, so a
    worker killed mid-batch leaves at most the one email it was sending to go out again.
    """
    now = timezone.now()
    # A delivery whose worker died and whose task is being run again takes its own back.
    mine = OutgoingEmail.objects.filter(state=State.SENDING, claimed_by=claimant)
    due = OutgoingEmail.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
    ids = list(mine.values_list("pk", flat=True)[:limit])
    ids += list(
        due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[: limit - len(ids)]
    )
    if not ids:
        return Delivery()
    OutgoingEmail.objects.filter(pk__in=ids, state=State.QUEUED).update(
        state=State.SENDING, claimed_by=claimant, claimed_at=now
    )
    claimed = list(
        OutgoingEmail.objects.filter(pk__in=ids, state=State.SENDING, claimed_by=claimant).order_by(
            "pk"
        )
    )
    sent = 0
    retries: list[datetime.datetime | None] = []
    try:
        connection = mail.get_connection(fail_silently=False)
        connection.open()
    except Exception as error:
        retries = [_failed(email, error) for email in claimed]
        return Delivery(failed=len(claimed), retry_at=min(filter(None, retries), default=None))
    try:
        for email in claimed:
            try:
                connection.send_messages([_message(email, connection)])
            except Exception as error:
                retries.append(_failed(email, error))
            else:
                OutgoingEmail.objects.filter(pk=email.pk).update(
                    state=State.SENT,
                    sent_at=timezone.now(),
                    attempts=email.attempts + 1,
                    last_error="",
                    claimed_by="",
                )
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # the server hung up first; everything sent is recorded already
            logger.warning("Closing the mail connection failed", exc_info=True)
    return Delivery(sent, len(retries), min(filter(None, retries), default=None))


def _message(email: OutgoingEmail, connection) -> mail.EmailMessage:
    message = mail.EmailMultiAlternatives(
        email.subject,
        email.body,
        email.from_email,
        [email.to],
        connection=connection,
        # The same Message-ID on every attempt, so a mail system that received an email
        # whose acknowledgement was lost can tell the second copy for what it is.
        headers={"Message-ID": f"<outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{_domain()}>"},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "nastavnik.local"


def _failed(email: OutgoingEmail, error: BaseException) -> datetime.datetime | None:
    """Record a failed attempt; returns when to try again (None: failed for good)."""
    attempts = email.attempts + 1
    reason = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    retry_at = None
    if attempts >= settings.MAILER_MAX_ATTEMPTS:
        state, next_attempt = State.FAILED, timezone.now()
        logger.error(
            "Email %s to %s failed for good after %d attempts: %s",
            email.pk,
            email.to,
            attempts,
            reason,
        )
    else:
        delay = settings.MAILER_RETRY_SECONDS * 2 ** (attempts - 1)
        state, next_attempt = State.QUEUED, timezone.now() + datetime.timedelta(seconds=delay)
        retry_at = next_attempt
        logger.warning(
            "Email %s to %s failed (attempt %d), retrying in %d s: %s",
            email.pk,
            email.to,
            attempts,
            delay,
            reason,
        )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=state,
        attempts=attempts,
        last_error=reason,
        next_attempt_at=next_attempt,
        claimed_by="",
    )
    return retry_at


def outbox_sweep(now: datetime.datetime | None = None) -> bool:
    """The safety net (periodic): emails left «being sent» by a delivery that died go back
    to the queue; returns whether any email is due, so that a delivery runs for it even
    if the task meant to (a lost or failed one) never will."""
    now = now or timezone.now()
    OutgoingEmail.objects.filter(state=State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        state=State.QUEUED, claimed_by="", next_attempt_at=now
    )
    return OutgoingEmail.objects.filter(state=State.QUEUED, next_attempt_at__lte=now).exists()


def outbox_retry(ids: Iterable[int]) -> int:
    """A coordinator sends failed (or waiting) emails again now, with a fresh set of attempts."""
    with transaction.atomic():
        count = OutgoingEmail.objects.filter(
            pk__in=list(ids), state__in=[State.FAILED, State.QUEUED]
        ).update(state=State.QUEUED, attempts=0, next_attempt_at=timezone.now(), claimed_by="")
        if count:
            from community.mailer.tasks import deliver_due

            enqueue_on_commit(deliver_due)
    return count
