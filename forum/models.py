"""Categories, threads, threaded posts and what members do with them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from community import markup

# Stored tree paths use fixed-width post numbers, so ordering by path is tree order.
PATH_DIGITS = 7
MAX_TREE_DEPTH = 60


class Access(models.TextChoices):
    MEMBERS = "members", _("All members")
    MENTORS = "mentors", _("Mentors and coordinators")
    COORDINATORS = "coordinators", _("Coordinators only")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    color = models.CharField(
        _("colour"),
        max_length=7,
        default="#0b6e4f",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #0b6e4f."))],
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    read_access = models.CharField(
        _("who may read"), max_length=20, choices=Access.choices, default=Access.MEMBERS
    )
    start_access = models.CharField(
        _("who may start threads"),
        max_length=20,
        choices=Access.choices,
        default=Access.MEMBERS,
    )
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", kwargs={"slug": self.slug})


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="threads"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_threads"
    )
    tags = models.ManyToManyField(
        "profiles.ExpertiseTag", verbose_name=_("tags"), blank=True, related_name="threads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    score = models.IntegerField(
        _("score"), default=0, help_text=_("Reactions on the opening post.")
    )
    # The last post number handed out; numbers are permalinks and unread cursors.
    post_sequence = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    accepted_answer = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # The thread lists' orders (forum/selectors.ORDERS), each to its primary key:
            # a keyset page reads its rows straight from one of these, on PostgreSQL and
            # SQLite (tests/forum/test_list_plans.py). Hidden threads are too few to index
            # apart: skipping them as the index is read costs nothing.
            models.Index(
                fields=["category", "-is_pinned", "-last_activity_at", "-id"],
                name="thread_category_latest",
            ),
            models.Index(fields=["category", "-created_at", "-id"], name="thread_category_newest"),
            models.Index(fields=["-last_activity_at", "-id"], name="thread_latest"),
            models.Index(fields=["-created_at", "-id"], name="thread_newest"),
            models.Index(
                fields=["-score", "-reply_count", "-last_activity_at", "-id"], name="thread_top"
            ),
            models.Index(
                fields=["kind", "accepted_answer", "-created_at", "-id"], name="thread_unanswered"
            ),
            models.Index(fields=["author", "-created_at"], name="thread_by_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return slugify(self.title, allow_unicode=True)[:80] or "thread"

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=(PATH_DIGITS + 1) * (MAX_TREE_DEPTH + 1))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    body = models.TextField(_("text"), max_length=markup.MAX_SOURCE_LENGTH)
    body_html = models.TextField(editable=False)
    body_markup_version = models.PositiveSmallIntegerField(editable=False, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    reaction_counts = models.JSONField(default=dict, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    # A resubmitted form carries the same token and gets the same post back.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="post_number_in_thread"),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="post_submitted_once",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "path"], name="post_tree_order"),
            models.Index(fields=["author", "-created_at"], name="post_by_author"),
            models.Index(fields=["flag_count"], condition=Q(flag_count__gt=0), name="post_flagged"),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def is_opening(self) -> bool:
        return self.number == 1

    @property
    def is_visible_text(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class PostRevision(models.Model):
    """The text a post had before one of its edits."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_in_post")
        ]

    def __str__(self) -> str:
        return f"{self.post} v{self.number}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Useful")
        THANKS = "thanks", _("Thank you")
        AGREE = "agree", _("Agree")
        IDEA = "idea", _("Good idea")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_once_per_kind")
        ]
        indexes = [models.Index(fields=["user", "post"], name="reaction_by_user")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post}"


class ReadState(models.Model):
    """One row per member and thread: the highest post number they have seen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="read_state_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread} to #{self.last_read_number}"


class Subscription(models.Model):
    class Level(models.TextChoices):
        WATCHING = "watching", _("Watching")
        TRACKING = "tracking", _("Tracking")
        MUTED = "muted", _("Muted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, category__isnull=True)
                | Q(thread__isnull=True, category__isnull=False),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="subscription_per_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="subscription_per_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.level} {self.thread or self.category}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Rude or offensive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="flag_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class ModerationAction(models.Model):
    """The audit log: every moderator action, who took it and when."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        MOVE = "move", _("Moved")
        HIDE_THREAD = "hide_thread", _("Hid thread")
        RESTORE_THREAD = "restore_thread", _("Restored thread")
        HIDE_POST = "hide_post", _("Hid post")
        RESTORE_POST = "restore_post", _("Restored post")
        AUTO_HIDE_POST = "auto_hide_post", _("Post hidden by flags")
        DISMISS_FLAGS = "dismiss_flags", _("Dismissed flags")
        EDIT_POST = "edit_post", _("Edited another member's post")
        DELETE_POST = "delete_post", _("Deleted another member's post")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    thread = models.ForeignKey(Thread, on_delete=models.SET_NULL, null=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, related_name="+")
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.actor})"


def tree_path(parent_path: str, number: int) -> str:
    return f"{parent_path}{number:0{PATH_DIGITS}d}/"
