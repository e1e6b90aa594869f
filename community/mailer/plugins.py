"""The outbox's periodic job, its safety net: emails whose delivery died mid-send go back
to the queue, and any email due gets a delivery."""

from community.background.schedule import SCHEDULE, PeriodicJob
from community.mailer import tasks

SCHEDULE.fill(PeriodicJob.every_minutes("mailer.sweep", tasks.sweep_outbox, 5))
