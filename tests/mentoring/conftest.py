"""The forum's categories and threads, for the homes' panels."""

from tests.forum.conftest import (  # noqa: F401  (fixtures)
    lounge_thread,
    mentor_lounge,
    newcomers_corner,
    question,
)
