from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from community.attachments import selectors, services
from community.attachments.markdown import markdown_for
from community.attachments.models import Attachment
from community.ratelimit import RateLimited
from community.types import AuthedRequest

# What a file may do when opened directly: nothing. No script, no plugins, no frames, no
# requests; an image may show itself.
FILE_CSP = "default-src 'none'; img-src 'self'; sandbox"


# Set on the request by _SizeCap when it skipped a file.
TOO_LARGE = "nastavnik.upload_too_large"


class _SizeCap(FileUploadHandler):
    """Stop reading a file once it passes the largest allowed size, instead of spooling
    a gigabyte to disk first; the view then answers that it is too large."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > _largest_allowed():
            if self.request is not None:  # always, for uploads that reach a view
                self.request.META[TOO_LARGE] = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _largest_allowed() -> int:
    return max(settings.ATTACHMENT_MAX_DOCUMENT_BYTES, settings.ATTACHMENT_MAX_IMAGE_BYTES)


@csrf_exempt  # the handler must go in before anything reads the body; CSRF is checked below
@login_required
@require_POST
def upload(request: AuthedRequest) -> HttpResponse:
    """Store one file (the `file` field) and describe it in JSON for the composer."""
    request.upload_handlers = [_SizeCap(request), *request.upload_handlers]
    return _upload(request)


@csrf_protect
def _upload(request: AuthedRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if request.META.get(TOO_LARGE):
        return _refused(
            _("The file is too large: the limit is %(limit)s.")
            % {"limit": filesizeformat(_largest_allowed())},
            "too_large",
            413,
        )
    if upload is None:
        return _refused(_("Choose a file to attach."), "no_file", 400)
    try:
        attachment = services.attachment_upload(owner=request.user, upload=upload)
    except ValidationError as error:
        return _refused(" ".join(error.messages), error.code or "invalid", 400)
    except RateLimited as error:
        return _refused(str(error.message), "rate_limited", 429)
    return JsonResponse(describe(attachment), status=201)


def _refused(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def describe(attachment: Attachment) -> dict:
    return {
        "key": attachment.key,
        "name": attachment.name,
        "size": attachment.size,
        "kind": attachment.kind,
        "url": attachment.get_absolute_url(),
        "thumbnail_url": attachment.thumbnail_url if attachment.is_image else None,
        "markdown": markdown_for(attachment),
    }


@login_required
@require_GET
def download(request: AuthedRequest, key: str, name: str = "") -> HttpResponseBase:
    attachment = selectors.attachment_get_for(request.user, key)
    return _serve(
        attachment.file, attachment.content_type, attachment.name, inline=attachment.is_image
    )


@login_required
@require_GET
def thumbnail(request: AuthedRequest, key: str) -> HttpResponseBase:
    attachment = selectors.attachment_get_for(request.user, key)
    if not attachment.thumbnail:
        raise Http404
    extension = attachment.thumbnail.name.rsplit(".", 1)[-1]
    stem = attachment.name.rsplit(".", 1)[0]
    return _serve(
        attachment.thumbnail,
        "image/png" if extension == "png" else "image/jpeg",
        f"{stem}.{extension}",
        inline=True,
    )


def _serve(stored: FieldFile, content_type: str, name: str, *, inline: bool) -> HttpResponseBase:
    """The file with headers that keep it a file: the type we checked, never sniffed, an
    attachment unless it is an image, and no power to run anything if opened."""
    response = _sendfile(stored)
    response["Content-Type"] = content_type
    # Never None: a name is always given.
    response["Content-Disposition"] = content_disposition_header(not inline, name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _sendfile(stored: FieldFile) -> HttpResponseBase:
    """Django checks; the web server sends, when it is set up to (docs/deployment.md)."""
    match settings.ATTACHMENT_SENDFILE:
        case "x-accel-redirect":
            response = HttpResponse()
            response["X-Accel-Redirect"] = f"{settings.ATTACHMENT_SENDFILE_PREFIX}{stored.name}"
            return response
        case "x-sendfile":
            response = HttpResponse()
            response["X-Sendfile"] = stored.path
            return response
    try:
        return FileResponse(stored.open("rb"))
    except FileNotFoundError:
        raise Http404 from None
