"""Every write to notifications: creating (or collapsing) them, reading, emailing."""

from __future__ import annotations

import datetime
import hashlib
import operator
from collections.abc import Iterable
from functools import reduce
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community.background.queue import enqueue_on_commit
from community.mailer.services import email_render, outbox_add
from community.notifications import registry, selectors
from community.notifications.models import (
    Notification,
    NotificationPreference,
    is_relative_url,
)
from community.realtime.events import send_event_on_commit, user_group

TEXT_MAX_LENGTH = 300
DIGEST_WINDOW = datetime.timedelta(hours=24)
# A digest lists this many; the rest are summed up as "and N more" with a link.
DIGEST_MAX_ITEMS = 50


def notification_create(
    *,
    recipient,
    kind: str,
    text: str,
    url: str,
    actor=None,
    group_key: str = "",
) -> Notification | None:
    """Notify one member; see notifications_send()."""
    sent = notifications_send(
        recipients=[recipient], kind=kind, text=text, url=url, actor=actor, group_key=group_key
    )
    return sent[0] if sent else None


def notifications_send(
    *,
    recipients: Iterable,
    kind: str,
    text: str,
    url: str,
    actor=None,
    group_key: str = "",
) -> list[Notification]:
    """Notify each recipient, bumping their unread notification of the same kind and group.

    A constant number of queries however many recipients: a reply in a busy thread
    notifies every watcher in one go.
    """
    # `text` is the whole plain sentence, actor's name included («Алия ответила в …»):
    # emails print it alone; `url` is a path on this site, where opening it leads.
    if not registry.is_registered(kind):
        raise ValueError(f"Unknown notification kind {kind!r}: register it in AppConfig.ready()")
    if not is_relative_url(url) or len(url) > 500:
        raise ValueError(f"A notification links to a path on this site, got {url!r}")
    # One line: the text also becomes an email subject, where a newline is a header injection.
    text = Truncator(" ".join(text.split())).chars(TEXT_MAX_LENGTH)
    if not text:
        raise ValueError("A notification needs text")
    by_id = {r.pk: r for r in recipients if r.is_active and (actor is None or actor.pk != r.pk)}
    if not by_id:
        return []
    fields = {"text": text, "url": url, "actor": actor}
    with transaction.atomic():
        bumped = _bump_unread(list(by_id), kind, group_key, fields) if group_key else []
        fresh = [
            Notification(recipient=by_id[pk], kind=kind, group_key=group_key, **fields)
            for pk in by_id.keys() - {n.recipient_id for n in bumped}
        ]
        try:
            with transaction.atomic():
                created = Notification.objects.bulk_create(fresh)
        except IntegrityError:
            # A concurrent event opened one of the groups first: join them one by one.
            created = [_create_one(n.recipient, kind, group_key, fields) for n in fresh]
        notifications = [*bumped, *created]
        for notification in notifications:
            notification.recipient = by_id[notification.recipient_id]
        _broadcast_new(notifications)
        # One task for every recipient; it asks who wants an email now (community/mailer).
        from community.notifications.tasks import email_notifications

        enqueue_on_commit(email_notifications, [n.pk for n in notifications])
    return notifications


def _bump_unread(
    recipient_ids: list[int], kind: str, group_key: str, fields: dict
) -> list[Notification]:
    notifications = list(
        Notification.objects.select_for_update().filter(
            recipient_id__in=recipient_ids, kind=kind, group_key=group_key, read_at__isnull=True
        )
    )
    now = timezone.now()
    for notification in notifications:
        for name, value in fields.items():
            setattr(notification, name, value)
        notification.count += 1
        notification.created_at = now
        # News since the last email: the next email or digest should carry it again.
        notification.emailed_at = None
    Notification.objects.bulk_update(notifications, [*fields, "count", "created_at", "emailed_at"])
    return notifications


def _create_one(recipient, kind: str, group_key: str, fields: dict) -> Notification:
    bumped = _bump_unread([recipient.pk], kind, group_key, fields) if group_key else []
    if bumped:
        return bumped[0]
    return Notification.objects.create(
        recipient=recipient, kind=kind, group_key=group_key, **fields
    )


def _broadcast_new(notifications: list[Notification]) -> None:
    unread = dict(
        Notification.objects.filter(
            recipient_id__in=[n.recipient_id for n in notifications], read_at__isnull=True
        )
        .values("recipient_id")
        .annotate(total=Count("pk"))
        .values_list("recipient_id", "total")
    )
    for notification in notifications:
        send_event_on_commit(
            [user_group(notification.recipient_id)],
            {
                "type": "notification",
                "id": notification.pk,
                "kind": notification.kind,
                "text": notification.text,
                "url": notification.url,
                "count": notification.count,
                "unread_count": unread.get(notification.recipient_id, 0),
            },
        )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the member's own unread notifications read (all of them when `ids` is None)."""
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=ids)
        marked = unread.update(read_at=timezone.now())
        if marked:
            _broadcast_read(user)
    return marked


def notification_open(*, user, pk: int) -> Notification:
    """The member's notification, marked read; 404 for anyone else's."""
    with transaction.atomic():
        notification = selectors.notification_get_for(user, pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            _broadcast_read(user)
    return notification


def _broadcast_read(user) -> None:
    # Other open tabs update their badge from this.
    send_event_on_commit(
        [user_group(user.pk)],
        {
            "type": "notifications_read",
            "unread_count": selectors.unread_count(user),
        },
    )


def preference_set(*, user, email_mode: str) -> NotificationPreference:
    if email_mode not in NotificationPreference.EmailMode.values:
        raise ValidationError({"email_mode": _("Choose one of the offered options.")})
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            user=user, defaults={"email_mode": email_mode}
        )
    return preference


# --- Email (run by workers: community/notifications/tasks.py) -------------------------


def notifications_email(notification_ids: list[int]) -> int:
    """Queue an email for each of these notifications whose member wants one right away and
    that has not been emailed since it last changed; returns how many were queued.

    Safe to run twice: the notification is marked emailed in the same transaction as its
    email enters the outbox, and the outbox refuses a second email with the same key.
    """
    notifications = list(
        Notification.objects.filter(
            pk__in=notification_ids, emailed_at__isnull=True, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .exclude(
            recipient__notification_preference__email_mode__in=[
                NotificationPreference.EmailMode.DAILY,
                NotificationPreference.EmailMode.OFF,
            ]
        )
        .select_related("recipient", "actor")
    )
    if not notifications:
        return 0
    emails = [
        (
            f"notification:{n.pk}:{n.count}",
            email_render(
                "notifications/email/notification",
                {"notification": n, "recipient": n.recipient},
                [n.recipient.email],
            ),
        )
        for n in notifications
    ]
    # Marked only as they were read: one bumped by a new event meanwhile keeps its
    # emailed_at empty, and that event's own task emails it.
    as_read = reduce(operator.or_, (Q(pk=n.pk, count=n.count) for n in notifications))
    with transaction.atomic():
        outbox_add(emails)
        Notification.objects.filter(as_read).update(emailed_at=timezone.now())
    return len(notifications)


def digest_send(*, now: datetime.datetime | None = None, batch_size: int = 200) -> int:
    """Queue a digest for each "daily" member of their unread, unemailed notifications of
    the last day; returns how many members get one.

    Streams the notifications in order of member and writes each batch of members in one
    transaction: two queries per batch however large the community. A second run the same
    day finds everything marked emailed, and the outbox keys are per member and content.
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            recipient__notification_preference__email_mode=NotificationPreference.EmailMode.DAILY,
            recipient__is_active=True,
            read_at__isnull=True,
            emailed_at__isnull=True,
            created_at__gt=now - DIGEST_WINDOW,
            created_at__lte=now,
        )
        .exclude(recipient__email="")
        .select_related("recipient", "actor")
        .order_by("recipient_id", "-created_at", "-pk")
    )
    sent = 0
    batch: list[list[Notification]] = []
    for _recipient_id, group in groupby(
        pending.iterator(chunk_size=2000), key=lambda n: n.recipient_id
    ):
        batch.append(list(group))
        if len(batch) >= batch_size:
            sent += _queue_digests(batch, now)
            batch = []
    if batch:
        sent += _queue_digests(batch, now)
    return sent


def _digest_key(notifications: list[Notification]) -> str:
    # What this digest says: a run that finds the same news again queues nothing twice,
    # new activity makes a new digest.
    news = ",".join(f"{n.pk}.{n.count}" for n in sorted(notifications, key=lambda n: n.pk))
    digest = hashlib.sha256(news.encode()).hexdigest()[:32]
    return f"digest:{notifications[0].recipient_id}:{digest}"


def _queue_digests(batch: list[list[Notification]], now: datetime.datetime) -> int:
    # Rendered before the transaction, so that SQLite's write lock is held only to write.
    emails = [
        (
            _digest_key(notifications),
            email_render(
                "notifications/email/digest",
                {
                    "recipient": notifications[0].recipient,
                    "notifications": notifications[:DIGEST_MAX_ITEMS],
                    "more": max(len(notifications) - DIGEST_MAX_ITEMS, 0),
                    "total": len(notifications),
                },
                [notifications[0].recipient.email],
            ),
        )
        for notifications in batch
    ]
    with transaction.atomic():
        outbox_add(emails)
        Notification.objects.filter(
            pk__in=[n.pk for notifications in batch for n in notifications]
        ).update(emailed_at=now)
    return len(batch)
