from django.urls import path

from community.notifications import views

app_name = "notifications"

# /notifications/
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read-all/", views.notifications_read_all, name="read-all"),
    path("badge/", views.badge, name="badge"),
    path("recent/", views.notification_recent, name="recent"),
    path("settings/", views.preference_edit, name="settings"),
]
