"""Everything profiles plugs into the core (community/slots.py)."""

import datetime
import re

from community import markup, search
from community.background.schedule import SCHEDULE, PeriodicJob
from profiles import search_index, selectors, tasks
from profiles.models import MentorApplication, User

markup.LINK_TITLERS.fill(
    markup.LinkTitler(
        "profiles.member",
        re.compile(r"/people/(?P<slug>[-a-z0-9]{1,80})/?"),
        selectors.member_name_for_link,
    )
)
markup.COOKED_FIELDS.fill(
    markup.CookedField(User, source="bio", html="bio_html", version="bio_markup_version")
)
markup.COOKED_FIELDS.fill(
    markup.CookedField(
        MentorApplication,
        source="motivation",
        html="motivation_html",
        version="motivation_markup_version",
    )
)
search.KINDS.fill(search_index.MEMBERS)
search.FACETS.fill(search_index.TAG_FACET)
# Daily at 04:00: HR files uploaded on the import page are deleted after a day.
SCHEDULE.fill(
    PeriodicJob.daily("profiles.import_files_purge", tasks.purge_import_files, at=datetime.time(4))
)
