"""Files to attach, and a private media directory per test."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.attachments import services
from community.attachments.models import Attachment
from tests.forum.conftest import (  # noqa: F401  (fixtures)
    mentor_lounge,
    newcomers_corner,
    no_rate_limit,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "Памятка.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        content_type="application/pdf",
    )


def png(name: str = "screen.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 90)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def uploaded(owner, upload=None) -> Attachment:
    return services.attachment_upload(owner=owner, upload=upload or pdf())
