"""The security suite drives the same live server and Chromium as the browser journeys,
and uses the forum's categories. The XSS cases have a world of their own (xss_world.py),
whose build starts in the background as soon as they are collected."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures)
    browser,
    chromium_executable,
    chromium_path,
    live_app,
)
from tests.forum.conftest import mentor_lounge, newcomers_corner  # noqa: F401  (fixtures)
from tests.security.xss_world import WorldBuild, WorldFailure, shared_directory

_WORLD = pytest.StashKey[WorldBuild]()


def _world_build(config) -> WorldBuild:
    if _WORLD not in config.stash:
        config.stash[_WORLD] = WorldBuild(shared_directory(config))
    return config.stash[_WORLD]


def pytest_collection_finish(session) -> None:
    """Start building the XSS world now if this process will run an XSS case, so that the
    tests before them run while it seeds."""
    if session.config.option.collectonly or chromium_executable() is None:
        return
    if any("xss_world" in getattr(item, "fixturenames", ()) for item in session.items):
        _world_build(session.config).start()


def pytest_sessionfinish(session, exitstatus) -> None:
    build = session.config.stash.get(_WORLD, None)
    if build is None or not build.building():
        return
    interrupted = exitstatus == pytest.ExitCode.INTERRUPTED or session.shouldstop
    if os.environ.get("PYTEST_XDIST_WORKER") and not interrupted:
        # This worker may be done while another waits for the world it is building.
        with contextlib.suppress(WorldFailure):  # the waiting worker reports it
            build.result()
    else:
        build.cancel()


@pytest.fixture(scope="session")
def xss_world(request) -> tuple[Path, dict]:
    """(the seeded database, the pages that hold the vectors), built once per run."""
    request.getfixturevalue("chromium_path")  # skips without Chromium, as the journeys do
    build = _world_build(request.config)
    try:
        seeded = build.result()
    except WorldFailure as error:
        pytest.fail(f"Building the XSS world failed: {error}", pytrace=False)
    return build.database, seeded
