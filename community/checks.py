"""System checks that catch a misconfigured deployment before users do."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.caches, deploy=True)
def rate_limits_need_a_real_cache(app_configs, **kwargs):
    """allauth's rate limits count in the cache; a dummy or per-process cache defeats them."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("DummyCache"):
        return [
            Error(
                "The default cache is DummyCache, so login rate limits do nothing.",
                id="community.E001",
            )
        ]
    if backend.endswith("LocMemCache") and not settings.DEBUG:
        return [
            Warning(
                "The default cache is per process; with several daphne processes "
                "rate limits are per process. Set REDIS_URL.",
                id="community.W001",
            )
        ]
    return []


@register(deploy=True)
def channel_layer_is_shared(app_configs, **kwargs):
    """The in-memory layer cannot carry an event from one daphne process to another."""
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if backend.endswith("InMemoryChannelLayer") and not settings.DEBUG:
        return [
            Warning(
                "The in-memory channel layer serves a single process. Set REDIS_URL.",
                id="community.W002",
            )
        ]
    return []
