"""Publishing the build's outputs into ``data/clean/`` all or nothing, on any filesystem.

The outputs are staged in a folder inside the output folder (so every move is a rename on one filesystem, even
when the output folder is a mount point); :func:`publish` sets the old files aside, moves the new ones in, and puts
everything back if any move fails. A staging folder left by a killed build is removed by the next build.
"""

from __future__ import annotations

import csv
import os
import shutil
import uuid
from pathlib import Path

STAGING_PREFIX = ".build-"


class BuildError(Exception):
    """The build could not write or publish its outputs; the message names the file. data/clean is unchanged."""


def staging_folder(out_dir: Path) -> Path:
    """A fresh staging folder inside ``out_dir`` (removing those of killed builds)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.glob(STAGING_PREFIX + "*"):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        stage = out_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
        (stage / "old").mkdir(parents=True)
    except OSError as exc:
        raise BuildError(f"cannot use {out_dir} as the output folder: {exc.strerror or exc}") from exc
    return stage


def publish(stage: Path, out_dir: Path, names: list[str]) -> None:
    """Move ``names`` from ``stage`` into ``out_dir``, all or nothing.

    First every existing output is set aside in ``stage/old``; then the new files are moved in. If any move fails,
    the new files already moved are removed and the old ones put back, and :class:`BuildError` names the file.
    ``stage`` is inside ``out_dir``, so every move is a rename on one filesystem.
    """
    set_aside: list[str] = []
    moved_in: list[str] = []
    try:
        for name in names:
            if (out_dir / name).exists():
                os.replace(out_dir / name, stage / "old" / name)
                set_aside.append(name)
        for name in names:
            os.replace(stage / name, out_dir / name)
            moved_in.append(name)
    except OSError as exc:
        failed = getattr(exc, "filename", None) or "a file"
        for name in moved_in:
            (out_dir / name).unlink(missing_ok=True)
        for name in set_aside:
            os.replace(stage / "old" / name, out_dir / name)
        raise BuildError(
            f"cannot publish into {out_dir}: {exc.strerror or exc} ({Path(str(failed)).name}; is it open in another "
            "program?). Nothing was changed there."
        ) from exc


def check_no_fact_dropped(out_dir: Path, new_ids: set[str]) -> None:
    """Published facts must not disappear by accident (a facts file cut to its header, a deleted file)."""
    published = out_dir / "facts.csv"
    if not published.exists():
        return
    with published.open(encoding="utf-8-sig", newline="") as fh:
        old_ids = {row.get("fact_id", "") for row in csv.DictReader(fh)} - {""}
    gone = sorted(old_ids - new_ids)
    if gone:
        shown = ", ".join(gone[:8]) + (f" and {len(gone) - 8} more" if len(gone) > 8 else "")
        raise BuildError(
            f"{len(gone)} published fact(s) would disappear: {shown} (restore them in data/raw/facts/, or pass "
            "--allow-dropped-facts if they were removed on purpose)"
        )
