"""Notifications' periodic job: the daily digest, at 07:00 local time (settings.TIME_ZONE)."""

import datetime

from community.background.schedule import SCHEDULE, PeriodicJob
from community.notifications import tasks

SCHEDULE.fill(PeriodicJob.daily("notifications.digest", tasks.send_digests, at=datetime.time(7)))
