import pytest

from tests.background import tasks_for_tests


@pytest.fixture(autouse=True)
def _nothing_recorded():
    tasks_for_tests.RECORDED.clear()
