from django.urls import path

from analytics import views

app_name = "analytics"

# /dashboard/
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:slug>.csv", views.export, name="export"),
]
