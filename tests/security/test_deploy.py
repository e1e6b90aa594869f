"""The production profile: `check --deploy` is clean, and a page served with it carries
HSTS, secure cookies, the referrer policy, framing refusal and the CSP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "deploy-check-" + "x" * 60,
    "ALLOWED_HOSTS": "nastavnik.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SETTINGS_MODULE": "community.settings",
}

PROBE = """
import django
django.setup()
from django.conf import settings
# No collectstatic here: the page's stylesheet links need no manifest to test headers.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
response = Client().get("/accounts/login/", HTTP_HOST="nastavnik.example.org", secure=True)
print(response.status_code)
for name in ("Strict-Transport-Security", "Content-Security-Policy", "Referrer-Policy",
             "X-Frame-Options", "X-Content-Type-Options", "Cross-Origin-Opener-Policy"):
    print(name + ": " + response.get(name, "-"))
print("cookies: " + " | ".join(f"{k} secure={v['secure']} httponly={v['httponly']}"
                               for k, v in sorted(response.cookies.items())))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SITE_URL",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "ACCOUNT_EMAIL_VERIFICATION",
        }
    }
    # A database of its own, migrated by the probe: nothing here needs any rows.
    return {**env, **PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}


def test_check_deploy_is_clean_at_warning_level(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_production_page_carries_the_security_headers(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "200"
    headers = dict(line.split(": ", 1) for line in lines[1:-1])
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert "script-src 'self' 'nonce-" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    cookies = lines[-1].removeprefix("cookies: ")
    assert "csrftoken secure=True" in cookies
