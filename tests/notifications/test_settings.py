"""The settings page: how often to email, and two switches for each kind of notification."""

from __future__ import annotations

import re

import pytest

from community.notifications import registry, selectors
from community.notifications.models import KindPreference

pytestmark = pytest.mark.django_db

SETTINGS = "/notifications/settings/"


def all_kinds() -> list[str]:
    return [kind for kind, _label in registry.registered_kinds()]


def is_on(page: str, name: str, kind: str) -> bool:
    [switch] = re.findall(rf'<input type="checkbox" name="{name}" value="{kind}"[^>]*>', page)
    assert 'role="switch"' in switch
    return " checked" in switch


def test_every_registered_kind_has_two_switches_on_by_default(kind, login, mentor):
    page = login(mentor).get(SETTINGS).content.decode()
    kinds = all_kinds()
    for name in ("in_app", "email"):
        assert page.count(f'type="checkbox" name="{name}"') == len(kinds)
        assert page.count(f'name="{name}" value="{kind}"') == 1
    assert page.count('role="switch"') == 2 * len(kinds)
    assert page.count(" checked") == 2 * len(kinds) + 1  # and the email frequency
    # Labelled in Russian, as the apps registered them.
    assert "<legend>Ответы на ваши сообщения</legend>" in page
    assert "<legend>Test reply</legend>" in page


def test_the_settings_form_saves_the_switches(kind, login, mentor):
    client = login(mentor)
    kinds = all_kinds()
    response = client.post(
        SETTINGS,
        {
            "email_mode": "daily",
            "in_app": [k for k in kinds if k != kind],
            "email": [k for k in kinds if k != "forum.reply"],
        },
    )
    assert response.status_code == 302
    assert sorted(KindPreference.objects.values_list("user", "kind", "in_app", "email")) == [
        (mentor.pk, "forum.reply", True, False),
        (mentor.pk, kind, False, True),
    ]
    assert selectors.preference_for(mentor).email_mode == "daily"
    page = client.get(SETTINGS).content.decode()
    assert not is_on(page, "in_app", kind) and is_on(page, "email", kind)
    assert is_on(page, "in_app", "forum.reply") and not is_on(page, "email", "forum.reply")


def test_unchecking_every_switch_turns_every_kind_off(kind, login, mentor):
    response = login(mentor).post(SETTINGS, {"email_mode": "immediately"})
    assert response.status_code == 302
    assert selectors.kinds_wanted_by(mentor) == ([], [])


def test_the_settings_form_refuses_an_unknown_kind_with_a_clear_error(kind, login, mentor):
    response = login(mentor).post(
        SETTINGS, {"email_mode": "daily", "in_app": [kind, "forum.nonsense"], "email": [kind]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["in_app"] == [
        "Нет такого вида уведомлений: «forum.nonsense»."
    ]
    assert "Нет такого вида уведомлений: «forum.nonsense»." in response.content.decode()
    assert not KindPreference.objects.exists()
    assert selectors.preference_for(mentor).pk is None
