from django.contrib import admin

from community.notifications.models import KindPreference, Notification, NotificationPreference


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes; the admin only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Plain ModelAdmin, not CoordinatorAdmin: notifications quote private conversations
# (pair rooms, direct messages), so only staff with model permissions may look.
@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdmin):
    list_display = ["recipient", "kind", "text", "count", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["recipient__email", "text"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ViewOnlyAdmin):
    list_display = ["user", "email_mode"]
    list_filter = ["email_mode"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


@admin.register(KindPreference)
class KindPreferenceAdmin(ViewOnlyAdmin):
    list_display = ["user", "kind", "in_app", "email"]
    list_filter = ["kind", "in_app", "email"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
