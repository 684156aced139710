"""Stage 1 of the build: read and check the hand-curated tables in ``data/raw/``.

:func:`validate` turns the raw files into typed values, or raises :class:`RawDataError` listing every problem
found (not just the first) as ``data/raw/FILE.csv:ROW: COLUMN: what is wrong (expected …)``, where ROW is the line
of the CSV file (the header is line 1). What each table holds, which columns must be filled, vocabularies,
patterns and references between tables come from :data:`helpers.schema.TABLES`; the checks that need more than
one column (a figure against its printed text, a line against the report) are written out below.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .parse import FigureError, StdFigure, infer_qualifiers, is_range, standardise
from .schema import (
    ABROAD,
    FAMILY_DEFAULT_UNIT,
    GBT4754_SECTIONS,
    NATIONAL,
    OUTPUT_BASES,
    QUALIFIERS,
    SHARE_BASES,
    SHARE_METRICS,
    TABLES,
    UNIT_FAMILIES,
    Table,
)

__all__ = ["RawDataError", "ReportsNotFound", "Row", "Validated", "validate", "check_audit_grades", "UNIT_LOST"]

_FACT_ID = re.compile(r"^(?P<article>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<n>\d{3,6})$")
_REPORT_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
_BOOLEAN = ("true", "false")

#: A figure whose unit the report does not print: no standard value can be given.
UNIT_LOST = StdFigure(math.nan, math.nan, math.nan, "unknown", 1.0)


class RawDataError(Exception):
    """Raised with every problem found in ``data/raw/``; ``problems`` lists them one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in data/raw:\n" + "\n".join(problems))


class ReportsNotFound(Exception):
    """The source reports are not where the build looks; without them no figure can be checked against its line."""


class Row(dict):
    """One data row of a raw CSV: every declared column → its text (stripped), with the file and the CSV line it
    came from. An undeclared column is a ``KeyError``, never a silent empty string."""

    __slots__ = ("file", "line")

    def __init__(self, values: dict[str, str], file: Path, line: int):
        super().__init__(values)
        self.file, self.line = file, line


@dataclass(frozen=True)
class Validated:
    """What validation returns: the raw rows of every table, and each fact's figure in standard units."""

    tables: dict[str, list[Row]]
    figures: dict[str, StdFigure]  # fact_id → figure (UNIT_LOST where the report prints no unit)
    lines_checked: bool = True  # False when built with skip_line_checks


@dataclass
class Problems:
    """Collects problems as ``file:row: column: message``."""

    root: Path
    items: list[str] = field(default_factory=list)

    def name(self, file: Path) -> str:
        """How messages name ``file``: relative to the project when it is inside it (data/raw/…)."""
        try:
            return file.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return file.as_posix()

    def add(self, file: Path, line: int, column: str, message: str) -> None:
        self.items.append(f"{self.name(file)}:{line}: {column}: {message}")

    def at(self, row: Row, column: str, message: str) -> None:
        self.add(row.file, row.line, column, message)


# --- reading --------------------------------------------------------------------------------------------------


#: Excel's limit on the characters of one cell.
MAX_CELL = 32_767
#: Control characters (other than none: raw cells are single-line text).
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _decode(path: Path, problems: Problems) -> str | None:
    """The file's text, or None with a problem naming the line of the first byte that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(path, 0, "-", f"cannot be read ({exc.strerror or exc})")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(path, line, "-", f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}; "
                     "save the file as UTF-8, e.g. from a GBK/GB18030 spreadsheet export)")  # fmt: skip
        return None


def _check_text(value: str, path: Path, line: int, column: str, problems: Problems) -> None:
    """Cells a spreadsheet would run as a formula, control characters, cells too long for Excel."""
    if value[:1] in ("=", "+", "@") or (value[:1] == "-" and not value[1:2].isdigit()):
        problems.add(path, line, column, f"{value[:20]!r} starts like a spreadsheet formula (expected text that "
                     "does not start with = + - @)")  # fmt: skip
    if _CONTROL.search(value):
        problems.add(path, line, column, "contains a control character (expected plain single-line text)")
    if len(value) > MAX_CELL:
        problems.add(path, line, column, f"{len(value):,} characters (expected at most {MAX_CELL:,}, Excel's limit)")


def read_table(path: Path, table: Table, problems: Problems) -> list[Row]:
    """Read one raw CSV: structure first (encoding, quotes, cells per row), then the header against the
    declaration; cells stripped, blank lines skipped. ROW in every message is the physical line of the file."""
    if not path.exists():
        problems.add(path, 0, "-", f"file missing (expected the {table.name} table)")
        return []
    text = _decode(path, problems)
    if text is None:
        return []
    expected = table.raw_columns
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        problems.add(path, 1, "-", f"cannot read the header ({exc})")
        return []
    missing = [c for c in expected if c not in header]
    for c in missing:
        problems.add(path, 1, c, f"column missing (expected header: {','.join(expected)})")
    for c in header:
        if c not in expected:
            problems.add(path, 1, c, f"unknown column (expected only: {','.join(expected)})")
    if missing:
        return []
    positions = [header.index(c) for c in expected]
    width, line_start = len(header), 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a cell over the csv module's field limit: an unclosed quote, most likely
            problems.add(path, line_start, "-", f"cannot read the row ({exc}; an unclosed quote?)")
            return rows
        line_end = reader.line_num
        if any("\n" in c or "\r" in c for c in cells):
            problems.add(path, line_start, "-", f"a quoted cell runs over lines {line_start}–{line_end} (an unclosed "
                         'quote? expected one row per line; a quote inside a cell is written "")')  # fmt: skip
        elif any(c.strip() for c in cells):
            if len(cells) != width:
                how = "too many" if len(cells) > width else "missing"
                why = f"{abs(len(cells) - width)} cell(s) {how} (expected {width} as in the header, got {len(cells)})"
                problems.add(path, line_start, "-", why)
            else:
                values = {c: cells[i].strip() for c, i in zip(expected, positions, strict=True)}
                for c, v in values.items():
                    if v:
                        _check_text(v, path, line_start, c, problems)
                rows.append(Row(values, path, line_start))
        line_start = line_end + 1
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
                lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
                self._lines[name] = lines[:-1] if lines and lines[-1] == "" else lines  # as sed and wc count
        return self._lines[name]


# --- checks every table gets from its declaration -----------------------------------------------------------


def check_declared(table: Table, rows: list[Row], problems: Problems) -> None:
    """Required values, types, vocabularies and patterns of every raw column; the primary key is unique."""
    for f in table.raw_fields:
        pattern = re.compile(f.pattern) if f.pattern else None
        for row in rows:
            value = row[f.name]
            if not value:
                if f.required:
                    problems.at(row, f.name, "required value is empty")
                continue
            if f.enum is not None and value not in f.enum:
                why = f"is not {f.hint}" if f.hint else f"is not allowed (expected one of: {', '.join(f.enum)})"
                problems.at(row, f.name, f"{value!r} {why}")
            elif pattern is not None and not pattern.match(value):
                problems.at(row, f.name, f"{value!r} is not {f.hint or 'of the form ' + f.pattern}")
            elif f.type == "integer" and not re.fullmatch(r"\d+", value):
                problems.at(row, f.name, f"{value!r} is not a whole number (expected a 1-based line number)")
            elif f.type == "number" and not _is_number(value):
                problems.at(row, f.name, f"{value!r} is not a number")
            elif f.type == "boolean" and value not in _BOOLEAN:
                problems.at(row, f.name, f"{value!r} is not allowed (expected true or false)")
    if table.primary_key:
        seen: dict[tuple[str, ...], Row] = {}
        for row in rows:
            key = tuple(row[c] for c in table.primary_key)
            if not all(key):
                continue
            if key in seen:
                first = seen[key]
                what = f"id {key[0]!r}" if len(key) == 1 else f"key ({', '.join(key)})"
                problems.at(row, table.primary_key[-1], f"duplicate {what} (first at {first.file.name}:{first.line})")
            else:
                seen[key] = row


def check_references(tables: dict[str, list[Row]], problems: Problems) -> None:
    """Every raw foreign key of :data:`TABLES` points at an existing row."""
    for name, table in TABLES.items():
        for fk in table.foreign_keys:
            if not fk.raw:
                continue
            target = TABLES[fk.table]
            keys = {tuple(r[c] for c in fk.reference_fields) for r in tables[fk.table]}
            what = "a metric" if fk.noun == "metric" else "an id"
            for row in tables[name]:
                value = tuple(row[c] for c in fk.fields)
                if all(value) and value not in keys:
                    problems.at(row, fk.fields[0], f"unknown {fk.noun} {value[0]!r} (expected {what} in "
                                f"{target.raw_path.replace('*.csv', '')})")  # fmt: skip


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# --- the entry point ------------------------------------------------------------------------------------------


def validate(
    raw_dir: Path | None = None, reports_folder: Path | None = None, skip_line_checks: bool = False
) -> Validated:
    """Read every raw table, check it, and return the rows and figures; raise :class:`RawDataError` listing all
    problems.

    Checks: file structure (UTF-8, one row per line, as many cells as the header); headers and required fields; ids
    unique and well formed; vocabularies and patterns (metric, qualifier, kind, scope, period, cluster type, audit
    kind); no cell a spreadsheet would run as a formula; numbers and units parse; the qualifier agrees with the
    words in and beside ``figure_text``; the source file exists, the line is in range and ``figure_text`` stands on
    it; every referenced article, cluster, fact and province exists. Without the reports folder it raises
    :class:`ReportsNotFound`, unless ``skip_line_checks`` (then lines are not checked and the result says so).
    """
    raw_dir = raw_dir or paths.RAW_DIR
    problems = Problems(raw_dir.parent.parent if raw_dir.name == "raw" else raw_dir)
    reports = Reports(reports_folder)
    if not reports.available:
        if not skip_line_checks:
            raise ReportsNotFound(
                f"source reports not found at {reports.folder}: set CLUSTERS_REPORTS_DIR (or --reports) to the folder "
                "holding them, or pass --skip-line-checks to build without checking any figure against its line"
            )
        warnings.warn(f"reports folder {reports.folder} not found: figure_text and line checks skipped", stacklevel=2)

    tables: dict[str, list[Row]] = {}
    for name, table in TABLES.items():
        if "*" in table.raw_path:
            folder = raw_dir / Path(table.raw_path).parent
            files = sorted(folder.glob(Path(table.raw_path).name)) if folder.is_dir() else []
            if not files:
                problems.add(folder, 0, "-", f"no {name} files (expected data/raw/{table.raw_path})")
            tables[name] = []
            for path in files:
                rows = read_table(path, table, problems)
                if not rows and not any(p.startswith(problems.name(path) + ":") for p in problems.items):
                    problems.add(path, 2, "-", "no rows (a facts file lists the article's figures; remove the file "
                                 "if the article has none)")  # fmt: skip
                tables[name] += rows
        else:
            tables[name] = read_table(raw_dir / table.raw_path, table, problems)
        check_declared(table, tables[name], problems)
    check_references(tables, problems)

    provinces = _check_provinces(tables["provinces"], problems)
    metrics = {r["metric"]: r for r in tables["metrics"]}
    _check_articles(tables["articles"], problems, reports, provinces)
    _check_clusters(tables["clusters"], problems, provinces)
    _check_mentions(tables["cluster_mentions"], problems, reports)
    figures = _check_facts(tables["facts"], problems, reports, provinces, metrics)
    _check_audit(tables, problems, reports)
    _check_typologies(tables, problems, reports, provinces)
    _check_editorial(tables, problems)
    _check_printed_tables(tables, problems, reports)

    if problems.items:
        raise RawDataError(problems.items)
    return Validated(tables, figures, lines_checked=reports.available)


# --- checks across columns ------------------------------------------------------------------------------------


def _check_line(row: Row, problems: Problems, reports: Reports, file_col: str, line_col: str) -> str | None:
    """Check that ``row[file_col]`` is a report and ``row[line_col]`` a line in it; return that line's text."""
    name, line = row[file_col], row[line_col]
    if not name or not line.isdigit():
        return None  # an empty or malformed line number is reported by check_declared
    n = int(line)
    if not reports.available:
        if not _REPORT_NAME.fullmatch(name):
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


def _check_provinces(rows: list[Row], problems: Problems) -> dict[str, Row]:
    """Short names unique; returns short and full names → row."""
    lookup: dict[str, Row] = {}
    for row in rows:
        short = row["province_zh"]
        if short in lookup:
            first = lookup[short]
            problems.at(row, "province_zh", f"duplicate id {short!r} (first at {first.file.name}:{first.line})")
        lookup[short] = row
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


def _check_articles(rows, problems, reports, provinces) -> None:
    for row in rows:
        _check_province(row, "province_zh", problems, provinces, national=True)
        for col in ("first_line", "last_line"):
            _check_line(row, problems, reports, "source_file", col)
        if row["first_line"].isdigit() and row["last_line"].isdigit():
            if int(row["first_line"]) > int(row["last_line"]):
                problems.at(row, "last_line", "last_line is before first_line")
        for loc in filter(None, row["repeated_at"].split(";")):
            if not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt:\d+-\d+", loc.strip()):
                problems.at(row, "repeated_at", f"{loc!r} is not FILE:FIRST-LAST")


def _check_clusters(rows, problems, provinces) -> None:
    for row in rows:
        _check_province(row, "province_zh", problems, provinces, national=False)
        section, division = row["gbt4754_section"], row["gbt4754_division"]
        if not division.isdigit():
            continue
        if section in GBT4754_SECTIONS:
            lo, hi = GBT4754_SECTIONS[section][0]
            if not lo <= int(division) <= hi:
                why = f"division {division} is not in section {section} (expected {lo:02d}–{hi:02d})"
                problems.at(row, "gbt4754_division", why)
        elif not section:
            problems.at(row, "gbt4754_section", "empty while gbt4754_division is given")


def _check_mentions(rows, problems, reports) -> None:
    for row in rows:
        text = _check_line(row, problems, reports, "source_file", "source_line")
        if text is not None and row["name_printed"] and row["name_printed"] not in text:
            problems.at(row, "name_printed", f"{row['name_printed']!r} does not occur on that line of the report")


def _default_unit_std(metric_row: Row | None) -> str | None:
    return FAMILY_DEFAULT_UNIT.get(metric_row["unit_family"]) if metric_row is not None else None


def _check_facts(rows, problems, reports, provinces, metrics) -> dict[str, StdFigure]:
    figures: dict[str, StdFigure] = {}
    for row in rows:
        m = _FACT_ID.match(row["fact_id"])
        if row["fact_id"] and (m is None or m.group("article") != row["article_id"]):
            problems.at(row, "fact_id", f"{row['fact_id']!r} is not <article_id>-NNN for {row['article_id']!r}")
        if row["article_id"] and row.file.name != row["article_id"] + ".csv":
            problems.at(row, "article_id", f"{row['article_id']!r} in facts/{row.file.name} (expected {row.file.stem})")
        _check_province(row, "province_zh", problems, provinces, national=True)
        _check_year(row, problems)
        _check_scope(row, problems)
        figure = _check_figure(row, problems, metrics)
        if figure is not None:
            figures[row["fact_id"]] = figure
        text = _check_line(row, problems, reports, "source_file", "source_line")
        _check_unit_printed(row, problems, reports)
        if text is not None and row["figure_text"]:
            if row["figure_text"] not in text:
                problems.at(row, "figure_text", f"{row['figure_text']!r} does not occur on line {row['source_line']}")
            elif row["qualifier"] == "exact" and figure is not None:
                _check_words_around(row, text, problems)
    return figures


def _check_unit_printed(row: Row, problems: Problems, reports: Reports) -> None:
    """The unit must be printed: in figure_text (多/余 may stand between number and unit: 8亿多双), or on the line
    ``unit_line`` names (a table header). A unit that contradicts the printed figure (万元 for 684.4亿元) fails."""
    unit, figure_text = row["unit"], row["figure_text"]
    if not unit or not figure_text:
        return
    if unit in figure_text or unit in re.sub("[多余]", "", figure_text):
        if row["unit_line"]:
            problems.at(row, "unit_line", f"given, but {unit!r} stands in figure_text (expected empty)")
        return
    if not row["unit_line"]:
        problems.at(row, "unit", f"{unit!r} is not in figure_text {figure_text!r} (expected the unit as printed "
                    "there, or unit_line naming the line that prints it, e.g. a table header)")  # fmt: skip
        return
    lines = reports.lines(row["source_file"]) if reports.available else None
    if lines is not None and row["unit_line"].isdigit():
        n = int(row["unit_line"])
        if not 1 <= n <= len(lines) or unit not in lines[n - 1]:
            problems.at(row, "unit_line", f"line {n} does not print {unit!r}")


#: Qualifier words that, standing right beside a figure on its line, make it not exact (2００多家, 约5０%).
_WORDS_AFTER = ("多", "余", "以上", "以下", "以内", "左右", "上下")
_WORDS_BEFORE = ("大约", "将近", "接近", "超过", "突破", "不足", "不到", "约", "近", "逾")


def _check_words_around(row: Row, text: str, problems: Problems) -> None:
    """An exact figure whose printed words on the line qualify it (2００ in 2００多家): the qualifier check reads the
    characters right beside figure_text too, not only inside it."""
    figure_text, words = row["figure_text"], set()
    start = text.find(figure_text)
    while start >= 0:
        end = start + len(figure_text)
        after = text[end:].removeprefix(row["unit"]) if row["unit"] and row["unit"] not in figure_text else text[end:]
        hits = [w for w in _WORDS_AFTER if after.startswith(w)] + [w for w in _WORDS_BEFORE if text[:start].endswith(w)]
        if not hits:
            return  # one unqualified occurrence is enough
        words.update(hits)
        start = text.find(figure_text, start + 1)
    problems.at(row, "qualifier", f"exact, but on line {row['source_line']} {figure_text!r} stands beside "
                f"{'/'.join(sorted(words))} (expected those words in figure_text and their qualifier)")  # fmt: skip


def _check_scope(row: Row, problems: Problems) -> None:
    """The basis fits the metric: which output for output_value; of what and of where for shares; else none."""
    if not row["scope"]:
        return
    metric, basis, where = row["metric"], row["basis"], row["share_of_where"]
    if metric == "output_value":
        if basis not in OUTPUT_BASES:
            problems.at(
                row, "basis", f"{basis!r} does not say which output (expected one of: {', '.join(OUTPUT_BASES)})"
            )
    elif metric in SHARE_METRICS:
        if basis not in SHARE_BASES:
            problems.at(
                row, "basis", f"{basis!r} does not say a share of what (expected one of: {', '.join(SHARE_BASES)})"
            )
        expected = {"market_share_national": "national", "market_share_world": "world"}.get(metric)
        if not where:
            problems.at(row, "share_of_where", f"empty for a share (expected {expected or 'where the total is'})")
        elif expected and where != expected:
            problems.at(row, "share_of_where", f"{where!r} for {metric} (expected {expected})")
    else:
        for col in ("basis", "share_of_where"):
            if row[col]:
                problems.at(row, col, f"{row[col]!r} given for metric {metric} (expected empty: only output_value "
                            "and shares take a basis)")  # fmt: skip
    if row["scope"] == "other" and not row["note"]:
        problems.at(row, "note", "empty for scope other (expected a note saying what the figure covers)")


def _check_year(row: Row, problems: Problems) -> None:
    year, reliable = row["year"], row["year_reliable"]
    if year:
        years = [int(y) for y in re.findall(r"\d{4}", year)]
        if len(years) == 2 and years[1] < years[0]:
            problems.at(row, "year", f"{year!r} ends before it starts")
        if not reliable:
            problems.at(row, "year_reliable", "empty, but a year is given (expected true or false)")
    elif reliable:
        problems.at(row, "year_reliable", "given without a year (expected empty)")


def _check_figure(row: Row, problems: Problems, metrics: dict[str, Row]) -> StdFigure | None:
    """Value, unit and qualifier: parse, agree with figure_text, and fit the metric's unit family. Returns the
    figure in standard units (None when it cannot be read)."""
    value, figure_text, qualifier = row["value"], row["figure_text"], row["qualifier"]
    if not value or qualifier not in QUALIFIERS:
        return None
    if figure_text and value not in figure_text:
        problems.at(row, "value", f"{value!r} does not occur in figure_text {figure_text!r}")
    metric = metrics.get(row["metric"])
    default_unit = _default_unit_std(metric)
    if not row["unit"] and default_unit is None and metric is not None:
        # The printed unit is lost (the report prints a number with no unit): allowed only with a note saying so.
        if "unit" not in row["note"].lower():
            problems.at(row, "unit", f"empty, and metric {row['metric']} needs one (expected the printed unit, or a "
                        "note saying the unit is missing in the report)")  # fmt: skip
        return UNIT_LOST
    try:
        std = standardise(value, row["unit"], qualifier, figure_text, default_unit)
    except FigureError as exc:
        problems.at(row, "value" if "unit" not in str(exc) else "unit", str(exc))
        return None
    if metric is not None:
        family = metric["unit_family"]
        allowed = UNIT_FAMILIES.get(family)
        if allowed is not None and std.unit_std not in allowed:
            problems.at(row, "unit", f"{row['unit']!r} gives {std.unit_std} but metric {row['metric']} takes "
                        f"{family} (expected {'/'.join(allowed)})")  # fmt: skip
    # standardise accepts an imprecise amount (几十) only as approx, and then gives it a finite interval.
    vague = qualifier == "approx" and math.isfinite(std.low) and std.low != std.high
    found = infer_qualifiers(figure_text, value, row["unit"], vague=vague)
    if qualifier == "exact" and found:
        problems.at(row, "qualifier", f"exact, but figure_text has {'/'.join(sorted(found))} words (expected that)")
    elif qualifier == "range":
        if not is_range(value):
            problems.at(row, "qualifier", "range, but value is a single number")
    elif qualifier != "exact" and qualifier not in found:
        problems.at(row, "qualifier", f"{qualifier}, but figure_text {figure_text!r} has no {qualifier} word "
                    f"(found: {'/'.join(sorted(found)) or 'none'}); put the word into figure_text")  # fmt: skip
    return std


#: How many facts each audit kind needs: (at least, exactly or None).
AUDIT_ARITY = {"sum": (2, None), "sum_within": (2, None), "share": (3, 3), "growth": (3, 3), "cagr": (3, 3),
               "same": (2, None), "above": (2, None), "nondecreasing": (2, None), "difference": (3, 3),
               "bands_total": (3, None), "listed": (1, None), "listed_within": (1, None), "ratio": (2, 2)}  # fmt: skip
_CHECK_ID = re.compile(r"^(?P<article>[a-z0-9]+(?:-[a-z0-9]+)*)-c\d+$")


def _check_audit(tables: dict[str, list[Row]], problems: Problems, reports: Reports) -> None:
    """The audit's curated columns against each other (the grade against the computed result is checked by
    :func:`check_audit_grades`, once the check has been computed)."""
    rows = tables["audit"]
    fact_article = {r["fact_id"]: r["article_id"] for r in tables["facts"]}
    articles = {r["article_id"]: r for r in tables["articles"]}
    check_ids = {r["check_id"] for r in rows}
    for row in rows:
        ids = [f.strip() for f in row["fact_ids"].split(";") if f.strip()]
        if not ids:
            problems.at(row, "fact_ids", "names no fact (expected ';'-separated fact_ids)")
        for f in ids:
            if f not in fact_article:
                problems.at(row, "fact_ids", f"unknown fact {f!r} (expected a fact_id in data/raw/facts/)")
        m = _CHECK_ID.match(row["check_id"])
        article = m.group("article") if m else None
        if row["check_id"] and (article is None or article not in articles):
            problems.at(row, "check_id", f"{row['check_id']!r} is not <article_id>-cNN of a known article")
        others = sorted({fact_article[f] for f in ids if f in fact_article} - {article})
        if article in articles and others and not row["cross_article"]:
            problems.at(row, "cross_article", f"facts of {', '.join(others)} used without saying why (expected why "
                        "facts of another article belong in this check)")  # fmt: skip
        kind = row["kind"]
        if kind in AUDIT_ARITY:
            least, exactly = AUDIT_ARITY[kind]
            if len(ids) < least:
                problems.at(row, "fact_ids", f"{kind} needs at least {least} facts, got {len(ids)}")
            elif exactly is not None and len(ids) != exactly:
                problems.at(row, "fact_ids", f"{kind} needs exactly {exactly} facts, got {len(ids)}")
            elif kind == "bands_total" and len(ids) % 2 == 0:
                problems.at(row, "fact_ids", f"bands_total needs threshold;count pairs then a total, got {len(ids)}")
        if _is_number(row["tolerance"]) and not 0 <= float(row["tolerance"]) < 1:
            problems.at(row, "tolerance", f"{row['tolerance']!r} is not a relative tolerance (expected 0–1)")
        names = [n.strip() for n in row["listed"].split(";") if n.strip()]
        if kind in ("listed", "listed_within") and not names:
            problems.at(row, "listed", f"{kind} needs the names the text lists (';'-separated)")
        elif names and kind not in ("listed", "listed_within"):
            problems.at(row, "listed", f"names given, but {kind} counts none (expected empty)")
        if names and reports.available and article in articles:
            a = articles[article]
            lines = reports.lines(a["source_file"]) or []
            if a["first_line"].isdigit() and a["last_line"].isdigit():
                text = "\n".join(lines[int(a["first_line"]) - 1 : int(a["last_line"])])
                for n in names:
                    if n not in text:
                        problems.at(row, "listed", f"{n!r} is not printed in the article ({a['source_file']}:"
                                    f"{a['first_line']}-{a['last_line']})")  # fmt: skip
        plausible = [row[c] for c in ("plausible_low", "plausible_high")]
        if kind == "ratio" and not any(plausible):
            problems.at(row, "plausible_low", "ratio needs plausible_low or plausible_high (the range it must fall in)")
        elif kind != "ratio" and any(plausible):
            problems.at(row, "plausible_low", f"a plausible range given, but {kind} uses none (expected empty)")
        elif all(_is_number(x) for x in plausible) and float(plausible[0]) > float(plausible[1]):
            problems.at(row, "plausible_high", "plausible_high is below plausible_low")
        finding, readings = row["finding"], row["readings"]
        if finding in ("discrepancy", "depends_on_reading", "definition_check") and not readings:
            problems.at(row, "readings", f"{finding} needs readings (expected what would reconcile, the readings, or "
                        "which reading the check shows)")  # fmt: skip
        elif finding == "depends_on_reading" and " | " not in readings:
            problems.at(row, "readings", "depends_on_reading needs both readings, ' | '-separated")
        if finding and finding != "definition_check" and not (row["label_zh"] and row["label_en"]):
            problems.at(row, "label_en" if row["label_zh"] else "label_zh", "a graded finding needs a short chart "
                        "label in both languages")  # fmt: skip
        for merged in filter(None, (x.strip() for x in row["merged_ids"].split(";"))):
            if merged in check_ids:
                problems.at(row, "merged_ids", f"{merged!r} is merged here but is still a check of its own")


def check_audit_grades(rows: list[Row], problems_by_check: dict[str, str]) -> None:
    """Raise :class:`RawDataError` naming ``FILE:ROW: finding`` for every check whose curated grade does not fit
    its computed result (:func:`helpers.audit.grade` gives the problems, keyed by check_id)."""
    if not problems_by_check:
        return
    first = rows[0].file if rows else Path("audit_checks.csv")
    root = first.parents[2] if first.parent.name == "raw" and len(first.parents) > 2 else first.parent
    problems = Problems(root)
    for row in rows:
        if row["check_id"] in problems_by_check:
            problems.at(row, "finding", problems_by_check[row["check_id"]])
    raise RawDataError(problems.items)


def _check_typologies(tables, problems, reports, provinces) -> None:
    for row in tables["typology_typical_clusters"]:
        texts = [_check_line(row, problems, reports, "source_file", c) for c in ("first_line", "last_line")]
        if reports.available and all(t is not None for t in texts):
            lines = reports.lines(row["source_file"]) or []
            block = "\n".join(lines[int(row["first_line"]) - 1 : int(row["last_line"])])
            if row["name_printed"] and row["name_printed"].split("\n")[0][:4] not in block:
                problems.at(row, "name_printed", f"{row['name_printed']!r} is not in lines first_line–last_line")
    for row in tables["typology_stone_clusters"]:
        _check_line(row, problems, reports, "source_file", "source_line")
        _check_province(row, "province_zh", problems, provinces, national=False)


#: Kinds of figure a target pair's goal may be.
GOAL_KINDS = ("target", "plan", "capacity", "estimate")


def _check_editorial(tables, problems) -> None:
    """Editorial tables name facts that fit: a selection is an actual figure of its cluster and metric; a target
    pair sets a target (plan, capacity, estimate) against an actual figure. An industry term's division lies in its
    section, and every division a cluster names has its terms."""
    facts = {r["fact_id"]: r for r in tables["facts"]}
    for row in tables["industry_terms"]:
        section, division = row["gbt4754_section"], row["gbt4754_division"]
        if section in GBT4754_SECTIONS and division.isdigit():
            lo, hi = GBT4754_SECTIONS[section][0]
            if not lo <= int(division) <= hi:
                problems.at(row, "gbt4754_division", f"{division!r} is not in section {section} ({lo:02d}–{hi:02d})")
    termed = {r["gbt4754_division"] for r in tables["industry_terms"]}
    for row in tables["clusters"]:
        if row["gbt4754_division"] and row["gbt4754_division"] not in termed:
            problems.at(row, "gbt4754_division", f"{row['gbt4754_division']!r} has no row in industry_terms.csv "
                        "(add its names and synonyms there)")  # fmt: skip
    for row in tables["selections"]:
        fact = facts.get(row["fact_id"])
        if fact is None:
            continue  # reported as an unknown fact
        for col, why in (("cluster_id", "of another cluster"), ("metric", "of another metric")):
            if row[col] and fact[col] != row[col]:
                problems.at(row, "fact_id", f"{row['fact_id']!r} is {why} ({fact[col] or 'none'}; expected a fact "
                            f"with {col} {row[col]})")  # fmt: skip
        if fact["kind"] != "actual":
            problems.at(row, "fact_id", f"{row['fact_id']!r} is a {fact['kind']} (expected an actual figure)")
    for row in tables["target_pairs"]:
        goal, actual = facts.get(row["goal_fact_id"]), facts.get(row["actual_fact_id"])
        if goal is not None and goal["kind"] not in GOAL_KINDS:
            problems.at(row, "goal_fact_id", f"{row['goal_fact_id']!r} is {goal['kind']} (expected one of: "
                        f"{', '.join(GOAL_KINDS)})")  # fmt: skip
        if actual is not None and actual["kind"] != "actual":
            problems.at(row, "actual_fact_id", f"{row['actual_fact_id']!r} is a {actual['kind']} (expected actual)")
        if goal is not None and actual is not None and goal["cluster_id"] != actual["cluster_id"]:
            if not row["note"]:
                pair = f"{goal['cluster_id'] or 'none'}, {actual['cluster_id'] or 'none'}"
                problems.at(row, "note", f"empty, but the two facts are about different clusters ({pair}; say why)")


def _check_printed_tables(tables, problems, reports) -> None:
    """A printed table's source line lies in its article's lines and prints the quoted source; its title stands in
    the article after 表N; a quoted source and its line come together."""
    articles = {r["article_id"]: r for r in tables["articles"]}
    for row in tables["printed_tables"]:
        if bool(row["quoted_source_zh"]) != bool(row["source_line"]):
            col = "source_line" if row["quoted_source_zh"] else "quoted_source_zh"
            problems.at(row, col, "empty, but quoted_source_zh and source_line come together (both or neither)")
        art = articles.get(row["article_id"])
        if art is None or not (art["first_line"].isdigit() and art["last_line"].isdigit()):
            continue  # an unknown article is reported as such
        first, last = int(art["first_line"]), int(art["last_line"])
        if row["source_line"].isdigit() and not first <= int(row["source_line"]) <= last:
            problems.at(row, "source_line", f"line {row['source_line']} is not in the article (lines {first}–{last} "
                        f"of {art['source_file']})")  # fmt: skip
            continue
        if not reports.available:
            continue
        if row["source_line"]:
            located = Row({**row, "source_file": art["source_file"]}, row.file, row.line)
            text = _check_line(located, problems, reports, "source_file", "source_line")
            if text is not None and row["quoted_source_zh"] not in text:
                problems.at(row, "quoted_source_zh", f"{row['quoted_source_zh']!r} does not occur on line "
                            f"{row['source_line']} of {art['source_file']}")  # fmt: skip
        lines = (reports.lines(art["source_file"]) or [])[first - 1 : last]
        number = row["printed_table"].removeprefix("table-")
        heading = re.compile(rf"^\s*表\s*{number}(?!\d)")
        if number.isdigit() and not any(heading.match(x) and row["title_zh"] in x for x in lines):
            problems.at(row, "title_zh", f"{row['title_zh']!r} is not printed after 表{number} in the article")
