"""The security suite drives the same live server and Chromium as the browser journeys."""

from tests.browser.conftest import (  # noqa: F401  (fixtures)
    browser,
    chromium_path,
    live_app,
)
