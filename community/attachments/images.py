"""Images are decoded, checked and encoded afresh: what is stored carries no metadata.

A photo from a phone knows where it was taken (EXIF GPS) and by which camera; a fresh
encode keeps the pixels and the colour profile only. Decoding is where hostile files bite,
so the pixel count is checked before the pixels are read, and a truncated or lying file is
refused rather than half-read.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (480, 480)
# Per allowed type: what Pillow may find inside, and what we write. A phone's JPEG is often
# MPO (several pictures, the first being the photo); it is stored as a plain JPEG.
FORMATS = {
    "png": ({"PNG"}, "PNG"),
    "jpeg": ({"JPEG", "MPO"}, "JPEG"),
    "gif": ({"GIF"}, "GIF"),
    "webp": ({"WEBP"}, "WEBP"),
}
ANIMATED = {"GIF", "WEBP"}
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@dataclass(frozen=True)
class Encoded:
    content: bytes
    thumbnail: bytes
    thumbnail_extension: str
    width: int
    height: int


# The decoding cost cap. A photo or a screenshot takes at least a byte for every few dozen
# pixels; a large image packed much tighter than that (a 49-megapixel PNG of 60 KB) is
# there to make the server spend seconds decoding and re-encoding it, and is refused
# before it is decoded.
COST_CAP_FROM_PIXELS = 16_000_000
MAX_PIXELS_PER_BYTE = 64


def _check_cost(upload: IO[bytes], pixels: int) -> None:
    size = upload.seek(0, io.SEEK_END)
    upload.seek(0)
    if pixels > COST_CAP_FROM_PIXELS and pixels > MAX_PIXELS_PER_BYTE * max(size, 1):
        raise ValidationError(
            _(
                "The image is %(megapixels)d megapixels in a file of %(kilobytes)d KB, too "
                "many pixels for its size. Save it at a smaller size and try again."
            )
            % {"megapixels": pixels // 1_000_000, "kilobytes": size // 1024},
            code="too_costly",
        )


@contextmanager
def decoded(
    upload: IO[bytes],
    formats: set[str],
    max_pixels: int,
    *,
    not_an_image: ValidationError | None = None,
) -> Iterator[Image.Image]:
    """The image, fully read; a ValidationError (`not_an_image`) for anything else."""
    not_an_image = not_an_image or ValidationError(
        _("The image is damaged or not an image."), code="damaged"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in formats:
                    raise not_an_image
                pixels = probe.width * probe.height * getattr(probe, "n_frames", 1)
                if pixels > max_pixels:
                    raise ValidationError(
                        _("The image has too many pixels."), code="too_many_pixels"
                    )
                _check_cost(upload, pixels)
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                yield image
    except _DECODE_ERRORS:
        raise not_an_image from None
    finally:
        upload.seek(0)


def reencode(upload: IO[bytes], file_type: str) -> Encoded:
    """A clean copy in the same format (animation kept), and a thumbnail for previews."""
    accepted, pillow_format = FORMATS[file_type]
    with decoded(upload, accepted, settings.ATTACHMENT_IMAGE_MAX_PIXELS) as image:
        animated = pillow_format in ANIMATED and getattr(image, "is_animated", False)
        upright = image if animated else ImageOps.exif_transpose(image)
        # The first frame, before saving every frame leaves the image on its last one.
        thumbnail, extension = _thumbnail(upright)
        out = io.BytesIO()
        upright.save(out, format=pillow_format, **_save_options(image, pillow_format, animated))
        return Encoded(out.getvalue(), thumbnail, extension, upright.width, upright.height)


def _save_options(image: Image.Image, pillow_format: str, animated: bool) -> dict:
    """What the new file keeps: the colour profile and, for an animation, its looping.
    Writers copy comments from the source unless told otherwise, so they are told; each
    frame keeps its own delay because none is given here."""
    options: dict = {"comment": b""}
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    if animated:
        options["save_all"] = True
        if "loop" in image.info:
            options["loop"] = image.info["loop"]
    if pillow_format == "JPEG":
        options.update(quality=90, optimize=True)
    return options


def _thumbnail(image: Image.Image) -> tuple[bytes, str]:
    """JPEG for photos, PNG where there is transparency to keep."""
    frame = image.copy()
    frame.thumbnail(THUMBNAIL_SIZE)
    transparent = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
    out = io.BytesIO()
    if transparent:
        frame.convert("RGBA").save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    frame.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue(), "jpg"
