"""A pytest plugin loaded before Django starts (see addopts): the suite's environment.

Tests run on the development profile (no HTTPS redirect, no required SECRET_KEY);
the production profile is exercised by its own tests and by `check --deploy`.
"""

import os

os.environ.setdefault("DEBUG", "1")
