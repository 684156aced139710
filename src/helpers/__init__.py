"""Helpers for the China industrial clusters notebooks: load the curated tables, compute metrics, draw charts.

Heavy libraries (geopandas, seaborn) are imported only when a map or plot needs them, so ``import helpers``
costs little more than ``import pandas``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("china-clusters-helpers")  # one place for the version: pyproject.toml
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
