"""Read and validate the hand-curated tables in ``data/raw/``.

Every problem is collected (not just the first) as ``data/raw/FILE.csv:ROW: COLUMN: what is wrong (expected …)``,
where ROW is the line of the CSV file (the header is line 1). :class:`RawDataError` carries them all.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .parse import KINDS, QUALIFIERS, FigureError, infer_qualifiers, is_range, standardise
from .schema import (
    ARTICLE_KINDS,
    AUDIT_KINDS,
    CLUSTER_STATUSES,
    CLUSTER_TYPES,
    FAMILY_DEFAULT_UNIT,
    GBT4754_SECTIONS,
    PERIOD_PATTERN,
    RAW_TABLES,
    REGIONS,
    STONE_BASE_TYPES,
    STONE_LAYOUTS,
    UNIT_FAMILIES,
    RawTable,
)

NATIONAL = "全国"
#: Province cell of a foreign example cluster (e.g. Silicon Valley), which has no Chinese province.
ABROAD = "境外"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FACT_ID = re.compile(r"^(?P<article>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<n>\d{3,6})$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)(?:-(1[89]\d\d|20\d\d))?$")
_BOOL = {"true": True, "false": False}


class RawDataError(Exception):
    """Raised with every problem found in ``data/raw/``; ``problems`` lists them one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in data/raw:\n" + "\n".join(problems))


class Row(dict):
    """One data row of a raw CSV: column → value (all strings; a missing column reads as ""), with the file and
    the CSV line it came from. For facts, ``std`` holds the figure in standard units once validation computed it."""

    __slots__ = ("file", "line", "std")

    def __init__(self, values: dict[str, str], file: Path, line: int):
        super().__init__(values)
        self.file, self.line, self.std = file, line, None

    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class Problems:
    """Collects problems as ``file:row: column: message``."""

    root: Path
    items: list[str] = field(default_factory=list)

    def add(self, file: Path, line: int, column: str, message: str) -> None:
        try:
            rel = file.resolve().relative_to(self.root.resolve())
        except ValueError:
            rel = file
        self.items.append(f"{rel.as_posix()}:{line}: {column}: {message}")

    def at(self, row: Row, column: str, message: str) -> None:
        self.add(row.file, row.line, column, message)


def read_table(path: Path, spec: RawTable, problems: Problems) -> list[Row]:
    """Read one raw CSV, checking its header against ``spec`` and stripping surrounding spaces from cells."""
    if not path.exists():
        problems.add(path, 0, "-", f"file missing (expected the {spec.name} table)")
        return []
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        missing = [c for c in spec.columns if c not in header]
        unknown = [c for c in header if c not in spec.columns and c not in spec.optional_columns]
        for c in missing:
            problems.add(path, 1, c, f"column missing (expected header: {','.join(spec.columns)})")
        for c in unknown:
            problems.add(path, 1, c, f"unknown column (expected only: {','.join(spec.columns)})")
        if missing:
            return []
        width = len(header)
        line_start = 2
        for cells in reader:
            if len(cells) > width:
                problems.add(path, line_start, "-", f"more cells than header columns ({width})")
            elif len(cells) < width:
                cells += [""] * (width - len(cells))
            # Cells beyond the header (reported above) are dropped.
            values = dict(zip(header, map(str.strip, cells), strict=False))
            if any(values.values()):
                rows.append(Row(values, path, line_start))
            line_start = reader.line_num + 1
    for row in rows:
        for col in spec.required:
            if not row[col]:
                problems.at(row, col, "required value is empty")
    return rows


class Reports:
    """The source reports' lines, read lazily; ``available`` is False when the folder is absent."""

    def __init__(self, folder: Path | None):
        self.folder = folder if folder is not None else paths.reports_dir()
        self.available = self.folder.is_dir()
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, name: str) -> list[str] | None:
        if name not in self._lines:
            path = self.folder / name
            if "/" in name or "\\" in name or not path.is_file():
                self._lines[name] = None
            else:
                self._lines[name] = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        return self._lines[name]


def _check_line(row: Row, problems: Problems, reports: Reports, file_col: str, line_col: str) -> str | None:
    """Check that ``row[file_col]`` is a report and ``row[line_col]`` a line in it; return that line's text."""
    name, line = row[file_col], row[line_col]
    if not name:
        return None
    try:
        n = int(line)
    except ValueError:
        if line:
            problems.at(row, line_col, f"{line!r} is not a whole number (expected a 1-based line number)")
        return None
    if not reports.available:
        if not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", name):
            problems.at(row, file_col, f"{name!r} does not look like a report file name (expected NNN_<hex16>.txt)")
        return None
    lines = reports.lines(name)
    if lines is None:
        problems.at(row, file_col, f"no report file {name!r} in {reports.folder}")
        return None
    if not 1 <= n <= len(lines):
        problems.at(row, line_col, f"line {n} is out of range (expected 1–{len(lines)} for {name})")
        return None
    return lines[n - 1]


def validate(raw_dir: Path | None = None, reports_folder: Path | None = None) -> dict[str, list[Row]]:
    """Read every raw table, check it, and return the rows; raise :class:`RawDataError` listing all problems.

    Checks: headers and required fields; ids unique and well formed; vocabularies (metric, qualifier, kind, unit,
    period, cluster type, audit kind); numbers and units parse; the qualifier agrees with the words in
    ``figure_text``; the source file exists, the line is in range and ``figure_text`` stands on it (skipped with a
    warning when the reports folder is absent); every referenced article, cluster, fact and province exists.
    """
    raw_dir = raw_dir or paths.RAW_DIR
    problems = Problems(raw_dir.parent.parent if raw_dir.name == "raw" else raw_dir)
    reports = Reports(reports_folder)
    if not reports.available:
        warnings.warn(
            f"reports folder {reports.folder} not found: figure_text and line checks skipped "
            "(set CLUSTERS_REPORTS_DIR to check them)",
            stacklevel=2,
        )

    tables: dict[str, list[Row]] = {}
    for name in (
        "provinces",
        "metrics",
        "articles",
        "clusters",
        "cluster_mentions",
        "audit_checks",
        "typology_typical_clusters",
        "typology_stone_clusters",
    ):
        tables[name] = read_table(raw_dir / f"{name}.csv", RAW_TABLES[name], problems)
    facts: list[Row] = []
    facts_dir = raw_dir / "facts"
    fact_files = sorted(facts_dir.glob("*.csv")) if facts_dir.is_dir() else []
    if not fact_files:
        problems.add(facts_dir, 0, "-", "no facts files (expected data/raw/facts/<article_id>.csv)")
    for path in fact_files:
        facts.extend(read_table(path, RAW_TABLES["facts"], problems))
    tables["facts"] = facts

    provinces = _check_provinces(tables["provinces"], problems)
    metrics = _check_metrics(tables["metrics"], problems)
    articles = _check_articles(tables["articles"], problems, reports, provinces)
    clusters = _check_clusters(tables["clusters"], problems, provinces)
    _check_mentions(tables["cluster_mentions"], problems, reports, clusters, articles)
    fact_ids = _check_facts(facts, problems, reports, provinces, metrics, articles, clusters)
    _check_audit(tables["audit_checks"], problems, fact_ids)
    _check_typologies(tables, problems, reports, clusters, provinces)

    if problems.items:
        raise RawDataError(problems.items)
    return tables


def _unique(rows: list[Row], col: str, problems: Problems, pattern: re.Pattern | None = None) -> dict[str, Row]:
    seen: dict[str, Row] = {}
    for row in rows:
        key = row[col]
        if not key:
            continue
        if pattern is not None and not pattern.match(key):
            problems.at(row, col, f"{key!r} is not a valid id (expected lowercase ASCII words joined by '-')")
        if key in seen:
            first = seen[key]
            problems.at(row, col, f"duplicate id {key!r} (first at {first.file.name}:{first.line})")
        else:
            seen[key] = row
    return seen


def _vocab(row: Row, col: str, allowed, problems: Problems, required: bool = True) -> None:
    value = row[col]
    if not value and not required:
        return
    if value and value not in allowed:
        problems.at(row, col, f"{value!r} is not allowed (expected one of: {', '.join(allowed)})")


def _check_provinces(rows: list[Row], problems: Problems) -> dict[str, Row]:
    for row in rows:
        if not re.fullmatch(r"\d{6}", row["province_code"]):
            problems.at(row, "province_code", f"{row['province_code']!r} is not a six-digit GB/T 2260 code")
        _vocab(row, "region", REGIONS, problems, required=False)
        _vocab(row, "coastal", _BOOL, problems)
    _unique(rows, "province_code", problems)
    by_short = _unique(rows, "province_zh", problems)
    lookup = dict(by_short)
    for row in rows:
        lookup.setdefault(row["province_full_zh"], row)
    return lookup


def _check_province(row: Row, col: str, problems: Problems, provinces: dict[str, Row], national: bool) -> None:
    value = row[col]
    if not value or (national and value == NATIONAL) or value == ABROAD:
        return
    if value not in provinces:
        extra = f", {NATIONAL}" if national else ""
        extra += f" or {ABROAD} (outside China)"
        problems.at(row, col, f"unknown province {value!r} (expected a short name such as 浙江, 内蒙古{extra})")


def _check_metrics(rows: list[Row], problems: Problems) -> dict[str, Row]:
    for row in rows:
        _vocab(row, "unit_family", UNIT_FAMILIES, problems)
    return _unique(rows, "metric", problems, re.compile(r"^[a-z][a-z0-9_]*$"))


def _check_articles(rows, problems, reports, provinces) -> dict[str, Row]:
    for row in rows:
        _vocab(row, "kind", ARTICLE_KINDS, problems)
        _check_province(row, "province_zh", problems, provinces, national=True)
        for col in ("first_line", "last_line"):
            _check_line(row, problems, reports, "source_file", col)
        try:
            if int(row["first_line"]) > int(row["last_line"]):
                problems.at(row, "last_line", "last_line is before first_line")
        except ValueError:
            pass
        for loc in filter(None, row["repeated_at"].split(";")):
            if not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt:\d+-\d+", loc.strip()):
                problems.at(row, "repeated_at", f"{loc!r} is not FILE:FIRST-LAST")
    return _unique(rows, "article_id", problems, _ID)


def _check_clusters(rows, problems, provinces) -> dict[str, Row]:
    for row in rows:
        _check_province(row, "province_zh", problems, provinces, national=False)
        _vocab(row, "cluster_type", CLUSTER_TYPES, problems)
        _vocab(row, "status", CLUSTER_STATUSES, problems)
        section, division = row["gbt4754_section"], row["gbt4754_division"]
        if section and section not in GBT4754_SECTIONS:
            problems.at(row, "gbt4754_section", f"{section!r} is not a GB/T 4754-2017 section (expected A–T)")
        if division:
            if not re.fullmatch(r"\d{2}", division):
                problems.at(row, "gbt4754_division", f"{division!r} is not a two-digit division (expected 01–97)")
            elif section in GBT4754_SECTIONS:
                lo, hi = GBT4754_SECTIONS[section][0]
                if not lo <= int(division) <= hi:
                    problems.at(
                        row,
                        "gbt4754_division",
                        f"division {division} is not in section {section} (expected {lo:02d}–{hi:02d})",
                    )
            elif not section:
                problems.at(row, "gbt4754_section", "empty while gbt4754_division is given")
    return _unique(rows, "cluster_id", problems, _ID)


def _check_mentions(rows, problems, reports, clusters, articles) -> None:
    seen: dict[tuple[str, str, str], Row] = {}
    for row in rows:
        if row["cluster_id"] and row["cluster_id"] not in clusters:
            problems.at(row, "cluster_id", f"unknown cluster {row['cluster_id']!r} (expected an id in clusters.csv)")
        if row["article_id"] and row["article_id"] not in articles:
            problems.at(row, "article_id", f"unknown article {row['article_id']!r} (expected an id in articles.csv)")
        text = _check_line(row, problems, reports, "source_file", "source_line")
        if text is not None and row["name_printed"] and row["name_printed"] not in text:
            problems.at(row, "name_printed", f"{row['name_printed']!r} does not occur on that line of the report")
        key = (row["cluster_id"], row["source_file"], row["source_line"])
        if key in seen:
            problems.at(row, "source_line", f"duplicate mention (first at line {seen[key].line})")
        seen[key] = row


def default_unit_std(metric_row: Row | None) -> str | None:
    return FAMILY_DEFAULT_UNIT.get(metric_row["unit_family"]) if metric_row is not None else None


_PERIOD = re.compile(PERIOD_PATTERN)


def _check_facts(rows, problems, reports, provinces, metrics, articles, clusters) -> set[str]:
    ids = _unique(rows, "fact_id", problems)
    for row in rows:
        m = _FACT_ID.match(row["fact_id"])
        if row["fact_id"] and (m is None or m.group("article") != row["article_id"]):
            problems.at(row, "fact_id", f"{row['fact_id']!r} is not <article_id>-NNN for {row['article_id']!r}")
        if row["article_id"] and row.file.name != row["article_id"] + ".csv":
            problems.at(
                row,
                "article_id",
                f"{row['article_id']!r} in facts/{row.file.name} (expected {row.file.stem})",
            )
        if row["article_id"] and row["article_id"] not in articles:
            problems.at(row, "article_id", f"unknown article {row['article_id']!r} (expected an id in articles.csv)")
        if row["cluster_id"] and row["cluster_id"] not in clusters:
            problems.at(row, "cluster_id", f"unknown cluster {row['cluster_id']!r} (expected an id in clusters.csv)")
        _check_province(row, "province_zh", problems, provinces, national=True)
        for col in ("metric", "of_metric"):
            if row[col] and row[col] not in metrics:
                problems.at(row, col, f"unknown metric {row[col]!r} (expected a metric in metrics.csv)")
        _vocab(row, "qualifier", QUALIFIERS, problems)
        _vocab(row, "kind", KINDS, problems)
        _check_year(row, problems)
        if row["period"] and not _PERIOD.match(row["period"]):
            problems.at(row, "period", f"{row['period']!r} is not a period (expected {PERIOD_PATTERN})")
        _check_figure(row, problems, metrics)
        text = _check_line(row, problems, reports, "source_file", "source_line")
        if text is not None and row["figure_text"] and row["figure_text"] not in text:
            problems.at(row, "figure_text", f"{row['figure_text']!r} does not occur on line {row['source_line']}")
    return set(ids)


def _check_year(row: Row, problems: Problems) -> None:
    year, reliable = row["year"], row["year_reliable"]
    if year:
        m = _YEAR.match(year)
        if not m:
            problems.at(row, "year", f"{year!r} is not a year (expected YYYY or YYYY-YYYY)")
        elif m.group(2) and int(m.group(2)) < int(m.group(1)):
            problems.at(row, "year", f"{year!r} ends before it starts")
        if reliable not in _BOOL:
            problems.at(row, "year_reliable", f"{reliable!r} is not allowed with a year (expected true or false)")
    elif reliable:
        problems.at(row, "year_reliable", "given without a year (expected empty)")


def _check_figure(row: Row, problems: Problems, metrics: dict[str, Row]) -> None:
    """Value, unit and qualifier: parse, agree with figure_text, and fit the metric's unit family."""
    value, figure_text, qualifier = row["value"], row["figure_text"], row["qualifier"]
    if not value or qualifier not in QUALIFIERS:
        return
    if figure_text and value not in figure_text:
        problems.at(row, "value", f"{value!r} does not occur in figure_text {figure_text!r}")
    metric = metrics.get(row["metric"])
    if not row["unit"] and default_unit_std(metric) is None and metric is not None:
        # The printed unit is lost (the report prints a number with no unit): allowed only with a note saying so.
        if "unit" not in row["note"].lower():
            problems.at(row, "unit", f"empty, and metric {row['metric']} needs one (expected the printed unit, or a "
                        "note saying the unit is missing in the report)")  # fmt: skip
        return
    try:
        std = standardise(value, row["unit"], qualifier, figure_text, default_unit_std(metric))
        row.std = std
    except FigureError as exc:
        problems.at(row, "value" if "unit" not in str(exc) else "unit", str(exc))
        return
    if metric is not None:
        family = metric["unit_family"]
        allowed = UNIT_FAMILIES.get(family)
        if allowed is not None and std.unit_std not in allowed:
            problems.at(
                row,
                "unit",
                f"{row['unit']!r} gives {std.unit_std} but metric {row['metric']} takes {family} "
                f"(expected {'/'.join(allowed)})",
            )
    # standardise accepts an imprecise amount (几十) only as approx, and then gives it a finite interval.
    vague = qualifier == "approx" and math.isfinite(std.low) and std.low != std.high
    found = infer_qualifiers(figure_text, value, row["unit"], vague=vague)
    if qualifier == "exact" and found:
        problems.at(row, "qualifier", f"exact, but figure_text has {'/'.join(sorted(found))} words (expected that)")
    elif qualifier == "range":
        if not is_range(value):
            problems.at(row, "qualifier", "range, but value is a single number")
    elif qualifier != "exact" and qualifier not in found:
        problems.at(
            row,
            "qualifier",
            f"{qualifier}, but figure_text {figure_text!r} has no {qualifier} word "
            f"(found: {'/'.join(sorted(found)) or 'none'}); put the word into figure_text",
        )


def _check_audit(rows: list[Row], problems: Problems, fact_ids: set[str]) -> None:
    minimum = {"sum": 2, "share": 3, "growth": 3, "cagr": 3, "same": 2, "above": 2, "nondecreasing": 2,
               "difference": 3}  # fmt: skip
    exact = {"share": 3, "growth": 3, "cagr": 3, "difference": 3}
    _unique(rows, "check_id", problems, re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"))
    for row in rows:
        _vocab(row, "kind", AUDIT_KINDS, problems)
        ids = [f.strip() for f in row["fact_ids"].split(";") if f.strip()]
        for f in ids:
            if f not in fact_ids:
                problems.at(row, "fact_ids", f"unknown fact {f!r} (expected a fact_id in data/raw/facts/)")
        kind = row["kind"]
        if kind in minimum and len(ids) < minimum[kind]:
            problems.at(row, "fact_ids", f"{kind} needs at least {minimum[kind]} facts, got {len(ids)}")
        if kind in exact and len(ids) != exact[kind]:
            problems.at(row, "fact_ids", f"{kind} needs exactly {exact[kind]} facts, got {len(ids)}")
        if row["tolerance"]:
            try:
                if not 0 <= float(row["tolerance"]) < 1:
                    raise ValueError
            except ValueError:
                problems.at(row, "tolerance", f"{row['tolerance']!r} is not a relative tolerance (expected 0–1)")


def _check_typologies(tables, problems, reports, clusters, provinces) -> None:
    for name in ("typology_typical_clusters", "typology_stone_clusters"):
        for row in tables[name]:
            if row["cluster_id"] and row["cluster_id"] not in clusters:
                problems.at(
                    row, "cluster_id", f"unknown cluster {row['cluster_id']!r} (expected an id in clusters.csv)"
                )  # noqa: E501
            line_cols = ("first_line", "last_line") if "first_line" in row else ("source_line",)
            texts = [_check_line(row, problems, reports, "source_file", c) for c in line_cols]
            if reports.available and all(t is not None for t in texts) and len(line_cols) == 2:
                lines = reports.lines(row["source_file"]) or []
                block = "\n".join(lines[int(row["first_line"]) - 1 : int(row["last_line"])])
                if row["name_printed"] and row["name_printed"].split("\n")[0][:4] not in block:
                    problems.at(row, "name_printed", f"{row['name_printed']!r} is not in lines {line_cols}")
        _unique(tables[name], "cluster_id", problems)
    for row in tables["typology_stone_clusters"]:
        _vocab(row, "base_type", STONE_BASE_TYPES, problems, required=False)
        _vocab(row, "layout", STONE_LAYOUTS, problems, required=False)
        _check_province(row, "province_zh", problems, provinces, national=False)
