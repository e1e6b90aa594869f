from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "community.realtime"
    label = "realtime"

    def ready(self) -> None:
        from community.realtime import builtin_handlers  # noqa: F401  (registers ping)
