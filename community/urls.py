from django.contrib import admin
from django.urls import include, path

from community import views
from community.realtime import views as realtime_views
from profiles import views as profile_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (plain-text errors, feeds).
    path("favicon.ico", views.favicon),
    # /accounts/: allauth's login, signup, verification, password reset and change
    path("accounts/login/", profile_views.login),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("profiles.urls")),
    path("forum/", include("forum.urls")),
    path("chat/", include("chat.urls")),
    path("kb/", include("knowledge.urls")),
    path("search/", views.search_page, name="search"),
    path("mentoring/", include("mentoring.urls")),
    path("dashboard/", include("analytics.urls")),
    path("attachments/", include("community.attachments.urls")),
    path("notifications/", include("community.notifications.urls")),
    # A worker's live events, when the channel layer is in this server's memory.
    path("realtime/relay/", realtime_views.relay_receive, name="realtime-relay"),
]

handler400 = "community.views.bad_request"
handler403 = "community.views.forbidden"
handler404 = "community.views.not_found"
handler429 = "community.views.rate_limited"
