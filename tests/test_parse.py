"""The figure parser: worked examples from the reports and property-based tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.parse import (
    FigureError,
    infer_qualifiers,
    normalise_digits,
    parse_number,
    parse_unit,
    parse_value,
    standardise,
)

FULLWIDTH = dict(zip("0123456789", "０１２３４５６７８９", strict=True))


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("23。７", 23.7),
        ("73７。８", 737.8),
        ("39．21", 39.21),
        ("4 000", 4000),
        ("1,500", 1500),
        ("1０。５", 10.5),
        ("5０0", 500),
        ("1/3", 1 / 3),
        ("2/3", 2 / 3),
        ("三分之一", 1 / 3),
        ("三分之二", 2 / 3),
        ("十", 10),
        ("十二", 12),
        ("一百五十", 150),
        ("两千", 2000),
        ("三千万", 30_000_000),
        ("亿", 1e8),
        ("1.5万", 15_000),
    ],
)
def test_parse_number_examples(printed, expected):
    assert parse_number(printed) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("printed", "low", "high"),
    [
        ("1 500—2025", 1500, 2025),
        ("40%~60", 40, 60),
        ("3至5", 3, 5),
        ("十几", 11, 19),
        ("几十", 10, 90),
        ("数十乃至上千", 10, 1000),
    ],
)
def test_parse_value_ranges(printed, low, high):
    assert parse_value(printed) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("unit", "multiplier", "unit_std"),
    [
        ("亿元", 1e8, "CNY"),
        ("万元", 1e4, "CNY"),
        ("亿美元", 1e8, "USD"),
        ("%", 0.01, "ratio"),
        ("％", 0.01, "ratio"),
        ("万家", 1e4, "count"),
        ("个", 1, "count"),
        ("万人", 1e4, "persons"),
        ("万吨", 1e4, "t"),
        ("亿公斤", 1e5, "t"),
        ("万亩", 1e4, "mu"),
        ("万平方米", 1e4, "m2"),
        ("平方公里", 1, "km2"),
        ("万立方米", 1e4, "m3"),
        ("", 1, None),
        ("亿", 1e8, None),
    ],
)
def test_parse_unit(unit, multiplier, unit_std):
    assert parse_unit(unit) == (pytest.approx(multiplier), unit_std)


def test_unknown_unit_names_what_was_expected():
    with pytest.raises(FigureError, match="unknown unit '光年'.*expected"):
        parse_unit("光年")


@pytest.mark.parametrize("bad", ["", "abc", "1/0", "一二三x", "12.3.4"])
def test_bad_numbers_raise(bad):
    with pytest.raises(FigureError):
        parse_number(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("近3000家", {"approx"}),
        ("约52％", {"approx"}),
        ("20多", {"more_than"}),
        ("1６0多个", {"more_than"}),
        ("超过50％", {"more_than"}),
        ("50%以上", {"at_least"}),
        ("不足10%", {"less_than"}),
        ("142亿元", set()),
        ("大约100家", {"approx"}),
    ],
)
def test_infer_qualifiers(text, expected):
    assert infer_qualifiers(text) == expected


def test_standardise_intervals():
    f = standardise("23。７", "万家", "exact", "23。７万家")
    assert (f.value_std, f.low, f.high, f.unit_std) == (237_000, 237_000, 237_000, "count")
    f = standardise("20", "家", "more_than", "20多家")
    assert (f.low, f.high) == (20, 30)  # 20多 is 20-something
    f = standardise("1６0", "个", "more_than", "1６0多个")
    assert (f.low, f.high) == (160, 170)
    f = standardise("50", "%", "more_than", "超过50％")
    assert f.low == 0.5 and math.isnan(f.high)
    f = standardise("3000", "家", "approx", "近3000家")
    assert math.isnan(f.low) and f.high == 3000  # 近: nearly, so not above
    f = standardise("1 500—2025", "亿元", "range", "1 500—2025亿元")
    assert (f.low, f.high, f.value_std) == (1.5e11, 2.025e11, 1.7625e11)
    f = standardise("10", "%", "less_than", "不足10%")
    assert (f.low, f.high) == (0, pytest.approx(0.1))
    f = standardise("三分之一", "", "exact", "三分之一", default_unit_std="ratio")
    assert f.value_std == pytest.approx(1 / 3) and f.unit_std == "ratio"


def test_range_end_with_its_own_multiplier():
    # 30亿至100亿元: the low end carries 亿 itself, the unit carries it for the high end.
    f = standardise("3０亿至100", "亿元", "range", "3０亿至100亿元")
    assert (f.low, f.high) == (3e9, 1e10)
    f = standardise("5000万至1", "亿元", "range", "5000万至1亿元")
    assert (f.low, f.high) == (5e7, 1e8)


def test_standardise_rejects_mismatched_qualifiers():
    with pytest.raises(FigureError, match="range"):
        standardise("1—2", "亿元", "exact")
    with pytest.raises(FigureError, match="single number"):
        standardise("12", "亿元", "range")
    with pytest.raises(FigureError, match="names no unit"):
        standardise("12", "", "exact")


# --- properties -------------------------------------------------------------------------------------------


def _mixed_width(digits: str, mask: list[bool]) -> str:
    return "".join(FULLWIDTH[d] if m else d for d, m in zip(digits, mask, strict=False))


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.booleans(), min_size=10, max_size=10),
)
def test_integers_survive_mixed_full_width_digits(n, mask):
    assert parse_number(_mixed_width(str(n), mask)) == n


@given(
    st.integers(min_value=0, max_value=99999),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([".", "。", "．"]),
    st.lists(st.booleans(), min_size=10, max_size=10),
)
def test_decimals_with_any_decimal_point(whole, frac, point, mask):
    printed = _mixed_width(str(whole), mask) + point + f"{frac:02d}"
    assert parse_number(printed) == pytest.approx(whole + frac / 100)


@given(st.integers(min_value=1000, max_value=10**9))
def test_thousands_spaces(n):
    spaced = f"{n:,}".replace(",", " ")
    assert parse_number(spaced) == n
    assert normalise_digits(spaced) == str(n)


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert parse_number(_to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_ranges_keep_order_and_ends(a, b):
    lo, hi = sorted((a, b))
    for sep in ("—", "～", "~", "至", "——"):
        assert parse_value(f"{lo}{sep}{hi}") == (lo, hi)


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=2, max_value=10))
def test_fractions_agree_in_both_notations(num, den):
    assert parse_number(f"{num}/{den}") == pytest.approx(parse_number(f"{_to_chinese(den)}分之{_to_chinese(num)}"))


@given(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), st.sampled_from(["亿元", "万元", "万家", "%"]))
def test_standardise_scales_by_the_unit_multiplier(x, unit):
    printed = f"{x:.2f}"
    f = standardise(printed, unit, "exact", printed + unit)
    mult, _ = parse_unit(unit)
    assert f.value_std == pytest.approx(float(printed) * mult)
    assert f.low == f.high == f.value_std


def _to_chinese(n: int) -> str:
    """Independent encoder used only by the tests: integer → Chinese numerals (10 → 十, 105 → 一百零五)."""
    digits = "零一二三四五六七八九"

    def below_10k(x: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += digits[d] + name
                zero = False
            else:
                zero = True
        return out

    parts = []
    for value, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // value % 10**4
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append(below_10k(chunk) + name)
    s = "".join(parts) or "零"
    return s[1:] if s.startswith("一十") else s
