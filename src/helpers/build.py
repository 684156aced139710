"""Build ``data/clean/`` from ``data/raw/`` in three stages: validate → transform → write.

Nothing is written unless every raw table passes validation. Outputs go to a temporary folder beside
``data/clean/`` and are then moved into place, so a failed build leaves ``data/clean/`` as it was; files there
that the build does not produce are left alone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import paths
from .schema import TABLES
from .transform import transform
from .validate import RawDataError, validate
from .write import write_csv, write_datapackage, write_parquet, write_xlsx

__all__ = ["build", "BuildResult", "RawDataError", "CSV_OUTPUTS", "BINARY_OUTPUTS"]

CSV_OUTPUTS = [f"{name}.csv" for name in TABLES]
BINARY_OUTPUTS = ["facts.parquet", "clusters.parquet", "clusters.xlsx"]


class BuildResult(dict):
    """Table name → number of rows written, plus ``seconds`` and ``out_dir``."""


def package_version() -> str:
    try:
        return version("china-clusters-helpers")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def build(
    raw_dir: Path | None = None,
    out_dir: Path | None = None,
    reports_folder: Path | None = None,
    binary: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Validate ``raw_dir`` (default ``data/raw/``) and write the clean tables to ``out_dir`` (default
    ``data/clean/``). Raises :class:`RawDataError`, listing every problem, before anything is written.
    ``binary=False`` skips the Parquet and Excel files; ``progress`` is called with a message at each stage."""
    say = progress or (lambda message: None)
    out_dir = out_dir or paths.CLEAN_DIR
    t0 = time.perf_counter()
    say("validating data/raw")
    raw = validate(raw_dir or paths.RAW_DIR, reports_folder)
    say("transforming")
    clean = transform(raw)
    reports = sorted({f["source_file"] for f in clean["facts"]} | {a["source_file"] for a in clean["articles"]})

    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        say("writing CSV and datapackage.json")
        for name, table in TABLES.items():
            write_csv(clean[name], table, tmp / f"{name}.csv")
        write_datapackage(clean, reports, package_version(), tmp / "datapackage.json")
        outputs = [*CSV_OUTPUTS, "datapackage.json"]
        if binary:
            say("writing Parquet and Excel")
            for name in ("facts", "clusters"):
                write_parquet(clean[name], TABLES[name], tmp / f"{name}.parquet")
            write_xlsx(clean, tmp / "clusters.xlsx")
            outputs += BINARY_OUTPUTS
        for name in outputs:
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = BuildResult({name: len(clean[name]) for name in TABLES})
    result["seconds"] = time.perf_counter() - t0
    result["out_dir"] = str(out_dir)
    return result
