"""Attachments: what an upload costs (checking, re-encoding, thumbnail, storing) and what a
download costs (the permission check and the response), through the real views.

    .venv/bin/python bench/attachments.py              # 20 rounds of each
    .venv/bin/python bench/attachments.py --rounds 5

Files are generated: a 12-megapixel phone photo with GPS EXIF (JPEG, under the 5 MB limit),
a 1920×1080 screenshot (PNG), a Word file of 300 000 words, a 9 MB PDF. Each upload is
timed as the composer's script makes it, POST /attachments/; each download as a reader of
the forum post it is attached to, GET of its address (Django streams it, as without
X-Accel-Redirect). Uploads go to a scratch media directory, deleted at the end.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import django_on_scratch_database


def photo() -> tuple[str, bytes]:
    from PIL import Image

    rng = random.Random(3)
    image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    image.putpixel((rng.randrange(4000), rng.randrange(3000)), (255, 0, 0))
    exif = image.getexif()
    exif[0x8825] = {1: "N", 2: (55.0, 47.0, 0.0), 3: "E", 4: (49.0, 6.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70, exif=exif)
    return "Фото с экскурсии.jpg", out.getvalue()


def screenshot() -> tuple[str, bytes]:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1920, 1080), (245, 247, 246))
    draw = ImageDraw.Draw(image)
    for row in range(0, 1080, 24):
        draw.rectangle((40, row + 4, 40 + (row * 7) % 1800, row + 18), fill=(11, 110, 79))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "Скриншот СЭД.png", out.getvalue()


def word() -> tuple[str, bytes]:
    out = io.BytesIO()
    rng = random.Random(4)
    words = [
        "служебная",
        "записка",
        "командировка",
        "приказ",
        "согласование",
        "отдел",
        "начальник",
        "срок",
        "исполнение",
        "бюджет",
        "заявка",
        "отчёт",
    ]
    text = " ".join(rng.choice(words) + str(rng.randrange(10_000)) for _ in range(300_000))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", f"<w:document>{text}</w:document>")
    return "Шаблон записки.docx", out.getvalue()


def pdf() -> tuple[str, bytes]:
    return "Регламент.pdf", b"%PDF-1.7\n" + random.Random(5).randbytes(9 * 1024 * 1024)


def run(rounds: int) -> None:
    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    try:
        django_on_scratch_database()
        from django.conf import settings

        settings.MEDIA_ROOT = media
        settings.ATTACHMENT_UPLOADS_PER_MINUTE = 10_000
        settings.ATTACHMENT_QUOTA_BYTES = 100 * 1024 * 1024 * 1024
        measure(rounds)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def measure(rounds: int) -> None:
    from unittest import mock

    with mock.patch("forum.services.rate_limit_hit"):  # posting faster than people may
        _measure(rounds)


def _measure(rounds: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from forum import services as forum
    from forum.models import Access, Category, Thread
    from profiles.models import User

    author = User.objects.create(
        email="a@example.com", full_name="Алия Хасанова", slug="a", role=User.Role.MENTOR
    )
    reader = User.objects.create(email="r@example.com", full_name="Тимур Сабиров", slug="r")
    category = Category.objects.create(name="Вопросы", slug="q", read_access=Access.MEMBERS)
    uploader, downloader = Client(), Client()
    uploader.force_login(author)
    downloader.force_login(reader)
    print(
        f"{'file':<24}{'size':>9}  {'upload p50':>11}{'p95':>9}  {'download p50':>13}{'p95':>9}"
        f"  stored"
    )
    for make in (photo, screenshot, word, pdf):
        name, content = make()
        uploads, downloads, stored = [], [], 0
        for n in range(rounds):
            # Each round's copy is attached below, so the next one is stored afresh.
            started = time.perf_counter()
            answer = uploader.post("/attachments/", {"file": SimpleUploadedFile(name, content)})
            uploads.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 201, answer.content
            described = answer.json()
            stored = described["size"]
            forum.thread_create(
                author=author,
                category=category,
                kind=Thread.Kind.DISCUSSION,
                title=f"{name} {n}",
                body=described["markdown"],
            )
            started = time.perf_counter()
            response = downloader.get(described["url"])
            body = b"".join(response.streaming_content)
            downloads.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and len(body) == stored
        print(
            f"{name:<24}{len(content) / 1048576:>7.1f}MB  {statistics.median(uploads):>9.0f}ms"
            f"{_p95(uploads):>7.0f}ms  {statistics.median(downloads):>11.1f}ms"
            f"{_p95(downloads):>7.1f}ms  {stored / 1048576:.1f}MB"
        )


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    run(parser.parse_args().rounds)


if __name__ == "__main__":
    main()
