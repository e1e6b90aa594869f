"""Uploading a file: what is accepted, what is refused and why, what is stored, how it is served.

Every file is built in memory. Refusals are asserted on their codes (the suite speaks
Russian), and a refusal must leave nothing behind: no row and no file under MEDIA_ROOT.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from unittest import mock
from urllib.parse import quote, unquote

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from PIL import Image, PngImagePlugin

from community import markup
from community.attachments import filetypes, images, services
from community.attachments.markdown import markdown_for
from community.attachments.models import Attachment
from community.background.schedule import SCHEDULE
from tests.helpers import run_scheduled_job

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/attachments/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- Files, built in memory --------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/content-types"></Types>'
)
CSV_TEXT = "ФИО;Отдел\nАлия Хасанова;Документооборот\nТимур Сабиров;Бюджетный\n"
TXT_TEXT = "Памятка новичку: служебная записка оформляется по шаблону.\n"
SVG_BYTES = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(document.cookie)</script></svg>'
)


def pdf_bytes(size: int = 0) -> bytes:
    """A PDF, padded with a comment to `size` bytes when asked."""
    if size <= len(PDF_BYTES):
        return PDF_BYTES
    return PDF_BYTES + b"%" + b"x" * (size - len(PDF_BYTES) - 2) + b"\n"


def ooxml(part: str, *, body: bytes = b"<doc>Hello</doc>", extra: int = 0) -> bytes:
    """An Office Open XML package holding `part` (word/document.xml, xl/workbook.xml, ...)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("_rels/.rels", b"<Relationships/>")
        archive.writestr(part, body)
        for number in range(extra):
            archive.writestr(f"word/media/image{number}.xml", b"<x/>")
    return out.getvalue()


def odf(mimetype: str) -> bytes:
    """An OpenDocument package: the `mimetype` entry first and stored, as the format says."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), mimetype.encode("ascii"), compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", b"<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", b"<manifest:manifest/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", b"just an archive")
    return out.getvalue()


def image_bytes(
    fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", color=(30, 140, 90), **options
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **options)
    return out.getvalue()


def noise(size: tuple[int, int] = (200, 200), seed: int = 0) -> Image.Image:
    """Incompressible pixels: files of a predictable, non-trivial size."""
    data = random.Random(seed).randbytes(size[0] * size[1] * 3)
    return Image.frombytes("RGB", size, data)


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def animated_gif(durations=(100, 100, 100)) -> bytes:
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "green", "blue")]
    return encoded(
        frames[0], "GIF", save_all=True, append_images=frames[1:], duration=list(durations), loop=0
    )


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_exif(size=(100, 50), orientation: int | None = None) -> bytes:
    """A phone photo: the camera's make and where it was taken (GPS), maybe turned."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (55.0, 47.0, 30.0)
    gps[3] = "E"
    gps[4] = (49.0, 6.0, 52.0)
    return encoded(image, "JPEG", exif=exif)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def raw_upload(name: str, content: bytes) -> SimpleUploadedFile:
    """An upload whose name did not pass Django's own clean-up (basename, 255 characters):
    the service must not rely on it."""
    file = upload("placeholder", content)
    file._name = name
    return file


def upload_of(owner, name: str, content: bytes) -> Attachment:
    return services.attachment_upload(owner=owner, upload=upload(name, content))


def refusal(owner, file: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.attachment_upload(owner=owner, upload=file)
    assert " ".join(caught.value.messages).strip(), "a refusal must say why"
    return caught.value


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def assert_nothing_stored() -> None:
    assert Attachment.objects.count() == 0
    assert stored_files() == set()


def files_of(*attachments: Attachment) -> set[str]:
    return {field.name for a in attachments for field in (a.file, a.thumbnail) if field.name}


def stored_bytes(attachment: Attachment, field: str = "file") -> bytes:
    stored = getattr(attachment, field)
    with stored.storage.open(stored.name, "rb") as handle:
        return handle.read()


def stored_image(attachment: Attachment, field: str = "file") -> Image.Image:
    image = Image.open(io.BytesIO(stored_bytes(attachment, field)))
    image.load()
    return image


def post_file(client: Client, name: str, content: bytes):
    return client.post(UPLOAD_URL, {"file": upload(name, content)})


def post_raw_name(client: Client, filename: str, content: bytes):
    """A multipart body written by hand: the test client would basename the name itself."""
    boundary = "attachments-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        UPLOAD_URL, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_refused_json(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    payload = response.json()
    assert payload["code"] == code
    assert payload["error"].strip()


# --- Every allowed type is accepted and classified ---------------------------------------

ACCEPTED = [
    ("Памятка.pdf", PDF_BYTES, "pdf", "application/pdf", "document"),
    ("Приказ.docx", ooxml("word/document.xml"), "docx", DOCX_TYPE, "document"),
    ("График.xlsx", ooxml("xl/workbook.xml"), "xlsx", XLSX_TYPE, "document"),
    ("Доклад.pptx", ooxml("ppt/presentation.xml"), "pptx", PPTX_TYPE, "document"),
    ("Записка.odt", odf(ODT_TYPE), "odt", ODT_TYPE, "document"),
    ("Смета.ods", odf(ODS_TYPE), "ods", ODS_TYPE, "document"),
    ("Памятка.txt", TXT_TEXT.encode("utf-8"), "txt", "text/plain", "document"),
    ("Памятка-1251.txt", TXT_TEXT.encode("cp1251"), "txt", "text/plain", "document"),
    ("Список.csv", CSV_TEXT.encode("utf-8"), "csv", "text/csv", "document"),
    ("Список-1251.csv", CSV_TEXT.encode("cp1251"), "csv", "text/csv", "document"),
    ("Скриншот.png", image_bytes("PNG"), "png", "image/png", "image"),
    ("Фото.jpg", image_bytes("JPEG"), "jpeg", "image/jpeg", "image"),
    ("Анимация.gif", image_bytes("GIF"), "gif", "image/gif", "image"),
    ("Картинка.webp", image_bytes("WEBP"), "webp", "image/webp", "image"),
]


@pytest.mark.parametrize(
    ("name", "content", "file_type", "mime", "kind"),
    ACCEPTED,
    ids=[row[2] + ("-cp1251" if "1251" in row[0] else "") for row in ACCEPTED],
)
def test_each_allowed_type_is_accepted_classified_and_stored(
    mentor, name, content, file_type, mime, kind
):
    attachment = upload_of(mentor, name, content)

    assert attachment.pk is not None
    assert attachment.owner == mentor
    assert attachment.name == name
    assert attachment.file_type == file_type
    assert attachment.kind == kind
    assert attachment.content_type.split(";")[0] == mime
    assert attachment.attached_at is None and attachment.parent_kind == ""
    stored = stored_bytes(attachment)
    assert attachment.size == len(stored)
    if kind == "document":
        assert stored == content, "documents are stored exactly as sent"
        assert not attachment.thumbnail
    else:
        assert stored_image(attachment).format == Image.open(io.BytesIO(content)).format
        assert (attachment.width, attachment.height) == (64, 48)
        assert attachment.thumbnail.name
    assert stored_files() == files_of(attachment)


@pytest.mark.parametrize(
    ("name", "content"),
    [("Памятка.txt", TXT_TEXT.encode("utf-8")), ("Список.csv", CSV_TEXT.encode("utf-8"))],
)
def test_utf8_text_is_declared_as_utf8(mentor, name, content):
    attachment = upload_of(mentor, name, content)
    assert attachment.content_type.replace(" ", "").lower().endswith("charset=utf-8")


@pytest.mark.parametrize("name", ["Памятка.md", "server.log", "notes.text"])
def test_other_text_extensions_are_plain_text_and_keep_their_name(mentor, name):
    attachment = upload_of(mentor, name, TXT_TEXT.encode())
    assert (attachment.file_type, attachment.name) == ("txt", name)
    assert attachment.file.name.endswith(".txt")


def test_a_phone_jpeg_with_a_second_picture_inside_mpo_is_accepted_as_a_plain_jpeg(mentor):
    photo, depth_map = Image.new("RGB", (80, 60), "navy"), Image.new("RGB", (80, 60), "gray")
    content = encoded(photo, "MPO", save_all=True, append_images=[depth_map])
    assert Image.open(io.BytesIO(content)).format == "MPO"

    attachment = upload_of(mentor, "IMG_0001.jpg", content)

    assert attachment.file_type == "jpeg"
    assert stored_image(attachment).format == "JPEG"
    assert (attachment.width, attachment.height) == (80, 60)


# --- Refused: the content decides, and nothing is stored -------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Памятка.pdf", image_bytes("PNG")),
        ("Приказ.docx", PDF_BYTES),
        ("График.xlsx", ooxml("word/document.xml")),
        ("Записка.odt", ooxml("word/document.xml")),
        ("Фото.png", image_bytes("JPEG")),
        ("Список.txt", PDF_BYTES),
    ],
    ids=["png-as-pdf", "pdf-as-docx", "docx-as-xlsx", "docx-as-odt", "jpeg-as-png", "pdf-as-txt"],
)
def test_a_file_whose_name_disagrees_with_its_content_is_refused(mentor, name, content):
    error = refusal(mentor, upload(name, content))
    assert error.code == "extension_mismatch"
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run"),
        ("Отчёт.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56),
        ("page.html", b"<!doctype html><html><script>alert(document.cookie)</script></html>"),
        ("drawing.svg", SVG_BYTES),
        ("drawing.png", SVG_BYTES),
        ("drawing.jpg", SVG_BYTES),
        ("archive.zip", plain_zip()),
        ("Приказ.docx", plain_zip()),
        ("Приказ.docx", ooxml("customXml/item1.xml")),
        ("Доклад.odt", odf("application/vnd.oasis.opendocument.presentation")),
        ("data.txt", bytes(range(256)) * 4),
        ("data.csv", random.Random(1).randbytes(4096)),
        ("run.bat", b"@echo off\r\ndel /q *\r\n"),
    ],
    ids=[
        "exe",
        "exe-as-pdf",
        "html",
        "svg",
        "svg-as-png",
        "svg-as-jpg",
        "zip",
        "zip-as-docx",
        "ooxml-without-document-as-docx",
        "odp-as-odt",
        "binary-as-txt",
        "binary-as-csv",
        "script",
    ],
)
def test_a_type_outside_the_allowlist_is_refused(mentor, name, content):
    error = refusal(mentor, upload(name, content))
    assert error.code == "type_not_allowed"
    assert_nothing_stored()


def test_svg_is_never_accepted_under_any_image_or_document_name(mentor):
    for name in ["a.svg", "a.png", "a.gif", "a.webp", "a.jpeg", "a.pdf", "a.docx", "a"]:
        with pytest.raises(ValidationError):
            services.attachment_upload(owner=mentor, upload=upload(name, SVG_BYTES))
    assert_nothing_stored()


def _truncated(content: bytes) -> bytes:
    return content[: len(content) // 2]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Скан.png", _truncated(encoded(noise(), "PNG"))),
        ("Фото.jpg", _truncated(encoded(noise(), "JPEG"))),
        ("Анимация.gif", b"GIF89a" + random.Random(2).randbytes(300)),
        ("Картинка.webp", b"RIFF\x00\x10\x00\x00WEBPVP8 " + random.Random(3).randbytes(300)),
        ("Приказ.docx", b"PK\x03\x04" + random.Random(4).randbytes(2000)),
        ("Приказ.docx", _truncated(ooxml("word/document.xml", body=b"<w/>" * 2000))),
    ],
    ids=[
        "truncated-png",
        "truncated-jpeg",
        "garbage-gif",
        "garbage-webp",
        "corrupt-zip",
        "truncated-zip",
    ],
)
def test_a_damaged_file_is_refused_as_damaged(mentor, name, content):
    error = refusal(mentor, upload(name, content))
    assert error.code == "damaged"
    assert_nothing_stored()


def test_a_zip_bomb_disguised_as_a_word_document_is_refused(mentor):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("word/document.xml", bytes(64 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 1024 * 1024  # a small upload...

    error = refusal(mentor, upload("Приказ.docx", bomb))  # ...that inflates to 64 MB

    assert error.code == "zip_bomb"
    assert_nothing_stored()


def test_a_small_document_that_compresses_a_thousandfold_is_no_bomb(mentor):
    body = b"<w:p>" + "Служебная записка. ".encode() * 100_000 + b"</w:p>"
    document = ooxml("word/document.xml", body=body)
    assert len(body) / len(document) > 200
    assert upload_of(mentor, "Приказ.docx", document).file_type == "docx"


def test_a_bomb_entry_named_mimetype_is_never_inflated(mentor, settings):
    settings.ATTACHMENT_ZIP_MAX_INFLATED_BYTES = 10 * 1024**3  # only the read is in question
    settings.ATTACHMENT_ZIP_RATIO_FROM_BYTES = 10 * 1024**3
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", b"application/vnd.oasis.opendocument.text" + bytes(64 * 1024 * 1024)
        )
    package = out.getvalue()
    tracemalloc.start()
    try:
        error = refusal(mentor, upload("Отчёт.odt", package))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "type_not_allowed"  # its first 100 bytes are not an ODF type
    assert peak < 16 * 1024 * 1024  # and the 64 MB behind them were never unpacked


def test_a_document_inflating_past_the_byte_limit_is_refused_even_at_a_modest_ratio(
    mentor, settings
):
    settings.ATTACHMENT_ZIP_MAX_INFLATED_BYTES = 4000
    body = random.Random(5).randbytes(3000).hex().encode()  # ~2x compressible, 6000 bytes
    error = refusal(mentor, upload("Приказ.docx", ooxml("word/document.xml", body=body)))
    assert error.code == "zip_bomb"
    assert_nothing_stored()


def test_a_document_with_too_many_entries_is_refused(mentor, settings):
    settings.ATTACHMENT_ZIP_MAX_ENTRIES = 5
    error = refusal(mentor, upload("Приказ.docx", ooxml("word/document.xml", extra=10)))
    assert error.code == "zip_bomb"
    assert_nothing_stored()


def test_an_ordinary_document_passes_the_zip_checks(mentor, settings):
    settings.ATTACHMENT_ZIP_MAX_ENTRIES = 5
    attachment = upload_of(mentor, "Приказ.docx", ooxml("word/document.xml"))
    assert attachment.file_type == "docx"


def test_an_image_claiming_billions_of_pixels_is_refused_before_it_is_decoded(mentor):
    error = refusal(mentor, upload("bomb.png", png_claiming(60000, 60000)))
    assert error.code in {"too_many_pixels", "damaged"}
    assert_nothing_stored()


def test_an_image_over_the_pixel_limit_is_refused_as_too_many_pixels(mentor, settings):
    settings.ATTACHMENT_IMAGE_MAX_PIXELS = 100
    error = refusal(mentor, upload("big.png", image_bytes("PNG", size=(20, 20))))
    assert error.code == "too_many_pixels"
    assert_nothing_stored()


def test_the_pixel_limit_counts_every_frame_of_an_animation(mentor, settings):
    settings.ATTACHMENT_IMAGE_MAX_PIXELS = 40 * 30 * 2  # two frames' worth; the GIF has three
    error = refusal(mentor, upload("anim.gif", animated_gif()))
    assert error.code == "too_many_pixels"
    assert_nothing_stored()


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.png"])
def test_an_empty_file_is_refused_as_empty(mentor, name):
    error = refusal(mentor, upload(name, b""))
    assert error.code == "empty"
    assert_nothing_stored()


def test_an_image_over_the_image_limit_is_refused_while_documents_keep_theirs(mentor, settings):
    settings.ATTACHMENT_MAX_IMAGE_BYTES = 4096
    big_picture = encoded(noise((64, 64)), "PNG")
    assert len(big_picture) > 4096

    error = refusal(mentor, upload("big.png", big_picture))

    assert error.code == "too_large"
    assert_nothing_stored()
    assert upload_of(mentor, "Памятка.pdf", pdf_bytes(8000)).size == 8000


def test_a_document_over_the_document_limit_is_refused_while_images_keep_theirs(mentor, settings):
    settings.ATTACHMENT_MAX_DOCUMENT_BYTES = 4096
    error = refusal(mentor, upload("Памятка.pdf", pdf_bytes(5000)))
    assert error.code == "too_large"
    assert_nothing_stored()
    picture = encoded(noise((64, 64)), "PNG")
    assert len(picture) > 4096
    assert upload_of(mentor, "big.png", picture).kind == "image"


def test_a_file_past_the_members_quota_is_refused_and_the_earlier_ones_stay(mentor, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 3000
    first = upload_of(mentor, "Первый.pdf", pdf_bytes(2000))

    error = refusal(mentor, upload("Второй.pdf", pdf_bytes(1500)))

    assert error.code == "over_quota"
    assert list(Attachment.objects.all()) == [first]
    assert stored_files() == files_of(first)


def test_the_quota_is_per_member(mentor, mentor2, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 3000
    upload_of(mentor, "Первый.pdf", pdf_bytes(2000))
    assert upload_of(mentor2, "Второй.pdf", pdf_bytes(1500)).owner == mentor2


def test_deleted_files_no_longer_count_against_the_quota(mentor, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 3000
    first = upload_of(mentor, "Первый.pdf", pdf_bytes(2000))
    Attachment.objects.filter(pk=first.pk).update(deleted_at=timezone.now())
    assert upload_of(mentor, "Второй.pdf", pdf_bytes(1500)).size == 1500


def test_a_double_submit_near_the_quota_returns_the_first_copy(mentor, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 3000
    first = upload_of(mentor, "Первый.pdf", pdf_bytes(2000))
    again = upload_of(mentor, "Первый.pdf", pdf_bytes(2000))
    assert again.pk == first.pk


# --- Names: shown on download, never used on disk ---------------------------------------


def _assert_clean(name: str) -> None:
    assert "/" not in name and "\\" not in name
    assert not any(ch in name for ch in "\x00\n\r\t\u202e\u200f\u2066")
    assert name.strip() == name and name


@pytest.mark.parametrize(
    ("raw", "content", "expected"),
    [
        ("../../etc/passwd.txt", TXT_TEXT.encode(), "passwd.txt"),
        ("C:\\x\\y.pdf", PDF_BYTES, "y.pdf"),
        ("..\\..\\windows\\win.ini.txt", TXT_TEXT.encode(), "win.ini.txt"),
        ("a\x00b\nc.txt", TXT_TEXT.encode(), "abc.txt"),
        ("Счёт\u202efdp.pdf", PDF_BYTES, "Счётfdp.pdf"),
        ("\u2066Отчёт\u2069\r\n.pdf", PDF_BYTES, "Отчёт.pdf"),
    ],
    ids=[
        "posix-traversal",
        "windows-path",
        "windows-traversal",
        "nul-and-newline",
        "rtl-override",
        "bidi-isolate-and-crlf",
    ],
)
def test_path_separators_and_control_characters_never_reach_the_name_or_the_path(
    mentor, raw, content, expected
):
    attachment = services.attachment_upload(owner=mentor, upload=raw_upload(raw, content))

    assert attachment.name == expected
    _assert_clean(attachment.name)
    assert attachment.file.name.startswith("attachments/")
    assert ".." not in attachment.file.name and "\\" not in attachment.file.name
    assert stored_files() == files_of(attachment)


def test_a_name_made_only_of_dots_and_controls_gets_a_stand_in_with_the_right_extension(mentor):
    attachment = services.attachment_upload(
        owner=mentor, upload=raw_upload("\x01\x02 .. ", PDF_BYTES)
    )
    assert attachment.name.endswith(".pdf")
    assert len(attachment.name) > len(".pdf")
    _assert_clean(attachment.name)


@pytest.mark.parametrize("make", [raw_upload, upload], ids=["raw-name", "django-cleaned"])
def test_a_ten_thousand_character_name_is_cut_and_keeps_its_extension(mentor, make):
    attachment = services.attachment_upload(
        owner=mentor, upload=make("я" * 10_000 + ".pdf", PDF_BYTES)
    )
    assert attachment.name.endswith(".pdf")
    assert attachment.name.startswith("яяя")
    assert len(attachment.name) <= filetypes.MAX_NAME_LENGTH + len(".pdf")
    assert len(attachment.name) <= Attachment._meta.get_field("name").max_length
    assert len(attachment.file.name) <= Attachment._meta.get_field("file").max_length


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Отчёт", PDF_BYTES, "Отчёт.pdf"),
        ("IMG_0001", image_bytes("JPEG"), "IMG_0001.jpg"),
        ("Приказ", ooxml("word/document.xml"), "Приказ.docx"),
        ("Смета", odf(ODS_TYPE), "Смета.ods"),
    ],
)
def test_a_name_without_an_extension_gets_the_canonical_one(mentor, name, content, expected):
    assert upload_of(mentor, name, content).name == expected


def test_the_stored_path_is_random_and_lives_under_attachments(mentor):
    first = upload_of(mentor, "Секретный план.pdf", PDF_BYTES)
    second = upload_of(mentor, "Секретный план.pdf", pdf_bytes(100))
    picture = upload_of(mentor, "Секретный план.png", image_bytes("PNG"))

    paths = [first.file.name, second.file.name, picture.file.name, picture.thumbnail.name]
    for path in paths:
        assert path.startswith("attachments/")
        assert "Секретный" not in path and "план" not in path and " " not in path
    assert len(set(paths)) == 4
    assert first.key in first.file.name
    assert first.file.name.endswith(".pdf") and picture.file.name.endswith(".png")
    assert stored_files() == set(paths)


def test_path_separators_sent_over_http_never_reach_the_name(login, mentor):
    client = login(mentor)
    posix = post_raw_name(client, "../../etc/passwd.txt", TXT_TEXT.encode())
    windows = post_raw_name(client, "C:\\x\\y.pdf", PDF_BYTES)

    assert (posix.status_code, windows.status_code) == (201, 201)
    assert posix.json()["name"] == "passwd.txt"
    assert windows.json()["name"] == "y.pdf"
    for attachment in Attachment.objects.all():
        _assert_clean(attachment.name)
        assert attachment.file.name.startswith("attachments/")
        assert "passwd" not in attachment.file.name


# --- Images are re-encoded: no metadata, upright, with a thumbnail ----------------------


def test_exif_and_gps_are_stripped_from_a_photo(mentor):
    content = jpeg_with_exif()
    original = Image.open(io.BytesIO(content)).getexif()
    assert original.get_ifd(0x8825) and original[0x010F] == "PhoneMaker"  # the premise

    attachment = upload_of(mentor, "Фото.jpg", content)

    for field in ("file", "thumbnail"):
        image = stored_image(attachment, field)
        assert not image.getexif(), field
        assert not image.getexif().get_ifd(0x8825), field
        assert "exif" not in image.info, field
        raw = stored_bytes(attachment, field)
        assert b"Exif\x00\x00" not in raw and b"PhoneMaker" not in raw, field


def test_metadata_is_stripped_from_png_and_webp_too(mentor):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Снято у дома Ленина 1")
    info.add_text("GPS", "55.79,49.10")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    png = image_bytes("PNG", pnginfo=info, exif=exif)
    webp = image_bytes("WEBP", exif=exif, xmp=b"<x:xmpmeta>GPSLatitude 55.79</x:xmpmeta>")
    assert b"PhoneMaker" in png and b"PhoneMaker" in webp and b"GPS" in png  # the premise

    for name, content in [("a.png", png), ("a.webp", webp)]:
        raw = stored_bytes(upload_of(mentor, name, content))
        assert b"PhoneMaker" not in raw and b"GPS" not in raw, name
        assert "Ленина".encode() not in raw, name


def test_a_jpeg_comment_does_not_survive_the_re_encode(mentor):
    content = image_bytes("JPEG", comment=b"Taken at Lenina 1, flat 12")
    raw = stored_bytes(upload_of(mentor, "Фото.jpg", content))
    assert b"Lenina" not in raw


@pytest.mark.parametrize("animated", [False, True], ids=["still", "animated"])
def test_a_gif_comment_does_not_survive_the_re_encode(mentor, animated):
    frames = [Image.new("RGB", (20, 20), color) for color in ("red", "green")]
    options = {"save_all": True, "append_images": frames[1:]} if animated else {}
    content = encoded(frames[0], "GIF", comment=b"Taken at Lenina 1", **options)
    raw = stored_bytes(upload_of(mentor, "Анимация.gif", content))
    assert b"Lenina" not in raw


def test_a_turned_photo_is_stored_upright(mentor):
    attachment = upload_of(mentor, "Фото.jpg", jpeg_with_exif(size=(100, 50), orientation=6))

    stored = stored_image(attachment)
    assert stored.size == (50, 100)
    assert (attachment.width, attachment.height) == (50, 100)
    assert stored.getexif().get(0x0112) in (None, 1)
    thumbnail = stored_image(attachment, "thumbnail")
    assert thumbnail.height > thumbnail.width


def test_a_thumbnail_is_at_most_480_pixels_on_its_long_side(mentor):
    attachment = upload_of(mentor, "Панорама.jpg", image_bytes("JPEG", size=(1200, 600)))

    thumbnail = stored_image(attachment, "thumbnail")
    assert max(thumbnail.size) == 480
    assert thumbnail.size == (480, 240)
    assert stored_image(attachment).size == (1200, 600)
    assert attachment.thumbnail.name.startswith("attachments/")


def test_an_animated_gif_keeps_its_frames(mentor):
    attachment = upload_of(mentor, "Анимация.gif", animated_gif())

    stored = Image.open(io.BytesIO(stored_bytes(attachment)))
    assert stored.format == "GIF"
    assert stored.is_animated
    assert stored.n_frames == 3
    assert attachment.thumbnail.name


def test_an_animated_gif_keeps_the_timing_of_each_frame(mentor):
    attachment = upload_of(mentor, "Анимация.gif", animated_gif(durations=(100, 400, 1000)))

    stored = Image.open(io.BytesIO(stored_bytes(attachment)))
    delays = []
    for number in range(stored.n_frames):
        stored.seek(number)
        delays.append(stored.info["duration"])
    assert delays == [100, 400, 1000]


def test_an_animation_that_plays_once_still_plays_once(mentor):
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "green", "blue")]
    content = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert "loop" not in Image.open(io.BytesIO(content)).info  # the premise: no loop block

    stored = Image.open(io.BytesIO(stored_bytes(upload_of(mentor, "Один раз.gif", content))))

    assert stored.n_frames == 3
    assert "loop" not in stored.info


def test_the_thumbnail_of_an_animation_shows_its_first_frame(mentor):
    attachment = upload_of(mentor, "Анимация.gif", animated_gif())

    red, green, blue = stored_image(attachment, "thumbnail").convert("RGB").getpixel((5, 5))

    assert red > 200 and green < 60 and blue < 60


def test_a_transparent_png_gets_a_transparent_png_thumbnail(mentor):
    attachment = upload_of(
        mentor, "Логотип.png", image_bytes("PNG", size=(600, 300), mode="RGBA", color=(0, 0, 0, 0))
    )

    assert attachment.thumbnail.name.endswith(".png")
    thumbnail = stored_image(attachment, "thumbnail")
    assert thumbnail.format == "PNG"
    assert thumbnail.mode == "RGBA"
    assert thumbnail.getpixel((10, 10))[3] == 0
    assert thumbnail.size == (480, 240)


def test_an_opaque_picture_gets_a_jpeg_thumbnail(mentor):
    attachment = upload_of(mentor, "Скриншот.png", image_bytes("PNG", size=(600, 300)))
    assert attachment.thumbnail.name.endswith(".jpg")
    assert stored_image(attachment, "thumbnail").format == "JPEG"


# --- The same file twice ---------------------------------------------------------------


def test_the_same_bytes_from_the_same_member_twice_are_stored_once(mentor):
    first = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    second = upload_of(mentor, "Памятка (1).pdf", PDF_BYTES)

    assert second.pk == first.pk
    assert Attachment.objects.count() == 1
    assert stored_files() == files_of(first)


def test_the_same_picture_twice_is_stored_once_with_one_thumbnail(mentor):
    content = image_bytes("PNG")
    first = upload_of(mentor, "a.png", content)
    second = upload_of(mentor, "a.png", content)

    assert second.pk == first.pk
    assert Attachment.objects.count() == 1
    assert stored_files() == files_of(first)
    assert len(stored_files()) == 2


@pytest.mark.parametrize(
    "name, content",
    [("Памятка.pdf", PDF_BYTES), ("a.png", image_bytes("PNG"))],
    ids=["document", "picture with thumbnail"],
)
def test_two_identical_uploads_racing_meet_at_the_constraint_and_leave_one_copy(
    mentor, monkeypatch, name, content
):
    first = upload_of(mentor, name, content)
    looked_up = []
    real_lookup = services._unattached_copy

    def lookup_that_misses_the_first_time(attachment):
        # The other request had not committed yet when this one looked.
        looked_up.append(attachment)
        return None if len(looked_up) == 1 else real_lookup(attachment)

    monkeypatch.setattr(services, "_unattached_copy", lookup_that_misses_the_first_time)
    second = upload_of(mentor, name, content)

    assert len(looked_up) == 2, "the unique constraint fired and the service looked again"
    assert second.pk == first.pk
    assert Attachment.objects.count() == 1
    assert stored_files() == files_of(first), "the loser's files are removed"


def test_the_same_bytes_from_another_member_make_a_second_copy(mentor, mentor2):
    mine = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    theirs = upload_of(mentor2, "Памятка.pdf", PDF_BYTES)

    assert theirs.pk != mine.pk and theirs.owner == mentor2
    assert Attachment.objects.count() == 2
    assert stored_files() == files_of(mine, theirs)


def test_once_attached_the_same_bytes_make_a_new_copy(mentor):
    first = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    assert (
        services.attachments_attach(
            owner=mentor, keys={first.key}, parent_kind="tests.parent", parent_id=1
        )
        == 1
    )

    again = upload_of(mentor, "Памятка.pdf", PDF_BYTES)

    assert again.pk != first.pk
    assert again.attached_at is None


# --- The upload endpoint ------------------------------------------------------------------


def test_uploading_a_document_over_http_describes_it_in_json(login, mentor):
    response = post_file(login(mentor), "Памятка.pdf", PDF_BYTES)

    assert response.status_code == 201
    payload = response.json()
    attachment = Attachment.objects.get()
    assert payload == {
        "key": attachment.key,
        "name": "Памятка.pdf",
        "size": len(PDF_BYTES),
        "kind": "document",
        "url": attachment.get_absolute_url(),
        "thumbnail_url": None,
        "markdown": markdown_for(attachment),
    }
    assert attachment.owner == mentor


def test_uploading_an_image_over_http_gives_its_thumbnail_url(login, mentor):
    response = post_file(login(mentor), "Скриншот.png", image_bytes("PNG"))

    assert response.status_code == 201
    payload = response.json()
    attachment = Attachment.objects.get(key=payload["key"])
    assert payload["kind"] == "image"
    assert payload["thumbnail_url"] == attachment.thumbnail_url
    assert payload["url"] == attachment.get_absolute_url()
    assert payload["size"] == attachment.size


def test_a_refused_file_over_http_is_a_400_with_its_code(login, mentor):
    response = post_file(login(mentor), "Памятка.pdf", image_bytes("PNG"))
    assert_refused_json(response, 400, "extension_mismatch")
    assert_nothing_stored()


def test_a_file_over_every_limit_is_cut_off_while_it_arrives_with_a_413(login, mentor, settings):
    settings.ATTACHMENT_MAX_DOCUMENT_BYTES = 1024
    settings.ATTACHMENT_MAX_IMAGE_BYTES = 1024
    response = post_file(login(mentor), "Памятка.pdf", pdf_bytes(5000))
    assert_refused_json(response, 413, "too_large")
    assert_nothing_stored()


def test_the_third_upload_in_a_minute_is_rate_limited(login, mentor, settings):
    settings.ATTACHMENT_UPLOADS_PER_MINUTE = 2
    client = login(mentor)

    statuses = [post_file(client, f"{n}.pdf", pdf_bytes(100 + n)).status_code for n in range(2)]
    third = post_file(client, "2.pdf", pdf_bytes(102))

    assert statuses == [201, 201]
    assert_refused_json(third, 429, "rate_limited")
    assert Attachment.objects.count() == 2


def test_an_upload_without_the_csrf_token_is_forbidden(mentor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)

    response = post_file(client, "Памятка.pdf", PDF_BYTES)

    assert response.status_code == 403
    assert_nothing_stored()


def test_an_upload_with_the_csrf_token_is_accepted(mentor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)
    token = _get_new_csrf_string()
    client.cookies[django_settings.CSRF_COOKIE_NAME] = token

    response = client.post(
        UPLOAD_URL, {"file": upload("Памятка.pdf", PDF_BYTES)}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 201
    assert Attachment.objects.count() == 1


def test_a_post_without_a_file_is_a_400(login, mentor):
    assert_refused_json(login(mentor).post(UPLOAD_URL, {}), 400, "no_file")
    assert_refused_json(
        login(mentor).post(UPLOAD_URL, {"other": upload("a.pdf", PDF_BYTES)}), 400, "no_file"
    )
    assert_nothing_stored()


def test_an_anonymous_upload_is_sent_to_log_in(db):
    response = Client().post(UPLOAD_URL, {"file": upload("Памятка.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert_nothing_stored()


def test_the_upload_endpoint_only_takes_post(login, mentor):
    assert login(mentor).get(UPLOAD_URL).status_code == 405


# --- Downloads ------------------------------------------------------------------------------


def test_a_member_downloads_their_own_unattached_document_as_an_attachment(login, mentor):
    attachment = upload_of(mentor, "report.pdf", PDF_BYTES)

    response = login(mentor).get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert body_of(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_cyrillic_name_is_sent_as_rfc_5987(login, mentor):
    name = "Отчёт за 2026 год.docx"
    attachment = upload_of(mentor, name, ooxml("word/document.xml"))

    response = login(mentor).get(attachment.get_absolute_url())

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(name)}" in disposition


def test_an_image_is_served_inline_and_its_thumbnail_is_an_image(login, mentor):
    attachment = upload_of(mentor, "Скриншот.png", image_bytes("PNG", size=(900, 600)))
    client = login(mentor)

    full = client.get(attachment.get_absolute_url())
    thumb = client.get(attachment.thumbnail_url)

    assert full.status_code == 200
    assert full["Content-Type"] == "image/png"
    assert full["Content-Disposition"].startswith("inline")
    assert full["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in full["Content-Security-Policy"]
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Content-Disposition"].startswith("inline")
    assert thumb["X-Content-Type-Options"] == "nosniff"
    picture = Image.open(io.BytesIO(body_of(thumb)))
    assert picture.format == "JPEG" and max(picture.size) <= 480


def test_a_document_has_no_thumbnail(login, mentor):
    attachment = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    assert login(mentor).get(attachment.thumbnail_url).status_code == 404


def test_someone_elses_unattached_file_is_a_404(login, mentor, mentor2, coordinator):
    attachment = upload_of(mentor, "Памятка.png", image_bytes("PNG"))
    for member in (mentor2, coordinator):
        client = login(member)
        assert client.get(attachment.get_absolute_url()).status_code == 404
        assert client.get(attachment.thumbnail_url).status_code == 404


def test_an_unknown_key_is_a_404(login, mentor):
    upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    client = login(mentor)
    assert client.get(f"/attachments/{'A' * 24}/Памятка.pdf").status_code == 404
    assert client.get(f"/attachments/{'A' * 24}/thumb/").status_code == 404


def test_a_deleted_file_is_a_404_even_to_its_owner(login, mentor):
    attachment = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    Attachment.objects.filter(pk=attachment.pk).update(deleted_at=timezone.now())
    assert login(mentor).get(attachment.get_absolute_url()).status_code == 404


def test_an_anonymous_download_is_sent_to_log_in(mentor):
    attachment = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    response = Client().get(attachment.get_absolute_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_with_x_accel_redirect_the_web_server_sends_the_file(login, mentor, settings):
    settings.ATTACHMENT_SENDFILE = "x-accel-redirect"
    settings.ATTACHMENT_SENDFILE_PREFIX = "/protected-media/"
    attachment = upload_of(mentor, "Памятка.pdf", PDF_BYTES)

    response = login(mentor).get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + attachment.file.name
    assert body_of(response) == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_with_x_accel_redirect_a_stranger_still_gets_a_404(login, mentor, mentor2, settings):
    settings.ATTACHMENT_SENDFILE = "x-accel-redirect"
    attachment = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    response = login(mentor2).get(attachment.get_absolute_url())
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_with_x_sendfile_the_web_server_gets_the_stored_path(login, mentor, settings):
    settings.ATTACHMENT_SENDFILE = "x-sendfile"
    attachment = upload_of(mentor, "Памятка.pdf", PDF_BYTES)

    response = login(mentor).get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Sendfile"] == attachment.file.path
    assert body_of(response) == b""


@pytest.mark.parametrize(
    ("name", "text"), [("Список.csv", CSV_TEXT), ("Памятка.txt", TXT_TEXT)], ids=["csv", "txt"]
)
def test_a_windows_1251_text_downloads_with_a_charset_that_reads_it(login, mentor, name, text):
    attachment = upload_of(mentor, name, text.encode("cp1251"))

    response = login(mentor).get(attachment.get_absolute_url())

    assert response.status_code == 200
    charset = response["Content-Type"].split("charset=")[1].strip()
    assert body_of(response).decode(charset, errors="replace") == text


# --- Purging -----------------------------------------------------------------------------


def _age(attachment: Attachment, **fields) -> None:
    Attachment.objects.filter(pk=attachment.pk).update(**fields)


def _purge_scene(mentor, settings) -> dict[str, Attachment]:
    settings.ATTACHMENT_ORPHAN_HOURS = 24
    settings.ATTACHMENT_DELETED_DAYS = 30
    now = timezone.now()
    scene = {
        name: upload_of(mentor, f"{name}.pdf", pdf_bytes(200 + number))
        for number, name in enumerate(
            ["old_orphan", "fresh_orphan", "attached", "old_deleted", "fresh_deleted"]
        )
    }
    scene["picture_orphan"] = upload_of(mentor, "old.png", image_bytes("PNG"))
    for name in ("attached", "old_deleted", "fresh_deleted"):
        services.attachments_attach(
            owner=mentor, keys={scene[name].key}, parent_kind="tests.parent", parent_id=7
        )
    long_ago = now - datetime.timedelta(days=60)
    _age(scene["old_orphan"], created_at=now - datetime.timedelta(hours=25))
    _age(scene["picture_orphan"], created_at=now - datetime.timedelta(hours=25))
    _age(scene["fresh_orphan"], created_at=now - datetime.timedelta(hours=23))
    _age(scene["attached"], created_at=long_ago)
    _age(scene["old_deleted"], created_at=long_ago, deleted_at=now - datetime.timedelta(days=31))
    _age(scene["fresh_deleted"], created_at=long_ago, deleted_at=now - datetime.timedelta(days=29))
    return scene


def _assert_purged(scene: dict[str, Attachment]) -> None:
    gone = {"old_orphan", "picture_orphan", "old_deleted"}
    kept = set(scene) - gone
    assert set(Attachment.objects.values_list("pk", flat=True)) == {scene[n].pk for n in kept}
    assert stored_files() == files_of(*(scene[n] for n in kept))


def test_purge_removes_old_orphans_and_long_deleted_files_with_their_files(mentor, settings):
    scene = _purge_scene(mentor, settings)
    assert stored_files() == files_of(*scene.values())

    assert services.attachments_purge() == (2, 1)

    _assert_purged(scene)


def test_purge_twice_removes_nothing_more(mentor, settings):
    scene = _purge_scene(mentor, settings)
    services.attachments_purge()
    assert services.attachments_purge() == (0, 0)
    _assert_purged(scene)


def test_the_hourly_purge_job_purges_and_reports(mentor, settings):
    scene = _purge_scene(mentor, settings)

    result = run_scheduled_job("attachments.purge")

    _assert_purged(scene)
    assert result.return_value == {"orphans": 2, "deleted": 1}
    assert SCHEDULE["attachments.purge"].offset == datetime.timedelta(minutes=15)


# --- Writing files into a text -------------------------------------------------------------


def test_markdown_escapes_markdown_specials_in_a_name(mentor):
    name = "my_*report*[1] #2 `x` <b>!.pdf"
    attachment = services.attachment_upload(owner=mentor, upload=raw_upload(name, PDF_BYTES))
    assert attachment.name == name

    written = markdown_for(attachment)

    assert written == (
        r"[my\_\*report\*\[1\] \#2 \`x\` \<b\>\!.pdf]"
        f"({attachment.get_absolute_url()})"
    )
    html = markup.render(written)
    assert "<em>" not in html and "<strong>" not in html and "<code>" not in html
    assert "<b>" not in html
    assert html.count("<a ") == 1


def test_an_image_is_written_as_its_thumbnail_linking_to_the_picture(mentor):
    attachment = upload_of(mentor, "Скриншот_1.png", image_bytes("PNG"))
    assert markdown_for(attachment) == (
        rf"[![Скриншот\_1.png]({attachment.thumbnail_url})]({attachment.get_absolute_url()})"
    )
    assert set(services.REFERENCE.findall(markdown_for(attachment))) == {attachment.key}


@pytest.mark.parametrize("name", ["смета).pdf", "итог (черновик.pdf"], ids=["closing", "opening"])
def test_a_name_with_an_unbalanced_parenthesis_still_makes_one_whole_link(mentor, name):
    attachment = services.attachment_upload(owner=mentor, upload=raw_upload(name, PDF_BYTES))

    html = str(markup.render(markdown_for(attachment)))

    link = re.fullmatch(r'<p><a href="([^"]+)"[^>]*>(.*?)</a></p>', html)
    assert link, html
    assert link.group(2) == name
    match = resolve(unquote(link.group(1)))
    assert match.kwargs == {"key": attachment.key, "name": name}


def test_text_with_appends_the_files_after_the_text(mentor):
    document = upload_of(mentor, "Памятка.pdf", PDF_BYTES)
    picture = upload_of(mentor, "Скриншот.png", image_bytes("PNG"))

    assert services.text_with("Смотрите вложения:  \n", [document, picture]) == (
        f"Смотрите вложения:\n\n{markdown_for(document)}\n\n{markdown_for(picture)}"
    )
    assert services.text_with("", [document]) == markdown_for(document)
    assert services.text_with("Без файлов", []) == "Без файлов"
    assert set(services.REFERENCE.findall(services.text_with("x", [document, picture]))) == {
        document.key,
        picture.key,
    }


def test_the_first_bad_file_of_a_form_stops_it_with_its_name_in_the_message(mentor):
    with pytest.raises(ValidationError) as caught:
        services.text_with_uploads(
            owner=mentor,
            text="Текст",
            uploads=[
                upload("Памятка.pdf", PDF_BYTES),
                upload("Вирус.exe", b"MZ\x90\x00" + bytes(60)),
            ],
        )
    messages = caught.value.message_dict["attachments"]
    assert any("Вирус.exe" in message for message in messages)


def test_a_large_image_packed_far_too_tight_is_refused_before_it_is_decoded(mentor):
    """A 49-megapixel PNG of one colour is a few hundred KB and cost seconds to re-encode."""
    out = io.BytesIO()
    Image.new("RGB", (7000, 7000), (200, 220, 240)).save(out, format="PNG")
    assert out.tell() * images.MAX_PIXELS_PER_BYTE < 7000 * 7000
    with mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")):
        error = refusal(mentor, upload("flat.png", out.getvalue()))
    assert error.code == "too_costly"
    assert "49" in error.messages[0]
    assert_nothing_stored()


def test_a_large_real_photo_is_not_caught_by_the_cost_cap(mentor, settings):
    settings.ATTACHMENT_MAX_IMAGE_BYTES = 20 * 1024 * 1024
    detail = Image.effect_noise((4200, 4000), 60).convert("RGB")  # 16.8 MP of detail
    out = io.BytesIO()
    detail.save(out, format="JPEG", quality=85)
    attachment = upload_of(mentor, "photo.jpg", out.getvalue())
    assert (attachment.width, attachment.height) == (4200, 4000)
