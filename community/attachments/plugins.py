"""Attachments' periodic job: the purge, hourly at a quarter past."""

import datetime

from community.attachments import tasks
from community.background.schedule import SCHEDULE, PeriodicJob

SCHEDULE.fill(
    PeriodicJob(
        "attachments.purge",
        tasks.purge_attachments,
        every=datetime.timedelta(hours=1),
        offset=datetime.timedelta(minutes=15),
    )
)
