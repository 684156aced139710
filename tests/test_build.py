"""The build: clean tables equal a fresh build, output is deterministic, bad input is reported precisely and
leaves data/clean untouched."""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import paths
from helpers.build import CSV_OUTPUTS, build
from helpers.schema import AUDIT_STATUSES, TABLES
from helpers.validate import RawDataError
from helpers.write import format_cell, write_xlsx

COMMITTED = CSV_OUTPUTS + ["datapackage.json"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, reports_dir):
    out = tmp_path_factory.mktemp("clean")
    build(out_dir=out, reports_folder=reports_dir)
    return out


def test_committed_clean_tables_equal_a_fresh_build(fresh):
    stale = [n for n in COMMITTED if (paths.CLEAN_DIR / n).read_bytes() != (fresh / n).read_bytes()]
    assert not stale, f"data/clean is out of date for {stale}: run `python -m helpers build` and commit"


def test_building_twice_is_byte_identical(fresh, tmp_path, reports_dir):
    build(out_dir=tmp_path, reports_folder=reports_dir, binary=False)
    for name in COMMITTED:
        assert (tmp_path / name).read_bytes() == (fresh / name).read_bytes(), name


def test_outputs_have_the_agreed_columns(fresh):
    facts = pd.read_csv(fresh / "facts.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    required = (
        "fact_id, article_id, cluster_id, entity_zh, province_zh, province_en, metric, value, unit, value_std, "
        "unit_std, value_low_std, value_high_std, qualifier, kind, year, year_reliable, period, source_file, "
        "source_line, figure_text, note"
    ).split(", ")
    assert list(facts.columns[: len(required)]) == required
    assert (fresh / "facts.csv").read_bytes().startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    clusters = pd.read_csv(fresh / "clusters.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(clusters.columns[:10]) == [
        "cluster_id", "name_zh", "name_en", "province_zh", "province_en", "province_code",
        "prefecture_zh", "county_zh", "town_zh", "industry_zh",
    ]  # fmt: skip
    provinces = pd.read_csv(fresh / "provinces.csv", encoding="utf-8-sig", dtype=str)
    assert len(provinces) == 34
    assert set(provinces["region"].dropna()) == {"east", "central", "west", "northeast"}
    audit = pd.read_csv(fresh / "audit.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(audit.columns[:7]) == ["check_id", "kind", "description", "fact_ids", "expected", "reported", "status"]
    assert set(audit["status"]) <= set(AUDIT_STATUSES)
    parquet = pd.read_parquet(fresh / "facts.parquet")
    assert len(parquet) == len(facts)
    assert parquet["value_std"].dtype == "float64"


def test_every_fact_quotes_its_line(fresh, reports_dir):
    facts = pd.read_csv(fresh / "facts.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    lines = {f: (reports_dir / f).read_text(encoding="utf-8").split("\n") for f in facts["source_file"].unique()}
    for row in facts.itertuples():
        assert row.figure_text in lines[row.source_file][int(row.source_line) - 1], row.fact_id


def test_showcase_figures(fresh):
    """Spot checks against the reports, read by hand: Zhucheng survey and Table 2 of the China overview."""
    facts = pd.read_csv(fresh / "facts.csv", encoding="utf-8-sig")
    zc = facts[facts["source_file"].eq("001_7cc8cc13ca9a368c.txt") & facts["source_line"].eq(8)]
    revenue = zc[zc["metric"].eq("revenue")]
    assert revenue["value_std"].tolist() == [142e8]  # 纺织服装业 主营业务收入142亿元 (001:8)
    assert set(zc["cluster_id"]) == {"zhucheng-textiles-apparel"}
    assert zc.loc[zc["metric"].eq("firms"), "value_std"].tolist() == [169]  # 169家限额以上企业
    t2 = facts[facts["source_file"].eq("003_ea17d757428fd9bd.txt") & facts["source_line"].between(135, 187)]
    shaoxing = t2[t2["figure_text"].eq("73７。８")]
    assert shaoxing["value_std"].tolist() == [737.8e8] and shaoxing["unit_std"].tolist() == ["CNY"]
    lighters = t2[t2["source_line"].eq(156)]  # 温州打火机 产值 20多 (亿元)
    assert lighters["qualifier"].tolist() == ["more_than"]
    assert lighters["value_low_std"].tolist() == [20e8] and lighters["value_high_std"].tolist() == [30e8]


def test_xlsx_has_readme_frozen_headers_and_no_formulas(fresh):
    from openpyxl import load_workbook

    wb = load_workbook(fresh / "clusters.xlsx")
    assert wb.sheetnames[0] == "README"
    assert {"facts", "clusters", "audit", "provinces"} <= set(wb.sheetnames)
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} would run as a formula"


def test_xlsx_sheets_hold_the_same_values_as_the_csvs(fresh):
    from openpyxl import load_workbook

    wb = load_workbook(fresh / "clusters.xlsx")
    for table in ("facts", "clusters", "cluster_mentions", "audit", "provinces"):
        with (fresh / f"{table}.csv").open(encoding="utf-8-sig", newline="") as fh:
            expected = list(csv.reader(fh))
        sheet = [[format_cell(v) for v in row] for row in wb[table].iter_rows(values_only=True)]
        assert len(sheet) == len(expected), table
        for i, (got, want) in enumerate(zip(sheet, expected, strict=True), start=1):
            assert got == want, f"{table} row {i}"


def test_xlsx_text_cells_are_escaped_kept_as_text_and_never_formulas(tmp_path):
    from openpyxl import load_workbook

    tricky = {
        "fact_id": '=HYPERLINK("x")',
        "article_id": "a<b & c>d",
        "cluster_id": " leading and trailing ",
        "entity_zh": "控制\x01字符",
        "province_zh": "-5",
        "value_std": 1.0e-7,
        "value_low_std": math.nan,
        "value_high_std": math.inf,
        "source_line": 12,
        "year_reliable": False,
    }
    tables = {table: [] for table in TABLES}
    tables["facts"] = [tricky, {"fact_id": "plain", "year_reliable": True}]
    write_xlsx(tables, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["facts"]
    header = [c.value for c in ws[1]]
    row = {name: cell for name, cell in zip(header, ws[2], strict=True)}
    assert row["fact_id"].value == '=HYPERLINK("x")' and row["fact_id"].data_type == "s"
    assert row["fact_id"].quotePrefix and row["province_zh"].quotePrefix
    assert row["article_id"].value == "a<b & c>d" and not row["article_id"].quotePrefix
    assert row["cluster_id"].value == " leading and trailing "
    assert row["entity_zh"].value == "控制字符"  # XML 1.0 cannot hold control characters: dropped
    assert row["value_std"].value == 1.0e-7 and row["source_line"].value == 12
    assert row["value_low_std"].value is None and row["value_high_std"].value is None
    assert row["year_reliable"].value is False
    assert [c.value for c in ws[3]][:1] == ["plain"] and row["fact_id"].row == 2
    assert ws.freeze_panes == "A2" and ws.max_row == 3


def test_datapackage_describes_every_csv(fresh):
    pkg = json.loads((fresh / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0"
    described = {r["path"] for r in pkg["resources"]}
    assert described == set(CSV_OUTPUTS)
    for res in pkg["resources"]:
        header = (fresh / res["path"]).read_text(encoding="utf-8-sig").split("\n", 1)[0].split(",")
        assert [f["name"] for f in res["schema"]["fields"]] == header


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.fixture
def raw(tmp_path):
    """A copy of data/raw to break."""
    dst = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DIR, dst, ignore=shutil.ignore_patterns("_parts"))
    return dst


def edit(path: Path, row: int, column: str, value: str) -> None:
    """Set ``column`` of data row ``row`` (0-based) of a raw CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    rows[row][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def problems_for(raw: Path, reports_dir: Path) -> list[str]:
    with pytest.raises(RawDataError) as info:
        build(raw_dir=raw, out_dir=raw.parent / "clean", reports_folder=reports_dir, binary=False)
    return info.value.problems


FACTS = "facts/zhucheng-survey.csv"


@pytest.mark.parametrize(
    ("file", "column", "value", "message"),
    [
        (FACTS, "entity_zh", "", "required value is empty"),
        (FACTS, "value", "十二点五", "cannot read"),
        (FACTS, "unit", "光年", "unknown unit '光年'"),
        (FACTS, "metric", "happiness", "unknown metric 'happiness'"),
        (FACTS, "qualifier", "roughly", "'roughly' is not allowed"),
        (FACTS, "kind", "wish", "'wish' is not allowed"),
        (FACTS, "qualifier", "approx", "has no approx word"),
        (FACTS, "source_file", "999_0000000000000000.txt", "no report file"),
        (FACTS, "source_line", "99999", "out of range"),
        (FACTS, "figure_text", "123456789亿元", "does not occur on line"),
        (FACTS, "cluster_id", "atlantis-gold", "unknown cluster 'atlantis-gold'"),
        (FACTS, "article_id", "no-such-article", "unknown article"),
        (FACTS, "province_zh", "火星", "unknown province '火星'"),
        (FACTS, "year", "20O4", "is not a year"),
        (FACTS, "period", "sometimes", "is not a period"),
        ("clusters.csv", "province_zh", "火星", "unknown province '火星'"),
        ("clusters.csv", "gbt4754_division", "99", "division 99"),
        ("clusters.csv", "cluster_type", "magic", "'magic' is not allowed"),
        ("cluster_mentions.csv", "cluster_id", "atlantis-gold", "unknown cluster"),
        ("audit_checks.csv", "fact_ids", "nope-001;nope-002", "unknown fact 'nope-001'"),
        ("articles.csv", "kind", "poem", "'poem' is not allowed"),
        ("metrics.csv", "unit_family", "vibes", "'vibes' is not allowed"),
    ],
)
def test_bad_input_is_reported_with_file_row_and_column(raw, reports_dir, file, column, value, message):
    edit(raw / file, 0, column, value)
    problems = problems_for(raw, reports_dir)
    expected_prefix = f"data/raw/{file}:2: {column}: "
    hits = [p for p in problems if p.startswith(expected_prefix) and message in p]
    assert hits, f"no problem starting {expected_prefix!r} mentioning {message!r} in:\n" + "\n".join(problems)


def test_duplicate_id_is_reported_at_the_second_row(raw, reports_dir):
    edit(raw / FACTS, 1, "fact_id", "zhucheng-survey-001")
    problems = problems_for(raw, reports_dir)
    assert any(
        p.startswith(f"data/raw/{FACTS}:3: fact_id: duplicate id 'zhucheng-survey-001' (first at") for p in problems
    ), problems


def test_missing_column_is_reported(raw, reports_dir):
    path = raw / "clusters.csv"
    text = path.read_text(encoding="utf-8").replace("cluster_type,", "kind_of_cluster,", 1)
    path.write_text(text, encoding="utf-8")
    problems = problems_for(raw, reports_dir)
    assert any(p.startswith("data/raw/clusters.csv:1: cluster_type: column missing") for p in problems), problems


def test_every_problem_is_reported_in_one_run(raw, reports_dir):
    edit(raw / FACTS, 0, "unit", "光年")
    edit(raw / FACTS, 3, "kind", "wish")
    edit(raw / "clusters.csv", 2, "status", "imagined")
    problems = problems_for(raw, reports_dir)
    assert any(":2: unit:" in p for p in problems)
    assert any(":5: kind:" in p for p in problems)
    assert any("clusters.csv:4: status:" in p for p in problems)


def test_failed_build_leaves_clean_folder_untouched(raw, reports_dir):
    out = raw.parent / "clean"
    build(raw_dir=raw, out_dir=out, reports_folder=reports_dir, binary=False)
    (out / "my-notes.txt").write_text("curated by a user", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(raw / FACTS, 0, "unit", "光年")
    with pytest.raises(RawDataError):
        build(raw_dir=raw, out_dir=out, reports_folder=reports_dir)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(out.parent.glob(".build-*")), "temporary build folder left behind"


def test_cli_exits_non_zero_and_names_the_place(raw, reports_dir, tmp_path):
    edit(raw / FACTS, 0, "unit", "光年")
    out = tmp_path / "clean"
    cmd = [sys.executable, "-m", "helpers", "build", "--raw", str(raw), "--out", str(out), "--no-binary"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(reports_dir))
    assert proc.returncode == 1
    assert f"data/raw/{FACTS}:2: unit: unknown unit '光年'" in proc.stderr
    assert not (out / "facts.csv").exists()


def test_quiet_before_or_after_the_command_prints_nothing(tmp_path, reports_dir):
    for argv in (["-q", "build"], ["build", "-q"]):
        out = tmp_path / "-".join(argv)
        cmd = [sys.executable, "-m", "helpers", *argv, "--out", str(out), "--no-binary"]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(reports_dir))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == "", argv
        assert (out / "facts.csv").exists()


def test_missing_reports_folder_fails_unless_line_checks_are_skipped(raw, tmp_path):
    from helpers.build import ReportsNotFound

    with pytest.raises(ReportsNotFound, match="source reports not found at .*nowhere.*--skip-line-checks"):
        build(raw_dir=raw, out_dir=tmp_path / "out", reports_folder=tmp_path / "nowhere", binary=False)
    assert not (tmp_path / "out" / "facts.csv").exists()
    with pytest.warns(UserWarning, match="reports folder .* not found"):
        result = build(raw_dir=raw, out_dir=tmp_path / "out", reports_folder=tmp_path / "nowhere", binary=False,
                       skip_line_checks=True)  # fmt: skip
    assert result["lines_checked"] is False
    assert json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))["lines_checked"] is False


def _env(reports_dir):
    import os

    return {**os.environ, "CLUSTERS_REPORTS_DIR": str(reports_dir)}


def test_data_dictionary_documents_every_column():
    from helpers.docs import MARKER
    from helpers.schema import dictionary_markdown

    text = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert MARKER in text
    assert text.split(MARKER, 1)[1].strip() == dictionary_markdown().strip(), (
        "data/README.md column tables are stale: run python -c 'from helpers.docs import write_data_readme; "
        "write_data_readme()'"
    )
