"""The background machinery's own periodic job: pruning old task results."""

import datetime

from community.background import tasks
from community.background.schedule import SCHEDULE, PeriodicJob

SCHEDULE.fill(
    PeriodicJob(
        "background.prune",
        tasks.prune_finished,
        every=datetime.timedelta(days=1),
        offset=datetime.timedelta(hours=3, minutes=30),
    )
)
