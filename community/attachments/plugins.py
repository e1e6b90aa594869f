"""Attachments' periodic job: the purge, hourly at a quarter past."""

from community.attachments import tasks
from community.background.schedule import SCHEDULE, PeriodicJob

SCHEDULE.fill(PeriodicJob.hourly("attachments.purge", tasks.purge_attachments, minute=15))
