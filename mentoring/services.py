"""Every change to a mentoring pair, each one logged as a transition."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import services as chat
from community.attachments.services import attachments_attach, attachments_upload_all
from community.notifications.services import notifications_send
from mentoring import rules
from mentoring.models import (
    MEETING_FILES,
    Feedback,
    Meeting,
    MentorReport,
    Mentorship,
    MentorshipEvent,
    PlanStep,
    PlanTemplate,
)
from profiles import grammar

Status = Mentorship.Status


def _validate_pairing(mentor, newcomer) -> None:
    if mentor.pk == newcomer.pk:
        raise ValidationError(_("A member cannot mentor themselves."))
    if not (mentor.is_active and mentor.is_mentor):
        raise ValidationError(_("%(name)s is not a mentor.") % {"name": mentor.full_name})
    if not (newcomer.is_active and newcomer.is_newcomer):
        raise ValidationError(_("%(name)s is not a newcomer.") % {"name": newcomer.full_name})
    if Mentorship.objects.filter(newcomer=newcomer, status__in=Mentorship.OPEN).exists():
        raise _already_paired(newcomer)


def _already_paired(newcomer) -> ValidationError:
    return ValidationError(
        _("%(newcomer_genitive)s already has a mentor or a pending proposal.")
        % {"newcomer_genitive": grammar.name_in_case(newcomer, grammar.GENITIVE)}
    )


def _check_capacity(mentor) -> None:
    """Refuse a mentor with no free place; the caller holds the mentor's row lock."""
    active = Mentorship.objects.filter(mentor=mentor, status=Status.ACTIVE).count()
    if active >= mentor.mentor_capacity:
        raise ValidationError(
            _("%(name)s already mentors %(count)d of %(capacity)d newcomers they can take.")
            % {"name": mentor.full_name, "count": active, "capacity": mentor.mentor_capacity},
            code="at_capacity",
        )


def _lock_mentor(mentor):
    return get_user_model().objects.select_for_update().get(pk=mentor.pk)


def _move(pair: Mentorship, to: str, actor, note: str = "") -> None:
    MentorshipEvent.objects.create(
        mentorship=pair, from_status=pair.status, to_status=to, actor=actor, note=note[:500]
    )
    pair.status = to


def _tell(recipients, pair: Mentorship, actor, kind: str, text: str) -> None:
    notifications_send(
        recipients=recipients, actor=actor, kind=kind, text=text, url=pair.get_absolute_url()
    )


def _create(
    *, mentor, newcomer, proposer, message: str, starts_on: datetime.date | None
) -> Mentorship:
    starts_on = starts_on or timezone.localdate()
    ends_on = starts_on + datetime.timedelta(days=settings.MENTORSHIP_PERIOD_DAYS)
    try:
        with transaction.atomic():
            mentor = _lock_mentor(mentor)
            _validate_pairing(mentor, newcomer)
            if not mentor.accepting_mentees:
                raise ValidationError(
                    _("%(name)s is not taking new mentees now.") % {"name": mentor.full_name}
                )
            _check_capacity(mentor)
            pair = Mentorship.objects.create(
                mentor=mentor,
                newcomer=newcomer,
                proposed_by=proposer,
                status=Status.PROPOSED,
                message=message.strip()[:500],
                starts_on=starts_on,
                ends_on=ends_on,
            )
            MentorshipEvent.objects.create(
                mentorship=pair, to_status=Status.PROPOSED, actor=proposer, note=pair.message
            )
            _tell(
                [mentor],
                pair,
                proposer,
                "mentoring.proposed",
                _("%(name)s asks you to mentor %(newcomer_genitive)s")
                % {
                    "name": proposer.full_name,
                    "newcomer_genitive": grammar.name_in_case(newcomer, grammar.GENITIVE),
                },
            )
    except IntegrityError:  # the newcomer got another open pair at the same moment
        raise _already_paired(newcomer) from None
    return pair


def mentorship_propose(
    *, coordinator, mentor, newcomer, message: str = "", starts_on: datetime.date | None = None
) -> Mentorship:
    if not rules.is_coordinator(coordinator):
        raise PermissionDenied(_("Only coordinators propose pairs."))
    return _create(
        mentor=mentor, newcomer=newcomer, proposer=coordinator, message=message, starts_on=starts_on
    )


def mentorship_request(*, newcomer, mentor, message: str = "") -> Mentorship:
    """A newcomer asks a mentor from the directory; the mentor still decides."""
    if not newcomer.is_newcomer:
        raise PermissionDenied(_("Only newcomers ask for a mentor."))
    return _create(
        mentor=mentor, newcomer=newcomer, proposer=newcomer, message=message, starts_on=None
    )


def mentorship_accept(*, mentor, pair: Mentorship) -> Mentorship:
    """The mentor says yes: the pair starts, with its own private chat room."""
    if not rules.can_answer(mentor, pair):
        raise PermissionDenied(_("Only the proposed mentor answers a proposal."))
    with transaction.atomic():
        locked_mentor = _lock_mentor(mentor)
        pair = Mentorship.objects.select_for_update().get(pk=pair.pk)
        if pair.status != Status.PROPOSED:
            raise ValidationError(_("This proposal has been answered already."), code="answered")
        _check_capacity(locked_mentor)
        today = timezone.localdate()
        if pair.starts_on < today:  # accepted later than proposed: the period starts now
            pair.ends_on = today + (pair.ends_on - pair.starts_on)
            pair.starts_on = today
        pair.room = chat.pair_room_open(
            mentor=pair.mentor,
            newcomer=pair.newcomer,
            name=_("%(mentor)s and %(newcomer)s")
            % {"mentor": pair.mentor.full_name, "newcomer": pair.newcomer.full_name},
        )
        _move(pair, Status.ACTIVE, mentor)
        pair.save()
        plan_start(pair)
        _tell(
            [pair.newcomer, pair.proposed_by],
            pair,
            mentor,
            "mentoring.started",
            _("%(name)s is now mentoring %(newcomer_genitive)s")
            % {
                "name": mentor.full_name,
                "newcomer_genitive": grammar.name_in_case(pair.newcomer, grammar.GENITIVE),
            },
        )
    return pair


def template_for(newcomer) -> PlanTemplate | None:
    """The most specific template: department and position, department (or above), anyone."""
    departments: list[int] = []
    department = newcomer.department
    while department is not None and len(departments) < 10:
        departments.append(department.pk)
        department = department.parent
    candidates = list(
        PlanTemplate.objects.filter(Q(department_id__in=departments) | Q(department__isnull=True))
    )

    def specificity(template: PlanTemplate) -> tuple[int, int]:
        if template.position and template.position.casefold() != newcomer.position.casefold():
            return (-1, 0)
        depth = (
            len(departments) - departments.index(template.department_id)
            if template.department_id
            else 0
        )
        return (depth, 1 if template.position else 0)

    ranked = sorted(candidates, key=specificity, reverse=True)
    return ranked[0] if ranked and specificity(ranked[0])[0] >= 0 else None


def plan_start(pair: Mentorship) -> list[PlanStep]:
    """Copy the newcomer's template into the pair's plan, dated from the pair's start."""
    template = template_for(pair.newcomer)
    if template is None:
        return []
    return PlanStep.objects.bulk_create(
        [
            PlanStep(
                mentorship=pair,
                order=step.order,
                title=step.title,
                description=step.description,
                article=step.article,
                thread=step.thread,
                due_on=pair.starts_on + datetime.timedelta(days=step.due_after_days),
            )
            for step in template.steps.all()
        ]
    )


def step_set_done(*, user, step: PlanStep, done: bool) -> PlanStep:
    """Mentor or newcomer ticks a step off (or back on); coordinators watch."""
    if not rules.can_tick(user, step.mentorship):
        raise PermissionDenied(_("Only the mentor and the newcomer tick off their plan."))
    step.done_at, step.done_by = (timezone.now(), user) if done else (None, None)
    step.save(update_fields=["done_at", "done_by"])
    return step


def mentorship_decline(*, mentor, pair: Mentorship, reason: str = "") -> Mentorship:
    if not rules.can_answer(mentor, pair):
        raise PermissionDenied(_("Only the proposed mentor answers a proposal."))
    return _close(
        pair,
        Status.DECLINED,
        mentor,
        reason,
        notify=[pair.proposed_by],
        text=_("%(name)s declined to mentor %(newcomer_genitive)s"),
    )


def mentorship_withdraw(*, actor, pair: Mentorship) -> Mentorship:
    if not rules.can_withdraw(actor, pair):
        raise PermissionDenied(_("You cannot withdraw this proposal."))
    return _close(
        pair,
        Status.WITHDRAWN,
        actor,
        "",
        notify=[pair.mentor],
        text=_("%(name)s withdrew the proposal to mentor %(newcomer_genitive)s"),
    )


def mentorship_end(*, actor, pair: Mentorship, reason: str) -> Mentorship:
    """End a pair early; either side or a coordinator may, and says why."""
    if not rules.can_end(actor, pair):
        raise PermissionDenied(_("You cannot end this pair."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the pair ends early.")})
    others = [u for u in (pair.mentor, pair.newcomer) if u.pk != actor.pk]
    return _close(
        pair,
        Status.ENDED,
        actor,
        reason,
        notify=others,
        text=_("%(name)s ended the mentoring of %(newcomer_genitive)s"),
    )


def mentorship_complete(*, actor, pair: Mentorship) -> Mentorship:
    if not rules.can_complete(actor, pair):
        raise PermissionDenied(_("You cannot complete this pair."))
    return _close(
        pair,
        Status.COMPLETED,
        actor,
        "",
        notify=[pair.newcomer],
        text=_("%(name)s completed the mentoring of %(newcomer_genitive)s"),
    )


def _close(pair: Mentorship, to: str, actor, reason: str, *, notify, text: str) -> Mentorship:
    with transaction.atomic():
        locked = (
            Mentorship.objects.select_for_update(of=("self",))
            .select_related("mentor", "newcomer", "room")
            .get(pk=pair.pk)
        )
        if locked.status != pair.status:
            raise ValidationError(_("The pair changed meanwhile; reload the page."))
        locked.end_reason = reason.strip()[:500]
        _move(locked, to, actor, locked.end_reason)
        locked.save()
        if locked.room is not None:
            chat.room_archive(room=locked.room)
        _tell(
            notify,
            locked,
            actor,
            f"mentoring.{to}",
            text
            % {
                "name": actor.full_name,
                "newcomer_genitive": grammar.name_in_case(locked.newcomer, grammar.GENITIVE),
            },
        )
    return locked


# --- Meetings and the end of the period ------------------------------------------------


def meeting_log(
    *,
    mentor,
    pair: Mentorship,
    held_on: datetime.date,
    notes: str,
    attachments: Sequence[UploadedFile] = (),
    attachment_keys: Collection[str] = frozenset(),
) -> Meeting:
    """The mentor's note of a meeting, with files (uploaded with it or just before)."""
    if not rules.can_log_meeting(mentor, pair):
        raise PermissionDenied(_("The mentor logs the pair's meetings while it runs."))
    if held_on > timezone.localdate() or held_on < pair.starts_on:
        raise ValidationError(
            {
                "held_on": _(
                    "The meeting date must fall within the pair's period, and not in the future."
                )
            }
        )
    uploaded = attachments_upload_all(owner=mentor, uploads=list(attachments))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            mentorship=pair, held_on=held_on, notes=notes.strip(), logged_by=mentor
        )
        attachments_attach(
            owner=mentor,
            keys={a.key for a in uploaded} | set(attachment_keys),
            parent_kind=MEETING_FILES,
            parent_id=meeting.pk,
        )
    return meeting


def feedback_give(
    *, newcomer, pair: Mentorship, rating: int, helpful: bool, comment: str = ""
) -> Feedback:
    if not rules.can_give_feedback(newcomer, pair):
        raise PermissionDenied(_("The newcomer answers the feedback form when the period ends."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                mentorship=pair, rating=rating, helpful=helpful, comment=comment.strip()
            )
    except IntegrityError:
        raise ValidationError(
            _("You have answered already. Thank you!"), code="duplicate"
        ) from None


def report_write(*, mentor, pair: Mentorship, text: str) -> MentorReport:
    if not rules.can_report(mentor, pair):
        raise PermissionDenied(_("The mentor writes the report when the period ends."))
    if not text.strip():
        raise ValidationError({"text": _("Write a few words.")})
    try:
        with transaction.atomic():
            return MentorReport.objects.create(mentorship=pair, text=text.strip())
    except IntegrityError:
        raise ValidationError(_("The report is written already."), code="duplicate") from None
