from django.contrib.admin.apps import AdminConfig


class CommunityAdminConfig(AdminConfig):
    """django.contrib.admin with CommunityAdminSite as the default site."""

    default_site = "community.adminsite.CommunityAdminSite"
