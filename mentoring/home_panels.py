"""Mentoring on the home page: the newcomer's mentor and next steps, the mentor's mentees."""

from __future__ import annotations

from mentoring import selectors

NEXT_STEPS = 3


def my_mentor(user) -> dict | None:
    if not user.is_newcomer:
        return None
    pair = selectors.open_pair_of_newcomer(user)
    if pair is None:
        return {"pair": None}
    steps, progress = selectors.plan_for(pair)
    return {
        "pair": pair,
        "progress": progress,
        "next_steps": [s for s in steps if s.done_at is None][:NEXT_STEPS],
    }


def my_mentees(user) -> dict | None:
    if not user.is_mentor:
        return None
    return {"mentees": selectors.mentees_of(user)}
