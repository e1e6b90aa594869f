from django.urls import path

from mentoring import views

app_name = "mentoring"

# /mentoring/
urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path("request/", views.request_mentor, name="request"),
    path("routing/", views.routing_toggle, name="routing"),
    path("<int:pk>/", views.pair, name="pair"),
    path("steps/<int:pk>/", views.step_toggle, name="step"),
    path("<int:pk>/meetings/", views.meeting, name="meeting"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
