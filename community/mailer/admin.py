from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.adminsite import CoordinatorPermissions
from community.mailer import services
from community.mailer.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(CoordinatorPermissions, admin.ModelAdmin):
    """Coordinators see what was sent, what waits and what failed with the server's reason,
    and send failed emails again. Never the body: it may hold a password-reset link."""

    list_display = ["created_at", "to", "subject", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = fields = (
        "to",
        "subject",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    )
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset) -> None:
        count = services.outbox_retry(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d email queued to be sent again.",
                "%(count)d emails queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
