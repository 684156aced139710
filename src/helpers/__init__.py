"""Helpers for the China industrial clusters notebooks: load the curated tables, compute metrics, draw charts.

Heavy libraries (geopandas, seaborn) are imported only when a map or plot needs them, so ``import helpers``
costs little more than ``import pandas``.
"""

from __future__ import annotations

__version__ = "0.1.0"
