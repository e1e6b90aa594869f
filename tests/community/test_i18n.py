"""Russian first, English available, and the Russian catalogue complete and compiled."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/ru/LC_MESSAGES/django.po"
MO = ROOT / "locale/ru/LC_MESSAGES/django.mo"


def catalogue_entries() -> list[dict]:
    """Parse django.po into entries: msgctxt, msgid, msgid_plural, msgstr forms and flags."""
    entries, current, key = [], None, None

    def unquote(line: str) -> str:
        return (
            line[line.index('"') + 1 : line.rindex('"')]
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8")
        )

    for raw in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current and current.get("msgid") is not None:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt"):
            key, current["msgctxt"] = "msgctxt", unquote(line)
        elif line.startswith("msgid_plural"):
            key, current["msgid_plural"] = "msgid_plural", unquote(line)
        elif line.startswith("msgid"):
            key, current["msgid"] = "msgid", unquote(line)
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d)\])?", line)
            key = int(match.group(1) or 0)
            current["msgstr"][key] = unquote(line)
        elif line.startswith('"'):
            if isinstance(key, int):
                current["msgstr"][key] += unquote(line)
            else:
                current[key] += unquote(line)
    return [entry for entry in entries if entry["msgid"]]


def test_every_string_has_a_russian_translation():
    entries = catalogue_entries()
    assert len(entries) > 150
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    plurals = [e for e in entries if "msgid_plural" in e]
    assert all(len(e["msgstr"]) == 3 for e in plurals), "Russian needs three plural forms"


def test_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue_entries():
        if "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"][0]
        elif "msgid_plural" in entry:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 5) == entry["msgstr"][2]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


@pytest.mark.django_db
def test_language_switcher_turns_the_site_english_and_back(client):
    assert 'lang="ru"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    russian = client.get("/").content.decode()
    assert '<html lang="ru">' in russian
    assert "Войти" in russian


@pytest.mark.django_db
def test_an_english_browser_still_gets_russian_until_the_member_switches(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ru">' in response.content.decode()
    assert response["Content-Language"] == "ru"
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_russian(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="ru">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_russian_pages_leave_no_english_interface_text_behind(login, mentor):
    html = login(mentor).get("/").content.decode()
    for english in ["Log out", "People", "Edit profile", "The community"]:
        assert english not in html
