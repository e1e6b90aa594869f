"""Every write to chat: rooms, memberships and messages, persisted first, then broadcast."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chat import attachment_parent, rules
from chat.models import (
    MESSAGE_MAX_LENGTH,
    Membership,
    Message,
    MessageReaction,
    MessageRevision,
    Room,
)
from chat.serializers import message_event
from community import markup, mentions, search, text
from community.attachments.services import attachments_claim, attachments_delete_for
from community.notifications.services import notifications_send
from community.ratelimit import edit_hit, rate_limit_hit, reaction_hit
from community.realtime.events import (
    remove_from_group_on_commit,
    send_event_on_commit,
    user_group,
)

MESSAGES_PER_WINDOW = 20
WINDOW_SECONDS = 10
CLIENT_ID_MAX_LENGTH = 64


ROOM_GROUP_PREFIX = "chat.room."


def room_group(room_id: int) -> str:
    """Sockets subscribed to a room join this group."""
    return f"{ROOM_GROUP_PREFIX}{room_id}"


# --- Rooms ---------------------------------------------------------------------------


def channel_create(
    *, creator, name: str, topic: str = "", access: str = Room.Access.MEMBERS
) -> Room:
    name = text.one_line(name)
    if not name:
        raise ValidationError({"name": _("Give the channel a name.")})
    if access == Room.Access.MENTORS and not rules.is_mentor_or_coordinator(creator):
        raise PermissionDenied(_("Only mentors and coordinators create mentor channels."))
    slug = slugify(name, allow_unicode=True)[:90] or "channel"
    with transaction.atomic():
        if Room.objects.filter(slug=slug).exists():
            raise ValidationError({"name": _("A channel with this name already exists.")})
        room = Room.objects.create(
            kind=Room.Kind.CHANNEL,
            name=name,
            slug=slug,
            topic=text.one_line(topic),
            access=access,
            created_by=creator,
        )
        Membership.objects.create(room=room, user=creator, role=Membership.Role.OWNER)
    return room


def group_create(*, creator, name: str, members) -> Room:
    """A private group: only the invited see it."""
    name = text.one_line(name)
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    with transaction.atomic():
        room = Room.objects.create(kind=Room.Kind.GROUP, name=name, created_by=creator)
        Membership.objects.create(room=room, user=creator, role=Membership.Role.OWNER)
        Membership.objects.bulk_create(
            [
                Membership(room=room, user=m)
                for m in {m.pk: m for m in members}.values()
                if m.pk != creator.pk and m.is_active
            ]
        )
    return room


def direct_open(*, user, others) -> Room:
    """The conversation between `user` and `others`; a 1:1 is found again, never doubled."""
    people = {p.pk: p for p in [user, *others] if p.is_active}
    if len(people) < 2:
        raise ValidationError(_("Choose at least one other member."))
    key = None
    if len(people) == 2:
        low, high = sorted(people)
        key = f"{low}:{high}"
        if existing := Room.objects.filter(direct_key=key).first():
            return existing
    try:
        with transaction.atomic():
            room = Room.objects.create(kind=Room.Kind.DIRECT, direct_key=key, created_by=user)
            Membership.objects.bulk_create([Membership(room=room, user=p) for p in people.values()])
    except IntegrityError:  # the other side opened it at the same moment
        return Room.objects.get(direct_key=key)
    return room


def pair_room_open(*, mentor, newcomer, name: str) -> Room:
    """The private room of a mentoring pair: the two of them, and nobody joins or leaves."""
    with transaction.atomic():
        room = Room.objects.create(kind=Room.Kind.PAIR, name=name[:100], created_by=mentor)
        Membership.objects.bulk_create(
            [
                Membership(room=room, user=mentor, role=Membership.Role.OWNER),
                Membership(room=room, user=newcomer),
            ]
        )
    return room


def room_archive(*, room: Room) -> Room:
    """Close a room for writing; its history stays readable to its members."""
    Room.objects.filter(pk=room.pk).update(is_archived=True)
    room.is_archived = True
    return room


def room_join(*, user, room: Room) -> Membership:
    if not rules.can_join(user, room):
        raise PermissionDenied(_("You cannot join this room."))
    membership, _created = Membership.objects.get_or_create(room=room, user=user)
    return membership


def member_invite(*, inviter, room: Room, invitee) -> Membership:
    if not rules.can_invite(inviter, room):
        raise PermissionDenied(_("You cannot invite members to this room."))
    if not invitee.is_active:
        raise ValidationError(_("This member cannot be invited."))
    if not rules.may_read_level(invitee, room):
        raise ValidationError(
            _("%(name)s cannot be invited: this channel is for mentors and coordinators.")
            % {"name": invitee.full_name}
        )
    membership, _created = Membership.objects.get_or_create(room=room, user=invitee)
    return membership


def room_leave(*, user, room: Room) -> None:
    if room.kind == Room.Kind.PAIR:
        raise PermissionDenied(_("A mentoring pair's room closes with the pair."))
    with transaction.atomic():
        Membership.objects.filter(room=room, user=user).delete()
        remove_from_group_on_commit([user.pk], room_group(room.pk))


# --- Messages ------------------------------------------------------------------------


def _next_seq(room: Room, *, message_at=None) -> int:
    """Take the room's next sequence number, inside the caller's transaction.

    The UPDATE's row lock is what orders a room's changes. It runs for every message, so it
    is one statement (RETURNING: PostgreSQL, and SQLite since 3.35), and a new message's
    time for the sidebar's order rides along in it.
    """
    assignments, params = "sequence = sequence + 1", []
    if message_at is not None:
        assignments += ", last_message_at = %s"
        params.append(message_at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Room._meta.db_table} SET {assignments} "  # noqa: S608
            "WHERE id = %s RETURNING sequence",
            [*params, room.pk],
        )
        return cursor.fetchone()[0]


def _lock_for_change(message: Message) -> int:
    """Take the room's next seq, then re-read the message, all inside the caller's transaction.

    The sequence UPDATE locks the room row until commit, so changes to a room's messages
    queue up here; re-reading keeps a deletion or reaction that landed after the caller
    fetched `message` from being overwritten by its stale fields.
    """
    seq = _next_seq(message.room)
    # Only what changes; a full refresh would also drop the cached room and author.
    message.refresh_from_db(
        fields=[
            "body",
            "body_html",
            "body_markup_version",
            "edited_at",
            "is_deleted",
            "reaction_counts",
        ]
    )
    return seq


def _cook(body: str) -> tuple[markup.Cooked, list]:
    """The stored HTML of a message, with @mentions linked, and the members it mentions."""
    if not body.strip():
        raise ValidationError(_("The message is empty."), code="empty")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("The message is too long: at most %(limit)d characters.")
            % {"limit": MESSAGE_MAX_LENGTH},
            code="too_long",
        )
    members = mentions.mentioned_members(body) if "@" in body else []
    return markup.cook(mentions.link_mentions(body, members)), members


def _notify_mentioned(message: Message, mentioned: list, *, already=frozenset()) -> None:
    """Tell the members a message names, if they are in its room: nobody else may read it."""
    room = message.room
    candidates = {member.pk for member in mentioned} - set(already)
    if not candidates:
        return
    members = set(
        Membership.objects.filter(room=room, user__in=candidates).values_list("user_id", flat=True)
    )
    readers = {m.pk for m in mentioned if m.pk in members and rules.may_read_level(m, room)}
    summary = (
        _("%(name)s mentioned you in «%(room)s»")
        % {"name": message.author.full_name, "room": room.name}
        if room.name
        else _("%(name)s mentioned you in a conversation") % {"name": message.author.full_name}
    )
    notifications_send(
        recipients=[m for m in mentioned if m.pk in readers],
        actor=message.author,
        kind="chat.mention",
        text=summary,
        url=f"{reverse('chat:room', args=[room.pk])}#message-{message.pk}",
    )


def message_send(
    *, author, room: Room, body: str, client_id: str, reply_to: Message | None = None
) -> tuple[Message, bool]:
    """Persist a message, then broadcast it; returns it and whether it is new.

    A resend with the same client_id returns the first message, so a tab that lost its
    connection before the acknowledgement never posts twice.
    """
    if not client_id or len(client_id) > CLIENT_ID_MAX_LENGTH:
        raise ValidationError(
            _("Every message needs a client_id of up to 64 characters."), code="bad_client_id"
        )
    if existing := Message.objects.filter(author=author, client_id=client_id).first():
        return existing, False
    if not rules.posting_open(author, room):
        raise PermissionDenied
    if reply_to is not None and reply_to.room_id != room.pk:
        raise ValidationError(_("You can only reply to a message in this room."))
    cooked, mentioned = _cook(body)
    rate_limit_hit(key=f"chat.send:{author.pk}", limit=MESSAGES_PER_WINDOW, period=WINDOW_SECONDS)
    try:
        with transaction.atomic():
            seq = _next_seq(room, message_at=timezone.now())
            # Writing is reading: the author's own message is never unread for them. The
            # same statement checks membership (rules.can_post) inside the transaction, so
            # a member removed a moment ago cannot slip a message in after the check.
            if not Membership.objects.filter(room=room, user=author).update(last_read_seq=seq):
                raise PermissionDenied
            message = Message.objects.create(
                room=room,
                author=author,
                client_id=client_id,
                created_seq=seq,
                seq=seq,
                body=body,
                body_html=cooked["html"],
                body_markup_version=cooked["version"],
                reply_to=reply_to,
            )
            attachments_claim(
                owner=author, parent_kind=attachment_parent.KIND, parent_id=message.pk, text=body
            )
            search.index(message, new=True)
            _broadcast(message, "message")
            _notify_mentioned(message, mentioned)
    except IntegrityError:
        if existing := Message.objects.filter(author=author, client_id=client_id).first():
            return existing, False
        raise
    return message, True


def message_edit(*, editor, message: Message, body: str) -> Message:
    if not rules.can_change(editor, message):
        raise PermissionDenied(_("You cannot edit this message."))
    cooked, mentioned = _cook(body)
    edit_hit(editor)
    with transaction.atomic():
        seq = _lock_for_change(message)
        if not rules.can_change(editor, message):  # deleted since it was fetched
            raise PermissionDenied(_("You cannot edit this message."))
        # Only members the edit newly names hear about it.
        already = {member.pk for member in mentions.mentioned_members(message.body)}
        MessageRevision.objects.create(message=message, body=message.body)
        message.body, message.body_html = body, cooked["html"]
        message.body_markup_version = cooked["version"]
        message.edited_at = timezone.now()
        message.seq = seq
        message.save()
        attachments_claim(
            owner=editor, parent_kind=attachment_parent.KIND, parent_id=message.pk, text=body
        )
        search.index(message)
        _broadcast(message, "message_edited")
        _notify_mentioned(message, mentioned, already=already)
    return message


def message_delete(*, actor, message: Message) -> Message:
    """Leave a tombstone: the place in history stays, the text goes."""
    if not rules.can_change(actor, message):
        raise PermissionDenied(_("You cannot delete this message."))
    with transaction.atomic():
        seq = _lock_for_change(message)
        if not rules.can_change(actor, message):  # deleted since it was fetched
            raise PermissionDenied(_("You cannot delete this message."))
        message.is_deleted = True
        message.body = message.body_html = ""
        message.seq = seq
        message.save()
        message.revisions.all().delete()
        attachments_delete_for(parent_kind=attachment_parent.KIND, parent_id=message.pk)
        search.unindex(message)
        _broadcast(message, "message_deleted")
    return message


def reaction_toggle(*, user, message: Message, emoji: str) -> bool:
    if not emoji or len(emoji) > 16 or any(c.isspace() for c in emoji):
        raise ValidationError(_("Unknown reaction."))
    if not rules.can_post(user, message.room) or message.is_deleted:
        raise PermissionDenied
    reaction_hit(user)
    with transaction.atomic():
        seq = _lock_for_change(message)
        if message.is_deleted:
            raise PermissionDenied
        deleted, _rows = MessageReaction.objects.filter(
            message=message, user=user, emoji=emoji
        ).delete()
        if not deleted:
            MessageReaction.objects.create(message=message, user=user, emoji=emoji)
        counts = dict(message.reaction_counts)
        counts[emoji] = max(0, counts.get(emoji, 0) + (-1 if deleted else 1))
        message.reaction_counts = {k: v for k, v in counts.items() if v}
        message.seq = seq
        message.save(update_fields=["reaction_counts", "seq"])
        _broadcast(message, "reaction")
    return not deleted


def room_mark_read(*, user, room: Room, seq: int) -> int:
    """Move the member's read cursor forward (never back); returns where it stands."""
    with transaction.atomic():
        newest = Room.objects.values_list("sequence", flat=True).get(pk=room.pk)
        Membership.objects.filter(room=room, user=user, last_read_seq__lt=seq).update(
            last_read_seq=min(seq, newest)
        )
        cursor = Membership.objects.values_list("last_read_seq", flat=True).get(
            room=room, user=user
        )
        # Every tab of the member moves its unread count, not only the one that read.
        send_event_on_commit(
            [user_group(user.pk)],
            {
                "type": "read",
                "room_id": room.pk,
                "seq": cursor,
            },
        )
    return cursor


def _broadcast(message: Message, event_type: str) -> None:
    send_event_on_commit([room_group(message.room_id)], message_event(message, event_type))
