"""Build ``data/clean/`` from ``data/raw/``: load → normalise → validate → write.

Nothing is written unless every raw table passes validation; outputs are first written to a temporary folder
beside ``data/clean/`` and then moved into place file by file, so a failed build leaves ``data/clean/`` as it was.
Files in ``data/clean/`` that the build does not produce are left alone. Output is deterministic: building twice
gives byte-identical CSV and JSON files.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from . import paths
from .audit import rounding_half_width, run_check
from .parse import QUALIFIER_MARKERS, StdFigure, standardise
from .rawdata import ABROAD, NATIONAL, RawDataError, Row, default_unit_std, validate
from .schema import (
    ARTICLES_COLUMNS,
    AUDIT_COLUMNS,
    CLUSTERS_COLUMNS,
    FACTS_COLUMNS,
    GBT4754_SECTIONS,
    MENTIONS_COLUMNS,
    METRICS_COLUMNS,
    PROVINCES_COLUMNS,
    STONE_COLUMNS,
    TYPICAL_COLUMNS,
    Col,
)

__all__ = ["build", "BuildResult", "RawDataError"]

LICENSE_DATA = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "CC BY 4.0",
}
PROJECT_TITLE = "China industrial clusters notebooks"


#: Counted units: a printed count (4家) is exact, not a rounded measurement.
COUNTED = {"count", "persons", "households", "person_times"}

#: A figure whose unit the report does not print: no standard value can be given.
UNIT_LOST = StdFigure(math.nan, math.nan, math.nan, "unknown", 1.0)


class BuildResult(dict):
    """Table name → number of rows written, plus ``seconds`` and ``out_dir``."""


# Marker words, longest first so that 大约 is one match rather than 大约 and 约.
_QUALIFIER_WORDS = re.compile(
    "|".join(sorted((w for ws in QUALIFIER_MARKERS.values() for w in ws), key=len, reverse=True))
)


def _bool(s: str) -> bool | None:
    return {"true": True, "false": False}.get(s)


def _nan_to_none(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def normalise(tables: dict[str, list[Row]]) -> dict[str, list[dict]]:
    """Raw rows (already validated) → clean records: standard units, intervals, provinces in both languages."""
    provinces = {r["province_zh"]: r for r in tables["provinces"]}
    full_to_short = {r["province_full_zh"]: r["province_zh"] for r in tables["provinces"]}
    metrics = {r["metric"]: r for r in tables["metrics"]}
    clusters_raw = {r["cluster_id"]: r for r in tables["clusters"]}

    def short(name: str) -> str:
        return full_to_short.get(name, name)

    abroad = {"province_zh": ABROAD, "province_en": "Outside China", "province_code": "", "region": ""}

    def province_en(name: str) -> str:
        if name == NATIONAL:
            return "China"
        if name == ABROAD:
            return abroad["province_en"]
        return provinces[name]["province_en"] if name in provinces else ""

    facts = []
    for r in tables["facts"]:
        metric = metrics[r["metric"]]
        if not r["unit"] and default_unit_std(metric) is None:
            std = UNIT_LOST  # validated: the note says the report prints no unit
        else:
            std = r.std or standardise(
                r["value"], r["unit"], r["qualifier"], r["figure_text"], default_unit_std(metric)
            )
        prov = short(r["province_zh"])
        if not prov and r["cluster_id"]:
            prov = short(clusters_raw[r["cluster_id"]]["province_zh"])
        words = _QUALIFIER_WORDS.findall(r["figure_text"])
        facts.append(
            {
                "fact_id": r["fact_id"],
                "article_id": r["article_id"],
                "cluster_id": r["cluster_id"],
                "entity_zh": r["entity_zh"],
                "province_zh": prov,
                "province_en": province_en(prov),
                "metric": r["metric"],
                "value": r["value"],
                "unit": r["unit"],
                "value_std": std.value_std,
                "unit_std": std.unit_std,
                "value_low_std": _nan_to_none(std.low),
                "value_high_std": _nan_to_none(std.high),
                "qualifier": r["qualifier"],
                "kind": r["kind"],
                "year": r["year"],
                "year_reliable": _bool(r["year_reliable"]),
                "period": r["period"],
                "source_file": r["source_file"],
                "source_line": int(r["source_line"]),
                "figure_text": r["figure_text"],
                "note": r["note"],
                "of_metric": r["of_metric"],
                "series_id": r["series_id"],
                "qualifier_word": " ".join(sorted(set(words))),
                "entity_en": r["entity_en"],
                # Internal, for the audit: half a unit of the last printed digit.
                "rounding_std": 0.0 if std.unit_std in COUNTED else rounding_half_width(r["value"], std.multiplier),
            }
        )
    facts.sort(key=lambda f: (f["article_id"], f["fact_id"]))

    n_facts = Counter(f["cluster_id"] for f in facts if f["cluster_id"])
    n_mentions = Counter(r["cluster_id"] for r in tables["cluster_mentions"])
    clusters = []
    for r in tables["clusters"]:
        prov = short(r["province_zh"])
        p = provinces.get(prov, abroad)
        section = r["gbt4754_section"]
        clusters.append(
            {
                "cluster_id": r["cluster_id"],
                "name_zh": r["name_zh"],
                "name_en": r["name_en"],
                "province_zh": prov,
                "province_en": p["province_en"],
                "province_code": p["province_code"],
                "prefecture_zh": r["prefecture_zh"],
                "county_zh": r["county_zh"],
                "town_zh": r["town_zh"],
                "industry_zh": r["industry_zh"],
                "name_std_zh": r["name_std_zh"],
                "place_en": r["place_en"],
                "industry_en": r["industry_en"],
                "gbt4754_section": section,
                "gbt4754_division": r["gbt4754_division"],
                "sector_en": GBT4754_SECTIONS[section][2] if section else "",
                "cluster_type": r["cluster_type"],
                "status": r["status"],
                "region": p["region"],
                "n_facts": n_facts.get(r["cluster_id"], 0),
                "n_mentions": n_mentions.get(r["cluster_id"], 0),
                "note": r["note"],
            }
        )
    clusters.sort(key=lambda c: c["cluster_id"])

    mentions = [
        {
            "cluster_id": r["cluster_id"],
            "source_file": r["source_file"],
            "source_line": int(r["source_line"]),
            "article_id": r["article_id"],
            "name_printed": r["name_printed"],
        }
        for r in tables["cluster_mentions"]
    ]
    mentions.sort(key=lambda m: (m["cluster_id"], m["source_file"], m["source_line"]))

    facts_per_article = Counter(f["article_id"] for f in facts)
    articles = [
        {**r, "first_line": int(r["first_line"]), "last_line": int(r["last_line"]),
         "province_zh": short(r["province_zh"]), "n_facts": facts_per_article.get(r["article_id"], 0)}
        for r in tables["articles"]
    ]  # fmt: skip
    articles.sort(key=lambda a: (a["source_file"], a["first_line"]))

    provinces_out = [{**r, "coastal": _bool(r["coastal"])} for r in tables["provinces"]]
    provinces_out.sort(key=lambda p: p["province_code"])

    facts_per_metric = Counter(f["metric"] for f in facts)
    metrics_out = [{**r, "n_facts": facts_per_metric.get(r["metric"], 0)} for r in tables["metrics"]]
    metrics_out.sort(key=lambda m: m["metric"])

    by_id = {f["fact_id"]: f for f in facts}
    audit = []
    for r in tables["audit_checks"]:
        ids = [f.strip() for f in r["fact_ids"].split(";") if f.strip()]
        tol = float(r["tolerance"]) if r["tolerance"] else None
        res = run_check(r["kind"], [by_id[i] for i in ids], tol)
        audit.append(
            {
                "check_id": r["check_id"],
                "kind": r["kind"],
                "description": r["description"],
                "fact_ids": ";".join(ids),
                "expected": res.expected,
                "reported": res.reported,
                "status": res.status,
                "unit_std": res.unit_std,
                "expected_low": res.expected_low,
                "expected_high": res.expected_high,
                "detail": res.detail,
                "note": r["note"],
            }
        )
    audit.sort(key=lambda a: a["check_id"])

    typical = [{**r, "first_line": int(r["first_line"]), "last_line": int(r["last_line"])}
               for r in tables["typology_typical_clusters"]]  # fmt: skip
    typical.sort(key=lambda t: t["first_line"])
    stone = [{**r, "source_line": int(r["source_line"])} for r in tables["typology_stone_clusters"]]
    stone.sort(key=lambda t: (t["province_zh"], t["cluster_id"]))

    return {
        "typology_typical_clusters": typical,
        "typology_stone_clusters": stone,
        "facts": facts,
        "clusters": clusters,
        "cluster_mentions": mentions,
        "articles": articles,
        "provinces": provinces_out,
        "metrics": metrics_out,
        "audit": audit,
    }


TABLE_COLUMNS: dict[str, list[Col]] = {
    "facts": FACTS_COLUMNS,
    "clusters": CLUSTERS_COLUMNS,
    "cluster_mentions": MENTIONS_COLUMNS,
    "articles": ARTICLES_COLUMNS,
    "provinces": PROVINCES_COLUMNS,
    "metrics": METRICS_COLUMNS,
    "audit": AUDIT_COLUMNS,
    "typology_typical_clusters": TYPICAL_COLUMNS,
    "typology_stone_clusters": STONE_COLUMNS,
}

TABLE_TITLES = {
    "facts": "Every quantitative figure printed in the reports, with its source line",
    "clusters": "Registry of the industrial clusters named in the reports",
    "cluster_mentions": "Every line where a cluster is named",
    "articles": "The articles of the source reports",
    "provinces": "China's 34 provincial-level divisions (GB/T 2260) with NBS region and coastal flag",
    "metrics": "Metric vocabulary with English and Chinese descriptions",
    "audit": "Cross-checks of the reports' own arithmetic",
    "typology_typical_clusters": "Table 3 of the China overview: industry type, origin, factor intensity, advantage",
    "typology_stone_clusters": "Stone-industry clusters: resource- or market-based, main products, belt or park",
}


def format_cell(value) -> str:
    """One cell as text: integers without '.0', floats with up to 15 significant digits, booleans true/false."""
    if type(value) is str:
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


def write_csv(records: list[dict], columns: list[Col], path: Path) -> None:
    """UTF-8 with BOM (so Excel shows Chinese), '\\n' line ends, fixed column order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = [c[0] for c in columns]
    writer.writerow(names)
    # Column by column: text columns need no formatting, which makes large tables several times faster.
    cells = []
    for name, typ, *_ in columns:
        values = [rec.get(name) for rec in records]
        if typ == "string":
            cells.append([v if type(v) is str else format_cell(v) for v in values])
        else:
            cells.append([format_cell(v) for v in values])
    writer.writerows(zip(*cells, strict=True))
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8", newline="")


def to_frame(records: list[dict], columns: list[Col]) -> pd.DataFrame:
    """Records → typed DataFrame (numbers float, integers nullable Int64, booleans nullable boolean)."""
    df = pd.DataFrame.from_records(records, columns=[c[0] for c in columns])
    for name, typ, _, _ in columns:
        if typ == "number":
            df[name] = pd.to_numeric(df[name], errors="coerce").astype("float64")
        elif typ == "integer":
            df[name] = df[name].astype("Int64")
        elif typ == "boolean":
            df[name] = df[name].astype("boolean")
        else:
            df[name] = df[name].fillna("").astype("string")
    return df


def write_parquet(records: list[dict], columns: list[Col], path: Path) -> None:
    to_frame(records, columns).to_parquet(path, index=False)


def _write_parquet_files(clean: dict[str, list[dict]], folder: Path) -> None:
    write_parquet(clean["facts"], FACTS_COLUMNS, folder / "facts.parquet")
    write_parquet(clean["clusters"], CLUSTERS_COLUMNS, folder / "clusters.parquet")


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
    for table, cols in TABLE_COLUMNS.items():
        for name, typ, unit, desc in cols:
            rows.append([table, name, typ, unit, desc])
    return rows


def write_xlsx(tables: dict[str, list[dict]], path: Path) -> None:
    """One sheet per table plus a README sheet; frozen header, readable widths; no cell is ever a formula.

    openpyxl builds the workbook: README sheet, styles, frozen header rows, column widths. The data rows are then
    streamed into each table's sheet as worksheet XML, because openpyxl's per-cell objects write about 60,000
    cells/s (a 100,000-fact table takes ~40 s) and the direct stream is over ten times faster. Cells are numbers,
    booleans or inline text (never formulas); text starting with = + - @ also carries the quote-prefix style, so a
    spreadsheet keeps it as text when the cell is edited. A test reads the workbook back with openpyxl.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    readme = wb.create_sheet("README")
    for letter, width in zip("ABCDE", (18, 18, 10, 28, 90), strict=True):
        readme.column_dimensions[letter].width = width
    title_font, header_font = Font(size=14), Font(bold=True)
    for i, row in enumerate(_readme_rows()):
        cells = [_text_cell(ws=readme, value=v, font=title_font if i == 0 else None) for v in row]
        readme.append(cells)

    quote_style = None
    sheet_rows: dict[str, str] = {}  # zip member → table whose rows go into it
    for index, (table, cols) in enumerate(TABLE_COLUMNS.items(), start=2):
        ws = wb.create_sheet(table)
        names = [c[0] for c in cols]
        ws.freeze_panes = "A2"
        for idx, name in enumerate(names, start=1):
            longest = max([len(name)] + [len(format_cell(r.get(name))) for r in tables[table][:500]])
            ws.column_dimensions[get_column_letter(idx)].width = min(60, max(8, longest + 2))
        header = []
        for name in names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = header_font
            cell.alignment = Alignment(vertical="top")
            header.append(cell)
        ws.append(header)
        if quote_style is None:
            quote_style = _text_cell(ws, "=").style_id  # registers the quote-prefix style in the workbook
        sheet_rows[f"xl/worksheets/sheet{index}.xml"] = table
    wb.properties.creator = PROJECT_TITLE
    skeleton = path.with_name(path.name + ".part")
    wb.save(skeleton)
    try:
        with (
            zipfile.ZipFile(skeleton) as src,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
        ):
            for info in src.infolist():
                xml = src.read(info)
                table = sheet_rows.get(info.filename)
                if table is None:
                    dst.writestr(info.filename, xml)
                    continue
                head, tail = xml.decode("utf-8").split("</sheetData>", 1)
                with dst.open(info.filename, "w") as out, io.TextIOWrapper(out, encoding="utf-8") as text:
                    text.write(head)
                    for chunk in _sheet_rows(tables[table], TABLE_COLUMNS[table], quote_style):
                        text.write(chunk)
                    text.write("</sheetData>" + tail)
    finally:
        skeleton.unlink(missing_ok=True)


#: Characters XML 1.0 does not allow (control characters other than tab, newline, carriage return).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
#: First or last characters that send a text cell down the careful path (formula starts, edge whitespace).
_TEXT_EDGE = frozenset("=+-@ \t\n\r\u3000")


def _sheet_rows(records: list[dict], columns: list[Col], quote_style: int, first_row: int = 2, chunk: int = 5000):
    """Worksheet XML ``<row>`` elements for ``records``, yielded in chunks of ``chunk`` rows (built column by
    column, which is several times faster than cell by cell)."""
    for start in range(0, len(records), chunk):
        part = records[start : start + chunk]
        row0 = first_row + start
        cells = [
            _column_cells([rec.get(name) for rec in part], _column_letter(j), row0, quote_style)
            for j, (name, *_rest) in enumerate(columns)
        ]
        yield "".join(
            f'<row r="{r}">{"".join(row)}</row>' for r, row in enumerate(zip(*cells, strict=True), start=row0)
        )


def _column_cells(values: list, letter: str, first_row: int, quote_style: int) -> list[str]:
    """One column's cells as XML (an empty string for an empty cell)."""
    out = []
    append = out.append
    for r, v in enumerate(values, start=first_row):
        if type(v) is str and v:
            if _XML_SPECIAL.search(v) or v[0] in _TEXT_EDGE or v[-1] in _TEXT_EDGE:
                append(_text_xml(v, f"{letter}{r}", quote_style))
            else:
                append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
        elif v is None or v == "":
            append("")
        elif isinstance(v, bool):
            append(f'<c r="{letter}{r}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, (int, float)):
            append(f'<c r="{letter}{r}" t="n"><v>{v!r}</v></c>' if math.isfinite(v) else "")
        else:
            append(_text_xml(str(v), f"{letter}{r}", quote_style))
    return out


def _text_xml(text: str, ref: str, quote_style: int) -> str:
    """A text cell that needs care: XML escapes, illegal characters dropped, edge spaces kept, quote prefix."""
    s = _XML_ILLEGAL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if s[:1].isspace() or s[-1:].isspace() else ""
    style = f' s="{quote_style}"' if s[:1] in _FORMULA_STARTS else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{s}</t></is></c>'


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_FORMULA_STARTS = ("=", "+", "-", "@")


def _text_cell(ws, value, font=None):
    """A cell that spreadsheets show as text, never evaluate (quote prefix), e.g. for '=…' or '-…' strings."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value[:1] in _FORMULA_STARTS:
            cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def datapackage(tables: dict[str, list[dict]], reports: list[str]) -> dict:
    """A Frictionless Data Package describing every committed CSV, its columns, units, sources and licence."""
    resources = []
    for table, cols in TABLE_COLUMNS.items():
        fields = []
        for name, typ, unit, desc in cols:
            field = {"name": name, "type": typ, "description": desc}
            if unit:
                field["unit_or_vocabulary"] = unit
            if typ == "boolean":
                field["trueValues"] = ["true"]
                field["falseValues"] = ["false"]
            fields.append(field)
        resources.append(
            {
                "name": table.replace("_", "-"),
                "path": f"{table}.csv",
                "title": TABLE_TITLES[table],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
                "rows": len(tables[table]),
                "schema": {"fields": fields, "missingValues": [""]},
            }
        )
    by_id = {r["name"]: r for r in resources}
    by_id["facts"]["schema"]["primaryKey"] = ["fact_id"]
    by_id["clusters"]["schema"]["primaryKey"] = ["cluster_id"]
    by_id["facts"]["schema"]["foreignKeys"] = [
        {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["article_id"]}},
    ]
    return {
        "profile": "tabular-data-package",
        "name": "china-industrial-clusters",
        "title": PROJECT_TITLE + ": curated figures and clusters",
        "description": "Quantitative figures, clusters and cross-checks curated by hand from Chinese reports and "
        "essays on industrial clusters (产业集群); every figure carries its source file, line and text as printed.",
        "version": "0.1.0",
        "licenses": [LICENSE_DATA],
        "sources": [{"title": f"Source report {name}", "path": f"../shared/reports/{name}"} for name in reports],
        "resources": resources,
    }


def start_in_child(func, *args) -> Callable[[], None]:
    """Start ``func(*args)`` in a forked child process on Linux (its own core, nothing pickled); elsewhere run it
    here and now. Returns ``wait()``, which blocks until the child is done and raises if it failed."""
    if sys.platform != "linux":
        func(*args)
        return lambda: None
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            func(*args)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent
            send.send(f"{type(exc).__name__}: {exc}")
            raise SystemExit(1) from None
        send.send("")

    proc = ctx.Process(target=child, name=f"helpers-{getattr(func, '__name__', 'task')}", daemon=True)
    proc.start()
    send.close()

    def wait() -> None:
        try:
            message = receive.recv()
        except EOFError:
            message = "the process ended without a result"
        proc.join()
        if message or proc.exitcode != 0:
            raise RuntimeError(f"{getattr(func, '__name__', 'task')} failed in a child process: {message}")

    return wait


CSV_OUTPUTS = [f"{t}.csv" for t in TABLE_COLUMNS]
ALL_OUTPUTS = CSV_OUTPUTS + ["facts.parquet", "clusters.parquet", "datapackage.json", "clusters.xlsx"]


def build(
    raw_dir: Path | None = None,
    out_dir: Path | None = None,
    reports_folder: Path | None = None,
    binary: bool = True,
    progress=None,
) -> BuildResult:
    """Validate ``raw_dir`` and write the clean tables to ``out_dir`` (default ``data/clean/``).

    Raises :class:`RawDataError` (listing every problem) before anything is written. ``binary=False`` skips the
    Parquet and Excel files. ``progress`` is called with a message at each step.
    """
    # The build allocates many small dicts and frees none of them until the end: the cyclic garbage collector
    # would rescan them all again and again (quadratic on large inputs), so it is paused for the build.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(raw_dir, out_dir, reports_folder, binary, progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(raw_dir, out_dir, reports_folder, binary, progress) -> BuildResult:
    say = progress or (lambda msg: None)
    raw_dir = raw_dir or paths.RAW_DIR
    out_dir = out_dir or paths.CLEAN_DIR
    t0 = time.perf_counter()
    say("validating data/raw")
    tables = validate(raw_dir, reports_folder)
    say("normalising")
    clean = normalise(tables)
    report_files = sorted({f["source_file"] for f in clean["facts"]} | {a["source_file"] for a in clean["articles"]})

    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        outputs = list(CSV_OUTPUTS) + ["datapackage.json"]
        with ThreadPoolExecutor(max_workers=1) as pool:
            if binary:
                # The workbook is the slowest output (pure Python): it is written in a child process on its own
                # core, and Parquet (Arrow releases the GIL) in a thread, while the CSVs are written here.
                say("writing Excel and Parquet (in the background)")
                workbook = start_in_child(write_xlsx, clean, tmp / "clusters.xlsx")
                parquet = pool.submit(_write_parquet_files, clean, tmp)
            say("writing CSV and datapackage.json")
            for table, cols in TABLE_COLUMNS.items():
                write_csv(clean[table], cols, tmp / f"{table}.csv")
            (tmp / "datapackage.json").write_text(
                json.dumps(datapackage(clean, report_files), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            if binary:
                parquet.result()  # re-raises any error of the background writers
                workbook()
                outputs += ["facts.parquet", "clusters.parquet", "clusters.xlsx"]
        for name in outputs:
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = BuildResult({t: len(clean[t]) for t in TABLE_COLUMNS})
    result["seconds"] = time.perf_counter() - t0
    result["out_dir"] = str(out_dir)
    return result
