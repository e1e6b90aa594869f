from django.contrib import admin

from community.adminsite import CoordinatorAdmin
from forum.models import Category, Flag, ModerationAction, Thread


@admin.register(Category)
class CategoryAdmin(CoordinatorAdmin):
    list_display = ["name", "position", "read_access", "start_access", "thread_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["thread_count", "post_count", "last_activity_at"]


@admin.register(Thread)
class ThreadAdmin(CoordinatorAdmin):
    list_display = [
        "title",
        "category",
        "kind",
        "author",
        "reply_count",
        "is_pinned",
        "is_locked",
        "is_hidden",
    ]
    list_filter = ["category", "kind", "is_pinned", "is_locked", "is_hidden"]
    search_fields = ["title"]
    # Read-only: pinning, locking, hiding and moving happen on the site, where they keep
    # counters and search keys true and land in the moderation log.
    fields = (
        "title",
        "category",
        "kind",
        "author",
        "is_pinned",
        "is_locked",
        "is_hidden",
        "reply_count",
        "view_count",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(CoordinatorAdmin):
    list_display = ["post", "user", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    readonly_fields = [
        "post",
        "user",
        "reason",
        "comment",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]


@admin.register(ModerationAction)
class ModerationActionAdmin(CoordinatorAdmin):
    list_display = ["created_at", "actor", "action", "thread", "post", "detail"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
