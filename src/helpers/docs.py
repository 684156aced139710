"""Keep ``data/README.md`` in step with the schema: its column tables are generated from :mod:`helpers.schema`."""

from __future__ import annotations

from . import paths
from .schema import dictionary_markdown

MARKER = "## Tables and columns\n"


def write_data_readme() -> None:
    """Regenerate the column tables at the end of ``data/README.md`` (the prose above the marker is kept)."""
    path = paths.DATA_DIR / "README.md"
    text = path.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0]
    path.write_text(head + MARKER + "\n" + dictionary_markdown(), encoding="utf-8")
