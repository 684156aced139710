"""The teaching lessons: instructions, self-checks and their feedback, in Chinese and English from one source.

A notebook opens its lesson in its language and checks each answer against a value computed from the data at
check time (no expected answer sits in the notebook):

>>> lesson = Lesson("T1", lang="en")
>>> lesson.check(None, "1")
✗ not yet: fill in answer_1, then run this cell. Hint: a growth rate is end ÷ start − 1, as a fraction
False
>>> lesson.check(64.51, "1")
✓ correct
True
>>> lesson.check(6451, "1")
✗ not yet: that looks like a percentage: give a fraction (36.8 % → 0.368)
False

Each exercise has a kind (a number, an interval, a boolean, a set, a mapping, a choice from a menu, several
choices, grades of several items, free text) and the kind decides the diagnosis: a relative tolerance that accepts
an answer right to three significant figures; a specific message for a percentage where a fraction is asked, a
wrong sign, a reversed order, a point where an interval is asked, a wrong type; partial credit for a set, several
choices or several grades with a message for each wrong item. The check never raises: a wrong type or shape is a
wrong answer. ``show(key)`` displays an exercise's instructions as Markdown in the lesson's language.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from . import load, metrics
from .style import check_lang

Text = tuple[str, str]  # (zh, en)

__all__ = ["Lesson", "Exercise", "Verdict", "LESSONS", "diagnose", "close"]


# --- the messages every kind of exercise shares ---------------------------------------------------------------

M: dict[str, Text] = {
    "right": ("✓ 正确", "✓ correct"),
    "partly": ("◐ 部分正确：", "◐ partly right: "),
    "wrong": ("✗ 还不对：", "✗ not yet: "),
    "blank": ("先填写 {name}，再运行本格。提示：{hint}", "fill in {name}, then run this cell. Hint: {hint}"),
    "want_number": ("这里要一个数（如 0.25），不是 {got}", "a number is asked here (e.g. 0.25), not {got}"),
    "number_text": (
        "这是文字 {got!r}：请写成数，例如 0.25，而不是 '25%' 或 '0.25'",
        "that is text, {got!r}: write a number, e.g. 0.25, not '25%' or '0.25'",
    ),
    "nan": (
        "结果是 NaN：有一个值缺失，检查选中的行",
        "the result is NaN: a value is missing; check the rows you picked",
    ),
    "point_for_interval": (
        "这里要一个区间 (下限, 上限)：带 多、余、以上 的数字不是一个点",
        "an interval (low, high) is asked: a figure printed with 多, 余 or 以上 is not a point",
    ),
    "interval_for_point": ("这里要一个数，不是区间或列表", "a single number is asked here, not an interval or a list"),
    "interval_len": (
        "区间要两个数 (下限, 上限)，这里有 {n} 个",
        "an interval has two numbers (low, high); this has {n}",
    ),
    "interval_reversed": ("顺序反了：先写下限，再写上限", "reversed: the low end first, then the high end"),
    "open_end": (
        "{end}是开放的（没有界限）：写 math.inf（或 None）",
        "the {end} is open (no bound): write math.inf (or None)",
    ),
    "low_end": ("下限", "low end"),
    "high_end": ("上限", "high end"),
    "percent": (
        "看起来是百分数：请写成小数（36.8% → 0.368）",
        "that looks like a percentage: give a fraction (36.8 % → 0.368)",
    ),
    "sign": ("符号反了：数值对，正负号不对", "the sign is wrong: the size is right, the sign is not"),
    "reversed": (
        "顺序反了：应是 末值 ÷ 初值（后一年除以前一年）",
        "reversed order: end ÷ start (the later year over the earlier one)",
    ),
    "ratio": ("这是倍数 末值 ÷ 初值；增长率还要减去 1", "that is the ratio end ÷ start; a growth rate subtracts 1"),
    "close": (
        "接近了，但差得比四舍五入多：至少保留三位有效数字，并检查用的是哪两个值",
        "close, but further off than rounding: keep at least three significant figures and check which values you used",
    ),
    "want_bool": ("请写 True 或 False（不加引号），不是 {got}", "write True or False (no quotes), not {got}"),
    "bool_int": ("1 和 0 是数字：请写 True 或 False", "1 and 0 are numbers: write True or False"),
    "want_set": ("要一个集合，例如 {{'a', 'b'}}，不是 {got}", "a set is asked, e.g. {{'a', 'b'}}, not {got}"),
    "set_str": ("这是一个字符串；集合要写成 {{'a', 'b'}}", "that is one string; write a set, e.g. {{'a', 'b'}}"),
    "set_extra": ("不属于答案：{items}", "not part of the answer: {items}"),
    "set_found": ("找到 {k} / {n} 个", "{k} of {n} found"),
    "want_mapping": (
        "要 pd.Series 或 dict（名称 → 数值），不是 {got}",
        "a pd.Series or a dict (name → value) is asked, not {got}",
    ),
    "keys_extra": ("多出的项：{items}", "entries that should not be there: {items}"),
    "keys_missing": ("少了 {n} 项", "entries missing: {n}"),
    "values_wrong": ("这些项的值不对：{items}", "wrong values for: {items}"),
    "want_name": ('要一个名称（字符串，如 "江苏"），不是 {got}', 'a name is asked (a string, e.g. "江苏"), not {got}'),
    "want_choice": ("请从这些选项中选一个：{options}", "choose one of: {options}"),
    "want_choices": (
        "请写选项代码的集合，例如 {{'a', 'c'}}；选项：{options}",
        "write a set of option codes, e.g. {{'a', 'c'}}; options: {options}",
    ),
    "unknown_codes": ("没有这些选项：{items}", "no such options: {items}"),
    "choices_missing": ("还缺一个关键理由", "a decisive reason is missing"),
    "want_grades": ("要一个 dict：{keys} → 选项", "a dict is asked: {keys} → option"),
    "grades_score": ("{k} / {n} 项对了", "{k} of {n} right"),
    "text_short": ("写几句话（至少 {n} 个字符）", "write a few sentences (at least {n} characters)"),
    "noted": ("✓ 已记下：带到课堂讨论", "✓ noted: bring it to the discussion"),
    "sep": ("；", "; "),
}


def _t(text: Text, lang: str, **kw) -> str:
    s = text[0] if lang == "zh" else text[1]
    return s.format(**kw) if kw or "{{" in s else s


# --- answers and their diagnosis ------------------------------------------------------------------------------


@dataclass
class Verdict:
    """``status``: "right", "partly", "wrong" or "blank"; ``message``: shown after the mark (may be empty)."""

    status: str
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "right"


@dataclass
class Exercise:
    """One self-check. ``expected()`` computes the answer from the data; ``hint`` helps without giving it away.

    ``mistakes(expected)`` lists (value, message) pairs for numbers: answers a usual slip produces, recognised
    with the tolerance. ``options`` are a menu's codes and labels; ``feedback`` a message per wrong option (for
    grades: per ``(item, option)`` or per option). ``required`` (choices): codes a complete answer includes."""

    kind: str
    expected: Callable[[], Any]
    hint: Text
    task: Text = ("", "")
    mistakes: Callable[[Any], list[tuple[float, Text]]] | None = None
    options: dict[str, Text] = field(default_factory=dict)
    feedback: dict = field(default_factory=dict)
    required: frozenset = frozenset()
    atol: float = 0.0
    rtol: float = 0.005
    extra_keys: dict[str, Text] = field(default_factory=dict)
    min_chars: int = 20
    drop_zero: bool = False  # mapping: entries of 0 are left out (value_counts of a categorical lists them)
    after: Text | None = None  # printed with a right (or noted) answer


def _real(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and type(x).__name__ != "bool_"


def _scalar(x):
    """A one-element Series, array or list → its element; numpy scalars → Python numbers."""
    size = getattr(x, "size", None)
    if size == 1 and hasattr(x, "item") and not isinstance(x, numbers.Number):
        try:
            return x.item()
        except (ValueError, TypeError):
            return x
    return x


def close(answer: float, expected: float, rtol: float = 0.005, atol: float = 0.0) -> bool:
    """Right to three significant figures (or within ``rtol`` relative, ``atol`` absolute); infinities match."""
    if math.isinf(expected) or math.isinf(answer):
        return answer == expected
    if answer == expected:
        return True
    gap = abs(answer - expected)
    if expected:
        digit = 10 ** (math.floor(math.log10(abs(expected))) - 2)  # the third significant figure
        if gap <= 0.5 * digit * 1.0001:
            return True
    return gap <= max(rtol * abs(expected), atol)


def _kind_name(x) -> str:
    return type(x).__name__


def _number(answer, ex: Exercise, expected, lang):
    answer = _scalar(answer)
    if isinstance(answer, bool) or type(answer).__name__ == "bool_":
        return Verdict("wrong", _t(M["want_number"], lang, got=repr(answer)))
    if isinstance(answer, str):
        return Verdict("wrong", _t(M["number_text"], lang, got=answer))
    if isinstance(answer, tuple | list | set | dict) or hasattr(answer, "low") or getattr(answer, "size", 1) != 1:
        return Verdict("wrong", _t(M["interval_for_point"], lang))
    if not _real(answer):
        return Verdict("wrong", _t(M["want_number"], lang, got=_kind_name(answer)))
    answer = float(answer)
    if math.isnan(answer):
        return Verdict("wrong", _t(M["nan"], lang))
    tol = {"rtol": ex.rtol, "atol": ex.atol}
    if close(answer, expected, **tol):
        return Verdict("right")
    slips = list(ex.mistakes(expected) if ex.mistakes else [])
    if ex.kind == "number":
        slips.append((expected * 100, M["percent"]))
    slips.append((-expected, M["sign"]))
    for value, message in slips:
        if value is not None and close(answer, value, **tol):
            return Verdict("wrong", _t(message, lang))
    if expected and abs(answer - expected) <= 0.05 * abs(expected):
        return Verdict("wrong", _t(M["close"], lang))
    return Verdict("wrong", _t(ex.hint, lang))


def _end(x, open_value: float):
    x = _scalar(x)
    if x is None:
        return open_value
    if not _real(x):
        raise TypeError
    return float(x)


def _interval(answer, ex: Exercise, expected, lang):
    lo_e, hi_e = expected
    if hasattr(answer, "low") and hasattr(answer, "high"):  # a metrics.Figure
        answer = (answer.low, answer.high)
    answer = _scalar(answer)
    if _real(answer) or isinstance(answer, str) or not hasattr(answer, "__len__"):
        return Verdict("wrong", _t(M["point_for_interval"], lang))
    items = list(answer)
    if len(items) != 2:
        return Verdict("wrong", _t(M["interval_len"], lang, n=len(items)))
    try:
        lo, hi = _end(items[0], -math.inf), _end(items[1], math.inf)
    except TypeError:
        return Verdict("wrong", _t(M["want_number"], lang, got=", ".join(_kind_name(i) for i in items)))
    if math.isinf(lo) and lo_e == -math.inf:
        lo = -math.inf  # an open low end may be written -inf, inf or None
    for value, want, end in ((lo, lo_e, M["low_end"]), (hi, hi_e, M["high_end"])):
        if math.isnan(value):
            return Verdict(
                "wrong", _t(M["open_end"], lang, end=_t(end, lang)) if math.isinf(want) else _t(M["nan"], lang)
            )
    tol = {"rtol": ex.rtol, "atol": ex.atol}
    if close(lo, lo_e, **tol) and close(hi, hi_e, **tol):
        return Verdict("right")
    if close(lo, hi_e, **tol) and close(hi, lo_e, **tol):
        return Verdict("wrong", _t(M["interval_reversed"], lang))
    finite = not any(math.isinf(e) for e in expected)
    if finite and close(lo, lo_e * 100, **tol) and close(hi, hi_e * 100, **tol):
        return Verdict("wrong", _t(M["percent"], lang))
    for value, message in ex.mistakes(expected) if ex.mistakes else []:
        if close(lo, value[0], **tol) and close(hi, value[1], **tol):
            return Verdict("wrong", _t(message, lang))
    if close(lo, lo_e, **tol) and math.isinf(hi_e):
        return Verdict("wrong", _t(M["open_end"], lang, end=_t(M["high_end"], lang)))
    return Verdict("wrong", _t(ex.hint, lang))


def _name(answer, ex: Exercise, expected, lang):
    answer = _scalar(answer)
    if not isinstance(answer, str):
        return Verdict("wrong", _t(M["want_name"], lang, got=_kind_name(answer)))
    if answer.strip() == expected:
        return Verdict("right")
    return Verdict("wrong", _t(ex.feedback.get(answer.strip(), ex.hint), lang))


def _bool(answer, ex: Exercise, expected, lang):
    answer = _scalar(answer)
    if _real(answer) and answer in (0, 1):
        return Verdict("wrong", _t(M["bool_int"], lang))
    if not (isinstance(answer, bool) or type(answer).__name__ == "bool_"):
        return Verdict("wrong", _t(M["want_bool"], lang, got=repr(answer)))
    if bool(answer) == expected:
        return Verdict("right")
    return Verdict("wrong", _t(ex.feedback.get(bool(answer), ex.hint), lang))


def _as_set(answer):
    if isinstance(answer, str) or not hasattr(answer, "__iter__") or isinstance(answer, dict):
        return None
    values = answer.values() if hasattr(answer, "values") and not callable(answer.values) else answer
    return {str(v).strip() for v in values}


def _set(answer, ex: Exercise, expected, lang):
    if isinstance(answer, str):
        return Verdict("wrong", _t(M["set_str"], lang))
    got = _as_set(answer)
    if got is None:
        return Verdict("wrong", _t(M["want_set"], lang, got=_kind_name(answer)))
    expected = {str(e) for e in expected}
    if got == expected:
        return Verdict("right")
    sep = _t(M["sep"], lang)
    parts = [_t(M["set_found"], lang, k=len(got & expected), n=len(expected))]
    parts += [_t(ex.extra_keys[k], lang) for k in sorted(got - expected) if k in ex.extra_keys]
    extra = sorted(k for k in got - expected if k not in ex.extra_keys)
    if extra:
        parts.append(_t(M["set_extra"], lang, items=", ".join(extra[:6]) + (" …" if len(extra) > 6 else "")))
    parts.append(_t(ex.hint, lang))
    return Verdict("partly" if got & expected else "wrong", sep.join(parts))


def _mapping(answer, ex: Exercise, expected, lang):
    if hasattr(answer, "to_dict") and hasattr(answer, "index"):
        if getattr(answer, "ndim", 1) != 1:
            return Verdict("wrong", _t(M["want_mapping"], lang, got="DataFrame"))
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return Verdict("wrong", _t(M["want_mapping"], lang, got=_kind_name(answer)))
    got = {}
    for k, v in answer.items():
        v = _scalar(v)
        if not _real(v):
            return Verdict("wrong", _t(M["want_number"], lang, got=f"{k}: {v!r}"))
        if ex.drop_zero and v == 0:
            continue  # a category with no rows: value_counts of a categorical lists it with 0
        got[str(k)] = float(v)
    expected = {str(k): float(v) for k, v in expected.items()}
    tol = {"rtol": ex.rtol, "atol": ex.atol}
    if set(got) == set(expected) and all(close(got[k], v, **tol) for k, v in expected.items()):
        return Verdict("right")
    common = set(got) & set(expected)
    if common and all(close(got[k], expected[k] * 100, **tol) for k in common if expected[k]):
        return Verdict("wrong", _t(M["percent"], lang))
    sep = _t(M["sep"], lang)
    parts = []
    for k in sorted(set(got) - set(expected)):
        if k in ex.extra_keys:
            parts.append(_t(ex.extra_keys[k], lang))
    unexplained = sorted(k for k in set(got) - set(expected) if k not in ex.extra_keys)
    if unexplained:
        parts.append(_t(M["keys_extra"], lang, items=", ".join(unexplained[:6])))
    missing = set(expected) - set(got)
    if missing:
        parts.append(_t(M["keys_missing"], lang, n=len(missing)))
    wrong = sorted(k for k in common if not close(got[k], expected[k], **tol))
    if wrong:
        parts.append(_t(M["values_wrong"], lang, items=", ".join(wrong[:6]) + (" …" if len(wrong) > 6 else "")))
    if not parts or (not wrong and not missing and not unexplained):
        parts.append(_t(ex.hint, lang))
    elif wrong or missing:
        parts.append(_t(ex.hint, lang))
    return Verdict("partly" if common and len(wrong) < len(common) else "wrong", sep.join(parts))


def _code(x) -> str | None:
    x = _scalar(x)
    return x.strip() if isinstance(x, str) else None


def _options(ex: Exercise) -> str:
    return ", ".join(repr(k) for k in ex.options)


def _choice(answer, ex: Exercise, expected, lang):
    code = _code(answer)
    if code is None or code not in ex.options:
        return Verdict("wrong", _t(M["want_choice"], lang, options=_options(ex)))
    if code == expected:
        return Verdict("right")
    return Verdict("wrong", _t(ex.feedback.get(code, ex.hint), lang))


def _choices(answer, ex: Exercise, expected, lang):
    got = {answer.strip()} if isinstance(answer, str) else _as_set(answer)
    if got is None:
        return Verdict("wrong", _t(M["want_choices"], lang, options=_options(ex)))
    unknown = sorted(got - set(ex.options))
    if unknown:
        return Verdict("wrong", _t(M["unknown_codes"], lang, items=", ".join(unknown)))
    expected = set(expected)
    wrong = sorted(got - expected)
    sep = _t(M["sep"], lang)
    parts = [_t(ex.feedback[c], lang) for c in wrong if c in ex.feedback]
    missing = ex.required - got
    if not wrong and not missing:
        return Verdict("right")
    if missing:
        parts.append(_t(M["choices_missing"], lang) + sep + _t(ex.hint, lang))
    return Verdict("partly" if got & expected else "wrong", sep.join(parts))


def _grades(answer, ex: Exercise, expected: dict, lang):
    keys = ", ".join(repr(k) for k in expected)
    if hasattr(answer, "to_dict") and getattr(answer, "ndim", 1) == 1:
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return Verdict("wrong", _t(M["want_grades"], lang, keys=keys))
    answer = {str(k).strip(): v for k, v in answer.items()}
    sep = _t(M["sep"], lang)
    right, parts = 0, []
    for key, want in expected.items():
        got = answer.get(key)
        if isinstance(want, frozenset):  # a set of codes
            got_set = {got.strip()} if isinstance(got, str) else _as_set(got) if got is not None else None
            if got_set == set(want):
                right += 1
                continue
            codes = got_set or set()
        else:
            code = _code(got)
            if code == want:
                right += 1
                continue
            codes = {code} if code else set()
        if got is None:
            parts.append(f"{key}: " + _t(M["keys_missing"], lang, n=1))
            continue
        unknown = sorted(c for c in codes if c not in ex.options)
        if unknown:
            parts.append(f"{key}: " + _t(M["unknown_codes"], lang, items=", ".join(unknown)))
            continue
        notes = [ex.feedback.get((key, c)) or ex.feedback.get(c) for c in sorted(codes)]
        if isinstance(want, frozenset):
            wanted = set(want)
            notes = [ex.feedback.get((key, c)) or ex.feedback.get(c) for c in sorted(codes - wanted)]
            if wanted - codes and wanted != {"ok"} and codes != {"ok"}:
                notes.append(ex.feedback.get((key, "missing")) or M["choices_missing"])
        parts.append(f"{key}: " + " ".join(_t(n, lang) for n in notes if n))
    n = len(expected)
    if right == n:
        return Verdict("right")
    head = _t(M["grades_score"], lang, k=right, n=n)
    return Verdict("partly" if right else "wrong", sep.join([head, *parts]))


def _text(answer, ex: Exercise, expected, lang):
    if not isinstance(answer, str) or len(answer.strip()) < ex.min_chars:
        return Verdict("wrong", _t(M["text_short"], lang, n=ex.min_chars))
    return Verdict("noted")


KINDS = {"number": _number, "pp": _number, "interval": _interval, "bool": _bool, "set": _set, "mapping": _mapping,
         "name": _name, "choice": _choice, "choices": _choices, "grades": _grades, "text": _text}  # fmt: skip


def diagnose(answer, ex: Exercise, expected, lang: str = "en") -> Verdict:
    """What is right or wrong with ``answer``; never raises (an unexpected error is a wrong answer)."""
    try:
        return KINDS[ex.kind](answer, ex, expected, lang)
    except Exception:  # a wrong type or shape is a wrong answer, not a crash
        return Verdict("wrong", _t(ex.hint, lang))


#: The figures a lesson's exercises are about (fact ids), by lesson and part: the lesson's choice, kept here
#: with its texts rather than in the notebook.
FIGURES = {
    "T2": {
        "partB": ("baoying-glass-002", "zhucheng-three-036", "qinbei-zone-008", "qinbei-zone-009",
                  "yongan-three-040", "dalian-software-007", "fuxin-5510-002"),
    },
}  # fmt: skip


class Lesson:
    """A lesson of :data:`LESSONS` in ``lang``: ``show(key)`` its texts, ``check(answer, key)`` its answers,
    ``figures(part)`` the fact ids a part of it is about."""

    def __init__(self, lesson_id: str, lang: str = "zh"):
        check_lang(lang)
        self.id, self.lang = lesson_id, lang
        self.texts, self.exercises = LESSONS[lesson_id]

    def text(self, key: str) -> str:
        if key in self.exercises:
            return _t(self.exercises[key].task, self.lang)
        return _t(self.texts[key], self.lang)

    def show(self, key: str) -> None:
        from IPython.display import Markdown, display

        display(Markdown(self.text(key)))

    def expected(self, key: str):
        return _expected(self.id, key)

    def figures(self, part: str) -> list[str]:
        """The fact ids the exercises of ``part`` are about (see :data:`FIGURES`)."""
        return list(FIGURES[self.id][part])

    def verdict(self, answer, key: str) -> Verdict:
        ex = self.exercises[key]
        if answer is None:
            return Verdict("blank", _t(M["blank"], self.lang, name=f"answer_{key}", hint=_t(ex.hint, self.lang)))
        return diagnose(answer, ex, self.expected(key), self.lang)

    def check(self, answer, key: str) -> bool:
        """Print ✓, ◐ or ✗ with a message in the lesson's language; True only for a right answer."""
        v = self.verdict(answer, key)
        ex = self.exercises[key]
        if v.status in ("right", "noted"):
            line = _t(M["right" if v.status == "right" else "noted"], self.lang)
            if ex.after:
                line += " · " + _t(ex.after, self.lang)
        elif v.status == "partly":
            line = _t(M["partly"], self.lang) + v.message
        else:
            line = _t(M["wrong"], self.lang) + v.message
        print(line)
        return v.status in ("right", "noted")


@cache
def _expected(lesson_id: str, key: str):
    return LESSONS[lesson_id][1][key].expected()


# --- data the expected answers come from ---------------------------------------------------------------------


@cache
def _facts():
    return load.facts()


def _by_id():
    return _facts().set_index("fact_id")


def _series(sid: str):
    f = _facts()
    return f[f["series_id"].eq(sid)].sort_values(["year_end", "fact_id"])


def _years(sid: str) -> int:
    s = _series(sid)
    return int(s["year_end"].iloc[-1] - s["year_end"].iloc[0])


def _growth(sid: str) -> float:
    s = _series(sid)["value_std"]
    return float(metrics.growth(s.iloc[0], s.iloc[-1]))


def _cagr(sid: str) -> float:
    s = _series(sid)
    return float(metrics.cagr(s["value_std"].iloc[0], s["value_std"].iloc[-1], _years(sid)))


def _checked_cagrs() -> dict[str, float]:
    audit, by_id = load.audit(), _by_id()
    out = {}
    for ids in audit.loc[audit["kind"].eq("cagr") & audit["status"].ne("cannot_check"), "fact_ids"]:
        start, end, stated = ids.split(";")
        s, e = by_id.loc[start], by_id.loc[end]
        out[stated] = float(metrics.cagr(s["value_std"], e["value_std"], int(e["year_end"] - s["year_end"])))
    return out


def _interval_of(fact_id: str) -> tuple[float, float]:
    f = _by_id().loc[fact_id]
    lo, hi = f["value_low_std"], f["value_high_std"]
    return (-math.inf if math.isnan(lo) else float(lo), math.inf if math.isnan(hi) else float(hi))


def _growth_slips(e: float) -> list[tuple[float, Text]]:
    return [(1 / (1 + e) - 1, M["reversed"]), (1 + e, M["ratio"])]


def _cagr_slips(years: int) -> Callable[[float], list[tuple[float, Text]]]:
    def slips(e: float):
        total = (1 + e) ** years - 1
        return [
            (1 / (1 + e) - 1, M["reversed"]),
            (1 + e, M["ratio"]),
            (total, WRONG_TOTAL),
            (total / years, WRONG_SIMPLE),
            ((1 + e) ** (years / (years + 1)) - 1, WRONG_YEARS),
            ((1 + e) ** (years / (years - 1)) - 1 if years > 1 else None, WRONG_YEARS),
            (e * 100, M["percent"]),
        ]

    return slips


WRONG_TOTAL = (
    "这是整段时期的总增长；年均增长率要开 1/年数 次方",
    "that is the total growth over the whole period; a CAGR takes the (1 / years) power",
)
WRONG_SIMPLE = (
    "这是总增长除以年数（算术平均）；CAGR 是几何平均：(末值 ÷ 初值) ** (1 / 年数) − 1",
    "that is total growth divided by the years (an arithmetic mean); a CAGR is geometric: (end ÷ start) ** (1 /"
    " years) − 1",
)
WRONG_YEARS = (
    "年数差了一年：年数 = 末年 − 初年（1985 到 1986 是一年）",
    "the number of years is off by one: years = end year − start year (1985 to 1986 is one year)",
)
HOW: Text = (
    "**怎样做。** 把每个 `answer_… = None  # your code here` 换成你的代码，再运行它下面的检查格：✓ 表示正确，"
    "◐ 表示部分正确，✗ 表示还不对，并给出针对你的答案的提示。答案空着时整本笔记本也能从头运行到尾。"
    "分数写成小数（36.8% 写作 0.368）；保留三位有效数字就够了。",
    "**How to work.** Replace each `answer_… = None  # your code here` with your code and run the check cell below "
    "it: ✓ means right, ◐ partly right, ✗ not yet, with a message about your answer. The notebook runs top to "
    "bottom with blank answers too. Give rates as fractions (36.8 % is 0.368); three significant figures are enough.",
)


# --- T1 · growth rates and CAGRs ------------------------------------------------------------------------------

T1_TEXTS: dict[str, Text] = {
    "how": HOW,
    "intro": (
        "**问题。** 报告常在水平值旁边印出增长率或年均增长率（CAGR）。你能重算它们吗？与印出的一致吗？"
        "哪些 CAGR 因为年份在副本中被改写而根本无法核对？\n\n"
        "**数据。** `load.facts()`：`value_std` 的单位是 `unit_std`（元、个、人、0–1 的比率）；`series_id` "
        "把同一个量在不同时点的数字连起来；`year_end` 是年份（数），`year_reliable = False` 表示年份被改写过"
        "（例如 2024、2025 代替了更早的年份），不能当作日期使用。`load.audit()` 为每个可核对的 CAGR 列出三条事实"
        "（初值；末值；所称增长率）。\n\n"
        "**公式。** 增长 g = 末值 ÷ 初值 − 1；CAGR = (末值 ÷ 初值)^(1 / 年数) − 1，年数 = 末年 − 初年。两者都是小数"
        "（0.368 = 36.8%）。`helpers.metrics.growth` 与 `helpers.metrics.cagr` 实现了它们，也接受区间 "
        "`metrics.Figure`。\n\n"
        "**限定词。** 6000多 不是点 6000：数据给出区间 `value_low_std`–`value_high_std`（6000–7000），由它算出的增长率"
        "也是区间。",
        "**Question.** The reports often print a growth rate or a compound annual growth rate (CAGR, 年均增长) next to "
        "the levels it was computed from. Can you recompute them, and do they agree with what is printed? Which CAGRs "
        "cannot be checked at all because the years in the copies were overwritten?\n\n"
        "**Data.** `load.facts()`: `value_std` in `unit_std` (yuan, count, persons, ratio 0–1); `series_id` links "
        "figures that measure the same quantity at different dates; `year_end` is the year as a number and "
        "`year_reliable = False` marks years that were overwritten in the copies (2024 or 2025 standing for an "
        "earlier year) — never use those as dates. `load.audit()` lists, for each CAGR the curators could check, the "
        "three facts involved (start; end; stated rate).\n\n"
        "**Formulas.** growth g = end ÷ start − 1; CAGR = (end ÷ start)^(1 / years) − 1, years = end year − start "
        "year. Both are fractions (0.368 = 36.8 %). `helpers.metrics.growth` and `helpers.metrics.cagr` implement "
        "them, and accept `metrics.Figure` intervals for figures with qualifiers.\n\n"
        '**Reading qualifiers.** 6000多 ("6000-odd") is not the point 6000: the data give the interval '
        "`value_low_std`–`value_high_std` (6000–7000), and a rate computed from it is an interval too.",
    ),
    "data": (
        "## 数据：两个集群，1985 年与 2004 年\n\n中国概览一文跟踪了小榄五金与嵊州领带从 1985 到 2004 年的产值、"
        "企业数与从业人员，并给出各自的年均增长率。两个年份都标为可靠。",
        "## The data: two clusters, 1985 and 2004\n\nThe China overview follows Xiaolan's hardware cluster and "
        "Shengzhou's ties from 1985 to 2004: output, firms and employees at both dates, and a CAGR for each. Both "
        "years are marked reliable.",
    ),
    "3-after": (
        "把你的表与整理者的核对（`load.audit()`）对照：每条 CAGR 核对的等级是什么？",
        "Compare your table with the curators' audit (`load.audit()`): what grade does each CAGR check get?",
    ),
}

T1_EXERCISES: dict[str, Exercise] = {
    "1": Exercise(
        "number",
        lambda: _growth("china-overview-xiaolan-firms"),
        ("增长率 = 末值 ÷ 初值 − 1，写成小数", "a growth rate is end ÷ start − 1, as a fraction"),
        (
            "## 练习 1 · 增长率（约 4 分钟）\n\n计算 1985 到 2004 年小榄五金企业数的增长（序列 "
            "`china-overview-xiaolan-firms`），写成小数：`answer_1 = 末值 / 初值 − 1`。",
            "## Exercise 1 · A growth rate (about 4 minutes)\n\nCompute the growth in the number of Xiaolan hardware "
            "firms from 1985 to 2004 (series `china-overview-xiaolan-firms`), as a fraction: "
            "`answer_1 = end / start − 1`.",
        ),
        mistakes=_growth_slips,
    ),
    "2": Exercise(
        "number",
        lambda: _cagr("china-overview-xiaolan-output"),
        (
            "CAGR = (末值 ÷ 初值) ** (1 / 年数) − 1，年数 = 末年 − 初年",
            "CAGR = (end ÷ start) ** (1 / years) − 1 with years = end year − start year",
        ),
        (
            "## 练习 2 · 年均增长率，与报告一致吗？（约 6 分钟）\n\n计算小榄五金产值（序列 "
            "`china-overview-xiaolan-output`）在两个年份之间的 CAGR（`answer_2`，小数）。然后判断（`answer_2b`，"
            "True 或 False）它与报告印出的 CAGR（事实 `china-overview-429`，36.8%）在印出的精度内是否一致——即相差"
            "不超过最后一位的一半，±0.05 个百分点。",
            "## Exercise 2 · A CAGR, and does it match the report? (about 6 minutes)\n\nCompute the CAGR of Xiaolan's "
            "hardware output (series `china-overview-xiaolan-output`) between its two years (`answer_2`, a fraction). "
            "Then decide (`answer_2b`, True or False) whether it agrees with the CAGR the report prints (fact "
            "`china-overview-429`, 36.8 %) to the precision printed — within half a unit of the last digit, i.e. "
            "±0.05 percentage points.",
        ),
        mistakes=lambda e: _cagr_slips(_years("china-overview-xiaolan-output"))(e),
    ),
    "2b": Exercise(
        "bool",
        lambda: bool(
            abs(_cagr("china-overview-xiaolan-output") - _by_id().loc["china-overview-429", "value_std"]) <= 0.0005
        ),
        (
            "比较 |answer_2 − 印出值| 与 0.0005（0.05 个百分点）",
            "compare |answer_2 − printed| with 0.0005 (0.05 percentage points)",
        ),
    ),
    "3": Exercise(
        "mapping",
        _checked_cagrs,
        (
            "对每条 kind == 'cagr' 的核对（跳过 cannot_check）：split(';') 得到 初值、末值、所称；年数 = 末年 − 初年；"
            "索引是所称增长率的 fact_id",
            "for each kind == 'cagr' check (skip cannot_check): split(';') gives start, end, stated; years = en"
            "d year − "
            "start year; index by the stated rate's fact_id",
        ),
        (
            "## 练习 3 · 一次核对概览中全部的 CAGR（约 8 分钟）\n\n`load.audit()` 中每条可核对的 CAGR 有一行 "
            '`kind == "cagr"`，其 `fact_ids` 为 `初值;末值;所称`。`status == "cannot_check"` 的行年份不可靠，跳过。'
            "建立 `answer_3`：你重算的 CAGR（小数）组成的 `pd.Series`，以*所称*增长率的 `fact_id` 为索引。然后 "
            "`answer_3b`：重算值与所称值的最大绝对差，以**百分点**计（例如 0.02 表示 0.02 个百分点）。",
            "## Exercise 3 · All the CAGRs of the overview at once (about 8 minutes)\n\n`load.audit()` has one row of "
            '`kind == "cagr"` per CAGR the curators could check; its `fact_ids` are `start;end;stated`. Rows with '
            '`status == "cannot_check"` have unreliable years: skip them. Build `answer_3`: a `pd.Series` of your '
            "recomputed CAGRs (fractions), indexed by the `fact_id` of the *stated* rate. Then `answer_3b`: the"
            " largest "
            "absolute difference between recomputed and stated, in **percentage points** (e.g. 0.02 for 0.02 pp).",
        ),
    ),
    "3b": Exercise(
        "pp",
        lambda: max(abs(v - _by_id().loc[k, "value_std"]) for k, v in _checked_cagrs().items()) * 100,
        (
            "差距以百分点计：|重算 − 所称| × 100 的最大值",
            "the gap in percentage points: the largest |recomputed − stated| × 100",
        ),
        mistakes=lambda e: [
            (
                e / 100,
                ("这是小数差；以百分点计要乘 100", "that is the gap as a fraction; percentage points multiply by 100"),
            ),
        ],
        atol=0.005,  # two decimals of a percentage point, as the example writes them
    ),
    "4": Exercise(
        "interval",
        lambda: _zgc(),
        (
            "用 value_low_std 与 value_high_std（或 metrics.Figure.from_fact）；最低的增长来自 最低的末值 ÷ 最高的初值",
            "use value_low_std and value_high_std (or metrics.Figure.from_fact); the lowest rate comes from the "
            "lowest end over the highest start",
        ),
        (
            "## 练习 4 · 由带“多”的数字算 CAGR（约 6 分钟）\n\n中关村 1998 年有 4500 家高新技术企业，2000 年“6000多”家"
            "（序列 `china-overview-zgc-high-tech-firms`）。6000多 表示 6000–7000。把 CAGR 写成区间 "
            "`answer_4 = (下限, 上限)`。提示：`metrics.Figure.from_fact(row)` 把一条事实变成区间，`metrics.cagr` "
            "会把区间带下去。",
            "## Exercise 4 · A CAGR from a figure with 多 (about 6 minutes)\n\nZhongguancun had 4500 high-tech "
            "firms in "
            '1998 and "6000多" (6000-odd) in 2000 (series `china-overview-zgc-high-tech-firms`). 6000多 means '
            "6000–7000. Give the CAGR as an interval `answer_4 = (low, high)`. Hint: `metrics.Figure.from_fact(row)` "
            "turns a fact into an interval and `metrics.cagr` carries it through.",
        ),
    ),
    "5": Exercise(
        "set",
        lambda: _unreliable_series(),
        (
            "按 series_id 分组，保留至少两个 actual 值的序列，再看其中有没有 year_reliable == False 的行",
            "group by series_id, keep series with two or more actual levels, then look for rows with "
            "year_reliable == False",
        ),
        (
            "## 练习 5 · 哪些 CAGR 无法核对？（约 6 分钟）\n\nCAGR 需要两个**真实**的日期。在至少有两个 `actual"
            "` 水平值的"
            "序列中，哪些带有标为不可靠的年份（`year_reliable == False`）？把 `answer_5` 写成 `series_id` 的集合。\n\n"
            "然后看寿光菜博会：其交易额（序列 `shouguang-expo-trade`）印出了首届与第六届的数字，年份都被改写。计算两者"
            "之间的**总**增长（`answer_5b`，小数——它不需要日期），并判断能否由数据算出 CAGR（`answer_5c`，True 或 "
            "False）。",
            "## Exercise 5 · Which CAGRs cannot be checked? (about 6 minutes)\n\nA CAGR needs two **real** date"
            "s. Among "
            "the series with at least two `actual` levels, which carry a year marked unreliable "
            "(`year_reliable == False`)? Give `answer_5` as a set of `series_id`.\n\nThen the Shouguang vegetab"
            "le expo: "
            "its trade (series `shouguang-expo-trade`) is printed for the first (首届) and the sixth (第六届) e"
            "xpo, both "
            "under an overwritten year. Compute the **total** growth between them (`answer_5b`, a fraction — it needs "
            "no dates) and decide whether a CAGR can be computed from the data (`answer_5c`, True or False).",
        ),
    ),
    "5b": Exercise(
        "number",
        lambda: _expo_growth(),
        (
            "首届在前（fact_id 较小），第六届在后；增长 = 后 ÷ 前 − 1",
            "the first expo comes first (lower fact_id), the sixth last; growth = later ÷ earlier − 1",
        ),
        mistakes=_growth_slips,
    ),
    "5c": Exercise(
        "bool",
        lambda: False,
        (
            "CAGR 除了两个值还需要什么？看这两行的 year 与 year_reliable",
            "what does a CAGR need besides two values? Look at year and year_reliable of the two rows",
        ),
        feedback={
            True: (
                "算 CAGR 要知道相隔几年：这两个年份可靠吗？“首届”“第六届”能告诉你相隔几年吗？",
                "a CAGR needs the number of years between the two figures: are these years reliable, and do "
                "'first' and 'sixth' tell you how many years apart they are?",
            )
        },
    ),
    "6": Exercise(
        "number",
        lambda: _productivity_cagr(),
        (
            "人均产值 = 产值 ÷ 从业人员，先在每一年算，再求 1985 到 2004 的 CAGR；也可以用印出的两个 CAGR 换算",
            "output per worker = output ÷ employees in each year, then its CAGR from 1985 to 2004; the two printed "
            "CAGRs give it too",
        ),
        (
            "## 练习 6 · 劳动生产率：名义的还是实际的？（约 8 分钟）\n\n用嵊州领带 1985 与 2004 年的产值（序列 "
            "`china-overview-shengzhou-ties-output`）和从业人员（序列 `china-overview-shengzhou-ties-employees`），"
            "计算人均产值的 CAGR（`answer_6`，小数）。然后在下列选项中选出对这个增长率最恰当的描述（`answer_6b`，"
            "填代码）：\n\n"
            '- `"a"`：劳动生产率的实际增长\n- `"b"`：名义增长：报告没有印出价格指数，物价上涨也在其中\n'
            '- `"c"`：由于年份不可靠，无法解读',
            "## Exercise 6 · Productivity: nominal or real? (about 8 minutes)\n\nFrom Shengzhou ties' output (series "
            "`china-overview-shengzhou-ties-output`) and employees (series `china-overview-shengzhou-ties-employees`) "
            "in 1985 and 2004, compute the CAGR of output per worker (`answer_6`, a fraction). Then pick the best "
            "description of that rate (`answer_6b`, the code):\n\n"
            '- `"a"`: real growth of labour productivity\n- `"b"`: nominal growth: no price index is printed, '
            'so price rises are in it\n- `"c"`: it cannot be read because the years are unreliable',
        ),
        mistakes=lambda e: (
            _cagr_slips(19)(e)
            + [
                (
                    _growth("china-overview-shengzhou-ties-output"),
                    (
                        "这是产值的总增长，不是人均产值的 CAGR",
                        "that is the total growth of output, not the CAGR of output per worker",
                    ),
                )
            ]
        ),  # fmt: skip
    ),
    "6b": Exercise(
        "choice",
        lambda: "b",
        (
            "想一想 产值 以什么价格计：报告里有价格指数吗？",
            "think about the prices output is valued at: do the reports print a price index?",
        ),
        options={
            "a": ("实际增长", "real growth"),
            "b": ("名义增长", "nominal growth"),
            "c": ("无法解读", "unreadable"),
        },
        feedback={
            "a": (
                "产值按当年价格计；报告没有印出平减指数，实际增长要先扣除 1985–2004 年的物价上涨",
                "output is in current prices; no deflator is printed, and real growth would first remove "
                "1985–2004 price rises",
            ),
            "c": (
                "这里 1985 与 2004 两个年份都标为可靠（year_reliable），年份不是问题",
                "both 1985 and 2004 are marked reliable here (year_reliable): the years are not the problem",
            ),
        },
        after=(
            "要得到实际增长，需要一个价格指数（例如工业品出厂价格指数）或不变价产值",
            "a real-terms rate would need a price index (e.g. producer prices) or output at constant prices",
        ),
    ),
}


def _zgc() -> tuple[float, float]:
    s = _series("china-overview-zgc-high-tech-firms")
    a, b = s.iloc[0], s.iloc[-1]
    rate = metrics.cagr(metrics.Figure.from_fact(a), metrics.Figure.from_fact(b), int(b["year_end"] - a["year_end"]))
    return (float(rate.low), float(rate.high))


def _unreliable_series() -> set[str]:
    f = _facts()
    levels = f[f["series_id"].ne("") & f["kind"].eq("actual")]
    multi = levels.groupby("series_id").filter(lambda g: len(g) >= 2)
    return set(multi.loc[multi["year_reliable"].eq(False), "series_id"])


def _expo_growth() -> float:
    t = _series("shouguang-expo-trade").sort_values("fact_id")
    return float(metrics.growth(t["value_std"].iloc[0], t["value_std"].iloc[-1]))


def _productivity_cagr() -> float:
    out, emp = _series("china-overview-shengzhou-ties-output"), _series("china-overview-shengzhou-ties-employees")
    per = out["value_std"].to_numpy() / emp["value_std"].to_numpy()
    years = int(out["year_end"].iloc[-1] - out["year_end"].iloc[0])
    return float(metrics.cagr(per[0], per[-1], years))


# --- T2 · maps and qualifiers ---------------------------------------------------------------------------------

T2_TEXTS: dict[str, Text] = {
    "how": HOW,
    "intro": (
        "**问题。** 报告提到的集群在哪里？印有 多、近 或 以上 的数字可以用来做什么——能相加、排序、与目标比较吗？\n\n"
        "**数据。** `load.clusters()`：每个集群一行，带省份（`province_zh`，GB/T 2260 的 `province_code`）与 "
        "`status`（existing 现有或 planned 规划）；`load.facts()` 带 `qualifier`、`value_low_std` 与 "
        "`value_high_std`（印出的数字所表示的区间；空 = 开放或未知）以及 `kind`（actual 实际、target 目标、plan 规划、"
        "capacity 能力、estimate 估计）。\n\n"
        "**读限定词。** 20多 → [20, 30]；30余 → [30, 40]；超过千家 → [1000, 开放]；60%以上 → [0.6, 开放]；"
        "目标不是结果。",
        "**Question.** Where are the clusters the reports name, and what may a figure printed with 多 (more than), 近 "
        "(nearly) or 以上 (or more) be used for — can such figures be summed, ranked, compared with targets?\n\n"
        "**Data.** `load.clusters()`: one row per cluster with its province (`province_zh`, GB/T 2260 "
        "`province_code`) and `status` (existing or planned); `load.facts()` with `qualifier`, `value_low_std` and "
        "`value_high_std` (the interval a printed figure implies; empty = open or unknown) and `kind` (actual, "
        "target, plan, capacity, estimate).\n\n"
        "**Reading qualifiers.** 20多 → [20, 30]; 30余 → [30, 40]; 超过千家 → [1000, open]; 60%以上 → [0.6, open]; "
        "a target is not an outcome.",
    ),
    "partA": ("## A 部分 · 集群的省级地图", "## Part A · A province map of the clusters"),
    "map": (
        "下一格用 `maps.province_choropleth` 把你的计数画成分级统计图（没有集群的省份为灰色“无数据”）。"
        "它等你填好 `answer_1` 才会画；不是省份的行（境外）和计数为 0 的行不上图。",
        "The next cell draws your counts as a choropleth with `maps.province_choropleth` (provinces without a "
        'cluster are grey "no data"). It waits until `answer_1` is filled in; rows that are no province (境外) '
        "and zero counts stay off the map.",
    ),
    "careful": (
        "**小心。** 地图显示的是*这些报告*看向了哪里：浙江的集群几乎都只出现在一篇文章——中国概览——之中，且多在它的"
        "两张表里（下面计数）。这不是中国集群分布的地图。",
        "**Careful.** The map shows where *these reports* looked: almost all of Zhejiang's clusters are named in a "
        "single article, the China overview, mostly in its two tables (counted below). It is not a map of where "
        "China's clusters are.",
    ),
    "partB": (
        "## B 部分 · 带限定词的数字可以用来做什么\n\n下面用到的数字，照印出的样子：",
        "## Part B · What a qualified figure may be used for\n\nThe figures used below, as printed:",
    ),
}

T2_EXERCISES: dict[str, Exercise] = {
    "1": Exercise(
        "mapping",
        lambda: _cluster_counts(),
        (
            "对 province_zh 用 value_counts()；先去掉 境外 与没有 province_code 的行",
            "value_counts() of province_zh, after dropping 境外 and rows without province_code",
        ),
        (
            '### 练习 1 · 按省份数集群（约 5 分钟）\n\n取**现有**集群（`load.clusters(status="existing")`），去掉境外的'
            '例子（`province_zh == "境外"`）和没有 `province_code` 的行，按省份计数：`answer_1` 是以 `province_zh`'
            "（省份简称）为索引、值为集群数的 `pd.Series`。（`province_zh` 是分类变量：`value_counts()` 也会列"
            "出计数为 0 "
            "的类别，这没关系。）",
            "### Exercise 1 · Count the clusters by province (about 5 minutes)\n\nTake the **existing** clusters "
            '(`load.clusters(status="existing")`), leave out the foreign example (`province_zh == "境外"`) and rows '
            "without a `province_code`, and count clusters per province: `answer_1` is a `pd.Series` indexed by "
            "`province_zh` (short Chinese name), values = number of clusters. (`province_zh` is categorical: "
            "`value_counts()` lists categories with zero rows too; that is fine.)",
        ),
        drop_zero=True,
        extra_keys={
            "境外": ("境外 不是一个省份：先去掉这一行", "境外 is not a province: drop that row first"),
            "nan": (
                "有一行没有省份：先去掉没有 province_code 的行",
                "a row has no province: drop rows without province_code",
            ),
        },
    ),
    "2": Exercise(
        "name",
        lambda: _cluster_counts_top(),
        (
            "这个省份的集群不是最多的：Series.idxmax() 给出最大值的索引",
            "that province does not have the most clusters: Series.idxmax() gives the index of the largest value",
        ),
        (
            "### 练习 2 · 读地图（约 2 分钟）\n\n数据中哪个省份的集群最多？"
            '`answer_2` 是它的中文简称（例如 `"江苏"`）。',
            "### Exercise 2 · Read the map (about 2 minutes)\n\nWhich province has the most clusters in the data? "
            '`answer_2` is its short Chinese name (e.g. `"江苏"`).',
        ),
    ),
    "3": Exercise(
        "interval",
        lambda: _interval_of("baoying-glass-002"),
        ("读这条事实的 value_low_std 与 value_high_std", "read value_low_std and value_high_std of this fact"),
        (
            "### 练习 3 · 2００多家 的区间（约 3 分钟）\n\n宝应玻璃集群有“2００多家”企业（`baoying-glass-002`）。给出它"
            "表示的区间 `answer_3 = (下限, 上限)`。",
            '### Exercise 3 · The interval of 2００多家 (about 3 minutes)\n\nBaoying\'s glass cluster has "2００多家" '
            "firms (`baoying-glass-002`). Give the interval it implies, `answer_3 = (low, high)`.",
        ),
        mistakes=lambda e: [
            (
                (e[0], e[1] - 1),
                (
                    "差一点：本数据的约定是 200多 → [200, 300]，上限写 300（即 value_high_std），不写 299",
                    "nearly: the data's convention writes 200多 as [200, 300]; the high end is 300 (value_high_std), "
                    "not 299",
                ),
            ),
            (
                (e[0] + 1, e[1] - 1),
                (
                    "差一点：本数据的约定是 200多 → [200, 300]，两端都用整百",
                    "nearly: the data's convention writes 200多 as [200, 300], both ends at whole hundreds",
                ),
            ),
        ],  # fmt: skip
        rtol=1e-6,  # counts: whole numbers, no rounding to allow for
    ),
    "4": Exercise(
        "bool",
        lambda: False,
        (
            "看这条事实的 qualifier、value_low_std 与 value_high_std：空的下限意味着什么？",
            "look at this fact's qualifier, value_low_std and value_high_std: what does an empty low end mean?",
        ),
        (
            "### 练习 4 · 近百家 是下限吗？（约 3 分钟）\n\n诸城的创业园有“近百家”企业（`zhucheng-three-036`）。"
            "可以写“至少 100 家企业”吗？`answer_4 = True` 或 `False`。",
            '### Exercise 4 · Is 近百家 a floor? (about 3 minutes)\n\nZhucheng\'s start-up parks host "近百家" firms '
            '(`zhucheng-three-036`). May you write "at least 100 firms"? `answer_4 = True` or `False`.',
        ),
        feedback={
            True: (
                "“近”是接近：真实值在 100 附近，很可能低于 100；数据里它只有上限",
                "近 means nearly: the true value is about 100 and probably below; the data give it an upper end only",
            )
        },
    ),
    "5": Exercise(
        "interval",
        lambda: _qinbei_sum(),
        ("下限相加得下限，上限相加得上限", "add the low ends for the low end, the high ends for the high end"),
        (
            "### 练习 5 · 区间相加（约 4 分钟）\n\n沁北园区有“30余家”规模以上化工企业和“10余家”铝企业。两者之"
            "和在哪个区间？"
            "`answer_5 = (下限, 上限)`。（下限之和是和的下限；上限已知时，上限也相加。）",
            '### Exercise 5 · Summing bounds (about 4 minutes)\n\nThe Qinbei zone has "30余家" chemical firms above '
            'designated size and "10余家" aluminium firms. What interval does their sum lie in? '
            "`answer_5 = (low, high)`. (A sum of lower bounds is a lower bound of the sum; the upper ends add up too "
            "when they are known.)",
        ),
        mistakes=lambda e: [
            (
                (e[0], e[0]),
                (
                    "这只是两个印出的数相加：“余”让和成为一个区间",
                    "that adds the printed points: 余 makes the sum an interval",
                ),
            ),
        ],  # fmt: skip
        rtol=1e-6,
    ),
    "6": Exercise(
        "bool",
        lambda: bool(_interval_of("yongan-three-040")[0] > _interval_of("qinbei-zone-008")[1]),
        (
            "两个区间重叠吗？比较一方的下限与另一方的上限",
            "do the intervals overlap? Compare one's low end with the other's high end",
        ),
        (
            "### 练习 6 · 带界限的排序（一）（约 3 分钟）\n\n永安有 38 家水泥企业（`yongan-three-040`，精确）；沁北有"
            "“30余家”化工企业。能说永安这个集群的企业**更多**吗？`answer_6 = True` 或 `False`。（只有两个区间不重叠，"
            "排序才确定。）",
            "### Exercise 6 · Ranking with a bound (1) (about 3 minutes)\n\nYong'an has 38 cement firms "
            "(`yongan-three-040`, exact); Qinbei has \"30余家\" chemical firms. Can you say that Yong'an's cluster has "
            "**more** firms? `answer_6 = True` or `False`. (A ranking is certain only when the two intervals do not "
            "overlap.)",
        ),
        feedback={
            True: ("30余 可以到 40：38 落在这个区间里吗？", "30余 may be up to 40: does 38 fall inside that interval?"),
            False: ("两个区间真的重叠吗？", "do the two intervals really overlap?"),
        },
    ),
    "7": Exercise(
        "bool",
        lambda: bool(_interval_of("dalian-software-007")[0] > _interval_of("baoying-glass-002")[1]),
        ("比较大连的下限与宝应的上限", "compare Dalian's low end with Baoying's high end"),
        (
            "### 练习 7 · 带界限的排序（二）（约 3 分钟）\n\n大连有“超过千家”软件企业（`dalian-software-007`，"
            "上方开放）；"
            "宝应有“2００多家”玻璃企业。能说大连这个集群的企业更多吗？`answer_7 = True` 或 `False`。",
            '### Exercise 7 · Ranking with a bound (2) (about 3 minutes)\n\nDalian has "超过千家" software firms '
            '(`dalian-software-007`, open above); Baoying "2００多家" glass firms. Can you say Dalian\'s cluster has '
            "more firms? `answer_7 = True` or `False`.",
        ),
        feedback={
            False: (
                "上方开放不妨碍排序：大连最少有多少家？宝应最多有多少家？",
                "an open upper end does not stop a ranking: how few can Dalian have, how many can Baoying have?",
            )
        },
    ),
    "8": Exercise(
        "bool",
        lambda: False,
        ("看这条事实的 kind 列：它说的是哪一种数字？", "look at this fact's kind column: what sort of figure is it?"),
        (
            "### 练习 8 · 目标不是水平值（约 2 分钟）\n\n阜新计划十个销售收入各“10亿元以上”的集群（`fuxin-5510-002`，"
            "kind 为 `target`）。可以把 10 × 10亿元 加到各集群实际销售收入的合计中吗？`answer_8 = True` 或 `False`。",
            "### Exercise 8 · A target is not a level (about 2 minutes)\n\nFuxin aims at ten clusters with sales of "
            '"10亿元以上" each (`fuxin-5510-002`, kind `target`). May you add 10 × 10亿元 to a total of the actual '
            "sales of clusters? `answer_8 = True` or `False`.",
        ),
        feedback={
            True: (
                "target 是计划要达到的数，不是已发生的结果：它与实际值相加得到的是什么？",
                "a target is what a plan aims at, not what happened: what would a sum of it and actual levels mean?",
            )
        },
    ),
}


def _cluster_counts() -> dict[str, int]:
    c = load.clusters(status="existing")
    placed = c[c["province_code"].notna() & c["province_zh"].ne("境外")]
    counts = placed["province_zh"].astype(str).value_counts()
    return {k: int(v) for k, v in counts.items() if v}


def _cluster_counts_top() -> str:
    counts = _cluster_counts()
    return max(counts, key=counts.get)


def _qinbei_sum() -> tuple[float, float]:
    a, b = _interval_of("qinbei-zone-008"), _interval_of("qinbei-zone-009")
    return (a[0] + b[0], a[1] + b[1])


# --- T3 · which figure to cite, what may share a chart, how to grade a finding --------------------------------

#: The pairs of exercise T3·2: may the two figures go on one chart (bars of one ranking)?
PAIRS = {
    "A": ("china-overview-428", "china-overview-437"),  # Xiaolan and Shengzhou output, both 2004, gross output
    "B": ("yongan-three-001", "yongan-three-002"),  # Yong'an's three industries: all firms vs 规模以上
    "C": ("yongan-three-019", "yongan-three-006"),  # Yong'an forestry total output vs textiles industrial output
    "D": ("china-overview-427", "china-overview-437"),  # Xiaolan 1985 vs Shengzhou 2004
    "E": ("china-overview-054", "china-overview-042"),  # Shengzhou and Shaoxing in Table 2
}
#: The findings of exercise T3·3c, by the audit check that records each.
FINDINGS = {"P": "china-overview-c07", "Q": "zhucheng-survey-c15", "R": "shouguang-vegetables-c13",
            "S": "yongan-three-c02"}  # fmt: skip
SEEDLING_CHECK = "shouguang-vegetables-c01"
STATUSES = ("contradiction", "discrepancy", "depends_on_reading", "definition_check", "consistent", "cannot_check")


def _str(x) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)


def _same_period(a, b) -> bool:
    table = _str(a["printed_table"])
    if table and table == _str(b["printed_table"]) and a["article_id"] == b["article_id"]:
        return True  # one printed table: one period, even when its year was overwritten
    if a["article_id"] == b["article_id"] and _str(a["year"]) == _str(b["year"]):
        return True  # one article, one printed year (or none: as of writing)
    reliable = _str(a["year_reliable"]) == "True" and _str(b["year_reliable"]) == "True"
    return reliable and _str(a["year_end"]) == _str(b["year_end"])


def pair_problems(first: str, second: str) -> frozenset[str]:
    """What stops two facts from sharing a chart: ``scope``, ``basis``, ``year`` (empty: they may)."""
    by_id = _by_id()
    a, b = by_id.loc[first], by_id.loc[second]
    problems = set()
    if _str(a["scope"]) != _str(b["scope"]):
        problems.add("scope")
    if _str(a["basis"]) != _str(b["basis"]):
        problems.add("basis")
    if not _same_period(a, b):
        problems.add("year")
    return frozenset(problems) or frozenset({"ok"})


def _shengzhou_cite() -> str:
    f = _facts()
    out = f[f["cluster_id"].eq("shengzhou-ties") & f["metric"].eq("output_value") & f["kind"].eq("actual")]
    dated = out[out["year_reliable"].eq(True)].sort_values("year_end")
    return str(dated["fact_id"].iloc[-1])


def _audit_status(check_id: str) -> str:
    return str(load.audit().set_index("check_id").loc[check_id, "status"])


def _seedling_facts() -> set[str]:
    return set(load.audit().set_index("check_id").loc[SEEDLING_CHECK, "fact_ids"].split(";"))


STATUS_FEEDBACK: dict[str, Text] = {
    "contradiction": (
        "contradiction 表示无论怎么读，两个数不可能同时为真：这里真的没有一种读法能调和吗？",
        "a contradiction means no reading makes both figures true: is there really no reading that reconciles them?",
    ),
    "discrepancy": (
        "discrepancy 是同一个量印了两个不同的值，而四舍五入、约 或不同日期还能调和：这里是同一个量吗？有什么能调和？",
        "a discrepancy is one quantity printed with two values that rounding, 约 or another date could still "
        "reconcile: is this one quantity, and what could reconcile it?",
    ),
    "depends_on_reading": (
        "depends_on_reading 表示一种读法下一致、另一种读法下不一致：能说出这两种读法吗？",
        "depends_on_reading means consistent under one reading and not under another: can you name both readings?",
    ),
    "definition_check": (
        "definition_check 是整理者为了确认一个数字该怎么读而做的核对，不算报告的问题：这里是在确认读法，还是在"
        "发现矛盾？",
        "a definition_check is one the curators made to show how a figure must be read, not a finding about the "
        "reports: is this confirming a reading or finding a conflict?",
    ),
    "consistent": (
        "consistent 表示数字彼此相符；同一个量印出两个不同的值永远不是 consistent",
        "consistent means the figures agree; one quantity printed with two different values is never consistent",
    ),
    "cannot_check": (
        "cannot_check 表示缺少核对所需的东西（如可靠的年份）：这里缺什么吗？",
        "cannot_check means something the check needs is missing (a reliable year, say): is anything missing here?",
    ),
}

T3_TEXTS: dict[str, Text] = {
    "how": HOW,
    "intro": (
        "**问题。** 写简报的人要的不是“算对”，而是“选对”：同一个集群印了几个数字时引用哪一个？两个数字能放在同一张图上"
        "吗？报告自相矛盾时，那是矛盾、出入，还是取决于读法？这些判断没有唯一的数值答案，但有理由；检查会为你的理由"
        "部分给分。\n\n"
        "**数据。** `selection.comparable(metric, basis=..., scope=...)` 为每个集群选一个可比的数字，并说明为什么选它"
        "（`why`）以及还印了什么（`also_printed`）。每条事实都有 `scope`（覆盖的是整个集群、规模以上企业、某个"
        "环节……）、"
        "`basis`（哪一种产值；什么的份额）、`year_end` 与 `year_reliable`、`printed_table`（出自哪张表）。"
        "`load.audit()` 的 `status` 有六个等级：contradiction、discrepancy、depends_on_reading、definition_check、"
        "consistent、cannot_check（定义见 data/README.md）。",
        "**Question.** A brief writer needs not only the right arithmetic but the right choice: which figure to cite "
        "when a cluster has several, whether two figures may share a chart, and whether a report's self-disagreement "
        "is a contradiction, a discrepancy or a matter of reading. These judgements have no single numeric answer, "
        "but they have reasons; the checks give partial credit for yours.\n\n"
        "**Data.** `selection.comparable(metric, basis=..., scope=...)` picks one comparable figure per cluster and "
        "says why (`why`) and what else was printed (`also_printed`). Every fact has a `scope` (the whole cluster, "
        "firms above a size threshold, one segment …), a `basis` (which output; a share of what), `year_end` and "
        "`year_reliable`, and `printed_table` (which table it comes from). `load.audit()` grades each check with one "
        "of six statuses: contradiction, discrepancy, depends_on_reading, definition_check, consistent, cannot_check "
        "(defined in data/README.md).",
    ),
    "shengzhou": (
        "## 练习 1 · 简报里引用嵊州领带的哪个产值？（约 8 分钟）\n\n你在写一份关于嵊州领带的简报，需要一句话说"
        "出它的产值。"
        "下表是数据中嵊州领带的全部实际产值数字：",
        "## Exercise 1 · Which output figure for Shengzhou ties in a brief? (about 8 minutes)\n\nYou are writing a "
        "brief on Shengzhou's neckties and need one sentence on its output. The table holds every actual output "
        "figure the data have for it:",
    ),
    "pairs": (
        "## 练习 2 · 这两个数字能放在同一张图上吗？（约 8 分钟）\n\n每一对是同一指标的两个数字，你想把它们画成"
        "同一张排名图"
        "的两根柱子。下表列出每对的 scope、basis、年份与出处：",
        "## Exercise 2 · Can these two figures share a chart? (about 8 minutes)\n\nEach pair holds two figures of one "
        "metric you would like to draw as two bars of one ranking. The table gives each pair's scope, basis, year "
        "and source:",
    ),
    "seedlings": (
        "## 练习 3 · 在一张表里找出矛盾，并像审核那样定级（约 10 分钟）\n\n寿光一文的同一行（第 75 行）印出了示范园区"
        "培育的种苗，下表是这一行的全部数字。读 `entity_zh` 与 `figure_text`：“其中”后面列出的是前一个数的组成部分。",
        "## Exercise 3 · Find a contradiction in a table and grade it as the audit does (about 10 minutes)\n\nOne "
        "line of the Shouguang article (line 75) prints the seedlings a demonstration park raises; the table holds "
        'every figure of that line. Read `entity_zh` and `figure_text`: what follows 其中 ("of which") lists parts '
        "of the figure before it.",
    ),
    "finding-P": (
        "**P** · 嵊州领带占全国的份额：正文（第 134 行）与表 2（第 172 行）",
        "**P** · Shengzhou ties' national share: the text (line 134) and Table 2 (line 172)",
    ),
    "finding-Q": (
        "**Q** · 诸城食品企业：工作报告的规模以上企业与调研的限额以上企业",
        "**Q** · Zhucheng food firms: the work report's firms above designated size and the survey's above quota",
    ),
    "finding-R": (
        "**R** · 寿光首届菜博会：交易量与交易额（第 82 行），隐含的每公斤价格",
        "**R** · Shouguang's first expo: tonnage and value traded (line 82), and the price per kg they imply",
    ),
    "finding-S": (
        "**S** · 永安三大产业：三个产业的产值之和与三产业合计（第 4–6 行），林竹业用 15.4亿 而非 8.8亿",
        "**S** · Yong'an's three industries: the sum of their outputs against the three-industry total "
        "(lines 4–6), taking forestry at 15.4亿 rather than its industrial 8.8亿",
    ),
    "findings": (
        "下面四个发现都取自审核，但不显示等级。读每一个的数字与出处，判断它的等级：",
        "The four findings below come from the audit, without their grades. Read each one's figures and lines and "
        "grade it:",
    ),
    "open": (
        "## 练习 4 · 讨论题（约 5 分钟写，课堂讨论 10 分钟）\n\n一位写简报的人想要一张“全国产业集群产值排名”，把五本"
        "汇编中所有集群放在一起。根据你今天做的练习，你会怎样回答他？写三到五句话（`answer_4`，字符串）：能做什么、"
        "不能做什么、图上必须标注什么。这道题没有唯一答案，检查只确认你写了。",
        '## Exercise 4 · For discussion (about 5 minutes to write, 10 in class)\n\nA brief writer wants "a national '
        "ranking of cluster output\" with every cluster of the five compilations on it. From today's exercises, what "
        "would you tell them? Write three to five sentences (`answer_4`, a string): what can be done, what cannot, "
        "what the chart must say. There is no single answer; the check only confirms you wrote one.",
    ),
}

T3_EXERCISES: dict[str, Exercise] = {
    "1": Exercise(
        "choice",
        _shengzhou_cite,
        (
            "简报要一个读者能核对、能注明年份的数字：看 year、year_reliable 与 basis",
            "a brief wants a figure the reader can verify and date: look at year, year_reliable and basis",
        ),
        (
            "`answer_1`：你引用的那一条的 `fact_id`。",
            "`answer_1`: the `fact_id` of the figure you cite.",
        ),
        options={
            "china-overview-054": ("表 2", "Table 2"),
            "china-overview-436": ("1985", "1985"),
            "china-overview-437": ("2004", "2004"),
        },  # fmt: skip
        feedback={
            "china-overview-054": (
                "表 2 的数字最大，但它的年份是改写过的（印作 2025，实际约为 2003 年前后），产值口径也没说明；"
                "只有在一张只含"
                "表 2 集群的排名里它才合适",
                "Table 2's figure is the largest, but its year was overwritten (printed 2025, data of about 2003) and "
                "its basis is not stated; it fits only a ranking of Table 2's clusters",
            ),
            "china-overview-436": (
                "1985 年的数字可靠，但它是序列的起点：简报要的是最近的可靠数字",
                "the 1985 figure is reliable but it starts the series: a brief wants the latest reliable figure",
            ),
        },
    ),
    "1b": Exercise(
        "choices",
        lambda: frozenset({"a", "b", "e"}),
        (
            "理由要说明读者为什么能信这个数、怎么注明它，而不是它有多大",
            "a reason says why a reader can trust and date the figure, not how big it is",
        ),
        (
            "`answer_1b`：你的理由，写成下列代码的集合（可多选）：\n\n"
            '- `"a"`：它的年份印出且可靠\n- `"b"`：它的口径写明了（总产值）\n- `"c"`：它是最大的数字\n'
            '- `"d"`：它出自一张表\n- `"e"`：它是最近的可靠数字\n- `"f"`：它的年份印作 2025，是最新的',
            "`answer_1b`: your reasons, as a set of these codes (several may apply):\n\n"
            '- `"a"`: its year is printed and reliable\n- `"b"`: its basis is stated (gross output, 总产值)\n'
            '- `"c"`: it is the largest figure\n- `"d"`: it comes from a table\n'
            '- `"e"`: it is the latest reliable figure\n- `"f"`: its year is printed 2025, the most recent',
        ),
        options={k: (k, k) for k in "abcdef"},
        feedback={
            "c": (
                "“最大”从来不是选数字的理由（selection 也从不按最大值选）",
                "'largest' is never a reason to pick a figure (the selection never picks by size)",
            ),
            "d": (
                "出自表格本身不说明什么：表 2 的年份被改写了",
                "coming from a table proves nothing: Table 2's year was overwritten",
            ),
            "f": (
                "2025 是改写过的年份（year_reliable 为 False），不是数据年份",
                "2025 is an overwritten year (year_reliable False), not the data's year",
            ),
        },  # fmt: skip
        required=frozenset({"a"}),
    ),
    "1c": Exercise(
        "choice",
        lambda: "y",
        (
            "简报的读者可能在别处看到另一个数字：你想让他们怎么理解两者的差别？",
            "the brief's reader may meet the other figure elsewhere: how should they understand the difference?",
        ),
        (
            '`answer_1c`：表 2 的 100亿元 在简报里怎么处理？\n\n- `"x"`：不提\n'
            '- `"y"`：脚注：“也印有：表 2，100亿元，年份不详”，并注明审核发现 `china-overview-c17`\n'
            '- `"z"`：取两个数的平均值',
            '`answer_1c`: what does the brief do with Table 2\'s 100亿元?\n\n- `"x"`: leave it out\n'
            '- `"y"`: a footnote, "also printed: Table 2, 100亿元, year unknown", naming the audit finding '
            '`china-overview-c17`\n- `"z"`: cite the mean of the two',
        ),
        options={"x": ("不提", "leave out"), "y": ("脚注", "footnote"), "z": ("平均", "mean")},
        feedback={
            "x": (
                "悄悄略去会让读者在别处看到 100亿 时以为简报错了；selection 的 also_printed 正是为此而设",
                "leaving it out silently makes a reader who meets 100亿 elsewhere think the brief is wrong; "
                "also_printed exists for this",
            ),
            "z": (
                "两个数的年份和口径不同：平均值不是任何一年、任何口径的产值",
                "the two differ in year and basis: their mean is the output of no year and no definition",
            ),
        },
    ),
    "2": Exercise(
        "grades",
        lambda: {k: pair_problems(*v) for k, v in PAIRS.items()},
        (
            "逐列比较每对的 scope、basis 与年份（同一张表算同一时期）",
            "compare each pair's scope, basis and year column by column (one printed table is one period)",
        ),
        (
            '`answer_2`：一个 dict，每对（`"A"` 到 `"E"`）给出 `"ok"`（可以放在一起），或妨碍它们放在一起的原因的'
            '集合：`"scope"`（覆盖范围不同）、`"basis"`（口径不同）、`"year"`（时期不同，或无法说明相同——'
            "相同是指：两个可靠且相等的年份，或出自同一张表，或出自同一篇文章且印出的年份相同）。格式如 "
            '`{"X": "ok", "Y": {"scope", "year"}}`。',
            '`answer_2`: a dict giving each pair (`"A"` to `"E"`) either `"ok"` (they may share the chart) or '
            'the set of what stops them: `"scope"` (they cover different populations), `"basis"` (different '
            'definitions), `"year"` (different periods, or periods not shown to be the same — the same means two '
            "reliable equal years, one printed table, or one article with the same printed year). The format: "
            '`{"X": "ok", "Y": {"scope", "year"}}`.',
        ),
        options={
            "ok": ("可以", "ok"),
            "scope": ("范围", "scope"),
            "basis": ("口径", "basis"),
            "year": ("年份", "year"),
        },
        feedback={
            "ok": ("这一对有一列不同：再逐列看看", "one column differs in this pair: look again, column by column"),
            "scope": ("这一对的 scope 相同", "this pair's scope is the same"),
            "basis": ("这一对的 basis 相同", "this pair's basis is the same"),
            "year": (
                "这一对的时期可比（年份可靠且相同，或出自同一张表）",
                "this pair's periods compare (reliable and equal years, or one printed table)",
            ),
            "missing": ("还有一个原因", "there is one more reason"),
        },
    ),
    "3": Exercise(
        "set",
        _seedling_facts,
        (
            "先找出“总数”，再把“其中”列出的部分加起来和它比较",
            "find the total first, then add up the parts listed under 其中 and compare",
        ),
        (
            "`answer_3`：不可能同时为真的那几个数字的 `fact_id` 集合（总数和与它冲突的全部部分）。",
            "`answer_3`: the set of `fact_id`s that cannot all be true together (the total and every part it "
            "conflicts with).",
        ),
        extra_keys={
            "shouguang-vegetables-071": (
                "马铃薯按“粒”计，与“株”不是同一单位，不能相加",
                "the potatoes are counted in 粒 (tubers), not 株 (plants): they do not add up with the rest",
            ),
            "shouguang-vegetables-072": (
                "花卉种苗不是蔬菜种苗：它不在“其中”之内",
                "flower seedlings are not vegetable seedlings: not under 其中",
            ),
            "shouguang-vegetables-073": (
                "林木种苗不是蔬菜种苗：它不在“其中”之内",
                "tree seedlings are not vegetable seedlings: not under 其中",
            ),
        },
    ),
    "3b": Exercise(
        "choice",
        lambda: _audit_status(SEEDLING_CHECK),
        (
            "有没有一种读法（四舍五入、约、不同日期、不同定义）能让这些数同时为真？",
            "is there any reading (rounding, 约, another date, another definition) that makes them all true?",
        ),
        ("`answer_3b`：它的等级（六个 status 之一）。", "`answer_3b`: its grade (one of the six statuses)."),
        options={s: (s, s) for s in STATUSES},
        feedback=STATUS_FEEDBACK,
    ),
    "3c": Exercise(
        "grades",
        lambda: {k: _audit_status(c) for k, c in FINDINGS.items()},
        (
            "对每个发现问：是同一个量吗？有什么能调和它们？是在确认读法吗？",
            "for each finding ask: is it one quantity, what could reconcile the figures, is it confirming a reading?",
        ),
        (
            '`answer_3c`：一个 dict，`"P"` 到 `"S"` 各给一个 status。',
            '`answer_3c`: a dict giving each of `"P"` to `"S"` one status.',
        ),
        options={s: (s, s) for s in STATUSES},
        feedback=STATUS_FEEDBACK,
    ),
    "4": Exercise(
        "text",
        lambda: None,
        ("写几句你自己的话", "a few sentences in your own words"),
        after=(
            "讨论时想一想：一张图只放一个 scope 与一个 basis；年份混杂时按时期分组；带限定词的数字画成区间；"
            "每张图写出处——selection.mix 会告诉你一个选择混了什么",
            "for the discussion: one scope and one basis per chart; group mixed years by period; draw qualified "
            "figures as intervals; give the source on every chart — selection.mix tells you what a selection mixes",
        ),
    ),
}

#: lesson id → (texts, exercises)
LESSONS: dict[str, tuple[dict[str, Text], dict[str, Exercise]]] = {
    "T1": (T1_TEXTS, T1_EXERCISES),
    "T2": (T2_TEXTS, T2_EXERCISES),
    "T3": (T3_TEXTS, T3_EXERCISES),
}
