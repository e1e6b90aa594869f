"""The outbox's periodic job: emails whose delivery died mid-send go back to the queue."""

import datetime

from community.background.schedule import SCHEDULE, PeriodicJob
from community.mailer import tasks

SCHEDULE.fill(
    PeriodicJob(
        "mailer.release_stale", tasks.release_stale_claims, every=datetime.timedelta(minutes=5)
    )
)
