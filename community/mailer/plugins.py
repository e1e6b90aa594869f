"""The outbox's periodic job: emails whose delivery died mid-send go back to the queue."""

from community.background.schedule import SCHEDULE, PeriodicJob
from community.mailer import tasks

SCHEDULE.fill(PeriodicJob.every_minutes("mailer.release_stale", tasks.release_stale_claims, 5))
