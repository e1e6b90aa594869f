"""The outbox: every email the site sends, from the moment a write asks for it until the
mail server accepts it (or it fails for good and a coordinator sees why)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # What this email is for ("notification:42:3", "digest:7:2026-12-07"): the same key is
    # never stored twice, so a task that runs again cannot queue a second copy.
    key = models.CharField(_("key"), max_length=200, unique=True)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # The delivery task that holds it while sending; if that task is run again after its
    # worker died, it takes back its own claims.
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outgoing_email_due"),
            models.Index(fields=["-created_at"], name="outgoing_email_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
