"""Newcomers' questions reach the mentors who know the subject; unanswered ones, coordinators."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.notifications.services import notifications_send
from forum.models import Thread
from mentoring.models import QuestionEscalation, RoutingOptIn


def route_question(thread: Thread) -> int:
    """Tell opted-in mentors whose expertise matches the question's tags, or who work in the
    asker's department. Called inside the transaction that creates the question."""
    asker = thread.author
    match = Q(expertise__in=thread.tags.all())
    if asker.department_id:
        match |= Q(department_id=asker.department_id)
    mentors = list(
        get_user_model()
        .objects.filter(
            match, role="mentor", is_active=True, pk__in=RoutingOptIn.objects.values("user_id")
        )
        .exclude(pk=asker.pk)
        .distinct()
    )
    notifications_send(
        recipients=mentors,
        actor=asker,
        kind="mentoring.question",
        url=thread.get_absolute_url(),
        text=_("%(name)s asks: «%(title)s»") % {"name": asker.full_name, "title": thread.title},
    )
    return len(mentors)


def routing_set(*, user, enabled: bool) -> None:
    if enabled:
        RoutingOptIn.objects.get_or_create(user=user)
    else:
        RoutingOptIn.objects.filter(user=user).delete()


def escalate_questions(*, now=None) -> int:
    """Tell coordinators about newcomers' questions unanswered for too long, once each."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.QUESTION_ESCALATION_HOURS)
    waiting = (
        Thread.objects.filter(
            kind=Thread.Kind.QUESTION,
            reply_count=0,
            is_hidden=False,
            author__role="newcomer",
            created_at__lte=cutoff,
        )
        .exclude(pk__in=QuestionEscalation.objects.values("thread_id"))
        .select_related("author")
    )
    coordinators = list(get_user_model().objects.filter(role="coordinator", is_active=True))
    escalated = 0
    for thread in waiting:
        try:
            with transaction.atomic():
                QuestionEscalation.objects.create(thread=thread)
                notifications_send(
                    recipients=coordinators,
                    actor=thread.author,
                    kind="mentoring.escalated",
                    url=thread.get_absolute_url(),
                    text=_("No answer for %(hours)d hours: «%(title)s»")
                    % {"hours": settings.QUESTION_ESCALATION_HOURS, "title": thread.title},
                )
        except IntegrityError:  # another run escalated it a moment ago
            continue
        escalated += 1
    return escalated
