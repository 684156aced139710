"""Stage 3 of the build: clean records → files (CSV, Parquet, the Excel workbook, ``datapackage.json``).

Column order, types and descriptions come from :data:`helpers.schema.TABLES`. Every writer is deterministic:
writing the same records twice gives byte-identical CSV and JSON files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from pathlib import Path

import pandas as pd

from .schema import LICENSE_DATA, PROJECT_TITLE, TABLES, Table, frictionless_schema, unit_or_vocabulary


def format_cell(value) -> str:
    """One cell as text: integers without '.0', floats with up to 15 significant digits, booleans true/false."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    return str(value)


def write_csv(records: list[dict], table: Table, path: Path) -> None:
    """UTF-8 with BOM (so Excel shows Chinese), '\\n' line ends, the declared column order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = table.clean_columns
    writer.writerow(names)
    writer.writerows([format_cell(rec.get(name)) for name in names] for rec in records)
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8", newline="")


def to_frame(records: list[dict], table: Table) -> pd.DataFrame:
    """Records → typed DataFrame as the CSV reads: numbers float64 with the CSV's 15 significant digits, integers
    Int64, booleans boolean, text string; an empty cell is null in every column (the package's missing value)."""
    df = pd.DataFrame.from_records(records, columns=list(table.clean_columns))
    for f in table.clean_fields:
        col = df[f.name]
        if f.type == "number":
            as_float = pd.to_numeric(col, errors="coerce").astype("float64")
            df[f.name] = as_float.map(lambda v: float(format(v, ".15g")) if math.isfinite(v) else math.nan)
        elif f.type == "integer":
            df[f.name] = col.astype("Int64")
        elif f.type == "boolean":
            df[f.name] = col.astype("boolean")
        else:
            df[f.name] = col.astype("string").replace("", pd.NA)
    return df


def write_parquet(records: list[dict], table: Table, path: Path) -> None:
    to_frame(records, table).to_parquet(path, index=False)


_FORMULA_STARTS = ("=", "+", "-", "@")


def _readme_rows() -> list[list[str]]:
    rows = [
        [PROJECT_TITLE + " — curated tables"],
        ["Every figure carries source_file, source_line and figure_text (as printed) so it can be cited."],
        ["Licence of the curated data: CC BY 4.0. Code: MIT."],
        [f"Cite as: {PROJECT_TITLE}, curated dataset of Chinese industrial clusters (version in datapackage.json)."],
        ["The source reports are not redistributed; see the project README for their titles."],
        [],
        ["sheet", "column", "type", "unit / vocabulary", "description"],
    ]
    for table in TABLES.values():
        rows += [[table.name, f.name, f.type, unit_or_vocabulary(f), f.description] for f in table.clean_fields]
    return rows


def _cell(ws, value, font=None):
    """A write-only cell that is never a formula: text starting with = + - @ gets the quote-prefix style,
    characters XML cannot hold are dropped, NaN and inf are empty."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, float) and not math.isfinite(value):
        value = None
    c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
    if isinstance(value, str):
        c.data_type = "s"  # never a formula
        c.quotePrefix = value[:1] in _FORMULA_STARTS
    if font is not None:
        c.font = font
    return c


def _plain(ws, value):
    """Most cells go in as plain values (several times faster than a cell object each); text that a spreadsheet
    would read as a formula, or that holds characters XML cannot, goes through :func:`_cell`."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return _cell(ws, value) if value[0] in _FORMULA_STARTS or ILLEGAL_CHARACTERS_RE.search(value) else value
    if isinstance(value, float):
        # The CSV's 15 significant digits (Excel keeps no more); openpyxl would write 16, off in the last one.
        return float(format(value, ".15g")) if math.isfinite(value) else None
    return value


def _write_sheet(wb, name: str, columns: list[str], rows: list[list]) -> None:
    """One sheet: bold frozen header with filters, readable widths, landscape print fitted to the page width."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header_font, top = Font(bold=True), Alignment(vertical="top")
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    for idx, col in enumerate(columns, start=1):
        longest = max([len(col)] + [len(format_cell(r[idx - 1])) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(idx)].width = min(60, max(8, longest + 2))
    header = []
    for col in columns:
        c = _cell(ws, col, header_font)
        c.alignment = top
        header.append(c)
    # Filters on the header; printing fits a sheet to the page width (landscape) and repeats the header.
    # (Set before the first row: a write-only sheet writes its properties then.)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.append(header)
    for row in rows:
        ws.append([_plain(ws, v) for v in row])


def write_xlsx(tables: dict[str, list[dict]], path: Path) -> None:
    """One sheet per table plus a README sheet; frozen header, readable widths; no cell is ever a formula.

    openpyxl in write-only mode. Text starting with = + - @ is written as text with the quote-prefix style, so a
    spreadsheet keeps it as text when the cell is edited; characters XML cannot hold are dropped; NaN and inf are
    empty cells. (The real data, 760 facts, takes about a third of a second; ``python -m helpers bench``.)
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    wb.properties.creator = PROJECT_TITLE
    readme = wb.create_sheet("README")
    for letter, width in zip("ABCDE", (18, 18, 10, 28, 90), strict=True):
        readme.column_dimensions[letter].width = width
    for i, row in enumerate(_readme_rows()):
        readme.append([_cell(readme, v, Font(size=14) if i == 0 else None) for v in row])
    for name, table in TABLES.items():
        columns = list(table.clean_columns)
        _write_sheet(wb, name, columns, [[rec.get(col) for col in columns] for rec in tables[name]])
    wb.save(path)
    make_reproducible(path)


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """Write DataFrames as the sheets of one workbook, the safe way every workbook of the project is written: no
    cell is ever a formula (cells as in :func:`write_xlsx`), missing values are empty cells, fixed timestamps.

    Booleans stay booleans, whole numbers integers; sheet names are cut to Excel's 31 characters.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = PROJECT_TITLE
    for name, df in sheets.items():
        rows = [[None if _missing(v) else v.item() if hasattr(v, "item") else v for v in rec]
                for rec in df.astype(object).itertuples(index=False, name=None)]  # fmt: skip
        _write_sheet(wb, str(name)[:31], [str(c) for c in df.columns], rows)
    wb.save(path)
    make_reproducible(path)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


#: The timestamp written into every workbook (and its zip entries), so that rebuilding gives the same bytes.
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def make_reproducible(path: Path) -> None:
    """Rewrite an xlsx with fixed timestamps (document properties and zip entries), in the same entry order."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(r"\g<1>2000-01-01T00:00:00Z\g<2>", data.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)


def datapackage(tables: dict[str, list[dict]], reports: list[str], version: str, lines_checked: bool = True) -> dict:
    """A Frictionless (tabular) Data Package describing every clean CSV: fields with constraints, keys, licence."""
    resources = [
        {
            "profile": "tabular-data-resource",
            "name": name.replace("_", "-"),
            "path": f"{name}.csv",
            "title": table.title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "rows": len(tables[name]),
            "schema": frictionless_schema(table),
        }
        for name, table in TABLES.items()
    ]
    return {
        "profile": "tabular-data-package",
        "name": "china-industrial-clusters",
        "title": PROJECT_TITLE + ": curated figures and clusters",
        "description": "Quantitative figures, clusters and cross-checks curated by hand from Chinese reports and "
        "essays on industrial clusters (产业集群); every figure carries its source file, line and text as printed.",
        "version": version,
        "licenses": [LICENSE_DATA],
        "sources": [{"title": f"Source report {name}", "path": f"../shared/reports/{name}"} for name in reports],
        # Custom property: False when built with --skip-line-checks (no figure was checked against its line).
        "lines_checked": lines_checked,
        "resources": resources,
    }


def write_datapackage(
    tables: dict[str, list[dict]], reports: list[str], version: str, lines_checked: bool, path: Path
) -> None:
    text = json.dumps(datapackage(tables, reports, version, lines_checked), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
