"""The background machinery's own periodic job: pruning old task results."""

import datetime

from community.background import tasks
from community.background.schedule import SCHEDULE, PeriodicJob

SCHEDULE.fill(PeriodicJob.daily("background.prune", tasks.prune_finished, at=datetime.time(3, 30)))
