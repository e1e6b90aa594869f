# The forum's fixtures: a question in «Вопросы новичков» to reply to.
from tests.forum.conftest import newcomers_corner, no_rate_limit, question  # noqa: F401
