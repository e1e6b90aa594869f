"""Bad settings fail at start-up with an ImproperlyConfigured that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from community import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]


def import_settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import community.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://localhost/x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://localhost:6379"}, "REDIS_URL"),
        ({"DEBUG": "1", "EMAIL_URL": "pigeon://roof"}, "EMAIL_URL"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        (
            {
                "DEBUG": "0",
                "SECRET_KEY": "x" * 50,
                "ALLOWED_HOSTS": "a.org",
                "ACCOUNT_EMAIL_VERIFICATION": "none",
            },
            "ACCOUNT_EMAIL_VERIFICATION",
        ),
        ({"DEBUG": "1", "TRUSTED_PROXY_COUNT": "two"}, "TRUSTED_PROXY_COUNT"),
    ],
)
def test_bad_value_fails_loudly_naming_the_variable(env, variable):
    result = import_settings_with(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1]


def test_production_settings_import_with_the_required_variables():
    result = import_settings_with(
        DEBUG="0", SECRET_KEY="s" * 50, ALLOWED_HOSTS="nastavnik.example.org"
    )
    assert result.returncode == 0, result.stderr


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert project_settings.env_bool("FLAG", not expected) is expected


def test_env_int_refuses_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("AVATAR_MAX_BYTES", "10")
    with pytest.raises(ImproperlyConfigured, match="AVATAR_MAX_BYTES"):
        project_settings.env_int("AVATAR_MAX_BYTES", 5, minimum=1024)


def test_email_url_configures_smtp_with_tls():
    config = project_settings.email_from_url("smtp+tls://robot%40city.ru:p%40ss@mail.city.ru:2525")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["EMAIL_HOST"] == "mail.city.ru"
    assert config["EMAIL_PORT"] == 2525
    assert config["EMAIL_HOST_USER"] == "robot@city.ru"
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert config["EMAIL_USE_TLS"] is True


def test_email_url_defaults_to_the_console():
    assert project_settings.email_from_url("console://")["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )


def test_sqlite_urls_get_a_busy_timeout_and_wal():
    config = project_settings.database_from_url("sqlite:////tmp/nastavnik-test/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_email_url_timeout_must_be_whole_seconds():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        project_settings.email_from_url("smtp://mail.city.ru:25?timeout=abc")


def test_channel_layer_reads_longer_than_its_blocking_receive_waits():
    """redis-py's default 5 s read timeout would end channels_redis's 5 s BZPOPMIN first,
    killing an idle socket's consumer every 5 s (tests/chat/test_multiprocess.py sees it)."""
    script = (
        "from django.conf import settings; import django; django.setup(); "
        "from channels_redis.core import RedisChannelLayer as L; "
        "host = settings.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]; "
        "print(host['socket_timeout'] > L.brpop_timeout)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **clean,
            "DEBUG": "1",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_SETTINGS_MODULE": "community.settings",
        },
    )
    assert result.stdout.strip() == "True", result.stderr


def test_manage_py_works_in_a_bare_checkout():
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_manage_py_keeps_the_production_profile_it_is_given():
    result = import_settings_with(DEBUG="0", ALLOWED_HOSTS="example.org")
    manage = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
            },
            "DEBUG": "0",
            "ALLOWED_HOSTS": "example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and manage.returncode != 0
    assert "SECRET_KEY" in manage.stderr


def test_every_setting_read_from_the_environment_is_documented():
    """The README's table (or docs/deployment.md) names every variable settings.py reads."""
    import re

    source = (ROOT / "community" / "settings.py").read_text(encoding="utf-8")
    read = set(
        re.findall(r'(?:env_\w+|environ\.get|environ\.setdefault)\(\s*"([A-Z][A-Z0-9_]+)"', source)
    )
    assert len(read) > 20
    documented = (ROOT / "README.md").read_text(encoding="utf-8") + (
        ROOT / "docs" / "deployment.md"
    ).read_text(encoding="utf-8")
    assert sorted(name for name in read if f"`{name}`" not in documented) == []
