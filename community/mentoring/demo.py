"""Demo mentoring (registered with seed_demo): Алия mentors Тимур; one proposal waits."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from community.mentoring import services
from community.mentoring.models import Mentorship


def load(write) -> None:
    if Mentorship.objects.exists():
        return
    users = {u.email: u for u in get_user_model().objects.filter(is_active=True)}
    coordinator = users["coordinator@example.com"]
    proposal = services.mentorship_propose(
        coordinator=coordinator, mentor=users["mentor@example.com"],
        newcomer=users["newcomer@example.com"], message="Тимур в вашем отделе с этого месяца.")
    services.mentorship_accept(mentor=users["mentor@example.com"], pair=proposal)
    waiting = [u for u in users.values() if u.is_newcomer and u.email != "newcomer@example.com"]
    if waiting and "r.garipov@example.com" in users:
        services.mentorship_propose(coordinator=coordinator, mentor=users["r.garipov@example.com"],
                                    newcomer=waiting[0])
    write(f"Mentoring: {Mentorship.objects.count()} pairs.")
