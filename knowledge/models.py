"""The knowledge base: articles and practice write-ups, their revisions, credits and sources."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_REVIEW_DAYS = 180
TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 300
BODY_MAX_LENGTH = 32000
NOTE_MAX_LENGTH = 200
# A practice is written up in these sections, as the city's mentoring practices are.
PRACTICE_SECTIONS = (
    ("goal", _("Goal")),
    ("audience", _("Audience")),
    ("steps", _("Steps")),
    ("resources", _("Resources")),
    ("results", _("Results and measures")),
)


class Collection(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:collection", kwargs={"slug": self.slug})


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        PRACTICE = "practice", _("Practice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    # A practice keeps its sections too; `body` is always the whole text, as shown.
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH, blank=True)
    sections = models.JSONField(default=dict, blank=True)
    body_html = models.TextField(blank=True)
    body_markup_version = models.PositiveSmallIntegerField(default=0)
    collection = models.ForeignKey(
        Collection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("collection"),
    )
    tags = models.ManyToManyField(
        "profiles.ExpertiseTag", blank=True, related_name="articles", verbose_name=_("tags")
    )
    # The number of the current revision: an edit names the one it started from.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verified_articles",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Set when verified: verified_at plus the interval. Stored, so the queue is one query.
    review_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the people who vouch for it were last reminded that it is due; a reminder is sent
    # once per due date (community/background runs knowledge.review_reminders daily).
    review_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_interval_days = models.PositiveSmallIntegerField(
        _("review interval, days"),
        default=DEFAULT_REVIEW_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["status", "review_due_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", kwargs={"slug": self.slug})

    @property
    def needs_review(self) -> bool:
        """Published and never verified, or verified longer ago than its interval."""
        if self.status != self.Status.PUBLISHED:
            return False
        return self.review_due_at is None or self.review_due_at <= timezone.now()


class ArticleCredit(models.Model):
    """Who wrote an article and who contributed to it, shown on the article and profiles."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        CONTRIBUTOR = "contributor", _("Contributor")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_credits"
    )
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_credit_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) of {self.article}"


class ArticleRevision(models.Model):
    """The article as one save left it, with the note its editor gave."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True)
    sections = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="article_revision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} r{self.number}"


class ArticleSource(models.Model):
    """A forum post or chat message the article grew from. The excerpt outlives the source."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    post = models.ForeignKey(
        "forum.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_sources",
    )
    message = models.ForeignKey(
        "chat.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_sources",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["article", "pk"]

    def __str__(self) -> str:
        return f"Source of {self.article}"
