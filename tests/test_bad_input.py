"""Bad input never becomes wrong data: each curator's mistake is named as FILE:ROW: COLUMN, the exit is non-zero, and
data/clean is left exactly as it was; publishing is all or nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths, publish
from helpers.build import BuildError, build
from helpers.validate import RawDataError

FACTS = "facts/zhucheng-three.csv"


@pytest.fixture
def project(tmp_path, reports_dir):
    """A copy of data/raw with a published data/clean beside it: (raw, clean, fingerprint of clean)."""
    raw = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DIR, raw)
    clean = tmp_path / "data" / "clean"
    build(raw_dir=raw, out_dir=clean, reports_folder=reports_dir)
    return raw, clean


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines), encoding="utf-8")


def replace_cell(path: Path, line: int, old: str, new: str) -> None:
    """Replace the first ``old`` on (1-based) ``line`` of a raw CSV with ``new``."""
    lines = lines_of(path)
    assert old in lines[line - 1], (old, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    write_lines(path, lines)


def problems(raw: Path, clean: Path, reports_dir: Path) -> list[str]:
    before = fingerprint(clean)
    with pytest.raises(RawDataError) as info:
        build(raw_dir=raw, out_dir=clean, reports_folder=reports_dir)
    assert fingerprint(clean) == before, "a failed build changed data/clean"
    return info.value.problems


def test_an_unclosed_quote_is_named_not_merged(project, reports_dir):
    raw, clean = project
    replace_cell(
        raw / FACTS,
        5,
        ",",
        ',"',
    )  # opens a quote in row 5 and never closes it
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith(f"data/raw/{FACTS}:5: -: ") and "unclosed quote" in p for p in found), found


def test_a_short_row_says_how_many_cells_are_missing(project, reports_dir):
    raw, clean = project
    lines = lines_of(raw / FACTS)
    lines[3] = ",".join(lines[3].split(",")[:-3])
    write_lines(raw / FACTS, lines)
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith(f"data/raw/{FACTS}:4: -: 3 cell(s) missing") for p in found), found


def test_an_exact_figure_beside_a_qualifier_word_on_its_line_is_rejected(project, reports_dir):
    raw, clean = project
    # baoying-glass-001 is 2００多家 (002:69): curated as figure_text 2００, exact, it must be refused.
    path = raw / "facts" / "baoying-glass.csv"
    row = next(i for i, ln in enumerate(lines_of(path), start=1) if ",2００多家," in ln)
    replace_cell(path, row, ",2００多家,", ",2００,")
    replace_cell(path, row, ",more_than,", ",exact,")
    found = problems(raw, clean, reports_dir)
    assert any(f"baoying-glass.csv:{row}: qualifier: exact, but on line 69 '2００' stands beside 多" in p
               for p in found), found  # fmt: skip


def test_a_facts_file_cut_to_its_header_is_refused(project, reports_dir):
    raw, clean = project
    path = raw / "facts" / "wanjiang-belt.csv"
    write_lines(path, lines_of(path)[:1] + [""])
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith("data/raw/facts/wanjiang-belt.csv:2: -: no rows") for p in found), found


def test_a_deleted_facts_file_cannot_silently_drop_published_facts(project, reports_dir):
    raw, clean = project
    n_before = len(lines_of(clean / "facts.csv")) - 2  # header and the final newline
    (raw / "facts" / "wanjiang-belt.csv").unlink()
    before = fingerprint(clean)
    with pytest.raises(BuildError, match=r"7 published fact\(s\) would disappear: wanjiang-belt-001"):
        build(raw_dir=raw, out_dir=clean, reports_folder=reports_dir)
    assert fingerprint(clean) == before
    result = build(raw_dir=raw, out_dir=clean, reports_folder=reports_dir, allow_dropped_facts=True)
    assert result["facts"] == n_before - 7


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-x"])
def test_cells_a_spreadsheet_would_run_are_rejected(project, reports_dir, text):
    raw, clean = project
    replace_cell(raw / FACTS, 2, "auto+food+textiles combined", text.replace('"', '""').join('""'))
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith(f"data/raw/{FACTS}:2: note: ") and "spreadsheet formula" in p for p in found), found


def test_a_control_character_and_an_oversized_cell_are_rejected(project, reports_dir):
    raw, clean = project
    replace_cell(raw / FACTS, 2, "auto+food+textiles combined", "auto\x01food")
    replace_cell(raw / FACTS, 4, "三大产业 利税", "利" * 40_000)
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith(f"data/raw/{FACTS}:2: note: contains a control character") for p in found), found
    assert any(p.startswith(f"data/raw/{FACTS}:4: entity_zh: 40,000 characters") for p in found), found


def test_a_gbk_file_is_named_with_its_line(project, reports_dir):
    raw, clean = project
    path = raw / "facts" / "wanjiang-belt.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith("data/raw/facts/wanjiang-belt.csv:2: -: not UTF-8") for p in found), found


def test_a_year_after_2030_is_rejected(project, reports_dir):
    raw, clean = project
    lines = lines_of(raw / "facts" / "wanjiang-belt.csv")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("year")], cells[header.index("year_reliable")] = "2099", "true"
    lines[1] = ",".join(cells)
    write_lines(raw / "facts" / "wanjiang-belt.csv", lines)
    found = problems(raw, clean, reports_dir)
    assert any("wanjiang-belt.csv:2: year: '2099' is not a year" in p for p in found), found


def test_line_ranges_count_lines_as_sed_does(project, reports_dir):
    raw, clean = project
    lines = lines_of(raw / "facts" / "wanjiang-belt.csv")
    header, cells = lines[0].split(","), lines[1].split(",")
    name = cells[header.index("source_file")]
    text = (reports_dir / name).read_text(encoding="utf-8")
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)  # what `wc -l`/sed count as lines
    cells[header.index("source_line")] = str(n_lines + 1)
    lines[1] = ",".join(cells)
    write_lines(raw / "facts" / "wanjiang-belt.csv", lines)
    found = problems(raw, clean, reports_dir)
    assert any(f"line {n_lines + 1} is out of range (expected 1–{n_lines} for {name})" in p for p in found), found


def test_missing_reports_fail_with_one_clear_line(project, tmp_path):
    raw, clean = project
    env = {**os.environ, "CLUSTERS_REPORTS_DIR": str(tmp_path / "nowhere")}
    cmd = [sys.executable, "-m", "helpers", "build", "--raw", str(raw), "--out", str(clean)]
    before = fingerprint(clean)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "nowhere" in proc.stderr and "--skip-line-checks" in proc.stderr
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    assert fingerprint(clean) == before


def test_an_output_folder_that_is_a_file_is_reported(project, reports_dir, tmp_path):
    raw, _ = project
    target = tmp_path / "not-a-folder"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="cannot use .*not-a-folder as the output folder"):
        build(raw_dir=raw, out_dir=target, reports_folder=reports_dir, binary=False)


# --- publishing: all or nothing -----------------------------------------------------------------------------

N_OUTPUTS = 13  # 9 CSVs, datapackage.json, 2 Parquet files, the workbook


@pytest.mark.parametrize("fail_at", range(2 * N_OUTPUTS))
def test_a_failed_move_at_any_step_leaves_clean_wholly_old(project, reports_dir, monkeypatch, fail_at):
    raw, clean = project
    before = fingerprint(clean)
    replace_cell(raw / FACTS, 2, "auto+food+textiles combined", "changed note")  # so new differs from old
    real_replace, calls = os.replace, []

    def flaky(src, dst):
        calls.append(src)
        if len(calls) == fail_at + 1:
            raise PermissionError(1, "Operation not permitted", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", flaky)
    with pytest.raises(BuildError, match="cannot publish into .*Nothing was changed there"):
        build(raw_dir=raw, out_dir=clean, reports_folder=reports_dir)
    assert fingerprint(clean) == before
    assert not [p for p in clean.iterdir() if p.name.startswith(".build-")], "staging folder left behind"


def test_a_stale_staging_folder_of_a_killed_build_is_removed(project, reports_dir):
    raw, clean = project
    stale = clean / ".build-deadbeef0000"
    (stale / "old").mkdir(parents=True)
    (stale / "facts.csv").write_text("half written", encoding="utf-8")
    build(raw_dir=raw, out_dir=clean, reports_folder=reports_dir, binary=False)
    assert not stale.exists()


def test_two_builds_are_byte_identical_including_xlsx_and_parquet(project, reports_dir, tmp_path):
    raw, clean = project
    again = tmp_path / "again"
    build(raw_dir=raw, out_dir=again, reports_folder=reports_dir)
    assert fingerprint(again) == fingerprint(clean)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (",187,", ",186,", "quoted_source_zh: '秦海霞"),  # the quoted source is not on that line
        (",187,", ",400,", "source_line: line 400 is not in the article"),
        ("浙江主要块状经济发展情况", "浙江块状经济", "title_zh: '浙江块状经济' is not printed after 表2"),
    ],
)
def test_a_printed_tables_quoted_source_stands_on_its_line_in_the_article(project, reports_dir, old, new, expected):
    raw, clean = project
    replace_cell(raw / "printed_tables.csv", 2, old, new)
    found = problems(raw, clean, reports_dir)
    assert any(p.startswith("data/raw/printed_tables.csv:2: " + expected) for p in found), found
