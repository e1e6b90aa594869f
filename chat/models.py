"""Rooms, memberships and messages, with a per-room sequence that orders every change.

Each change in a room (a new message, an edit, a deletion, a reaction) takes the next
number of the room's `sequence` and stores it on the message as `seq`. A client that
remembers the highest `seq` it has seen catches up with one query: everything with a
larger `seq`, in order. Rocket.Chat's lesson: a cursor on creation time alone misses
edits and deletions.
"""

from __future__ import annotations

import html

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

# Well under community.markup.MAX_SOURCE_LENGTH: chat messages are short by nature.
QUOTE_LENGTH = 140
MESSAGE_MAX_LENGTH = 4000


class Room(models.Model):
    class Kind(models.TextChoices):
        CHANNEL = "channel", _("Channel")
        GROUP = "group", _("Private group")
        DIRECT = "direct", _("Direct message")
        PAIR = "pair", _("Mentoring pair")

    class Access(models.TextChoices):
        MEMBERS = "members", _("All members")
        MENTORS = "mentors", _("Mentors and coordinators")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    slug = models.SlugField(_("address"), max_length=100, unique=True, null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    # Who may find and join a channel; groups, direct messages and pairs are invitation-only.
    access = models.CharField(
        _("who may join"), max_length=20, choices=Access.choices, default=Access.MEMBERS
    )
    # "a:b" for a 1:1 conversation (lower id first), so opening it twice finds the same room.
    direct_key = models.CharField(max_length=50, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sequence = models.PositiveBigIntegerField(default=0, editable=False)
    last_message_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)

    # Not a column: the name as one reader sees it, set for the room list (chat.views).
    title: str

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="channel") | Q(slug__isnull=False),
                name="room_channel_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_channel(self) -> bool:
        return self.kind == self.Kind.CHANNEL


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    # The highest message `seq` the member has read in this room.
    last_read_seq = models.PositiveBigIntegerField(default=0)
    is_muted = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="membership_once_per_room")
        ]
        indexes = [models.Index(fields=["user", "room"], name="membership_by_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chat_messages"
    )
    # Chosen by the sending tab: a resend after a dropped connection finds this message.
    client_id = models.CharField(max_length=64)
    # `created_seq` orders history; `seq` moves on with every change, for catch-up.
    created_seq = models.PositiveBigIntegerField()
    seq = models.PositiveBigIntegerField()
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    body_html = models.TextField()
    body_markup_version = models.PositiveSmallIntegerField(default=0)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    reaction_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["room", "created_seq"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="message_sent_once"),
            models.UniqueConstraint(
                fields=["room", "created_seq"], name="message_created_seq_in_room"
            ),
            models.UniqueConstraint(fields=["room", "seq"], name="message_seq_in_room"),
        ]

    def __str__(self) -> str:
        return f"{self.room} #{self.created_seq}"

    def excerpt(self) -> str:
        """The start of the message as plain text, for a reply's quote; a tombstone has none."""
        if self.is_deleted:
            return ""
        text = html.unescape(strip_tags(self.body_html))
        return Truncator(" ".join(text.split())).chars(QUOTE_LENGTH)


class MessageRevision(models.Model):
    """The text a message had before one of its edits."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["message", "edited_at"]

    def __str__(self) -> str:
        return f"{self.message} before {self.edited_at:%Y-%m-%d %H:%M}"


class MessageReaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="chat_reaction_once")
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.message}"
