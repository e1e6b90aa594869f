"""Mentoring's notification kinds and its button on mentors' profiles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.mentoring import routing
from community.notifications.registry import register_kind
from forum.extensions import register_question_listener
from profiles.activity import ProfileButton, register_profile_button


def _may_ask(member, viewer) -> bool:
    return (viewer.is_newcomer and member.is_mentor and member.is_active
            and member.accepting_mentees)


def register() -> None:
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
