"""Shared fixtures. Tests that need the source reports skip, with the reason, when the folder is absent."""

from __future__ import annotations

import os

import matplotlib
import pytest
from hypothesis import settings

# Property tests check correctness, not speed: no per-example deadline (a loaded CI machine is slow).
settings.register_profile("project", deadline=None, max_examples=200)
settings.load_profile("project")

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

from helpers import paths  # noqa: E402


@pytest.fixture(scope="session")
def reports_dir():
    folder = paths.reports_dir()
    if not folder.is_dir():
        pytest.skip(f"source reports not found at {folder} (set CLUSTERS_REPORTS_DIR to run this test)")
    return folder


@pytest.fixture(scope="session")
def collection():
    """Execute every notebook once per test session (as `python -m helpers notebooks` does): (status, messages)."""
    from helpers.run_notebooks import run_all

    messages: list[str] = []
    status = run_all(progress=messages.append)
    return status, messages
