"""The audit: interval arithmetic on hand-made facts, the grading rule, bad input, and its findings on the real data
(each case of issue 13 checked against the lines of the reports)."""

from __future__ import annotations

import csv
import math
import re
import shutil
from pathlib import Path

import pytest

from helpers import load, paths
from helpers.audit import CheckResult, fact_interval, grade, roles, rounding_half_width, run_check
from helpers.build import build
from helpers.parse import year_bounds
from helpers.schema import AUDIT_KINDS, AUDIT_STATUSES
from helpers.validate import RawDataError


def fact(fid, v, q="exact", lo=None, hi=None, unit="CNY", rounding=0.0, year="", reliable=None):
    lo = v if lo is None and q == "exact" else lo
    hi = v if hi is None and q == "exact" else hi
    return {
        "fact_id": fid, "value_std": v, "qualifier": q, "value_low_std": math.nan if lo is None else lo,
        "value_high_std": math.nan if hi is None else hi, "unit_std": unit, "rounding_std": rounding,
        "year": year, "year_start": year_bounds(year)[0], "year_reliable": reliable, "figure_text": str(v),
        "source_file": "f.txt", "source_line": 1,
    }  # fmt: skip


def count(fid, v, q="exact", lo=None, hi=None):
    return fact(fid, v, q, lo, hi, unit="count")


# --- interval arithmetic --------------------------------------------------------------------------------------


def test_rounding_half_width():
    assert rounding_half_width("142", 1e8) == pytest.approx(0.5e8)
    assert rounding_half_width("26.6", 0.01) == pytest.approx(0.0005)
    assert rounding_half_width("73７。８", 1e8) == pytest.approx(0.05e8)


def test_sum_respects_printed_rounding():
    # Zhucheng: 142 + 323.5 + 177.9 = 643.4 vs a printed total of 643 → the figures can agree within rounding
    parts = [fact("a", 142e8, rounding=0.5e8), fact("b", 323.5e8, rounding=0.05e8), fact("c", 177.9e8, rounding=0.05e8)]
    assert run_check("sum", [*parts, fact("t", 643e8, rounding=0.5e8)]).result == "agree"
    assert run_check("sum", [*parts, fact("t", 700e8, rounding=0.5e8)]).result == "disagree"


def test_sum_within_allows_an_incomplete_list():
    parts = [fact("a", 40.0), fact("b", 60.0)]
    assert run_check("sum_within", [*parts, fact("t", 200.0)]).result == "agree"
    assert run_check("sum_within", [*parts, fact("t", 90.0)]).result == "disagree"


def test_share_growth_and_cagr():
    r = run_check("share", [fact("p", 217e8, rounding=0.5e8), fact("t", 675e8, rounding=0.5e8),
                            fact("s", 0.32, unit="ratio", rounding=0.005)])  # fmt: skip
    assert r.result == "agree" and r.expected == pytest.approx(217 / 675, rel=1e-3)
    r = run_check("growth", [fact("a", 100.0), fact("b", 150.0), fact("g", 0.2, unit="ratio")])
    assert r.result == "disagree" and r.expected == pytest.approx(0.5)
    a, b = fact("a", 100.0, year="2000", reliable=True), fact("b", 121.0, year="2002", reliable=True)
    assert run_check("cagr", [a, b, fact("g", 0.10, unit="ratio")]).result == "agree"
    b_unreliable = {**b, "year_reliable": False}
    r = run_check("cagr", [a, b_unreliable, fact("g", 0.10, unit="ratio")])
    assert r.result == "undecided" and "2.0 years apart" in r.detail


def test_qualified_figures_are_intervals():
    more = count("m", 20.0, "more_than", lo=20.0, hi=30.0)
    assert (fact_interval(more).low, fact_interval(more).high) == (20, 30)
    # "20多" and "25" can be the same number; "20多" and "35" cannot
    assert run_check("same", [more, count("x", 25.0)]).result == "agree"
    assert run_check("same", [more, count("y", 35.0)]).result == "disagree"


def test_nondecreasing_counts_are_exact():
    r = run_check("nondecreasing", [count("a", 1.0), count("b", 4.0), count("c", 3.0)])
    assert r.result == "disagree" and "c < b" in r.detail


def test_units_must_agree():
    assert run_check("sum", [fact("a", 1.0), fact("b", 1.0, unit="USD")]).result == "undecided"


def test_bands_total_bounds_the_total():
    # 149 units ≥ 10, 35 ≥ 50, 26 ≥ 100, 6 ≥ 200: at least 149·10 + 35·40 + 26·50 + 6·100 = 4790
    bands = []
    for t, c in ((10, 149), (50, 35), (100, 26), (200, 6)):
        bands += [fact(f"t{t}", float(t), "at_least", lo=float(t)), count(f"c{t}", float(c))]
    r = run_check("bands_total", [*bands, fact("total", 10000.0)])
    assert r.result == "agree" and r.expected_low == pytest.approx(4790) and r.expected_high is None
    assert run_check("bands_total", [*bands, fact("total", 4000.0)]).result == "disagree"
    # a band printed as a range is bounded above too: 13 clusters of 30–100 make 390–1300
    band = [fact("r", 65.0, "range", lo=30.0, hi=100.0), count("n", 13.0)]
    r = run_check("bands_total", [*band, fact("t", 960.0, "more_than", lo=960.0, hi=970.0)])
    assert r.result == "agree" and (r.expected_low, r.expected_high) == pytest.approx((390, 1300))
    assert run_check("bands_total", [*band, fact("t", 1400.0)]).result == "disagree"


def test_listed_names_against_a_count():
    assert run_check("listed", [count("n", 4.0)], listed=list("abcd")).result == "agree"
    assert run_check("listed", [count("n", 4.0)], listed=list("abcdefg")).result == "disagree"
    assert run_check("listed_within", [count("n", 6.0)], listed=list("abc")).result == "agree"
    assert run_check("listed_within", [count("n", 6.0)], listed=list("abcdefg")).result == "disagree"


def test_ratio_against_a_plausible_range():
    value, tonnes = fact("v", 3500e4, rounding=0.5e4), fact("q", 40e4, unit="t", rounding=0.5e4)
    r = run_check("ratio", [value, tonnes], plausible=(300.0, 20000.0))
    assert r.result == "disagree" and r.unit_std == "CNY/t" and r.expected == pytest.approx(87.5, rel=0.02)
    assert run_check("ratio", [value, tonnes], plausible=(50.0, None)).result == "agree"


# --- the grading rule -----------------------------------------------------------------------------------------


def _res(result: str) -> CheckResult:
    return CheckResult(1.0, 1.0, result, "count", 1.0, 1.0, "detail: lines")


def test_grade_rule():
    two = [count("a", 1.0), count("b", 1.0)]
    differ = [count("a", 50.0, "approx"), count("b", 52.0, "approx")]
    assert grade(_res("agree"), "sum", two, "") == ("consistent", None)
    assert grade(_res("undecided"), "sum", two, "") == ("cannot_check", None)
    assert grade(_res("undecided"), "sum", two, "contradiction")[1]  # nothing computed to grade
    assert grade(_res("disagree"), "sum", two, "")[1]  # a failed check without a grade is rejected
    for finding in ("contradiction", "discrepancy", "depends_on_reading", "definition_check"):
        assert grade(_res("disagree"), "sum", two, finding) == (finding, None)
    assert grade(_res("agree"), "sum", two, "definition_check") == ("definition_check", None)
    assert grade(_res("agree"), "sum", two, "depends_on_reading") == ("depends_on_reading", None)
    assert grade(_res("agree"), "sum", two, "contradiction")[1]  # the intervals agree
    # the same quantity printed twice with different values is never consistent, whatever the tolerance
    assert grade(_res("agree"), "same", differ, "")[1]
    assert grade(_res("agree"), "same", differ, "discrepancy") == ("discrepancy", None)
    assert grade(_res("agree"), "same", two, "") == ("consistent", None)


def test_roles_cover_every_kind():
    for kind in AUDIT_KINDS:
        n = 9 if kind == "bands_total" else 3 if kind not in ("ratio",) else 2
        assert len(roles(kind, n)) == n


# --- the real audit -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def audit():
    return load.audit().set_index("check_id")


@pytest.fixture(scope="module")
def facts():
    return load.facts().set_index("fact_id")


def test_every_row_is_graded_with_a_verifiable_detail(audit):
    assert set(audit["status"].astype(str)) <= set(AUDIT_STATUSES)
    assert audit["status"].notna().all()
    for check_id, row in audit.iterrows():
        for fid in row["fact_ids"].split(";"):
            assert fid in row["detail"], (check_id, fid)
        assert re.search(r"\d{3}_[0-9a-f]{16}\.txt:\d+", row["detail"]), check_id
        if row["status"] not in ("consistent", "cannot_check"):
            assert row["finding"] == row["status"] or row["status"] == "definition_check"


def test_same_quantity_with_different_values_is_never_consistent(audit, facts):
    same = audit[audit["kind"].eq("same")]
    for check_id, row in same.iterrows():
        values = {round(facts.loc[f, "value_std"], 9) for f in row["fact_ids"].split(";")}
        if len(values) > 1:
            assert row["status"] != "consistent", check_id


def test_no_duplicate_findings(audit):
    keys = [tuple(sorted(s.split(";"))) for s in audit["fact_ids"]]
    assert len(keys) == len(set(keys))
    merged = [m for ms in audit["merged_ids"].fillna("") for m in ms.split(";") if m]
    assert not set(merged) & set(audit.index)
    # Wenzhou lighters' 70 % vs 80 % is one finding with the three lines it is printed on
    lighters = audit.loc["china-overview-c08"]
    assert lighters["fact_ids"].split(";") == ["china-overview-029", "china-overview-453", "china-overview-045"]
    assert {"china-overview-c407", "china-overview-c408"} <= set(merged)
    # Dalian's size bands are one finding
    assert "dalian-software-c02" in merged and "dalian-software-c02" not in audit.index


#: Words that state a verdict, and the statuses a note may use them with.
_NOTE_WORDS = {
    r"contradict|矛盾": {"contradiction", "depends_on_reading"},
    r"inconsistent|不一致": {"contradiction", "discrepancy", "depends_on_reading"},
    r"discrepan": {"discrepancy", "depends_on_reading"},
    r"not checkable|cannot be checked": {"cannot_check"},
    r"(?<!in)consistent|reconcil": {"consistent", "discrepancy", "depends_on_reading", "definition_check"},
}


def test_notes_never_contradict_the_status(audit):
    for check_id, row in audit.iterrows():
        note = str(row["note"] or "").lower()
        for pattern, allowed in _NOTE_WORDS.items():
            if re.search(pattern, note):
                assert row["status"] in allowed, f"{check_id}: note {note!r} vs status {row['status']}"


def test_trivial_checks_are_gone(audit):
    # a value compared with itself (one printed 40%以上 curated for sales and exports), thresholds compared with
    # each other, and a count of clusters set against a count of districts
    for check_id in ("dalian-software-c06", "dalian-software-c03", "guangdong-upgrading-c02"):
        assert check_id not in audit.index


def test_definition_checks_are_not_findings(audit):
    # Yong'an: 12.7 + 15.4 + 8.7 = 36.8 > 30.2 shows the 30.2亿 uses forestry's industrial 8.8亿 (003:4–6)
    assert audit.loc["yongan-three-c02", "status"] == "definition_check"
    assert audit.loc["yongan-three-c02", "result"] == "disagree"
    assert audit.loc["yongan-three-c01", "status"] == "consistent"
    # Tongbai: an incomplete list of products fits within the 200万吨 total (000:50, 000:54)
    for check_id in ("tongbai-tea-peanut-c09", "tongbai-tea-peanut-c10"):
        assert audit.loc[check_id, ["kind", "status"]].tolist() == ["sum_within", "consistent"]
    # Lianyungang: the 7 provincially approved parks are the nine names of 003:318 less the two national zones
    assert audit.loc["lianyungang-parks-c06", ["status", "result"]].tolist() == ["definition_check", "agree"]


def test_restatements_are_discrepancies(audit):
    # 约52 % (003:126) and 约50 % (003:134), one 2003 survey: 约 can reconcile them, so never consistent
    assert audit.loc["china-overview-c03", ["status", "result"]].tolist() == ["discrepancy", "agree"]
    # Shengzhou ties 80 % (003:134) vs 90 % (Table 2, 003:172): only a different date could reconcile them
    assert audit.loc["china-overview-c07", "status"] == "discrepancy"
    assert audit.loc["china-overview-c08", "status"] == "discrepancy"


def test_examples_of_issue_13(audit):
    s = audit["status"].astype(str)
    # Zhejiang 2003: the size bands of 003:126 need at least 4790亿元, within the 1万亿; so does Table 2's sum
    assert s["china-overview-c18"] == "consistent"
    assert audit.loc["china-overview-c18", "expected_low"] == pytest.approx(4790e8, rel=0.01)
    assert s["china-overview-c19"] == "consistent"
    # stone: 西部只有4个 (004:100) while the list of 004:96 names 7 clusters in NBS western provinces
    assert s["stone-industry-c08"] == "depends_on_reading"
    assert audit.loc["stone-industry-c08", "expected"] == 7
    assert s["stone-industry-c09"] == s["stone-industry-c10"] == "consistent"  # 20 and 12 names, as printed
    # Baoying: the size bands of 002:69 need at least 4.6亿元, within 20多亿
    assert s["baoying-glass-c05"] == "consistent"
    assert audit.loc["baoying-glass-c05", "expected_low"] == pytest.approx(4.6e8)
    # Dalian: a top-three firm with 1300 staff vs 4 firms above 2025 (004:78)
    assert s["dalian-software-c09"] == "depends_on_reading"
    assert s["dalian-software-c01"] == "depends_on_reading"  # bands contradict only if cumulative
    # Zhucheng paper machinery: 2.4亿 at 50%以上 implies a national market of at most 4.9亿元 (001:16)
    assert s["zhucheng-survey-c14"] == "depends_on_reading"
    assert audit.loc["zhucheng-survey-c14", "expected_high"] == pytest.approx(4.9e8)
    # Yong'an textiles: 12.7 → 超过30亿 at 30%以上 takes 3.3 years; the printed years are overwritten (003:5)
    assert s["yongan-three-c09"] == "cannot_check" and "3.3 years" in audit.loc["yongan-three-c09", "detail"]
    # Shouguang expo: 3500万元 for 40万吨 is under 0.09 元/kg (001:82)
    assert s["shouguang-vegetables-c13"] == "contradiction"
    assert audit.loc["shouguang-vegetables-c13", "expected"] / 1000 < 0.09
    # Zhucheng food firms: 153 规模以上 (001:3) vs 73 限额以上 (001:10), two articles, the reason stated
    row = audit.loc["zhucheng-survey-c15"]
    assert row["status"] == "depends_on_reading" and row["cross_article"]
    # Guangdong: 240多 towns (003:20) vs the 404 of the Pearl River Delta alone (003:190)
    assert audit.loc["china-overview-c16", ["kind", "status"]].tolist() == ["above", "depends_on_reading"]


def test_other_findings(audit):
    s = audit["status"].astype(str)
    assert s["shouguang-vegetables-c01"] == "contradiction"  # 其中 lists 7300万 seedlings of 5000万 (001:75)
    assert s["china-overview-c12"] == "depends_on_reading"  # Dongguan firm types vs total (003:195)
    assert s["lianyungang-parks-c02"] == "depends_on_reading"  # 8 vs 7 provincial parks (003:315, 318)
    assert s["stone-industry-c01"] == "consistent"  # 217 / 675 ≈ 32 % (004:95)


def test_findings_carry_readings_and_labels(audit):
    for check_id, row in audit.iterrows():
        if row["status"] in ("discrepancy", "depends_on_reading", "definition_check"):
            assert row["readings"], check_id
        if row["status"] == "depends_on_reading":
            assert " | " in row["readings"], check_id
        if row["status"] in ("contradiction", "discrepancy", "depends_on_reading"):
            assert row["label_zh"] and row["label_en"], check_id


# --- bad input ------------------------------------------------------------------------------------------------

AUDIT_CSV = "audit_checks.csv"


@pytest.fixture
def raw(tmp_path):
    dst = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DIR, dst, ignore=shutil.ignore_patterns("_parts"))
    return dst


def edit(path: Path, check_id: str, column: str, value: str) -> int:
    """Set ``column`` of the row of ``check_id``; return its CSV line."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    index = next(i for i, r in enumerate(rows) if r["check_id"] == check_id)
    rows[index][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return index + 2


def problems_for(raw: Path, reports_dir: Path) -> list[str]:
    with pytest.raises(RawDataError) as info:
        build(raw_dir=raw, out_dir=raw.parent / "clean", reports_folder=reports_dir, binary=False)
    return info.value.problems


@pytest.mark.parametrize(
    ("check_id", "column", "value", "message"),
    [
        ("china-overview-c07", "finding", "oops", "'oops' is not allowed"),
        ("china-overview-c07", "kind", "vibe", "'vibe' is not allowed"),
        ("china-overview-c07", "fact_ids", ";", "names no fact"),
        ("zhucheng-survey-c15", "cross_article", "", "facts of zhucheng-three used without saying why"),
        ("china-overview-c07", "tolerance", "ten", "'ten' is not a number"),
        ("china-overview-c07", "finding", "", "needs a grade"),
        ("china-overview-c03", "finding", "", "never consistent"),
        ("stone-industry-c01", "finding", "contradiction", "the intervals agree"),  # labels set below
        ("stone-industry-c08", "readings", "west is west", "both readings"),
        ("stone-industry-c08", "listed", "四川宝兴;亚特兰蒂斯", "'亚特兰蒂斯' is not printed in the article"),
        ("shouguang-vegetables-c13", "plausible_low", "", "plausible_low or plausible_high"),
        ("china-overview-c08", "merged_ids", "china-overview-c07", "still a check of its own"),
    ],
)
def test_bad_audit_input_is_reported_with_file_row_and_column(raw, reports_dir, check_id, column, value, message):
    line = edit(raw / AUDIT_CSV, check_id, column, value)
    if column == "plausible_low":
        edit(raw / AUDIT_CSV, check_id, "plausible_high", "")
    if value == "contradiction":
        edit(raw / AUDIT_CSV, check_id, "label_zh", "石材")
        edit(raw / AUDIT_CSV, check_id, "label_en", "stone")
    problems = problems_for(raw, reports_dir)
    col = "finding" if message in ("needs a grade", "never consistent", "the intervals agree") else column
    prefix = f"data/raw/{AUDIT_CSV}:{line}: {col}: "
    assert any(p.startswith(prefix) and message in p for p in problems), "\n".join(problems)
