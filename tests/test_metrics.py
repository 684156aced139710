"""Metrics on hand-computed cases; qualifiers carry through as bounds."""

from __future__ import annotations

import math

import pytest

from helpers.metrics import (
    Figure,
    cagr,
    gini,
    growth,
    hhi,
    location_quotient,
    share,
    theil,
    theil_decomposition,
    top_k_share,
)


def test_growth_and_cagr_by_hand():
    assert growth(100, 126.6) == pytest.approx(0.266)
    # 100 → 121 over 2 years: 10 % a year
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    # Xiaolan-style: 1 → 8 over 3 years doubles each year
    assert cagr(1, 8, 3) == pytest.approx(1.0)


def test_share_by_hand():
    assert share(217, 675) == pytest.approx(0.32148, abs=1e-5)


def test_lower_bound_in_gives_bound_out():
    g = growth(100, Figure(120, low=120, high=math.inf))  # end printed as 超过120
    assert isinstance(g, Figure)
    assert g.low == pytest.approx(0.2) and math.isinf(g.high) and g.bound == "lower"
    s = share(Figure(20, 20, 30), 100)  # 20多 out of 100: 20-30 %
    assert (s.low, s.high) == (pytest.approx(0.2), pytest.approx(0.3))
    c = cagr(Figure(100, 100, math.inf), 200, 2)  # start is a lower bound: CAGR is an upper bound
    assert c.high == pytest.approx(2**0.5 - 1) and c.low == -1.0  # a larger start can shrink growth to −100 %


def test_figure_from_clean_fact():
    f = Figure.from_fact({"value_std": 20.0, "value_low_std": 20.0, "value_high_std": 30.0, "qualifier": "more_than"})
    assert (f.low, f.high) == (20, 30)
    f = Figure.from_fact(
        {"value_std": 0.5, "value_low_std": 0.5, "value_high_std": float("nan"), "qualifier": "at_least"}
    )
    assert f.bound == "lower"
    f = Figure.from_fact(
        {"value_std": 5.0, "value_low_std": float("nan"), "value_high_std": float("nan"), "qualifier": "approx"}
    )
    assert (f.low, f.high) == pytest.approx((4.5, 5.5))  # 约5: ±10 %, the rule the audit uses too


def test_concentration_by_hand():
    assert hhi([1, 1, 1, 1]) == pytest.approx(0.25)
    assert hhi([10, 0, 0]) == pytest.approx(1.0)
    assert hhi([3, 1]) == pytest.approx(0.75**2 + 0.25**2)
    assert top_k_share([5, 3, 1, 1], k=2) == pytest.approx(0.8)
    assert gini([1, 1, 1, 1]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)  # (n-1)/n
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)  # Σ|xi-xj| = 8, 2·9·2 = 36


def test_theil_by_hand_and_decomposition_adds_up():
    assert theil([2, 2, 2]) == pytest.approx(0.0)
    assert theil([0, 0, 3]) == pytest.approx(math.log(3))
    values = [4, 2, 1, 1]
    groups = ["east", "east", "west", "west"]
    d = theil_decomposition(values, groups)
    # by hand: μ = 2; T = ¼[2 ln2 + 0 + ½ ln½ + ½ ln½] = ¼ ln2
    assert d["total"] == pytest.approx(0.25 * math.log(2))
    # east share 0.75 of 2/4 units: 0.75 ln 1.5; west 0.25 ln 0.5
    assert d["between"] == pytest.approx(0.75 * math.log(1.5) + 0.25 * math.log(0.5))
    assert d["between"] + d["within"] == pytest.approx(d["total"])


def test_location_quotient_by_hand():
    # region: 30 of 100 in the industry; nation: 300 of 10 000 → LQ = 0.3 / 0.03 = 10
    assert location_quotient(30, 100, 300, 10_000) == pytest.approx(10)


@pytest.mark.parametrize("bad", [[], [0, 0], [-1, 2]])
def test_bad_inputs_raise(bad):
    with pytest.raises((ValueError, ZeroDivisionError)):
        hhi(bad)
