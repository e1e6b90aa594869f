from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "community.realtime"
    label = "realtime"
