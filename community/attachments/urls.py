from django.urls import path

from community.attachments import views

app_name = "attachments"

# /attachments/
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<str:key>/thumb/", views.thumbnail, name="thumbnail"),
    path("<str:key>/<str:name>", views.download, name="file"),
]
