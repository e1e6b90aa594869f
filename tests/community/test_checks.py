from __future__ import annotations

from community import checks


def test_dummy_cache_is_an_error_because_rate_limits_would_do_nothing(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert [e.id for e in checks.rate_limits_need_a_real_cache(None)] == ["community.E001"]


def test_per_process_cache_and_layer_warn_in_production(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    assert [w.id for w in checks.rate_limits_need_a_real_cache(None)] == ["community.W001"]
    assert [w.id for w in checks.channel_layer_is_shared(None)] == ["community.W002"]


def test_redis_backed_production_passes(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer"}}
    assert checks.rate_limits_need_a_real_cache(None) == []
    assert checks.channel_layer_is_shared(None) == []
