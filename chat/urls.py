from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    # /chat/
    path("", views.index, name="index"),
    path("channels/", views.channels, name="channels"),
    path("groups/new/", views.group_new, name="group-new"),
    path("direct/", views.direct, name="direct"),
    # /chat/r/<id>/
    path("r/<int:room_id>/", views.room, name="room"),
    path("r/<int:room_id>/send/", views.send, name="send"),
    path("r/<int:room_id>/join/", views.join, name="join"),
    path("r/<int:room_id>/leave/", views.leave, name="leave"),
    path("r/<int:room_id>/invite/", views.invite, name="invite"),
]
