"""The audit's interval arithmetic on hand-made facts, and its findings on the real data."""

from __future__ import annotations

import math

import pytest

from helpers import load
from helpers.audit import fact_interval, rounding_half_width, run_check
from helpers.transform import year_bounds


def fact(fid, v, q="exact", lo=None, hi=None, unit="CNY", rounding=0.0, year="", reliable=None):
    lo = v if lo is None and q == "exact" else lo
    hi = v if hi is None and q == "exact" else hi
    return {
        "fact_id": fid, "value_std": v, "qualifier": q, "value_low_std": math.nan if lo is None else lo,
        "value_high_std": math.nan if hi is None else hi, "unit_std": unit, "rounding_std": rounding,
        "year": year, "year_start": year_bounds(year)[0], "year_reliable": reliable, "figure_text": str(v),
        "source_file": "f.txt", "source_line": 1,
    }  # fmt: skip


def test_rounding_half_width():
    assert rounding_half_width("142", 1e8) == pytest.approx(0.5e8)
    assert rounding_half_width("26.6", 0.01) == pytest.approx(0.0005)
    assert rounding_half_width("73７。８", 1e8) == pytest.approx(0.05e8)


def test_sum_respects_printed_rounding():
    # Zhucheng: 142 + 323.5 + 177.9 = 643.4 vs a printed total of 643 → consistent within rounding
    parts = [fact("a", 142e8, rounding=0.5e8), fact("b", 323.5e8, rounding=0.05e8), fact("c", 177.9e8, rounding=0.05e8)]
    assert run_check("sum", [*parts, fact("t", 643e8, rounding=0.5e8)]).status == "consistent"
    assert run_check("sum", [*parts, fact("t", 700e8, rounding=0.5e8)]).status == "inconsistent"


def test_share_growth_and_cagr():
    r = run_check("share", [fact("p", 217e8, rounding=0.5e8), fact("t", 675e8, rounding=0.5e8),
                            fact("s", 0.32, unit="ratio", rounding=0.005)])  # fmt: skip
    assert r.status == "consistent" and r.expected == pytest.approx(217 / 675, rel=1e-3)
    r = run_check("growth", [fact("a", 100.0), fact("b", 150.0), fact("g", 0.2, unit="ratio")])
    assert r.status == "inconsistent" and r.expected == pytest.approx(0.5)
    a, b = fact("a", 100.0, year="2000", reliable=True), fact("b", 121.0, year="2002", reliable=True)
    assert run_check("cagr", [a, b, fact("g", 0.10, unit="ratio")]).status == "consistent"
    b_unreliable = {**b, "year_reliable": False}
    assert run_check("cagr", [a, b_unreliable, fact("g", 0.10, unit="ratio")]).status == "cannot_check"


def test_qualified_figures_are_intervals():
    more = fact("m", 20.0, "more_than", lo=20.0, hi=30.0, unit="count")
    assert (fact_interval(more).low, fact_interval(more).high) == (20, 30)
    # "20多" and "25" can be the same number; "20多" and "35" cannot
    assert run_check("same", [more, fact("x", 25.0, unit="count")]).status == "consistent"
    assert run_check("same", [more, fact("y", 35.0, unit="count")]).status == "inconsistent"


def test_nondecreasing_counts_are_exact():
    bands = [fact("a", 1.0, unit="count"), fact("b", 4.0, unit="count"), fact("c", 3.0, unit="count")]
    r = run_check("nondecreasing", bands)
    assert r.status == "inconsistent" and "c < b" in r.detail


def test_units_must_agree():
    assert run_check("sum", [fact("a", 1.0), fact("b", 1.0, unit="USD")]).status == "cannot_check"


def test_known_contradictions_in_the_reports_are_found():
    audit = load.audit().set_index("check_id")
    # 嵊州领带: 80 % in the text (003:134) vs 90 % in Table 2 (003:172)
    assert audit.loc["china-overview-c07", "status"] == "inconsistent"
    # Dalian: 4 firms above 2025 staff but only 3 above 1000 (004:78)
    assert audit.loc["dalian-software-c02", "status"] == "inconsistent"
    # stone: 217 / 675 ≈ 32 % (004:95)
    assert audit.loc["stone-industry-c01", "status"] == "consistent"
