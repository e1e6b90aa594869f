from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from community import markup
from profiles.models import User

pytestmark = pytest.mark.django_db


def test_rerender_markup_recooks_only_stale_rows(mentor, mentor2):
    User.objects.filter(pk=mentor.pk).update(bio_html="<p>old</p>", bio_markup_version=0)
    User.objects.filter(pk=mentor2.pk).update(bio_html="<p>current</p>")
    call_command("rerender_markup", stdout=io.StringIO())
    mentor.refresh_from_db()
    mentor2.refresh_from_db()
    assert mentor.bio_html == str(markup.render(mentor.bio))
    assert mentor.bio_markup_version == markup.MARKUP_VERSION
    assert mentor2.bio_html == "<p>current</p>"


def test_every_cooked_field_is_registered():
    labels = {field.key for field in markup.COOKED_FIELDS}
    assert {"profiles.User.bio", "profiles.MentorApplication.motivation"} <= labels


def test_rerender_markup_turns_a_list_after_text_cooked_before_version_4_into_a_list(mentor):
    # Version 3 cooked a list right after a line of text as plain lines.
    bio = "Могу научить:\n1. Работе в СЭД\n2. Оформлению командировок"
    cooked_by_3 = "<p>Могу научить:<br>\n1. Работе в СЭД<br>\n2. Оформлению командировок</p>"
    User.objects.filter(pk=mentor.pk).update(bio=bio, bio_html=cooked_by_3, bio_markup_version=3)
    out = io.StringIO()
    call_command("rerender_markup", stdout=out)
    mentor.refresh_from_db()
    assert mentor.bio_html == (
        "<p>Могу научить:</p>\n<ol>\n<li>Работе в СЭД</li>\n<li>Оформлению командировок</li>\n</ol>"
    )
    assert mentor.bio_markup_version == markup.MARKUP_VERSION
    assert "profiles.User.bio: 1 re-rendered" in out.getvalue()
