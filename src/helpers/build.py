"""Build ``data/clean/`` from ``data/raw/`` in three stages: validate → transform → write, then publish.

Nothing is written unless every raw table passes validation. The outputs are written into a staging folder inside
the output folder and published all or nothing (:mod:`helpers.publish`). Files there that the build does not
produce are left alone.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from . import __version__, paths
from .publish import BuildError, check_no_fact_dropped, publish, staging_folder
from .schema import TABLES
from .transform import transform
from .validate import RawDataError, ReportsNotFound, validate
from .write import write_csv, write_datapackage, write_parquet, write_xlsx

__all__ = ["build", "publish", "BuildResult", "BuildError", "RawDataError", "ReportsNotFound", "CSV_OUTPUTS"]

CSV_OUTPUTS = [f"{name}.csv" for name in TABLES]
BINARY_OUTPUTS = ["facts.parquet", "clusters.parquet", "clusters.xlsx"]


class BuildResult(dict):
    """Table name → number of rows written, plus ``seconds``, ``out_dir`` and ``lines_checked``."""


def build(
    raw_dir: Path | None = None,
    out_dir: Path | None = None,
    reports_folder: Path | None = None,
    binary: bool = True,
    progress: Callable[[str], None] | None = None,
    skip_line_checks: bool = False,
    allow_dropped_facts: bool = False,
) -> BuildResult:
    """Validate ``raw_dir`` (default ``data/raw/``) and publish the clean tables in ``out_dir`` (default
    ``data/clean/``). Raises :class:`RawDataError` (every problem listed), :class:`ReportsNotFound` (unless
    ``skip_line_checks``) or :class:`BuildError` (a file that cannot be written, or published facts that would
    disappear, unless ``allow_dropped_facts``); in each case ``out_dir`` is left as it was."""
    say = progress or (lambda message: None)
    out_dir = out_dir or paths.CLEAN_DIR
    t0 = time.perf_counter()
    say("validating data/raw")
    raw = validate(raw_dir or paths.RAW_DIR, reports_folder, skip_line_checks=skip_line_checks)
    say("transforming")
    clean = transform(raw)
    if not allow_dropped_facts:
        check_no_fact_dropped(out_dir, {f["fact_id"] for f in clean["facts"]})
    reports = sorted({f["source_file"] for f in clean["facts"]} | {a["source_file"] for a in clean["articles"]})

    stage = staging_folder(out_dir)
    try:
        say("writing CSV and datapackage.json")
        for name, table in TABLES.items():
            _write(write_csv, clean[name], table, stage / f"{name}.csv")
        _write(write_datapackage, clean, reports, __version__, raw.lines_checked, stage / "datapackage.json")
        outputs = [*CSV_OUTPUTS, "datapackage.json"]
        if binary:
            say("writing Parquet and Excel")
            for name in ("facts", "clusters"):
                _write(write_parquet, clean[name], TABLES[name], stage / f"{name}.parquet")
            _write(write_xlsx, clean, stage / "clusters.xlsx")
            outputs += BINARY_OUTPUTS
        say(f"publishing {len(outputs)} files")
        publish(stage, out_dir, outputs)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    result = BuildResult({name: len(clean[name]) for name in TABLES})
    result.update(seconds=time.perf_counter() - t0, out_dir=str(out_dir), lines_checked=raw.lines_checked)
    return result


def _write(writer, *args) -> None:
    """Run one writer; a filesystem error becomes a BuildError naming the file (the last argument)."""
    try:
        writer(*args)
    except OSError as exc:
        raise BuildError(f"cannot write {args[-1].name}: {exc.strerror or exc} (data/clean left unchanged)") from exc
