"""Every write to members, their profiles and mentor applications."""

from __future__ import annotations

import datetime
import io
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ImageOps

from community import markup, search, text
from community.attachments import images
from community.background.queue import enqueue_on_commit
from community.mailer.services import email_render, outbox_add
from profiles import naming, tasks
from profiles.models import Department, ExpertiseTag, MentorApplication, User

AVATAR_SIZE = 512
AVATAR_MAX_PIXELS = 40_000_000
# MPO is how Pillow names multi-picture JPEGs (phones' depth and Ultra HDR photos).
AVATAR_FORMATS = {"JPEG", "MPO", "PNG", "GIF", "WEBP"}


def user_fill_identity(*, user: User) -> None:
    """Normalise email and name, derive the search and sort keys, and a slug once."""
    user.email = User.objects.normalize_email(user.email).lower()
    # One line: names go into email subjects, where a newline is a header injection.
    user.full_name = text.one_line(user.full_name)
    user.position = text.one_line(user.position)
    user.search_name = naming.search_key(user.full_name)
    user.sort_name = naming.sort_key(user.full_name)[:150]
    if not user.slug:
        base = naming.slug_base(user.full_name, user.email)
        taken = set(
            User.objects.filter(slug__startswith=base)
            .exclude(pk=user.pk)
            .values_list("slug", flat=True)
        )
        user.slug = naming.unique_slug(base, taken)


def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    role: str = User.Role.NEWCOMER,
    **fields,
) -> User:
    """Create a member (createsuperuser, import and demo data come this way)."""
    user = User(email=email, full_name=full_name, role=role, **fields)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    return user_save(user=user)


def user_save(*, user: User) -> User:
    """Save a member whole: every creation and every edit of a member ends here."""
    with transaction.atomic():
        user_fill_identity(user=user)
        _cook_bio(user)
        user.save()
        search.index(user)
    return user


def _cook_bio(user: User) -> None:
    cooked = markup.cook(user.bio)
    user.bio_html = cooked["html"]
    user.bio_markup_version = cooked["version"]


def service_dates_error(start: datetime.date | None, end: datetime.date | None) -> str | None:
    if start and end and end < start:
        return _("The end date cannot be before the start date.")
    return None


def profile_update(
    *,
    user: User,
    full_name: str,
    position: str,
    department: Department | None,
    service_start: datetime.date | None,
    service_end: datetime.date | None,
    bio: str,
    expertise: Iterable[ExpertiseTag],
    mentor_capacity: int | None = None,
    accepting_mentees: bool | None = None,
) -> User:
    if error := service_dates_error(service_start, service_end):
        raise ValidationError({"service_end": error})
    with transaction.atomic():
        user.full_name = full_name
        user.position = position.strip()
        user.department = department
        user.service_start = service_start
        user.service_end = service_end
        user.bio = bio
        if user.is_mentor and mentor_capacity is not None:
            user.mentor_capacity = mentor_capacity
        if user.is_mentor and accepting_mentees is not None:
            user.accepting_mentees = accepting_mentees
        user_save(user=user)
        user.expertise.set(expertise)
        search.index(user)  # again: the expertise is part of what finds a member
    return user


def avatar_set(*, user: User, upload: UploadedFile) -> User:
    """Validate an uploaded photo and store a re-encoded square copy without metadata."""
    if upload.size is None or upload.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large: the limit is %(limit)s MB.")
            % {"limit": round(settings.AVATAR_MAX_BYTES / 1024 / 1024, 1)},
            code="too_large",
        )
    content = _reencode_avatar(upload)
    old_name = user.avatar.name
    with transaction.atomic():
        user.avatar.save(f"{secrets.token_hex(16)}.jpg", ContentFile(content), save=False)
        user.save(update_fields=["avatar"])
        if old_name:
            transaction.on_commit(lambda: user.avatar.storage.delete(old_name))
    return user


def _reencode_avatar(upload: UploadedFile) -> bytes:
    not_an_image = ValidationError(
        _("Upload a photo in JPEG, PNG, GIF or WebP format."), code="not_an_image"
    )
    with images.decoded(
        upload, AVATAR_FORMATS, AVATAR_MAX_PIXELS, not_an_image=not_an_image
    ) as image:
        image = ImageOps.fit(
            ImageOps.exif_transpose(image).convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE)
        )
        out = io.BytesIO()
        # A fresh encode carries no EXIF (no GPS position, no camera serial).
        image.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()


def avatar_remove(*, user: User) -> User:
    if user.avatar:
        name = user.avatar.name
        with transaction.atomic():
            user.avatar = ""
            user.save(update_fields=["avatar"])
            transaction.on_commit(lambda: user.avatar.storage.delete(name))
    return user


# --- Mentor applications -------------------------------------------------------


def mentor_application_submit(
    *,
    applicant: User,
    motivation: str,
    video_url: str = "",
    expertise: Iterable[ExpertiseTag],
) -> MentorApplication:
    if not applicant.is_newcomer:
        raise ValidationError(
            _("Only newcomers can apply: you already have the %(role)s role.")
            % {"role": applicant.get_role_display()},
            code="wrong_role",
        )
    expertise = list(expertise)
    if not expertise:
        raise ValidationError({"expertise": _("Choose at least one area of expertise.")})
    if not motivation.strip():
        raise ValidationError({"motivation": _("Tell us why you want to mentor.")})
    if applicant.mentor_applications.filter(status=MentorApplication.Status.PENDING).exists():
        raise ValidationError(_("You already have an application under review."), code="duplicate")
    cooked = markup.cook(motivation)
    try:
        with transaction.atomic():
            application = MentorApplication.objects.create(
                applicant=applicant,
                motivation=motivation,
                motivation_html=cooked["html"],
                motivation_markup_version=cooked["version"],
                video_url=video_url,
            )
            application.expertise.set(expertise)
            # robust: a mail server that is down must not turn a saved application into a 500.
            enqueue_on_commit(tasks.email_application_submitted, application.pk)
    except IntegrityError:
        # The partial unique index is the real guard against double submits (two tabs, a retry).
        raise ValidationError(
            _("You already have an application under review."), code="duplicate"
        ) from None
    return application


def mentor_application_withdraw(*, application: MentorApplication, actor: User) -> None:
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = MentorApplication.objects.select_for_update().get(pk=application.pk)
        if not locked.is_pending:
            raise ValidationError(_("This application has already been decided."))
        locked.status = MentorApplication.Status.WITHDRAWN
        locked.save(update_fields=["status"])


def mentor_application_decide(
    *,
    application: MentorApplication,
    coordinator: User,
    approve: bool,
    comment: str = "",
) -> MentorApplication:
    if not coordinator.is_coordinator:
        raise PermissionDenied
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Explain the decision to the applicant.")})
    with transaction.atomic():
        application = MentorApplication.objects.select_for_update().get(pk=application.pk)
        if not application.is_pending:
            raise ValidationError(_("This application has already been decided."))
        application.status = (
            MentorApplication.Status.APPROVED if approve else MentorApplication.Status.REJECTED
        )
        application.decided_by = coordinator
        application.decided_at = timezone.now()
        application.decision_comment = comment.strip()
        application.save()
        if approve:
            applicant = application.applicant
            if applicant.is_newcomer:
                applicant.role = User.Role.MENTOR
                applicant.save(update_fields=["role"])
            applicant.expertise.add(*application.expertise.all())
        enqueue_on_commit(tasks.email_application_decided, application.pk)
    return application


def application_submitted_email(application_id: int) -> int:
    """Tell the coordinators about a new mentor application (run by a worker)."""
    application = (
        MentorApplication.objects.select_related("applicant").filter(pk=application_id).first()
    )
    if application is None:
        return 0  # withdrawn and deleted meanwhile: nothing to say
    recipients = list(
        User.objects.filter(role=User.Role.COORDINATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return outbox_add(
        (
            f"application:{application.pk}:submitted:{address}",
            email_render(
                "profiles/email/application_submitted", {"application": application}, [address]
            ),
        )
        for address in recipients
    )


def application_decided_email(application_id: int) -> int:
    """Tell the applicant what the coordinators decided (run by a worker)."""
    application = (
        MentorApplication.objects.select_related("applicant").filter(pk=application_id).first()
    )
    if application is None or not application.applicant.email:
        return 0
    return outbox_add(
        [
            (
                f"application:{application.pk}:{application.status}",
                email_render(
                    "profiles/email/application_decided",
                    {"application": application},
                    [application.applicant.email],
                ),
            )
        ]
    )
