"""Who may do what with mentoring pairs."""

from __future__ import annotations

from mentoring.models import Mentorship
from profiles.roles import active_only, is_coordinator


@active_only
def can_see(user, pair: Mentorship) -> bool:
    """The pair itself and the coordinators; nobody else learns it exists."""
    return user.pk in (pair.mentor_id, pair.newcomer_id) or is_coordinator(user)


@active_only
def can_answer(user, pair: Mentorship) -> bool:
    """Accepting or declining is the mentor's alone: mentoring is voluntary."""
    return pair.status == Mentorship.Status.PROPOSED and user.pk == pair.mentor_id


@active_only
def can_withdraw(user, pair: Mentorship) -> bool:
    return pair.status == Mentorship.Status.PROPOSED and (
        user.pk == pair.proposed_by_id or is_coordinator(user)
    )


@active_only
def can_end(user, pair: Mentorship) -> bool:
    """Either side may end a pair early, and coordinators may."""
    return pair.status == Mentorship.Status.ACTIVE and can_see(user, pair)


@active_only
def can_complete(user, pair: Mentorship) -> bool:
    return pair.status == Mentorship.Status.ACTIVE and (
        user.pk == pair.mentor_id or is_coordinator(user)
    )


@active_only
def can_tick(user, pair: Mentorship) -> bool:
    return pair.status == Mentorship.Status.ACTIVE and user.pk in (pair.mentor_id, pair.newcomer_id)


@active_only
def can_log_meeting(user, pair: Mentorship) -> bool:
    return pair.status == Mentorship.Status.ACTIVE and user.pk == pair.mentor_id


def period_over(pair: Mentorship) -> bool:
    from django.utils import timezone

    return pair.status in (Mentorship.Status.COMPLETED, Mentorship.Status.ENDED) or (
        pair.status == Mentorship.Status.ACTIVE and pair.ends_on <= timezone.localdate()
    )


@active_only
def can_give_feedback(user, pair: Mentorship) -> bool:
    return user.pk == pair.newcomer_id and period_over(pair)


@active_only
def can_report(user, pair: Mentorship) -> bool:
    return user.pk == pair.mentor_id and period_over(pair)


@active_only
def can_read_feedback(user, pair: Mentorship) -> bool:
    return user.pk == pair.newcomer_id or is_coordinator(user)


@active_only
def can_read_report(user, pair: Mentorship) -> bool:
    return user.pk == pair.mentor_id or is_coordinator(user)
