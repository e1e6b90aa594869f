from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    label = "analytics"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from analytics import demo
        from profiles.seeding import register_demo_loader

        register_demo_loader(demo.load, order=50)
