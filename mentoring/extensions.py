"""Mentoring's notification kinds, its button on mentors' profiles, and who reads the
files of a pair's meeting notes (the pair and the coordinators)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.attachments.parents import ParentKind, register_parent_kind
from mentoring import routing, rules
from mentoring.models import MEETING_FILES
from community.notifications.registry import register_kind
from forum.extensions import register_question_listener
from profiles.activity import ProfileButton, register_profile_button


def _may_ask(member, viewer) -> bool:
    return (viewer.is_newcomer and member.is_mentor and member.is_active
            and member.accepting_mentees)


def _meeting_readable(user, meeting_id: int) -> bool:
    from mentoring.models import Meeting

    meeting = Meeting.objects.select_related("mentorship").filter(pk=meeting_id).first()
    return meeting is not None and rules.can_see(user, meeting.mentorship)


def register() -> None:
    register_parent_kind(ParentKind(MEETING_FILES, _meeting_readable))
    for kind, label in [("mentoring.proposed", _("Proposals to mentor someone")),
                        ("mentoring.started", _("Pairs that started")),
                        ("mentoring.declined", _("Declined proposals")),
                        ("mentoring.withdrawn", _("Withdrawn proposals")),
                        ("mentoring.ended", _("Pairs ended early")),
                        ("mentoring.completed", _("Completed pairs")),
                        ("mentoring.question", _("Newcomers' questions in my expertise")),
                        ("mentoring.escalated", _("Questions left unanswered"))]:
        register_kind(kind, label)
    register_question_listener(routing.route_question)
    register_profile_button(ProfileButton(
        key="mentoring.request", label=_("Ask to be my mentor"),
        url_name="mentoring:request", shown=_may_ask, order=20))
