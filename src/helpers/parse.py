"""Parse figures as printed in the Chinese reports into numbers, standard units and intervals.

The reports mix ASCII and full-width digits inside one number (``73７。８``), use ``。`` or ``．`` as the decimal
point, write thousands with a space (``4 000``), attach multipliers to units (``万家``, ``亿元``), and qualify figures
(``近``, ``多``, ``以上`` …). Everything here is pure functions on strings; the build calls them for every fact.

Main entry points:

- :func:`parse_number` — one printed number (digits, Chinese numerals or a fraction) → ``float``;
- :func:`parse_value` — a printed value, possibly a range (``1 500—2025``), → ``(low, high)`` in printed units;
- :func:`parse_unit` — a printed unit (``万家``) → ``(multiplier, unit_std)``;
- :func:`infer_qualifiers` — the qualifier categories whose marker words occur in a printed figure;
- :func:`standardise` — all of the above → :class:`StdFigure` (``value_std``, interval, ``unit_std``).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from .schema import KINDS, QUALIFIERS

__all__ = [
    "FigureError",
    "QUALIFIERS",
    "KINDS",
    "StdFigure",
    "normalise_digits",
    "parse_number",
    "parse_value",
    "parse_unit",
    "infer_qualifiers",
    "standardise",
]


class FigureError(ValueError):
    """A printed value or unit that cannot be parsed; the message says what was expected."""


#: Marker words for each qualifier, longest first so that 大约 wins over 约.
QUALIFIER_MARKERS: dict[str, tuple[str, ...]] = {
    "approx": ("大约", "大概", "将近", "接近", "左右", "上下", "约", "近", "几", "数"),
    "more_than": ("超过", "突破", "多", "余", "逾", "超", "过"),
    "at_least": ("不少于", "不低于", "至少", "以上", "上万", "上千", "上百", "上亿"),
    "less_than": ("不足", "不到", "低于", "少于", "以下", "以内"),
}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．。，％／～－", "0123456789..,%/~-")
# Separators between the two ends of a printed range.
_RANGE_SPLIT = re.compile(r"\s*(?:—+|–|－|~|～|乃至|至|到|-)\s*")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
#: Words that stand for a number: 一半 (half), 翻一番 (doubled: growth of 100 %), 翻两番 (quadrupled: +300 %).
_IDIOMS = {"一半": 0.5, "半": 0.5, "翻一番": 1.0, "翻两番": 3.0, "翻三番": 7.0}
#: Idioms for an imprecise amount → (low, high).
_VAGUE_IDIOMS = {"成百上千": (100.0, 1000.0), "成千上万": (1000.0, 10000.0), "上百": (100.0, 100.0)}


@functools.lru_cache(maxsize=8192)
def normalise_digits(text: str) -> str:
    """Full-width digits and punctuation to ASCII; ``。``/``．`` to ``.``; thousands spaces and commas removed.

    >>> normalise_digits("73７。８")
    '737.8'
    >>> normalise_digits("4 000")
    '4000'
    """
    out = text.translate(_FULLWIDTH).replace("\u3000", " ").replace("\u2009", " ").replace("\xa0", " ")
    # A space or comma between digit groups is a thousands separator ("4 000", "1,500").
    out = re.sub(r"(?<=\d)[ ,](?=\d{3}(?!\d))", "", out)
    return out.strip()


def _parse_chinese_integer(text: str) -> int:
    """Chinese numerals (``三``, ``十二``, ``一百五十``, ``三千万``) → int."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
        elif ch in _CN_BIG_UNITS:
            section += digit or 0
            # A bare 万 or 亿 (as in 过亿元) stands for one of it.
            total += (section or 1) * _CN_BIG_UNITS[ch]
            section, digit = 0, None
        else:
            raise FigureError(f"cannot read {text!r} as a Chinese numeral (character {ch!r})")
    return total + section + (digit or 0)


_RATIO = re.compile(r"(\d+(?:\.\d+)?)[:：](\d+(?:\.\d+)?)")
_SLASH_FRACTION = re.compile(r"(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)")
_CN_FRACTION = re.compile(r"(.+)分之(.+)")
_DIGITS_BIG_UNIT = re.compile(r"(\d+(?:\.\d+)?)([万亿])")


def parse_number(text: str) -> float:
    """One printed number → float, in the units it is printed in (no multiplier applied).

    Accepts ASCII/full-width digits with ``.``, ``。`` or ``．`` as decimal point and spaces or commas for
    thousands; fractions ``1/3`` and ``三分之一``; Chinese numerals ``三``, ``十二``, ``两千``; a digit number
    followed by ``万``/``亿`` (``1.5万`` → 15000).

    >>> parse_number("23。７")
    23.7
    >>> parse_number("三分之二")
    0.6666666666666666
    """
    raw = text
    s = normalise_digits(text).replace(" ", "")
    if not s:
        raise FigureError(f"empty number in {raw!r}")
    if _NUMBER.match(s):
        return float(s)
    if s in _IDIOMS:
        return _IDIOMS[s]
    m = _RATIO.fullmatch(s)
    if m and float(m.group(2)) != 0:
        return float(m.group(1)) / float(m.group(2))
    m = _SLASH_FRACTION.fullmatch(s)
    if m:
        den = float(m.group(2))
        if den == 0:
            raise FigureError(f"fraction with zero denominator in {raw!r}")
        return float(m.group(1)) / den
    m = _CN_FRACTION.fullmatch(s)
    if m:
        den, num = parse_number(m.group(1)), parse_number(m.group(2))
        if den == 0:
            raise FigureError(f"fraction with zero denominator in {raw!r}")
        return num / den
    m = _DIGITS_BIG_UNIT.fullmatch(s)
    if m:
        return float(m.group(1)) * _CN_BIG_UNITS[m.group(2)]
    if all(ch in _CN_DIGITS or ch in _CN_SMALL_UNITS or ch in _CN_BIG_UNITS for ch in s):
        return float(_parse_chinese_integer(s))
    raise FigureError(
        f"cannot read {raw!r} as a number (expected digits, a fraction such as 1/3 or 三分之一, or Chinese numerals)"
    )


def _parse_vague(text: str) -> tuple[float, float]:
    """One printed amount → (low, high): a number gives equal ends; 几/数 stand for an unknown digit 1–9
    (几十 → 10–90, 十几 → 11–19, 数百 → 100–900); a leading 上 (上千: "reaching a thousand") is dropped."""
    if text in _VAGUE_IDIOMS:
        return _VAGUE_IDIOMS[text]
    s = text[1:] if text[:1] == "上" and len(text) > 1 else text
    # 二三十 (twenty or thirty), 七八百: two neighbouring digits before a unit of ten.
    m = re.fullmatch(r"([一二三四五六七八九])([二三四五六七八九])([十百千万])", s)
    if m:
        unit = parse_number(m.group(3))
        return parse_number(m.group(1)) * unit, parse_number(m.group(2)) * unit
    if "几" in s or "数" in s:
        return parse_number(re.sub("[几数]", "一", s)), parse_number(re.sub("[几数]", "九", s))
    v = parse_number(s)
    return v, v


def parse_value(text: str, unit_prefix: float = 1.0) -> tuple[float, float]:
    """A printed value → ``(low, high)`` in printed units; equal ends for a single number.

    A range (``1 500—2025``, ``40%~60%``, ``3至5``, ``数十乃至上千``) gives its two ends; an imprecise amount
    (``几十``, ``十几``) the interval it allows; ``%`` signs inside the value are ignored (the unit column has them).
    An end written with its own 万/亿 (``30亿至100`` with unit ``亿元``) is expressed in the unit's multiplier
    ``unit_prefix`` (here 10⁸), so both ends are in printed units.

    >>> parse_value("1 500—2025")
    (1500.0, 2025.0)
    >>> parse_value("十几")
    (11.0, 19.0)
    """
    s = normalise_digits(text).replace("%", "").strip()
    parts = [p for p in _RANGE_SPLIT.split(s) if p != ""]
    if len(parts) == 1:
        return _parse_vague(parts[0])
    if len(parts) == 2:
        ends = []
        for part, pick in ((parts[0], 0), (parts[1], 1)):
            v = _parse_vague(part)[pick]
            if re.fullmatch(r"\d+(?:\.\d+)?[万亿]", part):
                v /= unit_prefix
            ends.append(v)
        return ends[0], ends[1]
    raise FigureError(f"cannot read {text!r} as a number or a range of two numbers")


def is_range(text: str) -> bool:
    """True when the printed value is a range of two numbers."""
    s = normalise_digits(text).replace("%", "").strip()
    return len([p for p in _RANGE_SPLIT.split(s) if p != ""]) == 2


# Base units: printed name → (factor to the standard unit, standard unit). Multipliers (十/百/千/万/亿) are
# stripped from the front before the lookup, so 万亩 → 10⁴ mu and 亿美元 → 10⁸ USD.
_BASE_UNITS: dict[str, tuple[float, str]] = {
    "元": (1, "CNY"),
    "元人民币": (1, "CNY"),
    "人民币": (1, "CNY"),
    "美元": (1, "USD"),
    "美金": (1, "USD"),
    "%": (0.01, "ratio"),
    "‰": (0.001, "ratio"),
    "成": (0.1, "ratio"),
    "个百分点": (0.01, "ratio"),
    "百分点": (0.01, "ratio"),
    "倍": (1, "times"),
    "人": (1, "persons"),
    "名": (1, "persons"),
    "位": (1, "persons"),
    "元/锭·月": (1, "CNY_per_spindle_month"),
    "人次": (1, "person_times"),
    "户": (1, "households"),
    "吨": (1, "t"),
    "t": (1, "t"),
    "公斤": (0.001, "t"),
    "千克": (0.001, "t"),
    "斤": (0.0005, "t"),
    "亩": (1, "mu"),
    "平方米": (1, "m2"),
    "平米": (1, "m2"),
    "平方公里": (1, "km2"),
    "平方千米": (1, "km2"),
    "公顷": (10_000, "m2"),
    "立方米": (1, "m3"),
    "方": (1, "m3"),
    "米": (1, "m"),
    "公里": (1, "km"),
    "千米": (1, "km"),
    "千瓦": (1, "kW"),
    "千瓦时": (1, "kWh"),
    "度": (1, "kWh"),
    "年": (1, "years"),
    "天": (1, "days"),
    "小时": (1, "hours"),
    "标箱": (1, "TEU"),
}
#: Counted things: firms, clusters, products, vehicles … all standardise to ``count``.
COUNT_WORDS = (
    "家", "个", "件", "处", "项", "座", "台", "辆", "只", "双", "条", "套", "部", "种", "支", "把", "张", "块",
    "所", "批", "枚", "副", "粒", "株", "头", "匹", "口", "间", "栋", "层", "类", "大类", "颗", "盏",
    "架", "艘", "幅", "本", "册", "次", "场", "届", "片", "棵", "箱", "包", "顶", "打", "对", "根", "台套",
    "省", "市", "县", "县市区", "份", "盆", "公司", "户次", "锭", "镇", "村", "乡镇", "个乡镇", "园", "区",
)  # fmt: skip
for _w in COUNT_WORDS:
    _BASE_UNITS.setdefault(_w, (1, "count"))

_MULTIPLIERS = (("万亿", 10**12), ("千万", 10**7), ("百万", 10**6), ("十万", 10**5), ("亿", 10**8), ("万", 10**4),
                ("千", 10**3), ("百", 10**2), ("十", 10))  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _unit_prefix(unit: str) -> float:
    """The multiplier a unit starts with (亿元 → 1e8), 1 for none; it scales a vague value (几十万元)."""
    u = normalise_digits(unit)
    return float(next((m for p, m in _MULTIPLIERS if u.startswith(p)), 1))


#: The standard units, for validation.
UNIT_STD = sorted({u for _, u in _BASE_UNITS.values()})


@functools.lru_cache(maxsize=1024)
def parse_unit(unit: str) -> tuple[float, str | None]:
    """A printed unit → ``(multiplier to the standard unit, unit_std)``.

    ``亿元`` → ``(1e8, "CNY")``; ``%`` → ``(0.01, "ratio")``; ``万家`` → ``(1e4, "count")``. A blank unit
    (``三分之一``, ``四大产业集群``) or a bare multiplier (``超百亿``: unit ``亿``) gives ``unit_std=None``: the caller
    takes the standard unit from the metric (money → CNY, ratio, count, persons).

    >>> parse_unit("亿美元")
    (100000000.0, 'USD')
    """
    u = normalise_digits(unit).replace(" ", "")
    if u == "":
        return 1.0, None
    if u in _BASE_UNITS:
        f, std = _BASE_UNITS[u]
        return float(f), std
    for prefix, mult in _MULTIPLIERS:
        rest = u[len(prefix) :]
        if u.startswith(prefix) and rest in _BASE_UNITS:
            f, std = _BASE_UNITS[rest]
            return float(mult * f), std
    # A bare multiplier (亿, 万) with the thing counted left implicit.
    for prefix, mult in _MULTIPLIERS:
        if u == prefix:
            return float(mult), None
    raise FigureError(
        f"unknown unit {unit!r} (expected e.g. 元, 万元, 亿元, 美元, %, 家, 个, 人, 吨, 亩, 平方米, 平方公里, 立方米, "
        "optionally after 千/万/亿)"
    )


#: Qualifier words that follow the number (20多家, 50%以上, 100家左右); all others precede it (约52%, 超过50%).
_AFTER_WORDS = ("多", "余", "以上", "以下", "以内", "左右", "上下")
_AFTER_START = re.compile("|".join(_AFTER_WORDS))


def infer_qualifiers(figure_text: str, value: str | None = None, unit: str = "", vague: bool | None = None) -> set[str]:
    """The qualifier categories whose marker words stand with the number in a printed figure (empty set: none).

    With ``value`` given, only words before the number (约, 近, 超过, 不足 …) or right after it or its unit
    (多, 余, 以上, 左右 …) count, so a threshold elsewhere in ``figure_text`` (``3个营业收入过100亿元``) does not;
    an imprecise number itself (几十, 二三十, 成百上千) counts as ``approx``; ``vague`` says whether it is one when
    the caller already knows (it saves parsing the value again).

    >>> sorted(infer_qualifiers("近3000家"))
    ['approx']
    >>> sorted(infer_qualifiers("3个营业收入过100亿元", "3", "个"))
    []
    """
    if value is None or value not in figure_text:
        return _markers(figure_text)
    i = figure_text.index(value)
    before, rest = figure_text[:i], figure_text[i + len(value) :]
    after_unit = rest[len(unit) :] if unit and rest.startswith(unit) else rest
    found = _markers(before)
    if before.endswith("上") and value[:1] in "十百千万亿":
        found.add("at_least")  # 上万, 上千: reaching ten thousand, a thousand
    for tail in (rest, after_unit, rest.lstrip("十百千万亿")):  # 8亿多双: 多 between 亿 and the unit
        m = _AFTER_START.match(tail)
        if m:
            found |= _markers(m.group())
    if _is_vague(value) if vague is None else vague:
        found.add("approx")
    return found


def _is_vague(value: str) -> bool:
    """True for an imprecise amount (几十, 二三十, 成百上千) that is not a printed range."""
    try:
        lo, hi = parse_value(value)
    except FigureError:
        return False
    return lo != hi and not is_range(value)


#: Marker words, longest first, so that 大约 is found before 约 and 超过 before 超.
_MARKER_WORDS = sorted(((w, q) for q, ws in QUALIFIER_MARKERS.items() for w in ws), key=lambda wq: -len(wq[0]))


def _markers(text: str) -> set[str]:
    found = set()
    rest = text
    if not rest:
        return found
    for w, q in _MARKER_WORDS:
        if w in rest:
            found.add(q)
            rest = rest.replace(w, " ")
    return found


def _more_than_ceiling(printed: str, value: float) -> float:
    """Upper end implied by 多/余 after a round number: 20多 → 30, 160多 → 170, 3000多 → 4000; else +inf."""
    s = normalise_digits(printed).replace(" ", "")
    if not re.fullmatch(r"\d+", s) or value == 0:
        return math.inf
    trailing = len(s) - len(s.rstrip("0"))
    if trailing == 0:
        return math.inf
    return value + 10**trailing


@dataclass(frozen=True)
class StdFigure:
    """A figure in standard units. ``value_std`` is the point (the printed number × multiplier; the midpoint of a
    range); ``low``/``high`` the interval the printed figure implies (NaN where open or unknown)."""

    value_std: float
    low: float
    high: float
    unit_std: str
    multiplier: float


def standardise(
    value: str, unit: str, qualifier: str, figure_text: str = "", default_unit_std: str | None = None
) -> StdFigure:
    """Printed value, unit and qualifier → :class:`StdFigure` in ``unit_std``.

    Intervals by qualifier: ``exact`` [v, v]; ``approx`` [NaN, NaN], except 近/将近/接近 (nearly) [NaN, v];
    ``more_than`` [v, NaN], or [v, v + 10ᵏ) after 多/余 following a round number with k trailing zeros
    (20多 → [20, 30]); ``at_least`` [v, NaN]; ``less_than`` [0, v]; ``range`` [low, high] with the midpoint as
    ``value_std``.
    """
    if qualifier not in QUALIFIERS:
        raise FigureError(f"unknown qualifier {qualifier!r} (expected one of {', '.join(QUALIFIERS)})")
    mult, unit_std = parse_unit(unit)
    if unit_std is None:
        if default_unit_std is None:
            raise FigureError(f"unit {unit!r} names no unit and the metric implies none (expected a unit as printed)")
        unit_std = default_unit_std
    lo, hi = parse_value(value, _unit_prefix(unit))
    vague = lo != hi and not is_range(value)
    if is_range(value) and qualifier != "range":
        raise FigureError(f"value {value!r} is a range but qualifier is {qualifier!r} (expected range)")
    if vague and qualifier != "approx":
        raise FigureError(f"value {value!r} is an imprecise amount but qualifier is {qualifier!r} (expected approx)")
    if qualifier == "range" and not is_range(value):
        raise FigureError(f"qualifier is range but value {value!r} is a single number (expected low—high)")
    lo_s, hi_s = lo * mult, hi * mult
    nan = math.nan
    if qualifier == "range":
        if lo_s > hi_s:
            raise FigureError(f"range {value!r} has its low end above its high end")
        return StdFigure((lo_s + hi_s) / 2, lo_s, hi_s, unit_std, mult)
    v = lo_s
    if qualifier == "exact":
        return StdFigure(v, v, v, unit_std, mult)
    if qualifier == "approx" and vague:
        return StdFigure((lo_s + hi_s) / 2, lo_s, hi_s, unit_std, mult)
    if qualifier == "approx":
        nearly = any(w in figure_text for w in ("将近", "接近")) or re.search(
            r"近(?=[\d０-９一二三四五六七八九十两百千万亿])", figure_text
        )
        return StdFigure(v, nan, v if nearly else nan, unit_std, mult)
    if qualifier == "more_than":
        ceiling = nan
        if any(w in figure_text for w in ("多", "余")):
            c = _more_than_ceiling(value, lo) * mult
            ceiling = c if math.isfinite(c) else nan
        return StdFigure(v, v, ceiling, unit_std, mult)
    if qualifier == "at_least":
        return StdFigure(v, v, nan, unit_std, mult)
    # less_than
    return StdFigure(v, 0.0, v, unit_std, mult)
