"""The security suite drives the same live server and Chromium as the browser journeys,
and uses the forum's categories."""

from tests.browser.conftest import (  # noqa: F401  (fixtures)
    browser,
    chromium_path,
    live_app,
)
from tests.forum.conftest import mentor_lounge, newcomers_corner  # noqa: F401  (fixtures)
