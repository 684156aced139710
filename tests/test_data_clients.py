"""The data outputs open in the tools people use: Frictionless validates the package with every row checked,
DuckDB and pyarrow read the Parquet files with real nulls and the CSV's numbers, a spreadsheet gets typed, filtered
and printable sheets."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths
from helpers.build import build


def _frictionless(folder: Path) -> dict:
    """``frictionless validate --json`` on a package folder (the command-line client, as a user runs it)."""
    exe = Path(sys.executable).with_name("frictionless")
    if not exe.exists():
        pytest.skip("frictionless is not installed: it is a test dependency (python3 tasks.py test installs it)")
    proc = subprocess.run([str(exe), "validate", "--json", "datapackage.json"], cwd=folder, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, reports_dir):
    out = tmp_path_factory.mktemp("clean")
    build(out_dir=out, reports_folder=reports_dir)
    return out


def test_frictionless_validates_the_committed_package_with_every_row_checked():
    report = _frictionless(paths.CLEAN_DIR)
    assert report["valid"], json.dumps(report["tasks"][0].get("errors", [])[:5], ensure_ascii=False)
    rows = {t["name"]: t["stats"].get("rows", 0) for t in report["tasks"]}
    with (paths.CLEAN_DIR / "facts.csv").open(encoding="utf-8-sig") as fh:
        assert rows["facts"] == sum(1 for _ in fh) - 1  # every row was read, not just the header


def test_frictionless_catches_a_bad_vocabulary_value_and_a_broken_foreign_key(fresh, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(fresh, broken)
    path = broken / "facts.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["qualifier"] = "roughly"
    rows[1]["cluster_id"] = "atlantis-gold"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = _frictionless(broken)
    assert not report["valid"]
    errors = [e for t in report["tasks"] for e in t["errors"]]
    types = {e["type"] for e in errors}
    assert "constraint-error" in types and "foreign-key" in types, types


def test_duckdb_reads_parquet_with_nulls_and_the_csv_numbers(fresh):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is a test dependency (python3 tasks.py test installs it)")
    parquet = str(fresh / "facts.parquet")
    con = duckdb.connect()
    n_years, min_year = con.execute(f"select count(year), min(year) from '{parquet}'").fetchone()
    with (fresh / "facts.csv").open(encoding="utf-8-sig", newline="") as fh:
        facts = list(csv.DictReader(fh))
    assert n_years == sum(1 for f in facts if f["year"]) and min_year != ""
    values = dict(con.execute(f"select fact_id, value_std from '{parquet}'").fetchall())
    for f in facts:
        if f["value_std"]:
            assert format(values[f["fact_id"]], ".15g") == format(float(f["value_std"]), ".15g"), f["fact_id"]
            assert values[f["fact_id"]] == float(f["value_std"]), f["fact_id"]
        else:
            assert values[f["fact_id"]] is None


def test_workbook_keeps_codes_and_fractions_as_text_filters_and_prints_to_width(fresh):
    from openpyxl import load_workbook

    wb = load_workbook(fresh / "clusters.xlsx")
    provinces = wb["provinces"]
    header = [c.value for c in provinces[1]]
    code = provinces.cell(row=2, column=header.index("province_code") + 1)
    assert code.data_type == "s" and isinstance(code.value, str) and len(code.value) == 6
    facts = wb["facts"]
    fh = [c.value for c in facts[1]]
    fractions = [
        r[fh.index("value")] for r in facts.iter_rows(min_row=2, values_only=True) if "/" in str(r[fh.index("value")])
    ]
    assert fractions and all(isinstance(v, str) for v in fractions)  # 2/3 stays 2/3, never a date
    for ws in wb.worksheets[1:]:
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
