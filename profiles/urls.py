from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    # /people/
    path("people/", views.directory, name="directory"),
    path("people/suggest/", views.member_suggestions, name="suggest"),
    path("people/import/", views.employee_import, name="import"),
    path("people/import/<int:pk>/", views.employee_import_status, name="import_status"),
    path("people/<int:pk>/", views.profile_by_id, name="profile-by-id"),
    path("people/<slug:slug>/", views.profile, name="profile"),
    path("people/<slug:slug>/photo/", views.avatar, name="avatar"),
    # /accounts/profile/
    path("accounts/profile/", views.profile_edit, name="edit"),
    path("accounts/profile/photo/", views.avatar_upload, name="avatar-upload"),
    path("accounts/profile/photo/delete/", views.avatar_delete, name="avatar-delete"),
    # /mentors/
    path("mentors/apply/", views.mentor_apply, name="apply"),
    path("mentors/applications/", views.mentor_applications, name="applications"),
    path("mentors/applications/<int:pk>/", views.mentor_application, name="application"),
    path(
        "mentors/applications/<int:pk>/withdraw/",
        views.mentor_application_withdraw,
        name="application-withdraw",
    ),
]
