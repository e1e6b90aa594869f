"""Every write to notifications: creating (or collapsing) them, reading, emailing."""

from __future__ import annotations

import datetime
import hashlib
import operator
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import reduce
from itertools import groupby
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community.background.queue import enqueue_on_commit
from community.mailer.services import email_render, outbox_add
from community.notifications import registry, selectors
from community.notifications.models import (
    KindPreference,
    Notification,
    NotificationPreference,
    is_relative_url,
)
from community.realtime.events import send_event_on_commit, send_events_on_commit, user_group

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


@dataclass(frozen=True)
class Notice:
    """One event to tell some members about: see notices_send()."""

    recipients: Iterable
    kind: str
    # The whole plain sentence, actor's name included («Алия ответила в …»): emails print
    # it alone. One line: it also becomes an email subject.
    text: str
    # A path on this site, where opening the notification leads.
    url: str
    actor: Any = None
    # Unread notifications with the same recipient, kind and key are one row (a count).
    group_key: str = ""

    def cleaned(self) -> Notice:
        if not registry.is_registered(self.kind):
            raise ValueError(f"Unknown notification kind {self.kind!r}: register it in plugins.py")
        if not is_relative_url(self.url) or len(self.url) > 500:
            raise ValueError(f"A notification links to a path on this site, got {self.url!r}")
        # A newline in an email subject would be a header injection.
        text = Truncator(" ".join(self.text.split())).chars(TEXT_MAX_LENGTH)
        if not text:
            raise ValueError("A notification needs text")
        actor_id = self.actor.pk if self.actor is not None else None
        recipients = {r.pk: r for r in self.recipients if r.is_active and r.pk != actor_id}
        return replace(self, text=text, recipients=list(recipients.values()))

    def fields(self) -> dict:
        return {"text": self.text, "url": self.url, "actor": self.actor}

    def fields_for_update(self) -> dict:
        return {"text": self.text, "url": self.url, "actor_id": getattr(self.actor, "pk", None)}


def notifications_send(
    *,
    recipients: Iterable,
    kind: str,
    text: str,
    url: str,
    actor=None,
    group_key: str = "",
) -> list[Notification]:
    """Notify each recipient of one event; see notices_send()."""
    return notices_send(
        [Notice(recipients, kind=kind, text=text, url=url, actor=actor, group_key=group_key)]
    )


def notices_send(
    notices: Iterable[Notice], *, email: bool = True, broadcast: bool = True
) -> list[Notification]:
    """Notify the recipients of each notice, bumping their unread notification of the same
    kind and group; a member named by several notices gets only the first, and a member
    who switched a notice's kind off on the site gets none of it.

    The same few queries however many recipients and notices: a reply in a busy thread
    tells its parent's author, the members it mentions and every watcher in one go, and
    leaves the emails to one task (community/notifications/tasks.py). With `email=False`
    the caller's own task calls notifications_email() with the ids, so that one event
    costs one task however much it leaves to the workers; with `broadcast=False` the
    caller sends notification_events() with its own events, in one hop to the layer.
    """
    cleaned = [notice.cleaned() for notice in notices]
    # Those who switched a kind off on the site are never told of it (nor emailed); they
    # may still hear of the event through another notice, of a kind they kept.
    opt_outs = selectors.in_app_opt_outs({n.kind for n in cleaned if n.recipients})
    chosen: list[Notice] = []
    seen: set[int] = set()
    for notice in cleaned:
        off = opt_outs.get(notice.kind, frozenset())
        recipients = [r for r in notice.recipients if r.pk not in seen and r.pk not in off]
        seen.update(r.pk for r in recipients)
        if recipients:
            chosen.append(replace(notice, recipients=recipients))
    if not chosen:
        return []
    # Part of the caller's transaction (a savepoint would cost two queries); on its own,
    # one transaction of its own.
    with transaction.atomic(savepoint=False):
        bumped = _bump_unread(chosen)
        # Each member is in one notice only, so a bumped member needs no new row.
        bumped_members = {n.recipient_id for n in bumped}
        fresh = [
            Notification(
                recipient=r, kind=notice.kind, group_key=notice.group_key, **notice.fields()
            )
            for notice in chosen
            for r in notice.recipients
            if r.pk not in bumped_members
        ]
        created = _create(fresh, chosen) if fresh else []
        by_id = {r.pk: r for notice in chosen for r in notice.recipients}
        notifications = [*bumped, *created]
        for notification in notifications:
            notification.recipient = by_id[notification.recipient_id]
        if broadcast:
            send_events_on_commit(notification_events(notifications))
        if email:
            # One task for every recipient; it asks who wants an email now.
            from community.notifications.tasks import email_notifications

            enqueue_on_commit(email_notifications, [n.pk for n in notifications])
    return notifications


def _bump_unread(notices: list[Notice]) -> list[Notification]:
    """Fold each notice into its recipients' unread notification of its group, if any:
    one SELECT and one UPDATE for every notice together."""
    grouped = [notice for notice in notices if notice.group_key]
    if not grouped:
        return []
    which = reduce(
        operator.or_,
        (
            Q(
                recipient_id__in=[r.pk for r in notice.recipients],
                kind=notice.kind,
                group_key=notice.group_key,
            )
            for notice in grouped
        ),
    )
    notifications = list(
        Notification.objects.select_for_update()
        .filter(which, read_at__isnull=True)
        .only("pk", "recipient_id", "kind", "group_key", "count")
    )
    if not notifications:
        return []
    by_kind = {(notice.kind, notice.group_key): notice for notice in grouped}
    bumped = {(n.kind, n.group_key) for n in notifications}
    now = timezone.now()

    def per_kind(name: str, output_field) -> Any:
        if len(bumped) == 1:  # the usual case: one notice's rows take its plain values
            return by_kind[next(iter(bumped))].fields_for_update()[name]
        # Else one UPDATE for every notice: each row takes its own kind and group's values.
        # Cast, because PostgreSQL reads a CASE of bare NULLs (no actor) as text.
        whens = [
            When(
                kind=kind,
                group_key=group_key,
                then=Value(by_kind[kind, group_key].fields_for_update()[name], output_field),
            )
            for kind, group_key in bumped
        ]
        return Cast(Case(*whens, output_field=output_field), output_field=output_field)

    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        text=per_kind("text", models.CharField()),
        url=per_kind("url", models.CharField()),
        actor_id=per_kind("actor_id", models.BigIntegerField()),
        count=F("count") + 1,
        created_at=now,
        # News since the last email: the next email or digest should carry it again.
        emailed_at=None,
    )
    for notification in notifications:
        notice = by_kind[(notification.kind, notification.group_key)]
        for name, value in notice.fields().items():
            setattr(notification, name, value)
        notification.count += 1
        notification.created_at = now
        notification.emailed_at = None
    return notifications


def _create(fresh: list[Notification], notices: list[Notice]) -> list[Notification]:
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(fresh)
    except IntegrityError:
        # A concurrent event opened one of the groups first: join them one by one.
        by_kind = {(notice.kind, notice.group_key): notice for notice in notices}
        return [_create_one(n.recipient, by_kind[(n.kind, n.group_key)]) for n in fresh]


def _create_one(recipient, notice: Notice) -> Notification:
    bumped = _bump_unread([replace(notice, recipients=[recipient])])
    if bumped:
        return bumped[0]
    return Notification.objects.create(
        recipient=recipient, kind=notice.kind, group_key=notice.group_key, **notice.fields()
    )


def notification_events(notifications: list[Notification]) -> list[tuple[list[str], dict]]:
    """The realtime event of each new or bumped notification, for its recipient's tabs.

    No unread count in it: the badge asks the server itself (its label is translated and
    pluralised there), so counting here would be a query per write wasted.
    """
    return [
        (
            [user_group(notification.recipient_id)],
            {
                "type": "notification",
                "id": notification.pk,
                "kind": notification.kind,
                "text": notification.text,
                "url": notification.url,
                "count": notification.count,
            },
        )
        for notification in notifications
    ]


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


def preference_set(
    *,
    user,
    email_mode: str,
    in_app: Collection[str] | None = None,
    email: Collection[str] | None = None,
) -> NotificationPreference:
    """Save how often the member is emailed and, when given, the kinds they want on the
    site (`in_app`) and by email (`email`): every other registered kind is switched off."""
    if email_mode not in NotificationPreference.EmailMode.values:
        raise ValidationError({"email_mode": _("Choose one of the offered options.")})
    kinds = {kind for kind, _label in registry.registered_kinds()}
    for field, wanted in (("in_app", in_app), ("email", email)):
        unknown = sorted(set(wanted or ()) - kinds)
        if unknown:
            raise ValidationError({field: registry.UNKNOWN_KIND % {"value": unknown[0]}})
    with transaction.atomic():
        # Locks the member's row: two saves of one member's switches take turns.
        preference, _created = NotificationPreference.objects.update_or_create(
            user=user, defaults={"email_mode": email_mode}
        )
        if in_app is not None or email is not None:
            _kind_preferences_set(user, kinds, in_app=in_app, email=email)
    return preference


def _kind_preferences_set(
    user, kinds: set[str], *, in_app: Collection[str] | None, email: Collection[str] | None
) -> None:
    before = {p.kind: p for p in KindPreference.objects.filter(user=user, kind__in=kinds)}

    def wanted(kind: str, chosen: Collection[str] | None, field: str) -> bool:
        if chosen is not None:
            return kind in chosen
        return kind not in before or getattr(before[kind], field)

    after = [
        KindPreference(
            user=user,
            kind=kind,
            in_app=wanted(kind, in_app, "in_app"),
            email=wanted(kind, email, "email"),
        )
        for kind in kinds
    ]
    # Only a kind with a switch off keeps a row (see the model).
    KindPreference.objects.filter(user=user, kind__in=kinds).delete()
    KindPreference.objects.bulk_create([p for p in after if not (p.in_app and p.email)])
    was_off = {kind for kind, p in before.items() if not p.in_app}
    changed = was_off ^ {p.kind for p in after if not p.in_app}
    if changed:
        transaction.on_commit(lambda: selectors.in_app_opt_outs_refresh(changed))


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
        .exclude(_kind_switched_off_by_email())
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


def _kind_switched_off_by_email() -> Exists:
    """Notifications of a kind their recipient switched off by email: a condition of the
    query that reads them, not a query of its own."""
    return Exists(
        KindPreference.objects.filter(
            user=OuterRef("recipient_id"), kind=OuterRef("kind"), email=False
        )
    )


def digest_send(*, now: datetime.datetime | None = None, batch_size: int = 200) -> int:
    """Queue a digest for each "daily" member of their unread, unemailed notifications of
    the last day; returns how many members get one.

    Streams the notifications in order of member and writes each batch of members in one
    transaction: a few queries per batch of 200 members, however large the community. A
    second run finds everything marked emailed, and the outbox keys are per member and
    content.
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
        .exclude(_kind_switched_off_by_email())
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
