from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from community.adminsite import CoordinatorAdmin
from profiles import services
from profiles.models import Department, ExpertiseTag, MentorApplication, User


@admin.register(Department)
class DepartmentAdmin(CoordinatorAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(CoordinatorAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(CoordinatorAdmin, DjangoUserAdmin):
    ordering = ["sort_name"]
    list_display = ["full_name", "email", "role", "department", "position", "is_active"]
    list_filter = ["role", "is_active", "accepting_mentees", "department"]
    search_fields = ["full_name", "email", "position"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["expertise"]
    readonly_fields = ["last_login", "date_joined", "slug"]
    fieldsets = [
        (None, {"fields": ["email", "password", "slug"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "full_name",
                    "position",
                    "department",
                    "role",
                    "service_start",
                    "service_end",
                    "bio",
                    "expertise",
                    "avatar",
                ]
            },
        ),
        (_("Mentoring"), {"fields": ["mentor_capacity", "accepting_mentees"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "department",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A coordinator runs the programme, not the server.
            fields += ["is_staff", "is_superuser", "groups"]
            if self._is_a_peer(request, obj):
                fields.append("email")  # a new email and a reset link would take it over
        return fields

    @staticmethod
    def _is_a_peer(request, obj) -> bool:
        """Another coordinator: only the administrator sets their password or email."""
        return (
            obj is not None
            and obj.pk != request.user.pk
            and obj.role == User.Role.COORDINATOR
            and not request.user.is_superuser
        )

    def user_change_password(self, request, id, form_url=""):
        if self._is_a_peer(request, self.get_object(request, unquote(id))):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @staticmethod
    def _is_out_of_reach(request, obj) -> bool:
        """Changing a staff account (its password, its email) would be taking it over."""
        return (
            obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._is_out_of_reach(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._is_out_of_reach(request, obj) and super().has_delete_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change) -> None:
        services.user_save(user=obj)


@admin.register(MentorApplication)
class MentorApplicationAdmin(CoordinatorAdmin):
    list_display = ["applicant", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["applicant__full_name", "applicant__email"]
    readonly_fields = [
        "applicant",
        "motivation",
        "video_url",
        "expertise",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]
    # Decisions go through the review page, which changes the role and tells the applicant.
    fields = tuple(readonly_fields)

    def has_add_permission(self, request) -> bool:
        return False
