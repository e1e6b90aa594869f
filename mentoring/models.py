"""Mentor–newcomer pairs and every change of their status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from community.attachments.models import Attachment


class Mentorship(models.Model):
    """A pair: proposed (by a coordinator, or asked for by the newcomer), then accepted or
    declined by the mentor, whose consent mentoring needs; then completed or ended early."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended early")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.PROPOSED, Status.ACTIVE)

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentorships_as_newcomer",
        verbose_name=_("newcomer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    end_reason = models.CharField(_("reason"), max_length=500, blank=True)
    room = models.ForeignKey(
        "chat.Room", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("newcomer")), name="mentorship_not_with_oneself"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="mentorship_ends_after_it_starts"
            ),
            # A newcomer has at most one pair in the making or running.
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=Q(status__in=["proposed", "active"]),
                name="mentorship_one_open_per_newcomer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.newcomer} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:pair", args=[self.pk])


class MentorshipEvent(models.Model):
    """One transition: who moved the pair from which status to which, when, and why."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Mentorship.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentorship", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.from_status or '∅'} → {self.to_status}"


class PlanTemplate(models.Model):
    """The steps of an adaptation plan for a department or a position, kept by coordinators.

    When a pair starts, the newcomer's plan is copied from the most specific template: their
    department and position, then their department (or a department above it), then a
    template for everyone.
    """

    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "profiles.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("Leave empty for every position.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return self.name


class _StepFields(models.Model):
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    article = models.ForeignKey(
        "knowledge.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )
    thread = models.ForeignKey(
        "forum.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forum question"),
    )

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class PlanTemplateStep(_StepFields):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="steps")
    due_after_days = models.PositiveSmallIntegerField(_("due after, days"), default=7)

    class Meta(_StepFields.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")


class PlanStep(_StepFields):
    """A step of one pair's plan; mentor and newcomer tick it off."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="steps")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(_StepFields.Meta):
        indexes = [models.Index(fields=["mentorship", "done_at"])]

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.done_at is None and self.due_on < timezone.localdate()


# What a meeting's files belong to (community.attachments); plugins.py says who reads them.
MEETING_FILES = "mentoring.meeting"


class Meeting(models.Model):
    """A meeting the mentor logged; private to the pair and the coordinators."""

    # Not a column: the meeting's attachments, set by selectors.meetings_for.
    files: list[Attachment]

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.mentorship_id} {self.held_on}"


class Feedback(models.Model):
    """The newcomer's word at the end of the period, for the coordinators."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=[(n, str(n)) for n in range(1, 6)]
    )
    helpful = models.BooleanField(_("the mentor was helpful"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.rating}"


class MentorReport(models.Model):
    """The mentor's short report at the end of the period, for the coordinators."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="report")
    text = models.TextField(_("report"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.mentorship_id} report"


class RoutingOptIn(models.Model):
    """A mentor who wants newcomers' questions in their expertise or department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return f"Routing for {self.user_id}"


class QuestionEscalation(models.Model):
    """A question that went unanswered too long and was brought to the coordinators."""

    thread = models.OneToOneField("forum.Thread", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Escalated {self.thread_id}"
