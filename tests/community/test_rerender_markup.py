from __future__ import annotations

import pytest
from django.core.management import call_command

from community import markup
from profiles.models import User

pytestmark = pytest.mark.django_db


def test_rerender_markup_recooks_only_stale_rows(mentor, mentor2):
    User.objects.filter(pk=mentor.pk).update(bio_html="<p>old</p>", bio_markup_version=0)
    User.objects.filter(pk=mentor2.pk).update(bio_html="<p>current</p>")
    call_command("rerender_markup", stdout=__import__("io").StringIO())
    mentor.refresh_from_db()
    mentor2.refresh_from_db()
    assert mentor.bio_html == str(markup.render(mentor.bio))
    assert mentor.bio_markup_version == markup.MARKUP_VERSION
    assert mentor2.bio_html == "<p>current</p>"


def test_every_cooked_field_is_registered():
    labels = {field.key for field in markup.COOKED_FIELDS}
    assert {"profiles.User.bio", "profiles.MentorApplication.motivation"} <= labels
