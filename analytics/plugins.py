"""Everything the dashboard plugs into the floors below it (community/slots.py)."""

from analytics import demo
from profiles.seeding import DEMO_LOADERS, DemoLoader

# Three years of hires and pairs, so that the retention section has a past to show.
DEMO_LOADERS.fill(DemoLoader("analytics.history", demo.load, order=50))
