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
def build_root(tmp_path_factory):
    """The output folder of the test session's notebook run: a temporary folder, never the user's build/."""
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def collection(build_root):
    """Execute every notebook once per test session (as `python -m helpers notebooks` does) into ``build_root``:
    (status, messages)."""
    from helpers.run_notebooks import run_all

    messages: list[str] = []
    status = run_all(progress=messages.append, output_root=build_root)
    return status, messages
