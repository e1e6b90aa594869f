"""What a file is, judged by its bytes: the allowlist of types members may attach.

The name's extension only has to agree with the content. Office files are ZIP archives,
so they are recognised by the entries inside, and the archive is measured before anyone
trusts it: a "docx" that inflates to gigabytes is a bomb, not a document.
"""

from __future__ import annotations

import codecs
import dataclasses
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IMAGE = "image"
DOCUMENT = "document"


@dataclass(frozen=True)
class FileType:
    name: str
    extensions: tuple[str, ...]  # the first one is the canonical
    content_type: str
    kind: str

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("pdf", ("pdf",), "application/pdf", DOCUMENT)
DOCX = FileType(
    "docx",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DOCUMENT,
)
XLSX = FileType(
    "xlsx", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", DOCUMENT
)
PPTX = FileType(
    "pptx",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    DOCUMENT,
)
ODT = FileType("odt", ("odt",), "application/vnd.oasis.opendocument.text", DOCUMENT)
ODS = FileType("ods", ("ods",), "application/vnd.oasis.opendocument.spreadsheet", DOCUMENT)
TXT = FileType("txt", ("txt", "text", "log", "md"), "text/plain; charset=utf-8", DOCUMENT)
CSV = FileType("csv", ("csv",), "text/csv; charset=utf-8", DOCUMENT)
PNG = FileType("png", ("png",), "image/png", IMAGE)
JPEG = FileType("jpeg", ("jpg", "jpeg", "jpe"), "image/jpeg", IMAGE)
GIF = FileType("gif", ("gif",), "image/gif", IMAGE)
WEBP = FileType("webp", ("webp",), "image/webp", IMAGE)

TYPES = (PDF, DOCX, XLSX, PPTX, ODT, ODS, TXT, CSV, PNG, JPEG, GIF, WEBP)
BY_NAME = {file_type.name: file_type for file_type in TYPES}

# Office Open XML: the part that makes a package a document, a workbook or a deck.
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
_SNIFF_BYTES = 64 * 1024
MAX_NAME_LENGTH = 120


def sniff(upload: IO[bytes], extension: str) -> FileType:
    """The type of the file by its content, or a ValidationError naming what is allowed."""
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    found = _by_magic(head) or (
        _zip_type(upload) if head.startswith(b"PK\x03\x04") else _text_type(head, extension)
    )
    if found is None:
        raise ValidationError(
            _(
                "This kind of file cannot be attached. Allowed: PDF, Word, Excel, PowerPoint, "
                "OpenDocument, text and CSV files, and PNG, JPEG, GIF and WebP images."
            ),
            code="type_not_allowed",
        )
    return found


def _by_magic(head: bytes) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _zip_type(upload: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            _check_not_a_bomb(entries)
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # at most 100 bytes inflated
                    return _ODF_MIMETYPES.get(entry.read(100).decode("ascii", "replace"))
            if "[Content_Types].xml" in names:
                return next((t for part, t in _OOXML_PARTS.items() if part in names), None)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        KeyError,
        NotImplementedError,
        RuntimeError,
    ):
        raise ValidationError(
            _("The file is damaged: it could not be read as a document."), code="damaged"
        ) from None
    finally:
        upload.seek(0)
    return None


def _check_not_a_bomb(entries: list[zipfile.ZipInfo]) -> None:
    """Nothing here inflates the entries; whoever opens the file later would. A small file
    may compress a thousandfold (a template of repeated rows) and harm no one, so the ratio
    counts only once what it inflates to is large."""
    inflated = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > settings.ATTACHMENT_ZIP_MAX_ENTRIES
        or inflated > settings.ATTACHMENT_ZIP_MAX_INFLATED_BYTES
        or (
            inflated > settings.ATTACHMENT_ZIP_RATIO_FROM_BYTES
            and inflated / packed > settings.ATTACHMENT_ZIP_MAX_RATIO
        )
    ):
        raise ValidationError(
            _("The document unpacks to far more than its size; it is refused as unsafe."),
            code="zip_bomb",
        )


def _text_type(head: bytes, extension: str) -> FileType | None:
    """Plain text or CSV, in UTF-8 or the Windows Cyrillic code page; never binary."""
    if extension not in TXT.extensions + CSV.extensions or b"\x00" in head:
        return None
    # The head may end inside a multi-byte character: decode incrementally.
    for encoding, charset in (("utf-8", "utf-8"), ("cp1251", "windows-1251")):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        found = CSV if extension in CSV.extensions else TXT
        # Stored as sent; the download names the code page it was written in.
        media_type = found.content_type.split(";")[0]
        return dataclasses.replace(found, content_type=f"{media_type}; charset={charset}")
    return None


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def safe_name(name: str, file_type: FileType) -> str:
    """The name to offer on download: no path, no control characters, not too long, and an
    extension that agrees with the content (refused if it says something else)."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    extension = extension_of(name)
    if extension and extension not in file_type.extensions:
        raise ValidationError(
            _("The file is named .%(extension)s but holds %(kind)s. Rename it and try again.")
            % {"extension": extension, "kind": file_type.name.upper()},
            code="extension_mismatch",
        )
    stem = name[: -len(extension) - 1] if extension else name
    stem = stem[:MAX_NAME_LENGTH].strip(" .") or _("file")
    return f"{stem}.{extension or file_type.extension}"
