"""Everything mentoring plugs into the floors below it (community/slots.py): its
notification kinds, its button on mentors' profiles, who reads the files of a pair's
meeting notes (the pair and the coordinators), and the routing of new questions."""

from django.utils.translation import gettext_lazy as _

from community.attachments.parents import KINDS as ATTACHMENT_PARENTS
from community.attachments.parents import ParentKind
from community.background.schedule import SCHEDULE, PeriodicJob
from community.notifications.registry import KINDS as NOTIFICATION_KINDS
from community.notifications.registry import NotificationKind
from forum.slots import QUESTION_LISTENERS, QuestionListener
from mentoring import demo, routing, rules, tasks
from mentoring.models import MEETING_FILES, Meeting
from profiles.activity import BUTTONS, ProfileButton
from profiles.seeding import DEMO_LOADERS, DemoLoader


def _may_ask(member, viewer) -> bool:
    return viewer.is_newcomer and member.is_mentor and member.is_active and member.accepting_mentees


def _meeting_readable(user, meeting_id: int) -> bool:
    meeting = Meeting.objects.select_related("mentorship").filter(pk=meeting_id).first()
    return meeting is not None and rules.can_see(user, meeting.mentorship)


ATTACHMENT_PARENTS.fill(ParentKind(MEETING_FILES, _meeting_readable))
for key, label in [
    ("mentoring.proposed", _("Proposals to mentor someone")),
    ("mentoring.started", _("Pairs that started")),
    ("mentoring.declined", _("Declined proposals")),
    ("mentoring.withdrawn", _("Withdrawn proposals")),
    ("mentoring.ended", _("Pairs ended early")),
    ("mentoring.completed", _("Completed pairs")),
    ("mentoring.question", _("Newcomers' questions in my expertise")),
    ("mentoring.escalated", _("Questions left unanswered")),
]:
    NOTIFICATION_KINDS.fill(NotificationKind(key, label))
QUESTION_LISTENERS.fill(QuestionListener("mentoring.routing", routing.route_question))
BUTTONS.fill(
    ProfileButton(
        key="mentoring.request",
        label=_("Ask to be my mentor"),
        url_name="mentoring:request",
        shown=_may_ask,
        order=20,
    )
)

DEMO_LOADERS.fill(DemoLoader("mentoring", demo.load, order=40))
# Every half hour: newcomers' questions left unanswered too long (routing.py).
SCHEDULE.fill(PeriodicJob.every_minutes("mentoring.escalate", tasks.escalate_questions, 30))
