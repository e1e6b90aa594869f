from django.urls import path

from community.realtime.consumer import Connection

websocket_urlpatterns = [
    path("ws/", Connection.as_asgi()),
]
