"""Members of the community: departments, users with their profiles, mentor applications.

The user model *is* the profile, as Zulip's UserProfile is: one row per member, so
there is no one-to-one row to create on every path that makes a user (signup,
admin, import, createsuperuser) and no extra join on every page.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles import naming, roles


class Department(models.Model):
    """A node of the city's org tree: city hall, then administrations, then divisions."""

    class Kind(models.TextChoices):
        CITY_HALL = "city_hall", _("City hall")
        ADMINISTRATION = "administration", _("Administration")
        DIVISION = "division", _("Division")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="city_hall", parent__isnull=True)
                | (~Q(kind="city_hall") & Q(parent__isnull=False)),
                name="department_only_city_hall_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertiseTag(models.Model):
    """An area of expertise, such as «закупки» or «документооборот»."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        from profiles import services  # services import this module

        return services.user_create(email=email, password=password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, role=User.Role.COORDINATOR)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        NEWCOMER = "newcomer", _("Newcomer")
        MENTOR = "mentor", _("Mentor")
        COORDINATOR = "coordinator", _("Coordinator")

    # Members sign in by email and have one full name; Django's documented way to drop the
    # fields, which django-stubs cannot express.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    # Casefolded, «ё»→«е»: SQLite's LIKE only folds ASCII, so Cyrillic search needs this.
    search_name = models.CharField(max_length=150, editable=False, db_index=True, default="")
    # Surname first, in the same folding (naming.sort_key): lists of members go by surname,
    # whichever order the name was typed in.
    sort_name = models.CharField(max_length=150, editable=False, db_index=True, default="")
    slug = models.SlugField(_("profile address"), max_length=80, unique=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.NEWCOMER, db_index=True
    )
    service_start = models.DateField(_("in service since"), null=True, blank=True)
    service_end = models.DateField(_("left service on"), null=True, blank=True)
    bio = models.TextField(_("about me"), blank=True, max_length=10_000)
    bio_html = models.TextField(editable=False, blank=True)
    bio_markup_version = models.PositiveSmallIntegerField(editable=False, default=0)
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), blank=True, related_name="members"
    )
    avatar = models.ImageField(_("photo"), upload_to="avatars/%Y/%m/", blank=True)
    mentor_capacity = models.PositiveSmallIntegerField(_("how many mentees I can take"), default=2)
    accepting_mentees = models.BooleanField(_("accepting new mentees"), default=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("A member with this email address already exists."),
            ),
            models.CheckConstraint(
                condition=Q(service_end__isnull=True)
                | Q(service_start__isnull=True)
                | Q(service_end__gte=models.F("service_start")),
                name="user_service_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(mentor_capacity__lte=20), name="user_mentor_capacity_at_most_20"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("profiles:profile", kwargs={"slug": self.slug})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The first name, for greetings: «Анна» for «Иванова Анна Павловна» too."""
        return naming.given_name(self.full_name) or self.email

    # The role policy (profiles/roles.py), for templates and the core, which cannot import
    # it: an inactive account is none of these.
    @property
    def is_mentor(self) -> bool:
        return roles.is_mentor(self)

    @property
    def is_coordinator(self) -> bool:
        return roles.is_coordinator(self)

    @property
    def is_moderator(self) -> bool:
        return roles.is_moderator(self)

    @property
    def is_newcomer(self) -> bool:
        return roles.is_newcomer(self)

    @property
    def is_mentor_or_coordinator(self) -> bool:
        return roles.is_mentor_or_coordinator(self)

    @property
    def initials(self) -> str:
        parts = naming.name_parts(self.full_name)
        if parts is not None:  # first name and surname, not a patronymic: «АХ»
            return f"{parts.first[0]}{parts.surname[0]}".upper()
        words = [w for w in (self.full_name or self.email).replace("-", " ").split() if w]
        return "".join(w[0] for w in words[:2]).upper()

    @property
    def avatar_hue(self) -> int:
        """One of 12 stable colours for the initials badge, so people are told apart."""
        return (self.pk or 0) * 7 % 12


class MentorApplication(models.Model):
    """A member's voluntary request to become a mentor, decided by a coordinator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="mentor_applications",
    )
    motivation = models.TextField(_("motivation letter"), max_length=10_000)
    motivation_html = models.TextField(editable=False, blank=True)
    motivation_markup_version = models.PositiveSmallIntegerField(editable=False, default=0)
    video_url = models.URLField(_("video introduction"), blank=True, max_length=500)
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("areas of expertise"), related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_comment = models.TextField(_("coordinator's comment"), blank=True, max_length=5000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentor application")
        verbose_name_plural = _("mentor applications")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status="pending"),
                name="mentor_application_one_pending_per_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class EmployeeImport(models.Model):
    """A CSV from the HR system, uploaded by a coordinator and imported by a worker
    (profiles/employee_import.py), with its progress and its report."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # Personal data: kept only as long as needed (a day, for importing after a dry run).
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    dry_run = models.BooleanField(_("only check"), default=True)
    partial = models.BooleanField(_("write the good rows"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    # [[line, column, message], …], the first ERRORS_KEPT of them.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    written = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    ERRORS_KEPT = 500

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("profiles:import_status", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0
