"""Profile pages, editing one's own profile, and the photo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from profiles import activity
from profiles.models import User

pytestmark = pytest.mark.django_db


def image_upload(fmt: str = "PNG", size=(800, 600), name="photo.png", exif: bytes | None = None):
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def test_profile_page_shows_the_person_and_their_cooked_bio(login, mentor, newcomer):
    response = login(newcomer).get(f"/people/{mentor.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Алия Хасанова" in html
    assert "<strong>документооборотом</strong>" in html
    assert "Документооборот" in html
    assert "Отдел документационного обеспечения" in html


def test_profile_by_id_redirects_to_the_slug(login, mentor, newcomer):
    response = login(newcomer).get(f"/people/{mentor.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/people/{mentor.slug}/"


@pytest.mark.parametrize("path", ["/people/nobody-here/", "/people/987654/"])
def test_unknown_profiles_are_404(login, newcomer, path):
    assert login(newcomer).get(path).status_code == 404


def test_deactivated_members_have_no_profile_page(login, mentor, newcomer):
    mentor.is_active = False
    mentor.save()
    assert login(newcomer).get(f"/people/{mentor.slug}/").status_code == 404


def test_profiles_need_a_login(client, mentor):
    assert client.get(f"/people/{mentor.slug}/").status_code == 302


def test_bio_is_sanitized_at_write_time(login, newcomer):
    client = login(newcomer)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Тимур Сабиров",
            "position": "",
            "department": "",
            "bio": "Привет <script>alert(1)</script> [x](javascript:alert(2))",
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert "<script" not in newcomer.bio_html
    assert "javascript:" not in newcomer.bio_html
    assert newcomer.bio.startswith("Привет <script>")


def test_member_edits_their_profile(login, newcomer, other_division, expertise):
    response = login(newcomer).post(
        "/accounts/profile/",
        {
            "full_name": "Тимур Айратович Сабиров",
            "position": "Ведущий специалист",
            "department": other_division.pk,
            "service_start": "2026-09-01",
            "bio": "Учусь",
            "expertise": [expertise["hr"].pk],
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.full_name == "Тимур Айратович Сабиров"
    assert newcomer.search_name == "тимур айратович сабиров"
    assert newcomer.department == other_division
    assert list(newcomer.expertise.all()) == [expertise["hr"]]
    assert newcomer.slug == "timur-sabirov"  # a profile address never changes under people


def test_service_end_before_start_is_refused(login, newcomer):
    response = login(newcomer).post(
        "/accounts/profile/",
        {
            "full_name": "Тимур Сабиров",
            "service_start": "2026-09-01",
            "service_end": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "service_end" in response.context["form"].errors
    newcomer.refresh_from_db()
    assert newcomer.service_end is None


def test_only_mentors_set_capacity(login, newcomer, mentor):
    assert "mentor_capacity" not in login(newcomer).get("/accounts/profile/").context["form"].fields
    response = login(mentor).post(
        "/accounts/profile/",
        {
            "full_name": mentor.full_name,
            "mentor_capacity": 4,
            "accepting_mentees": "",
        },
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.mentor_capacity, mentor.accepting_mentees) == (4, False)


def test_capacity_above_twenty_is_refused(login, mentor):
    response = login(mentor).post(
        "/accounts/profile/",
        {
            "full_name": mentor.full_name,
            "mentor_capacity": 500,
        },
    )
    assert response.status_code == 200
    assert "mentor_capacity" in response.context["form"].errors


def test_photo_is_reencoded_square_without_metadata(login, newcomer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    client = login(newcomer)
    response = client.post(
        "/accounts/profile/photo/",
        {"avatar": image_upload("JPEG", name="me.jpg", exif=exif.tobytes())},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    with Image.open(newcomer.avatar.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (512, 512)
        assert not stored.getexif()
    served = client.get(f"/people/{newcomer.slug}/photo/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_photo_is_not_served_to_anonymous_visitors(client, newcomer, tmp_path, settings, login):
    settings.MEDIA_ROOT = tmp_path
    login(newcomer).post("/accounts/profile/photo/", {"avatar": image_upload()})
    assert client.get(f"/people/{newcomer.slug}/photo/").status_code == 302


def test_non_image_upload_gets_a_clear_error(login, newcomer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = login(newcomer).post("/accounts/profile/photo/", {"avatar": fake})
    assert response.status_code == 400
    assert "JPEG, PNG, GIF" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.avatar


def test_oversize_photo_gets_a_clear_error(login, newcomer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.AVATAR_MAX_BYTES = 2048
    response = login(newcomer).post(
        "/accounts/profile/photo/", {"avatar": image_upload(size=(900, 900))}
    )
    assert response.status_code == 400
    assert response.context["avatar_form"].errors.as_data()["avatar"][0].code == "too_large"
    newcomer.refresh_from_db()
    assert not newcomer.avatar


def test_multi_picture_jpeg_from_a_phone_is_accepted(login, newcomer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    first, depth = Image.new("RGB", (640, 480), "red"), Image.new("RGB", (640, 480), "gray")
    first.save(buffer, format="MPO", save_all=True, append_images=[depth])
    with Image.open(io.BytesIO(buffer.getvalue())) as probe:
        assert probe.format == "MPO"
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = login(newcomer).post("/accounts/profile/photo/", {"avatar": upload})
    assert response.status_code == 302, response.context["avatar_form"].errors


def test_svg_photo_is_refused(login, newcomer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    svg = SimpleUploadedFile(
        "x.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        content_type="image/svg+xml",
    )
    assert login(newcomer).post("/accounts/profile/photo/", {"avatar": svg}).status_code == 400


def test_removing_the_photo_falls_back_to_initials(login, newcomer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = login(newcomer)
    client.post("/accounts/profile/photo/", {"avatar": image_upload()})
    client.post("/accounts/profile/photo/delete/")
    newcomer.refresh_from_db()
    assert not newcomer.avatar
    html = client.get(f"/people/{newcomer.slug}/").content.decode()
    assert "avatar-initials" in html and ">ТС<" in html
    assert client.get(f"/people/{newcomer.slug}/photo/").status_code == 404


def test_registered_activity_panels_appear_on_profiles(login, mentor, newcomer, settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], Path(__file__).parents[1] / "templates"]
    settings.TEMPLATES = [engine]
    activity.PANELS.fill(
        activity.ActivityPanel(
            key="test-threads",
            title="Темы",
            template="tests/activity_panel.html",
            context=lambda member, viewer: {"count": 3} if member.is_mentor else None,
        )
    )
    try:
        mentor_page = login(newcomer).get(f"/people/{mentor.slug}/").content.decode()
        newcomer_page = login(mentor).get(f"/people/{newcomer.slug}/").content.decode()
    finally:
        activity.PANELS.empty("test-threads")
    assert 'id="activity-test-threads"' in mentor_page and "count=3" in mentor_page
    assert 'id="activity-test-threads"' not in newcomer_page


def test_slugs_are_readable_and_unique(division):
    from tests.conftest import make_member

    first = make_member("a1@example.com", "Алия Хасанова", User.Role.MENTOR)
    second = make_member("a2@example.com", "Алия Хасанова", User.Role.MENTOR)
    nameless = make_member("me@example.com", "Me", User.Role.NEWCOMER)
    assert (first.slug, second.slug) == ("aliia-khasanova", "aliia-khasanova-2")
    assert nameless.slug == "member-me"
