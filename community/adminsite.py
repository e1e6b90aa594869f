"""The admin site, usable by coordinators as well as superusers.

Coordinators run the programme, so they manage departments, profiles and mentor
applications without being Django superusers. Granting them `is_staff` plus model
permissions would have to be kept in sync with their role; instead the site asks
the role directly.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def is_coordinator(user) -> bool:
    """The role policy's answer (profiles/roles.py), asked through the member's own property:
    the core imports no app."""
    return bool(getattr(user, "is_coordinator", False))


class CommunityAdminSite(admin.AdminSite):
    site_header = _("Nastavnik administration")
    site_title = _("Nastavnik")
    index_title = _("Community administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) or is_coordinator(request.user)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Everyone logs in through allauth, which rate-limits failed attempts."""
        return redirect_to_login(
            request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index")),
            login_url=reverse("account_login"),
        )


class CoordinatorPermissions(BaseModelAdmin):
    """Full use for coordinators, whatever their model permissions say."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_coordinator(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_coordinator(request.user) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_coordinator(request.user) or super().has_delete_permission(request, obj)


class CoordinatorAdmin(CoordinatorPermissions, admin.ModelAdmin):
    """A ModelAdmin that coordinators may fully use."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user) or super().has_add_permission(request)


class CoordinatorInline(CoordinatorPermissions, admin.TabularInline):
    """An inline that coordinators may fully use, inside a CoordinatorAdmin."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_coordinator(request.user) or super().has_add_permission(request, obj)
