"""Notifications for members, and how each member wants them: emailed how often, and
which kinds on the site and by email."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from community.notifications import registry


def is_relative_url(value: str) -> bool:
    """A path on this site: '/forum/…', never '//evil.example' or 'https://…'."""
    return (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        # Browsers drop tabs and newlines inside URLs, so '/\t/evil' would become '//evil'.
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value)
        and url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    )


def validate_relative_url(value: str) -> None:
    if not is_relative_url(value):
        raise ValidationError(
            _("Enter a path on this site, starting with “/”."), code="not_relative"
        )


class Notification(models.Model):
    """One thing a member should know about; repeats about one target collapse into it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=registry.KIND_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Plain text, never HTML: templates escape it, emails print it as is.
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=500, validators=[validate_relative_url])
    # Unread notifications with the same recipient, kind and key are one row (with a count).
    group_key = models.CharField(_("group key"), max_length=200, blank=True, default="")
    count = models.PositiveIntegerField(_("events"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient", "-created_at"], name="notification_all"),
        ]
        constraints = [
            # The real guard against two concurrent events opening two rows for one group.
            models.UniqueConstraint(
                fields=["recipient", "kind", "group_key"],
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
                name="notification_one_unread_per_group",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="/") & ~Q(url__startswith="//"),
                name="notification_url_is_relative",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def kind_label(self) -> str:
        return str(registry.kind_label(self.kind))


class NotificationPreference(models.Model):
    """A member's email choice; a missing row means the default (immediately)."""

    class EmailMode(models.TextChoices):
        IMMEDIATELY = "immediately", _("Email me about each notification right away")
        DAILY = "daily", _("Send one daily digest of unread notifications")
        OFF = "off", _("Don't email me; I'll check on the site")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_mode = models.CharField(
        _("email notifications"),
        max_length=20,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATELY,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_mode_display()}"


class KindPreference(models.Model):
    """A member's two switches for one kind of notification: on the site and by email.

    Only a kind with a switch turned off has a row, so that a missing row means both on:
    every member who never changed them, and every kind added later, costs nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notification_kind_preferences",
    )
    kind = models.CharField(_("kind"), max_length=registry.KIND_MAX_LENGTH)
    in_app = models.BooleanField(_("on the site"), default=True)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notification kind preference")
        verbose_name_plural = _("notification kind preferences")
        constraints = [
            # Kind first: sending asks "who turned this kind off?" (selectors.py).
            models.UniqueConstraint(fields=["kind", "user"], name="kind_preference_one_per_kind"),
            models.CheckConstraint(
                condition=Q(in_app=False) | Q(email=False),
                name="kind_preference_turns_something_off",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
