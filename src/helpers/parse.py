"""Parse figures as printed in the Chinese reports into numbers, standard units and intervals.

The reports mix ASCII and full-width digits inside one number (``73７。８``), use ``。`` or ``．`` as the decimal
point, write thousands with a space (``4 000``), attach multipliers to units (``万家``, ``亿元``), and qualify figures
(``近``, ``多``, ``以上`` …), and print a fall with a minus sign (``-3.5%``, ``－2%``, ``−2``, ``负2``), which is kept.
Everything here is pure functions on strings; the build calls them for every fact. Whatever the text, they return
finite numbers and intervals with ``low <= high``, or raise :class:`FigureError` saying what was expected.

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

#: Full-width digits and punctuation to ASCII; every printed minus sign (full-width －, U+2212 −, small ﹣) to ``-``.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．。，％／～－−﹣", "0123456789..,%/~---")
# Separators between the two ends of a printed range. A hyphen is one only between two numbers: at the start of
# a value or of a range end it is a minus sign (see _range_parts).
_RANGE_SEP = re.compile(r"\s*(?:—+|–|~|～|乃至|至|到)\s*")
_HYPHEN_SEP = re.compile(r"\s*-\s*")
# A % sign ends a number (40%~60%); anywhere else (4%0) it is not read past.
_PERCENT = re.compile(r"%(?=\s*(?:$|—|–|~|～|乃至|至|到|-))")
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
_CN_CHARS = frozenset(_CN_DIGITS) | frozenset(_CN_SMALL_UNITS) | frozenset(_CN_BIG_UNITS)
#: Longest Chinese numeral read (九千九百九十九万九千九百九十九亿… is 31 characters); longer text is not a number.
_MAX_NUMERAL = 64
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: Words that stand for a number: 一半 (half), 翻一番 (doubled: growth of 100 %), 翻两番 (quadrupled: +300 %).
_IDIOMS = {"一半": 0.5, "半": 0.5, "翻一番": 1.0, "翻两番": 3.0, "翻三番": 7.0}
#: Idioms for an imprecise amount → (low, high).
_VAGUE_IDIOMS = {"成百上千": (100.0, 1000.0), "成千上万": (1000.0, 10000.0), "上百": (100.0, 100.0)}
#: Signs of a negative number (after normalise_digits, which maps －, − and ﹣ to -).
_MINUS = ("-", "负")


@functools.lru_cache(maxsize=8192)
def normalise_digits(text: str) -> str:
    """Full-width digits and punctuation to ASCII; ``。``/``．`` to ``.``; any minus sign (``－``, ``−``) to ``-``;
    thousands spaces and commas removed.

    >>> normalise_digits("73７。８")
    '737.8'
    >>> normalise_digits("4 000")
    '4000'
    """
    out = text.translate(_FULLWIDTH).replace("\u3000", " ").replace("\u2009", " ").replace("\xa0", " ")
    # A space or comma between digit groups is a thousands separator ("4 000", "1,500").
    out = re.sub(r"(?<=[0-9])[ ,](?=[0-9]{3}(?![0-9]))", "", out)
    return out.strip()


def _show(text: str) -> str:
    """``repr`` of a printed text for a message, cut to about 80 characters."""
    r = repr(text)
    return r if len(r) <= 80 else r[:76] + "…" + r[-1]


def _finite(x: float, raw: str) -> float:
    if not math.isfinite(x):
        raise FigureError(f"{_show(raw)} is too large to be a number (expected at most about 1.8e308)")
    return x


def _negate(x: float) -> float:
    return -x if x else 0.0  # never -0.0


def _split_sign(s: str, raw: str) -> tuple[int, str]:
    """A leading minus sign (``-`` or ``负``) → (-1, the rest); else (1, s)."""
    if s[:1] not in _MINUS:
        return 1, s
    rest = s[1:].lstrip()
    if rest[:1] in _MINUS or rest[:1] == "+":
        raise FigureError(f"two signs in {_show(raw)} (expected at most one minus sign before a number)")
    if not rest:
        raise FigureError(f"a minus sign with no number after it in {_show(raw)} (expected e.g. -3.5)")
    return -1, rest


def _cn_integer(s: str, raw: str, leading: bool) -> int:
    """Chinese numerals (``三``, ``十二``, ``一百五十``, ``三千万``, ``一万二千亿``, ``一亿亿``) → int, strictly.

    The number is split at its last 亿, then at its last 万: the part before is the coefficient (any number; a
    coefficient that itself contains the unit must end with it, as in 一亿亿 = 10¹⁶ and the classical 四万万 =
    4 × 10⁸), the part after must be less than one of the unit. ``leading``: the text starts the whole numeral,
    where a bare unit stands for one of it (十二, 百, 千万, 亿)."""
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        i = s.rfind(unit)
        if i < 0:
            continue
        coef_text, rest = s[:i], s[i + 1 :]
        if not coef_text:
            if not leading:
                raise FigureError(f"{unit} without a number before it in {_show(raw)} (expected e.g. 一{unit})")
            coef = 1
        else:
            if unit in coef_text and not coef_text.endswith(unit):
                raise FigureError(f"{unit} twice in {_show(raw)} (expected each unit once, from the largest down)")
            coef = _cn_integer(coef_text, raw, leading)
            if coef == 0:
                raise FigureError(f"零 before {unit} in {_show(raw)} (expected a digit from 一 to 九 before it)")
        return coef * size + _cn_rest(rest, unit, size, raw)
    return _cn_section(s, raw, leading)


def _cn_rest(rest: str, unit: str, size: int, raw: str) -> int:
    """What follows a 万 or 亿: nothing, 零 and a number below a tenth of it, one digit (一万五 = 15 000), or a
    number below one of it."""
    if not rest:
        return 0
    if rest[0] in "零〇":
        v = _cn_integer(rest[1:], raw, False) if rest[1:] else 0
        if not 0 < v < size // 10:
            raise FigureError(f"{_show(rest)} after {unit} in {_show(raw)} (expected 零 to be followed by a "
                              f"number below {size // 10:,}, as in 一{unit}零五)")  # fmt: skip
        return v
    if len(rest) == 1 and rest in _CN_DIGITS:
        return _CN_DIGITS[rest] * size // 10  # 一万五: fifteen thousand
    v = _cn_integer(rest, raw, False)
    if v >= size:
        raise FigureError(f"{_show(rest)} after {unit} in {_show(raw)} (expected less than one {unit} after it)")
    return v


def _cn_section(s: str, raw: str, leading: bool) -> int:
    """A numeral below 10 000: digits each before 千, 百 or 十 in descending order, 零 for a skipped place, a final
    digit in the place below the last unit (三千五 = 3500, 二十五 = 25, 一百零五 = 105)."""
    if s in ("零", "〇"):
        return 0
    total, digit, last, zero = 0, None, 10**4, False
    for i, ch in enumerate(s):
        if ch in _CN_DIGITS:
            d = _CN_DIGITS[ch]
            if digit is not None or (d == 0 and (zero or last == 10**4)):
                raise FigureError(f"two digits in a row in {_show(raw)} ({s[max(i - 1, 0) : i + 1]}: expected a unit "
                                  "such as 十, 百 or 千 between them, or a range such as 二至三)")  # fmt: skip
            if d == 0:
                zero = True
            else:
                digit = d
        elif ch in _CN_SMALL_UNITS:
            u = _CN_SMALL_UNITS[ch]
            if u >= last:
                raise FigureError(f"{ch} after a unit no larger in {_show(raw)} (expected 千, 百, 十 in descending "
                                  "order, each once)")  # fmt: skip
            if digit is None:
                if zero or not (leading and i == 0):
                    raise FigureError(f"{ch} without a digit before it in {_show(raw)} (expected e.g. 一{ch})")
                digit = 1
            if zero and u * 10 >= last:
                raise FigureError(f"零 before {ch} in {_show(raw)} skips no place (expected 零 only where a place is "
                                  "empty, as in 一千零五十)")  # fmt: skip
            total, digit, last, zero = total + digit * u, None, u, False
        else:
            raise FigureError(f"cannot read {_show(raw)} as a Chinese numeral (character {ch!r})")
    if zero and digit is None:
        raise FigureError(f"零 at the end of {_show(raw)} (expected a digit after 零)")
    if digit is not None:
        if zero and last <= 10:
            raise FigureError(f"零 after 十 in {_show(raw)} skips no place (expected e.g. 一百零五)")
        total += digit if zero or last == 10**4 else digit * last // 10
    return total


def _cn_number(s: str, raw: str) -> float:
    if len(s) > _MAX_NUMERAL:
        raise FigureError(f"Chinese numeral of {len(s)} characters in {_show(raw)} (expected at most {_MAX_NUMERAL})")
    n = _cn_integer(s, raw, True)
    try:
        return _finite(float(n), raw)
    except OverflowError:
        raise FigureError(f"{_show(raw)} is too large to be a number (expected at most about 1.8e308)") from None


_RATIO = re.compile(r"([0-9]+(?:\.[0-9]+)?)[:：]([0-9]+(?:\.[0-9]+)?)")
_SLASH_FRACTION = re.compile(r"([0-9]+(?:\.[0-9]+)?)/([0-9]+(?:\.[0-9]+)?)")
#: Digits followed by a multiplier: 1.5万, 3千万, 1.2万亿.
_DIGITS_MULTIPLIER = re.compile(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿]+)")


_SPACED_DIGITS = re.compile(r"[0-9]\s+[0-9]")


def _compact(text: str) -> str:
    """normalise_digits, refusing digits that a space separates other than in thousands (``3 5``), then no
    spaces."""
    s = normalise_digits(text)
    if _SPACED_DIGITS.search(s):
        raise FigureError(f"digits separated by a space in {_show(text)} (expected one number; a space only as a "
                          "thousands separator before groups of three digits, as in 4 000)")  # fmt: skip
    return s.replace(" ", "")


def _parse_plain(s: str, raw: str) -> float:
    """Digits, digits with a multiplier (1.5万) or Chinese numerals, unsigned."""
    if not s:
        raise FigureError(f"missing number in {_show(raw)} (expected digits or Chinese numerals)")
    if _NUMBER.fullmatch(s):
        return _finite(float(s), raw)
    m = _DIGITS_MULTIPLIER.fullmatch(s)
    if m:
        return _finite(float(m.group(1)) * _cn_number(m.group(2), raw), raw)
    if all(ch in _CN_CHARS for ch in s):
        return _cn_number(s, raw)
    raise FigureError(
        f"cannot read {_show(raw)} as a number (expected digits, a fraction such as 1/3 or 三分之一, or Chinese "
        "numerals)"
    )


@functools.lru_cache(maxsize=8192)
def parse_number(text: str) -> float:
    """One printed number → float, in the units it is printed in (no multiplier applied).

    Accepts ASCII/full-width digits with ``.``, ``。`` or ``．`` as decimal point and spaces or commas for
    thousands; fractions ``1/3`` and ``三分之一``; Chinese numerals ``三``, ``十二``, ``两千``, ``一万二千亿``;
    digits followed by a multiplier (``1.5万`` → 15000); a leading minus sign (``-3.5``, ``－2``, ``−2``, ``负2``).
    Anything else, and any number too large for a float, raises :class:`FigureError`: the result is always finite.

    >>> parse_number("23。７")
    23.7
    >>> parse_number("三分之二")
    0.6666666666666666
    >>> parse_number("－3.5")
    -3.5
    """
    raw = text
    s = _compact(text)
    if not s:
        raise FigureError(f"empty number in {_show(raw)} (expected digits or Chinese numerals)")
    sign, s = _split_sign(s, raw)
    if s in _IDIOMS:
        if sign < 0:
            raise FigureError(f"a minus sign before {_show(s)} in {_show(raw)} (expected a number after the sign)")
        return _IDIOMS[s]
    v = _parse_unsigned(s, raw)
    return _negate(v) if sign < 0 else v


def _parse_unsigned(s: str, raw: str) -> float:
    m = _RATIO.fullmatch(s) or _SLASH_FRACTION.fullmatch(s)
    if m:
        num, den = float(m.group(1)), float(m.group(2))
    elif "分之" in s:
        den_text, _, num_text = s.partition("分之")
        if "分之" in num_text:
            raise FigureError(f"分之 more than once in {_show(raw)} (expected one fraction such as 三分之一)")
        den, num = _parse_plain(den_text, raw), _parse_plain(num_text, raw)
    else:
        return _parse_plain(s, raw)
    if den == 0:
        raise FigureError(f"fraction with zero denominator in {_show(raw)} (expected a denominator other than 0)")
    return _finite(_finite(num, raw) / _finite(den, raw), raw)


_DIGIT_PAIR = re.compile(r"(?=([一二两三四五六七八])([二三四五六七八九]))")


def _neighbour_pair(s: str) -> re.Match[str] | None:
    """Two neighbouring Chinese digits (二三十: twenty or thirty, 两三千, 七八): the first such pair, if any."""
    for m in _DIGIT_PAIR.finditer(s):
        if _CN_DIGITS[m.group(2)] == _CN_DIGITS[m.group(1)] + 1:
            return m
    return None


def _parse_vague(text: str, raw: str | None = None) -> tuple[float, float]:
    """One printed amount → (low, high): a number gives equal ends; 几/数 stand for an unknown digit 1–9
    (几十 → 10–90, 十几 → 11–19, 数百 → 100–900); two neighbouring digits for either (二三十 → 20–30, 两三千 →
    2000–3000); a leading 上 (上千: "reaching a thousand") is dropped; a minus sign negates both ends."""
    raw = text if raw is None else raw
    sign, s = _split_sign(text, raw)
    if sign < 0 and (s in _IDIOMS or s in _VAGUE_IDIOMS):
        raise FigureError(f"a minus sign before {_show(s)} in {_show(raw)} (expected a number after the sign)")
    if s in _VAGUE_IDIOMS:
        lo, hi = _VAGUE_IDIOMS[s]
    else:
        s = s[1:] if s[:1] == "上" and s[1:2] not in ("", *_MINUS) else s
        if "几" in s or "数" in s:
            lo, hi = (
                parse_number(s.replace("几", "一").replace("数", "一")),
                parse_number(s.replace("几", "九").replace("数", "九")),
            )
        elif pair := _neighbour_pair(s):
            i = pair.start()
            lo = parse_number(s[:i] + pair.group(1) + s[i + 2 :])
            hi = parse_number(s[:i] + pair.group(2) + s[i + 2 :])
        else:
            lo = hi = parse_number(s)
        if lo > hi:  # cannot happen for the forms above; a guard so that no interval is ever reversed
            raise FigureError(f"cannot read {_show(raw)} as an amount (its low end comes out above its high end)")
    if sign < 0:
        lo, hi = _negate(hi), _negate(lo)
    return lo, hi


def _range_parts(text: str, raw: str) -> list[str]:
    """The ends of a printed value after normalise_digits: one (a single amount) or two (a range)."""
    s = _PERCENT.sub("", text).strip()
    if not s:
        raise FigureError(f"empty value {_show(raw)} (expected a number or a range low—high)")
    parts = _RANGE_SEP.split(s)
    if len(parts) == 1:
        signed = s[:1] == "-"
        if "-" in (s[1:] if signed else s):
            parts = _HYPHEN_SEP.split(s)
            if signed or any(p[:1] == "负" for p in parts):
                raise FigureError(f"{_show(raw)} has a minus sign and a hyphen between numbers (ambiguous: expected a "
                                  "range written with 至, ~ or —, as in -5至-3)")  # fmt: skip
    if len(parts) > 2:
        raise FigureError(f"cannot read {_show(raw)} as a number or a range of two numbers (expected low—high)")
    if any(p == "" for p in parts):
        raise FigureError(f"{_show(raw)} has a range separator without a number on each side (expected low—high)")
    return parts


_OWN_MULTIPLIER = re.compile(r"[-负]?\s*[0-9]+(?:\.[0-9]+)?[十百千万亿]*[万亿]")


def _own_multiplier(part: str) -> bool:
    """True when a range end carries its own 万/亿 (30亿 in 30亿至100 with unit 亿元)."""
    return bool(_OWN_MULTIPLIER.fullmatch(part))


@functools.lru_cache(maxsize=8192)
def parse_value(text: str, unit_prefix: float = 1.0) -> tuple[float, float]:
    """A printed value → ``(low, high)`` in printed units, finite, ``low <= high``; equal ends for a single number.

    A range (``1 500—2025``, ``40%~60%``, ``3至5``, ``数十乃至上千``, ``-5至-3``) gives its two ends (a range whose
    low end is above its high end raises :class:`FigureError`); an imprecise amount (``几十``, ``十几``) the interval
    it allows; a leading minus sign (``-3.5``, ``－2``, ``负2``) a negative value; ``%`` signs after a number are
    ignored (the unit column has them). An end written with its own 万/亿 (``30亿至100`` with unit ``亿元``) is
    expressed in the unit's multiplier ``unit_prefix`` (here 10⁸), so both ends are in printed units.

    >>> parse_value("1 500—2025")
    (1500.0, 2025.0)
    >>> parse_value("十几")
    (11.0, 19.0)
    >>> parse_value("－3.5")
    (-3.5, -3.5)
    """
    if not (math.isfinite(unit_prefix) and unit_prefix > 0):
        raise FigureError(f"unit multiplier {unit_prefix!r} (expected a positive number)")
    s = normalise_digits(text)
    if _NUMBER.fullmatch(s):  # the common case, a plain number
        v = _finite(float(s), text)
        return v, v
    parts = _range_parts(s, text)
    if len(parts) == 1:
        return _parse_vague(parts[0], text)
    ends = []
    for part, pick in zip(parts, (0, 1), strict=True):
        v = _parse_vague(part, text)[pick]
        if _own_multiplier(part):
            v /= unit_prefix
        ends.append(v)
    if ends[0] > ends[1]:
        raise FigureError(f"range {_show(text)} has its low end above its high end (expected the lower end first)")
    return ends[0], ends[1]


@functools.lru_cache(maxsize=8192)
def is_range(text: str) -> bool:
    """True when the printed value is a range of two numbers."""
    try:
        return len(_range_parts(normalise_digits(text), text)) == 2
    except FigureError:
        return False


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
        f"unknown unit {_show(unit)} (expected e.g. 元, 万元, 亿元, 美元, %, 家, 个, 人, 吨, 亩, 平方米, 平方公里, "
        "立方米, optionally after 千/万/亿)"
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
    if not re.fullmatch(r"[0-9]+", s) or value == 0:
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
    ``value_std``. NaN marks an open or unknown end only: ``value_std`` is always finite and ``low <= high``.

    A negative value (``-3.5``, a fall) keeps its sign. It is read as ``exact``, ``range`` or ``approx`` (近-3 →
    [-3, NaN]: nearly as large a fall, not a larger one); with ``more_than``, ``at_least`` or ``less_than`` it is
    rejected, since 超过/不足 a negative number may mean a larger or a smaller fall.
    """
    if qualifier not in QUALIFIERS:
        raise FigureError(f"unknown qualifier {qualifier!r} (expected one of {', '.join(QUALIFIERS)})")
    mult, unit_std = parse_unit(unit)
    if unit_std is None:
        if default_unit_std is None:
            raise FigureError(
                f"unit {_show(unit)} names no unit and the metric implies none (expected a unit as printed)"
            )
        unit_std = default_unit_std
    lo, hi = parse_value(value, _unit_prefix(unit))
    printed_range = is_range(value)
    vague = lo != hi and not printed_range
    if printed_range and qualifier != "range":
        raise FigureError(f"value {_show(value)} is a range but qualifier is {qualifier!r} (expected range)")
    if vague and qualifier != "approx":
        raise FigureError(
            f"value {_show(value)} is an imprecise amount but qualifier is {qualifier!r} (expected approx)"
        )
    if qualifier == "range" and not printed_range:
        raise FigureError(f"qualifier is range but value {_show(value)} is a single number (expected low—high)")
    if lo < 0 and qualifier in ("more_than", "at_least", "less_than"):
        raise FigureError(f"value {_show(value)} is negative with qualifier {qualifier!r} (ambiguous: a larger or a "
                          "smaller fall? expected exact, approx or range for a negative value)")  # fmt: skip
    lo_s, hi_s = lo * mult, hi * mult
    if not (math.isfinite(lo_s) and math.isfinite(hi_s)):
        raise FigureError(
            f"value {_show(value)} in {_show(unit)} is too large (expected at most about 1.8e308 in {unit_std})"
        )
    nan = math.nan
    if qualifier == "range":
        if lo_s > hi_s:
            raise FigureError(f"range {_show(value)} has its low end above its high end")
        return StdFigure(lo_s / 2 + hi_s / 2, lo_s, hi_s, unit_std, mult)
    v = lo_s
    if qualifier == "exact":
        return StdFigure(v, v, v, unit_std, mult)
    if qualifier == "approx" and vague:
        return StdFigure(lo_s / 2 + hi_s / 2, lo_s, hi_s, unit_std, mult)
    if qualifier == "approx":
        nearly = any(w in figure_text for w in ("将近", "接近")) or re.search(
            r"近(?=[-－−负]?[\d０-９一二三四五六七八九十两百千万亿])", figure_text
        )
        if nearly and v < 0:
            return StdFigure(v, v, nan, unit_std, mult)
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


def year_bounds(year: str) -> tuple[int | None, int | None]:
    """``"2003"`` → (2003, 2003); ``"2006-2010"`` (or ``2006—2010年``) → (2006, 2010); no year → (None, None).

    The one place years are parsed: the build writes ``year_start`` and ``year_end`` with it, and everything
    downstream reads those columns.
    """
    years = [int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", str(year or ""))]
    return (years[0], years[-1]) if years else (None, None)
