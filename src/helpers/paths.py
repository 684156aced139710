"""Every path the project uses, derived from this file's location (never from the working directory).

Notebooks, scripts and tests import these constants, so they work from any folder.
``CLUSTERS_PROJECT_ROOT`` overrides the project folder (for a non-editable install, or to build a copy of the data);
``CLUSTERS_REPORTS_DIR`` overrides where the source reports are read from.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("CLUSTERS_PROJECT_ROOT") or PACKAGE_DIR.parent.parent).expanduser().resolve()

DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
RAW_FACTS_DIR = RAW_DIR / "facts"
CLEAN_DIR = DATA_DIR / "clean"

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

BUILD_DIR = PROJECT_ROOT / "build"
FIGURES_DIR = BUILD_DIR / "figures"
BUILD_NOTEBOOKS_DIR = BUILD_DIR / "notebooks"
BRIEFS_DIR = BUILD_DIR / "briefs"
#: Built helper files that are safe to delete (e.g. the chart font subset).
CACHE_DIR = BUILD_DIR / "cache"

#: Default location of the source reports: ``../shared/reports`` beside the project folder.
DEFAULT_REPORTS_DIR = PROJECT_ROOT.parent / "shared" / "reports"


def reports_dir() -> Path:
    """The folder holding the source reports (``$CLUSTERS_REPORTS_DIR`` or ``../shared/reports``).

    The folder may be absent (the reports are not redistributed with the project); callers check ``.is_dir()``.
    """
    override = os.environ.get("CLUSTERS_REPORTS_DIR")
    return Path(override).expanduser().resolve() if override else DEFAULT_REPORTS_DIR
