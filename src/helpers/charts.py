"""Bilingual charts of the clean facts table, with qualifier marks and a source line on every chart.

Every helper takes ``lang="zh"`` or ``lang="en"``, reads names from paired columns (``name_zh``/``name_en``,
``province_zh``/``province_en``, …), plots values in standard units (``value_std`` in ``unit_std``: yuan, USD,
ratio 0–1, …) and shows them in a display ``unit`` (see :data:`helpers.style.UNITS`). It returns
``(fig, ax)`` and ends with :func:`add_source`.

How printed qualifiers look:

* lower bound (``more_than`` ">", ``at_least`` "≥"): prefix on the value label; bars hatched "///",
  points drawn as ▶ (the true value lies to the right).
* upper bound (``less_than`` "<"): prefix; bars hatched "\\\\\\", points ◀.
* approximation (``approx``): "~" prefix; bars dotted hatch.
* range: label "a–b" and an error bar from the low to the high end.
* target, plan, capacity (``kind``): hollow bars and hollow markers, kind named in the label.
* estimate (``kind``): "est." / "估" in the label.
* unreliable year (``year_reliable`` false): "?" after the year.

The footer notes name only the marks that the chart actually uses.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers import load
from helpers.export import new_figure
from helpers.parse import year_bounds
from helpers.selection import mix
from helpers.style import (
    GREY,
    PALETTE,
    SIZES,
    Unit,
    axis_title,
    check_lang,
    format_axis_cny,
    format_number,
    get_unit,
    label,
    use_house_style,
)

SOURCE_TEXT = {
    "zh": "资料来源：有关产业集群的中文报告，经 China industrial clusters notebooks（中国产业集群笔记）整理。",
    "en": "Source: Chinese reports on industrial clusters, curated by China industrial clusters notebooks.",
}
NOTES_PREFIX = {"zh": "注：", "en": "Notes: "}
#: Short labels of facts.scope for charts (zh, en): every restriction of scope is named on the chart.
SCOPE_LABELS = {
    "cluster": ("全集群", "whole cluster"),
    "above_designated_size": ("规模以上企业", "firms above designated size"),
    "above_quota": ("限额以上企业", "firms above quota"),
    "size_band": ("某一规模档", "one size band"),
    "leading_firms": ("龙头企业", "leading firms"),
    "firm": ("单个企业", "one firm"),
    "segment": ("集群的一部分", "one segment of the cluster"),
    "park": ("园区", "a park"),
    "cluster_group": ("多个集群合计", "several clusters together"),
    "industry_region": ("地区行业", "an industry in a region"),
    "industry_national": ("全国行业", "an industry nationwide"),
    "region_county": ("县域经济", "a county's economy"),
    "region_prefecture": ("地市经济", "a city's economy"),
    "region_province": ("省域经济", "a province's economy"),
    "region_macro": ("大区域经济", "a macro-region's economy"),
    "region_national": ("全国经济", "the national economy"),
    "world": ("全世界", "the world"),
    "other": ("其他", "other"),
}
#: Short labels of facts.basis (zh, en).
BASIS_LABELS = {
    "gross_industrial_output": ("工业总产值", "gross industrial output"),
    "total_output": ("总产值（含非工业）", "total output incl. non-industrial"),
    "agricultural_output": ("农业产值", "agricultural output"),
    "output_unspecified": ("产值（未说明口径）", "output value (kind not stated)"),
    "output": ("产量或产值份额", "share of output"),
    "sales": ("销售或市场份额", "share of sales or market"),
    "volume": ("数量份额", "share of volume"),
    "exports": ("出口份额", "share of exports"),
    "firms": ("企业数份额", "share of firms"),
    "employees": ("就业份额", "share of employment"),
    "other": ("其他份额", "share of another quantity"),
    "unspecified": ("未说明何种份额", "share of what not stated"),
}
NOTE_SEP = {"zh": "；", "en": "; "}

#: Footer notes by key: (Chinese, English).
NOTES: dict[str, tuple[str, str]] = {
    "lower_bound": ("≥、>：下限，实际值不低于此数", "≥, >: lower bound, the true value is at least this"),
    "upper_bound": ("<：上限", "<: upper bound"),
    "approx": ("~：约数", "~: approximate"),
    "range": ("a–b：原文为区间", "a–b: range as printed"),
    "target": ("空心：目标、规划或产能，并非实际值", "hollow: target, plan or capacity, not an outcome"),
    "estimate": ("估：估计值", "est.: estimate"),
    "year_unverified": ("?：年份照录原文，未经核实", "?: year as printed, unverified"),
    "years_differ": ("括号内为数据年份，各值年份不同", "year of each figure in brackets; years differ"),
    "period": ("横线：整个时期的数值", "horizontal line: figure for a whole period"),
}
#: Extra words on how a mark is drawn, per chart type (appended to the note).
_MARK_HINTS = {
    "bar": {
        "lower_bound": ("，条形加斜线", ", hatched bar"),
        "upper_bound": ("，条形加反斜线", ", back-hatched bar"),
        "approx": ("，条形加点", ", dotted bar"),
        "range": ("，误差线示两端", ", whisker shows its ends"),
    },
    "point": {
        "lower_bound": ("，记为▶", ", drawn as ▶"),
        "upper_bound": ("，记为◀", ", drawn as ◀"),
        "range": ("，误差线示两端", ", whisker shows its ends"),
    },
}

PREFIX = {"exact": "", "approx": "~", "more_than": ">", "at_least": "≥", "less_than": "<", "range": ""}
KIND_TEXT = {
    "actual": ("", ""),
    "target": ("目标", "target"),
    "plan": ("规划", "plan"),
    "capacity": ("产能", "capacity"),
    "estimate": ("估", "est."),
}
HOLLOW_KINDS = {"target", "plan", "capacity"}
HATCH = {"lower": "////", "upper": "\\\\\\\\", "approx": "...."}
NAME_PAIRS = (("name_zh", "name_en"), ("province_zh", "province_en"), ("entity_zh", "entity_en"))

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
_TOKEN = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|\s+")


# --- source line ---------------------------------------------------------------------------------------


def note_text(key: str, lang: str = "zh", chart: str | None = None) -> str:
    if key.startswith(("scope:", "basis:")):
        return _scope_note(key, lang)
    return _note_text(key, lang, chart)


def _note_text(key: str, lang: str = "zh", chart: str | None = None) -> str:
    """Footer text of a note key from :data:`NOTES` (any other string is returned unchanged).

    ``chart`` ("bar" or "point") adds how the mark is drawn in that chart type.
    """
    if key not in NOTES:
        return key
    text = label(*NOTES[key], lang)
    hint = _MARK_HINTS.get(chart or "", {}).get(key)
    return text + (label(*hint, lang) if hint else "")


def _text_width_pt(text: str, size: float) -> float:
    """Width of ``text`` in points at ``size`` points in the house font (measured, not estimated)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    if not text:
        return 0.0
    width, _h, _d = _TEXT_TO_PATH.setdefault("t", TextToPath()).get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return float(width)


_TEXT_TO_PATH: dict[str, object] = {}


def wrap_text(text: str, width_pt: float, size: float) -> list[str]:
    """Greedy line wrap of mixed Chinese / Latin text to ``width_pt`` points at font ``size`` points.

    Each token (one Chinese character, a Latin word, a run of spaces) is measured once and line widths are
    summed from them, so long footers wrap in linear time (kerning between tokens is ignored: callers keep a
    small margin).
    """
    import matplotlib as mpl

    fonts = (str(mpl.rcParams["font.family"]), tuple(mpl.rcParams["font.sans-serif"]))  # widths depend on it
    lines: list[str] = []
    current, current_pt = "", 0.0
    for token in _TOKEN.findall(text):
        token_pt = _token_width_pt(token, size, fonts)
        if current and current_pt + token_pt > width_pt:
            lines.append(current.rstrip())
            current = token.lstrip()
            current_pt = _token_width_pt(current, size, fonts) if current != token else token_pt
        else:
            current += token
            current_pt += token_pt
    if current.strip():
        lines.append(current.rstrip())
    return lines


@functools.lru_cache(maxsize=8192)
def _token_width_pt(token: str, size: float, fonts: tuple) -> float:
    return _text_width_pt(token, size)


def add_source(fig, notes: Iterable[str] = (), lang: str = "zh", credits: Iterable[str] = (), chart=None):
    """Write the footer at the figure's foot: the source reports, ``credits`` (e.g. map data), then notes.

    ``notes``: keys of :data:`NOTES` ("lower_bound", "approx", "upper_bound", "range", "target", "estimate",
    "year_unverified", "years_differ", "period") or free text, in ``lang``. Repeated notes are dropped.
    Calling again replaces the footer. Space for it (font size 6.5 pt) is reserved at the bottom of the
    figure, so the figure size stays as created. Returns the matplotlib Text.
    """
    check_lang(lang)
    use_house_style()
    size = SIZES["source"]
    seen: list[str] = []
    for note in notes:
        text = note_text(note, lang, chart)
        if text and text not in seen:
            seen.append(text)
    parts = [SOURCE_TEXT[lang], *[c for c in credits if c]]
    if seen:
        parts.append(NOTES_PREFIX[lang] + NOTE_SEP[lang].join(seen) + ("。" if lang == "zh" else "."))
    width_in, height_in = fig.get_size_inches()
    pad_pt = 4.0
    avail = (width_in * 72 - 2 * pad_pt) * 0.95  # margin: hinting makes text a little wider at some dpi
    lines = [line for part in parts for line in wrap_text(part, avail, size)]
    old = getattr(fig, "_house_source", None)
    if old is not None:
        old.remove()
    x = pad_pt / (width_in * 72)
    y = pad_pt / (height_in * 72)
    artist = fig.text(x, y, "\n".join(lines), ha="left", va="bottom", fontsize=size, color=GREY["dark"])
    artist.set_linespacing(1.25)
    fig._house_source = artist
    fig._house_source_lines = lines
    footer_frac = (len(lines) * size * 1.25 + 2 * pad_pt) / (height_in * 72)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and "rect" in engine.get():
        engine.set(rect=(0, footer_frac, 1, 1 - footer_frac))
    else:
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, footer_frac + 0.08))
    return artist


# --- qualifiers ----------------------------------------------------------------------------------------


def _false(value) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"false", "0", "no", "f"}
    return not bool(value)


def _col(df: pd.DataFrame, name: str, default=None) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object)


def qualifier_marks(df: pd.DataFrame, value_col: str = "value_std") -> pd.DataFrame:
    """Per row: how its qualifier, kind and year are shown (prefix, flags, low/high ends in std units).

    Reads the optional columns ``qualifier``, ``kind``, ``year``, ``year_reliable``, ``value_low_std``,
    ``value_high_std``; a missing column means exact, actual, no year. Returns columns ``prefix``, ``lower``,
    ``upper``, ``approx``, ``range``, ``hollow``, ``kind``, ``year``, ``year_unverified``, ``low``, ``high``.
    """
    q = _col(df, "qualifier", "exact").fillna("exact").astype(str).str.strip()
    kind = _col(df, "kind", "actual").fillna("actual").astype(str).str.strip()
    year = _col(df, "year", None).map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())
    unverified = _col(df, "year_reliable", None).map(_false) & (year != "")
    low = pd.to_numeric(_col(df, "value_low_std", np.nan), errors="coerce")
    high = pd.to_numeric(_col(df, "value_high_std", np.nan), errors="coerce")
    out = pd.DataFrame(
        {
            "prefix": q.map(PREFIX).fillna(""),
            "lower": q.isin(["more_than", "at_least"]),
            "upper": q.eq("less_than"),
            "approx": q.eq("approx"),
            "range": q.eq("range") & low.notna() & high.notna(),
            "hollow": kind.isin(HOLLOW_KINDS),
            "kind": kind,
            "year": year,
            "year_unverified": unverified.astype(bool),
            "low": low,
            "high": high,
        },
        index=df.index,
    )
    return out


def notes_for(marks: pd.DataFrame, show_year: bool = False) -> list[str]:
    """Note keys for the marks present in ``marks`` (from :func:`qualifier_marks`)."""
    keys = []
    for key, flag in (
        ("lower_bound", marks["lower"].any()),
        ("upper_bound", marks["upper"].any()),
        ("approx", marks["approx"].any()),
        ("range", marks["range"].any()),
        ("target", marks["hollow"].any()),
        ("estimate", marks["kind"].eq("estimate").any()),
        ("year_unverified", marks["year_unverified"].any()),
        ("years_differ", show_year and marks["year"].replace("", np.nan).dropna().nunique() > 1),
    ):
        if flag:
            keys.append(key)
    return keys


def value_label(value: float, mark: pd.Series, unit: Unit, lang: str, show_year: bool = True) -> str:
    """Value label in display units with its qualifier: "≥1,200", "~35.5", "800–1,000（目标，2010?）"."""
    if mark["range"]:
        number = f"{_fmt(mark['low'] / unit.factor)}–{_fmt(mark['high'] / unit.factor)}"
    else:
        number = _fmt(value / unit.factor)
    extras = []
    kind_text = label(*KIND_TEXT.get(mark["kind"], ("", "")), lang) if mark["kind"] != "actual" else ""
    if kind_text:
        extras.append(kind_text)
    if show_year and mark["year"]:
        extras.append(mark["year"] + ("?" if mark["year_unverified"] else ""))
    text = mark["prefix"] + number
    if extras:
        text += f"（{'，'.join(extras)}）" if lang == "zh" else f" ({', '.join(extras)})"
    return text


def _fmt(v: float) -> str:
    if v is None or not np.isfinite(v):
        return "?"
    size = abs(v)
    decimals = 0 if size >= 100 else 1 if size >= 1 else 2
    text = format_number(v, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- shared pieces --------------------------------------------------------------------------------------


def _text(value, lang: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return label(value[0], value[1] if len(value) > 1 else None, lang)
    return str(value)


def _name_columns(df: pd.DataFrame, name_cols: Sequence[str] | None) -> tuple[str, str | None]:
    if name_cols is not None:
        zh = name_cols[0]
        en = name_cols[1] if len(name_cols) > 1 else None
        if zh not in df.columns:
            raise KeyError(f"name column {zh!r} not in data")
        return zh, en if en in df.columns else None
    for zh, en in NAME_PAIRS:
        if zh in df.columns:
            return zh, en if en in df.columns else None
    raise KeyError(f"no name columns: pass name_cols=(zh_col, en_col); tried {NAME_PAIRS}")


def names(df: pd.DataFrame, lang: str = "zh", name_cols: Sequence[str] | None = None) -> pd.Series:
    """Display name per row in ``lang`` from a (zh, en) pair of columns; falls back to the other language."""
    zh, en = _name_columns(df, name_cols)
    en_values = df[en] if en else pd.Series([None] * len(df), index=df.index)
    return pd.Series([label(a, b, lang) for a, b in zip(df[zh], en_values, strict=True)], index=df.index)


def _check_unit(df: pd.DataFrame, unit: Unit) -> None:
    if "unit_std" in df.columns:
        found = set(df["unit_std"].dropna().astype(str)) - {""}
        if found and found != {unit.std}:
            raise ValueError(f"data are in {sorted(found)} but the display unit expects {unit.std!r}")


@functools.cache
def _metric_names() -> dict[str, tuple[str, str]]:
    """Short Chinese and English name per metric, from the clean metrics table (:func:`helpers.load.metrics`)."""
    try:
        table = load.metrics()
    except FileNotFoundError:  # data/clean not built yet: charts still draw, with the generic label
        return {}
    out = {}
    for metric, zh, en in zip(table["metric"], table["description_zh"], table["description_en"], strict=True):
        zh = "" if pd.isna(zh) else str(zh).split("/")[0].strip()
        en = "" if pd.isna(en) else re.split(r"\s*[(,]", str(en))[0].strip()
        out[str(metric)] = (zh, en)
    return out


def metric_label(df: pd.DataFrame, lang: str) -> str:
    """Name of the single metric in ``df`` (from the clean metrics table), else "数值"/"Value"."""
    if "metric" in df.columns:
        metrics = df["metric"].dropna().unique()
        if len(metrics) == 1 and metrics[0] in _metric_names():
            return label(*_metric_names()[metrics[0]], lang)
    return label("数值", "Value", lang)


def _single_metric(df: pd.DataFrame) -> None:
    if "metric" in df.columns and df["metric"].dropna().nunique() > 1:
        raise ValueError(f"one chart compares one metric; got {sorted(df['metric'].dropna().unique())}")


def like_with_like(df: pd.DataFrame, mixed: bool = False) -> list[str]:
    """Check that ranked rows compare like with like; return the footer notes that say what they are.

    One scope (whole cluster, firms above size …), one basis (which output; a share of what) and no targets among
    actual figures — or ``mixed=True``, when each bar names its scope or basis. Raises ValueError otherwise,
    saying what is mixed. A restricted scope or a basis is named in the notes ("firms above quota").
    """
    what = mix(df)
    scopes, bases, kinds = list(what.scopes), list(what.bases), set(what.kinds)
    problems = []
    if len(scopes) > 1:
        problems.append(f"scopes {scopes}")
    if len(bases) > 1:
        problems.append(f"bases {bases}")
    if "actual" in kinds and kinds - {"actual"}:
        problems.append(f"actual figures with {sorted(kinds - {'actual'})}")
    if problems and not mixed:
        raise ValueError(
            "a ranking compares like with like; these rows mix "
            + " and ".join(problems)
            + ": split them into one chart per scope/basis (helpers.selection.comparable(metric, basis=…)), or pass "
            "mixed=True to name each bar's scope and basis"
        )
    if mixed:
        return []
    notes = [f"scope:{scopes[0]}"] if scopes and scopes[0] != "cluster" else []
    return notes + [f"basis:{b}" for b in bases]


def _value_title(data: pd.DataFrame, lang: str, mixed: bool) -> str:
    """What the value axis measures: the basis when the rows hold one (gross industrial output …), else the
    metric's name."""
    bases = mix(data).bases
    if len(bases) == 1 and not mixed:
        return BASIS_LABELS[bases[0]][0 if lang == "zh" else 1].capitalize()
    return metric_label(data, lang)


def _scope_note(key: str, lang: str) -> str:
    """Text of a ``scope:…``/``basis:…`` note key."""
    kind, value = key.split(":", 1)
    zh, en = (SCOPE_LABELS if kind == "scope" else BASIS_LABELS).get(value, (value, value))
    if kind == "scope":
        return f"范围：{zh}" if lang == "zh" else f"scope: {en}"
    return f"口径：{zh}" if lang == "zh" else f"basis: {en}"


def articles_note(df: pd.DataFrame, lang: str = "zh") -> str:
    """The articles (and printed tables) the rows come from, for the footer: ``China overview, Table 2``."""
    if "article_id" not in df.columns or df.empty:
        return ""
    short = load.articles().set_index("article_id")["short_zh" if lang == "zh" else "short_en"]
    parts = []
    for (article, table), _ in df.groupby([df["article_id"].astype(str), _col(df, "printed_table", "").fillna("")
                                          .astype(str)], sort=True):  # fmt: skip
        where = table.replace("table-", "表" if lang == "zh" else "Table ") if table else ""
        parts.append(str(short.get(article, article)) + (f"（{where}）" if where and lang == "zh" else f", {where}"
                                                          if where else ""))  # fmt: skip
    if len(parts) > 3:
        parts = [f"{len(parts)} 篇文章" if lang == "zh" else f"{len(parts)} articles"]
    return ("文章：" if lang == "zh" else "Articles: ") + ("；".join(parts) if lang == "zh" else "; ".join(parts))


#: Columns of the chart data written beside each saved chart (those present).
DATA_COLUMNS = ["fact_id", "cluster_id", "short_zh", "short_en", "entity_zh", "entity_en", "metric", "value",
                "unit", "figure_text", "value_std", "unit_std", "value_low_std", "value_high_std", "qualifier",
                "kind", "scope", "basis", "share_of_where", "year", "year_reliable", "article_id", "printed_table",
                "source_file", "source_line", "why", "also_printed"]  # fmt: skip


def attach_data(fig, df: pd.DataFrame) -> None:
    """Keep the rows a chart draws on the figure, so :func:`helpers.export.save_figure` writes them beside it."""
    cols = [c for c in DATA_COLUMNS if c in df.columns] or list(df.columns)
    fig._house_data = df[cols].copy()


def _fit_labels_right(fig, ax, texts, left: float) -> None:
    """Widen the x range so that value labels (anchored at data x) stay inside the axes."""
    if not texts:
        return
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)  # the axes' size after layout (text sizes need no drawing)
    renderer = fig.canvas.get_renderer()
    axes_px = ax.get_window_extent(renderer).width
    need = ax.get_xlim()[1]
    for text, x in texts:
        share = min((text.get_window_extent(renderer).width + 4) / axes_px, 0.85)
        need = max(need, left + (x - left) / (1 - share))
    ax.set_xlim(left, need * 1.01 if need > 0 else need)


# --- charts ---------------------------------------------------------------------------------------------


def bar_ranked(
    df: pd.DataFrame,
    value_col: str = "value_std",
    name_cols: Sequence[str] | None = None,
    lang: str = "zh",
    unit: str | Unit = "亿元",
    *,
    title=None,
    xlabel=None,
    top: int | None = None,
    show_year: bool = True,
    color: str | None = None,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
    mixed: bool = False,
):
    """Horizontal bars ranked from the largest (top), with value labels and qualifier marks.

    ``df``: one row per bar, values in standard units in ``value_col`` (e.g. yuan); ``unit``: display unit
    ("亿元" = yuan / 1e8, "万元", "CNY bn", "%" for ratios, …; must match ``unit_std`` when present);
    ``name_cols``: (zh, en) name columns, default the first of name_*/province_*/entity_* present.
    ``title``/``xlabel``: str or (zh, en); default x label is the metric's name and the unit. ``top``:
    keep the n largest. ``show_year`` adds each figure's year to its label. Raises ValueError when the rows
    mix metrics or units, or scopes, bases or kinds (see :func:`like_with_like`; ``mixed=True`` names each bar's
    scope instead). The footer names the articles; the rows drawn are kept for the chart's CSV.
    Returns ``(fig, ax)``.
    """
    check_lang(lang)
    use_house_style()
    u = get_unit(unit)
    _check_unit(df, u)
    _single_metric(df)
    like_notes = like_with_like(df, mixed)
    data = df[pd.to_numeric(df[value_col], errors="coerce").notna()].copy()
    if data.empty:
        raise ValueError(f"no values in column {value_col!r}")
    data[value_col] = pd.to_numeric(data[value_col])
    data["_name"] = names(data, lang, name_cols)
    if mixed and "scope" in data.columns:
        tag = data["scope"].astype(str).map(lambda s: SCOPE_LABELS.get(s, (s, s))[0 if lang == "zh" else 1])
        data["_name"] = data["_name"] + np.where(data["scope"].astype(str).eq("cluster"), "", " [" + tag + "]")
    data = data.sort_values(value_col, ascending=False, kind="stable")
    if top is not None:
        data = data.head(top)
    marks = qualifier_marks(data, value_col)
    n = len(data)
    if ax is None:
        fig, ax = new_figure(width, height_cm=min(22.0, 2.4 + 0.55 * n))
    else:
        fig = ax.figure
    base = color or PALETTE[0]
    ys = np.arange(n)[::-1]
    texts = []
    lows = [0.0]
    for y, (_idx, row), (_, mark) in zip(ys, data.iterrows(), marks.iterrows(), strict=True):
        value = row[value_col]
        hatch = HATCH["lower"] if mark["lower"] else HATCH["upper"] if mark["upper"] else None
        hatch = hatch or (HATCH["approx"] if mark["approx"] else None)
        if mark["hollow"]:
            style = {"facecolor": "white", "edgecolor": base, "linewidth": 1.0, "hatchcolor": base}
        else:
            style = {"facecolor": base, "edgecolor": base, "linewidth": 0.0, "hatchcolor": "white"}
        ax.barh(y, value, height=0.66, hatch=hatch, **style)
        end = value
        if mark["range"]:
            ax.errorbar(
                value,
                y,
                xerr=[[max(value - mark["low"], 0)], [max(mark["high"] - value, 0)]],
                fmt="none",
                ecolor=GREY["text"],
                elinewidth=0.8,
                capsize=2.5,
            )
            end = max(value, mark["high"])
        lows.append(min(value, mark["low"]) if mark["range"] else value)
        text = ax.annotate(
            value_label(value, mark, u, lang, show_year),
            (max(end, 0), y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=SIZES["value"],
            color=GREY["text"],
        )
        texts.append((text, max(end, 0)))
    ax.set_yticks(ys, list(data["_name"]))
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, n - 0.4)
    format_axis_cny(ax, u, lang, axis="x")
    what = _value_title(data, lang, mixed)
    ax.set_xlabel(_text(xlabel, lang) or axis_title(what, what, u, lang))
    ax.grid(axis="x")
    ax.spines["left"].set_visible(False)
    if title is not None:
        ax.set_title(_text(title, lang))
    left = min(0.0, float(np.nanmin(lows)) * 1.05)
    ax.set_xlim(left, None)
    # The "?" after an unverified year is part of the year label: without years on the chart, no such note.
    keys = [k for k in notes_for(marks, show_year) if show_year or k != "year_unverified"]
    add_source(fig, [*like_notes, *keys, *notes], lang, chart="bar", credits=[articles_note(data, lang)])
    attach_data(fig, data)
    _fit_labels_right(fig, ax, texts, left)
    return fig, ax


def _point_marker(mark: pd.Series, default: str) -> str:
    return ">" if mark["lower"] else "<" if mark["upper"] else default


def compare_points(
    df: pd.DataFrame,
    x_col: str = "stated",
    y_col: str = "recomputed",
    name_cols: Sequence[str] | None = None,
    lang: str = "zh",
    unit: str | Unit = "%",
    *,
    series_labels=(("报告值", "Stated"), ("重算值", "Recomputed")),
    title=None,
    xlabel=None,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
):
    """Dot plot comparing two values per row, e.g. stated vs recomputed growth, joined by a grey line.

    ``x_col`` holds the first value (e.g. the printed figure; its row's qualifier/kind/year marks apply to
    it) and ``y_col`` the second, both in standard units (ratio 0–1 for growth with ``unit="%"``; yuan for
    "亿元"). Rows are sorted by the first value. ``series_labels``: (zh, en) pairs for the legend.
    Returns ``(fig, ax)``.
    """
    check_lang(lang)
    use_house_style()
    u = get_unit(unit)
    _check_unit(df, u)
    data = df.copy()
    for col in (x_col, y_col):
        data[col] = pd.to_numeric(data[col], errors="coerce")
    data = data[data[x_col].notna() | data[y_col].notna()]
    if data.empty:
        raise ValueError("no values to compare")
    data["_name"] = names(data, lang, name_cols)
    data = data.sort_values(x_col, ascending=False, kind="stable", na_position="last")
    marks = qualifier_marks(data, x_col)
    n = len(data)
    if ax is None:
        fig, ax = new_figure(width, height_cm=min(22.0, 3.2 + 0.5 * n))
    else:
        fig = ax.figure
    ys = np.arange(n)[::-1]
    c1, c2 = PALETTE[0], PALETTE[1]
    for y, (_idx, row), (_, mark) in zip(ys, data.iterrows(), marks.iterrows(), strict=True):
        a, b = row[x_col], row[y_col]
        if pd.notna(a) and pd.notna(b):
            ax.plot([a, b], [y, y], color=GREY["mid"], linewidth=1.2, zorder=1)
        if pd.notna(a):
            if mark["range"]:
                ax.errorbar(
                    a,
                    y,
                    xerr=[[max(a - mark["low"], 0)], [max(mark["high"] - a, 0)]],
                    fmt="none",
                    ecolor=c1,
                    elinewidth=0.8,
                    capsize=2.5,
                    zorder=2,
                )
            ax.plot(
                a,
                y,
                marker=_point_marker(mark, "o"),
                markersize=6,
                color=c1,
                markerfacecolor="white" if mark["hollow"] else c1,
                markeredgewidth=1.2,
                linestyle="none",
                zorder=3,
            )
            tag = mark["prefix"] if mark["approx"] else ""
            kind_text = label(*KIND_TEXT.get(mark["kind"], ("", "")), lang)
            tag = " ".join(t for t in (tag, kind_text, mark["year"] + "?" if mark["year_unverified"] else "") if t)
            if tag:
                ax.annotate(
                    tag,
                    (a, y),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=SIZES["value"] - 0.5,
                    color=GREY["text"],
                )
        if pd.notna(b):
            ax.plot(b, y, marker="D", markersize=5, color=c2, linestyle="none", zorder=3)
    values = pd.concat([data[x_col], data[y_col]]).dropna()
    if values.min() < 0 < values.max():
        ax.axvline(0, color=GREY["dark"], linewidth=0.6, zorder=0)
    ax.set_yticks(ys, list(data["_name"]))
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x")
    ax.spines["left"].set_visible(False)
    format_axis_cny(ax, u, lang, axis="x")
    ax.set_xlabel(_text(xlabel, lang) or axis_title(metric_label(data, lang), metric_label(data, lang), u, lang))
    handles = [
        ax.plot([], [], marker="o", color=c1, linestyle="none", label=_text(series_labels[0], lang))[0],
        ax.plot([], [], marker="D", color=c2, linestyle="none", label=_text(series_labels[1], lang))[0],
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, borderaxespad=0.2)
    if title is not None:
        ax.set_title(_text(title, lang), pad=18)
    add_source(fig, [*notes_for(marks), *notes], lang, chart="point")
    attach_data(fig, data)
    return fig, ax


def _group_names(df: pd.DataFrame, group_cols: Sequence[str] | str | None, lang: str) -> pd.Series | None:
    if group_cols is None:
        return None
    cols = (group_cols,) if isinstance(group_cols, str) else tuple(group_cols)
    return names(df, lang, cols)


def _log_limits(values: Iterable[float]) -> tuple[float, float]:
    finite = [v for v in values if v is not None and np.isfinite(v) and v > 0]
    if not finite:
        raise ValueError("a log axis needs positive values")
    return min(finite) / 1.6, max(finite) * 1.6


def dot_chart(
    df: pd.DataFrame,
    value_col: str = "value_std",
    name_cols: Sequence[str] | None = None,
    lang: str = "zh",
    unit: str | Unit = "亿元",
    *,
    group_cols: Sequence[str] | str | None = None,
    sort: bool = True,
    log: bool = False,
    label_col: str | None = None,
    show_year: bool = False,
    title=None,
    xlabel=None,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
    mixed: bool = False,
):
    """One dot per row on a common axis: a ranking, or bands in a given order (``sort=False``).

    Position, not bar length, carries the value, so a log axis (``log=True``) does not lie: use it for size bands
    and counts spanning orders of magnitude. ``group_cols``: a column (or a (zh, en) pair) naming each row's group,
    e.g. the period of the figure ("Table 2, c. 2003", "2004", "no year printed"); groups keep their first-seen
    order, are separated by a rule and coloured, and ranked within themselves. With ``sort=True`` (a ranking) the
    rows must compare like with like (:func:`like_with_like`; ``mixed=True`` names each dot's scope instead).
    ``label_col``: text shown beside each dot instead of the formatted value (e.g. a fraction as printed, "2/3").
    Qualifier marks as in :func:`compare_points`: ▶ lower bound, ◀ upper bound, hollow target/plan/capacity, a
    whisker for a range. The rows drawn are kept for the chart's CSV. Returns ``(fig, ax)``.
    """
    check_lang(lang)
    use_house_style()
    u = get_unit(unit)
    _check_unit(df, u)
    _single_metric(df)
    like_notes = like_with_like(df, mixed) if sort else []
    data = df[pd.to_numeric(df[value_col], errors="coerce").notna()].copy()
    if data.empty:
        raise ValueError(f"no values in column {value_col!r}")
    data[value_col] = pd.to_numeric(data[value_col])
    data["_name"] = names(data, lang, name_cols)
    if mixed and "scope" in data.columns:
        tag = data["scope"].astype(str).map(lambda s: SCOPE_LABELS.get(s, (s, s))[0 if lang == "zh" else 1])
        data["_name"] = data["_name"] + np.where(data["scope"].astype(str).eq("cluster"), "", " [" + tag + "]")
    groups = _group_names(data, group_cols, lang)
    data["_group"] = groups if groups is not None else ""
    order = {g: i for i, g in enumerate(dict.fromkeys(data["_group"]))}
    data["_gorder"] = data["_group"].map(order)
    if sort:
        data = data.sort_values(["_gorder", value_col], ascending=[True, False], kind="stable")
    else:
        data = data.sort_values("_gorder", kind="stable")
    marks = qualifier_marks(data, value_col)
    n, n_groups = len(data), len(order)
    if ax is None:
        fig, ax = new_figure(width, height_cm=min(22.0, 2.8 + 0.5 * n + 0.35 * n_groups))
    else:
        fig = ax.figure
    # one blank slot between groups
    slots, y = [], 0.0
    previous = None
    for g in data["_gorder"]:
        if previous is not None and g != previous:
            y += 1.0
        slots.append(y)
        y += 1.0
        previous = g
    ys = (max(slots) - np.array(slots)) if slots else np.array([])
    colors = {g: PALETTE[i % len(PALETTE)] if n_groups > 1 else PALETTE[0] for g, i in order.items()}
    ends = []
    for yy, (_idx, row), (_, mark) in zip(ys, data.iterrows(), marks.iterrows(), strict=True):
        value, color = row[value_col], colors[row["_group"]]
        end = value
        if mark["range"]:
            ax.errorbar(value, yy, xerr=[[max(value - mark["low"], 0)], [max(mark["high"] - value, 0)]], fmt="none",
                        ecolor=color, elinewidth=0.8, capsize=2.5, zorder=2)  # fmt: skip
            end = max(value, mark["high"])
            ends.append(mark["low"])
        ax.plot(value, yy, marker=_point_marker(mark, "o"), markersize=6.5, color=color, linestyle="none",
                markerfacecolor="white" if mark["hollow"] else color, markeredgewidth=1.2, zorder=3)  # fmt: skip
        ends.append(end)
        if label_col is not None and pd.notna(row.get(label_col)) and str(row[label_col]):
            text = str(row[label_col])
        else:
            text = value_label(value, mark, u, lang, show_year)
        ax.annotate(text, (end, yy), xytext=(6, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=SIZES["value"], color=GREY["text"])  # fmt: skip
    # separators and group headings
    if n_groups > 1:
        for g, i in order.items():
            in_group = ys[(data["_gorder"] == i).to_numpy()]
            top_y = in_group.max()
            ax.annotate(g, (0, top_y + 0.75), xycoords=("axes fraction", "data"), ha="left", va="center",
                        fontsize=SIZES["value"], color=colors[g])  # fmt: skip
            if i > 0:
                ax.axhline(top_y + 1.0, color=GREY["light"], linewidth=0.8, zorder=0)
    ax.set_yticks(ys, list(data["_name"]))
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.7, (ys.max() if n else 0) + (1.2 if n_groups > 1 else 0.7))
    ax.grid(axis="x")
    ax.spines["left"].set_visible(False)
    if log:
        ax.set_xscale("log")
        lo, hi = _log_limits([*data[value_col], *ends])
        ax.set_xlim(lo, hi * 3)  # room for the labels on the right
    else:
        ax.set_xlim(0, max(ends) * 1.25 if max(ends) > 0 else None)
    format_axis_cny(ax, u, lang, axis="x")
    what = _value_title(data, lang, mixed)
    scale = label("，对数刻度", ", log scale", lang) if log else ""
    default_x = axis_title(what, what, u, lang)
    if scale:
        default_x = default_x[:-1] + scale + default_x[-1] if default_x.endswith(("）", ")")) else default_x + scale
    ax.set_xlabel(_text(xlabel, lang) or default_x)
    if title is not None:
        ax.set_title(_text(title, lang))
    keys = [k for k in notes_for(marks, show_year) if show_year or k != "year_unverified"]
    add_source(fig, [*like_notes, *keys, *notes], lang, chart="point", credits=[articles_note(data, lang)])
    attach_data(fig, data)
    return fig, ax


def dumbbell(
    df: pd.DataFrame,
    start_col: str = "start",
    end_col: str = "end",
    name_cols: Sequence[str] | None = None,
    lang: str = "zh",
    unit: str | Unit = "亿元",
    *,
    series_labels=(("起点", "Start"), ("终点", "End")),
    annotate_col: str | None = None,
    sort: bool = True,
    log: bool = False,
    title=None,
    xlabel=None,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
    mixed: bool = False,
):
    """Two values per row joined by a line, e.g. 1985 → 2004, or the two ends of a printed range.

    ``start_col`` and ``end_col`` hold points in standard units; an arrowhead points from start to end.
    ``series_labels``: (zh, en) legend labels of the two ends (e.g. ("1985年", "1985")). ``annotate_col``: text
    written at the right of each row (e.g. the CAGR). With ``sort=True`` rows are ranked by the end value and must
    compare like with like (:func:`like_with_like`: one scope and basis, actual figures; ``mixed=True`` to pass).
    ``log=True`` puts the values on a log axis, where equal distances are equal ratios (growth reads as
    distance). The rows drawn are kept for the chart's CSV. Returns ``(fig, ax)``.
    """
    check_lang(lang)
    use_house_style()
    u = get_unit(unit)
    _check_unit(df, u)
    _single_metric(df)
    like_notes = like_with_like(df, mixed) if sort else []
    data = df.copy()
    for col in (start_col, end_col):
        data[col] = pd.to_numeric(data[col], errors="coerce")
    data = data[data[start_col].notna() & data[end_col].notna()]
    if data.empty:
        raise ValueError("no rows with both ends")
    data["_name"] = names(data, lang, name_cols)
    if sort:
        data = data.sort_values(end_col, ascending=False, kind="stable")
    n = len(data)
    if ax is None:
        fig, ax = new_figure(width, height_cm=min(22.0, 3.4 + 0.6 * n))
    else:
        fig = ax.figure
    ys = np.arange(n)[::-1]
    c1, c2 = PALETTE[0], PALETTE[1]
    for y, (_idx, row) in zip(ys, data.iterrows(), strict=True):
        a, b = row[start_col], row[end_col]
        ax.annotate("", xy=(b, y), xytext=(a, y), zorder=1,
                    arrowprops={"arrowstyle": "-|>", "color": GREY["mid"], "linewidth": 1.4, "shrinkA": 4,
                                "shrinkB": 5, "mutation_scale": 9})  # fmt: skip
        ax.plot(a, y, marker="o", markersize=6.5, color=c1, markerfacecolor="white", markeredgewidth=1.4,
                linestyle="none", zorder=3)  # fmt: skip
        ax.plot(b, y, marker="o", markersize=6.5, color=c2, linestyle="none", zorder=3)
        left, right = (a, b) if a <= b else (b, a)
        for x, ha, dx in ((left, "right", -7), (right, "left", 7)):
            ax.annotate(_fmt(x / u.factor), (x, y), xytext=(dx, 0), textcoords="offset points", ha=ha, va="center",
                        fontsize=SIZES["value"], color=GREY["text"])  # fmt: skip
        if annotate_col is not None and str(row.get(annotate_col, "") or ""):
            ax.annotate(str(row[annotate_col]), (1.0, y), xycoords=("axes fraction", "data"), xytext=(6, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=SIZES["value"],
                        color=GREY["dark"])  # fmt: skip
    ax.set_yticks(ys, list(data["_name"]))
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x")
    ax.spines["left"].set_visible(False)
    values = [*data[start_col], *data[end_col]]
    if log:
        ax.set_xscale("log")
        lo, hi = _log_limits(values)
        ax.set_xlim(lo / 1.6, hi * 1.6)  # room for the labels on both sides
    else:
        span = max(values) - min(0.0, min(values))
        ax.set_xlim(min(0.0, min(values)), max(values) + 0.25 * span)
    format_axis_cny(ax, u, lang, axis="x")
    what = metric_label(data, lang)
    scale = label("，对数刻度", ", log scale", lang) if log else ""
    default_x = axis_title(what, what, u, lang)
    if scale:
        default_x = default_x[:-1] + scale + default_x[-1] if default_x.endswith(("）", ")")) else default_x + scale
    ax.set_xlabel(_text(xlabel, lang) or default_x)
    handles = [
        ax.plot([], [], marker="o", color=c1, markerfacecolor="white", linestyle="none",
                label=_text(series_labels[0], lang))[0],
        ax.plot([], [], marker="o", color=c2, linestyle="none", label=_text(series_labels[1], lang))[0],
    ]  # fmt: skip
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, borderaxespad=0.2)
    if title is not None:
        ax.set_title(_text(title, lang), pad=18)
    add_source(fig, [*like_notes, *notes], lang, credits=[articles_note(data, lang)])
    attach_data(fig, data)
    return fig, ax


def series_line(
    df: pd.DataFrame,
    year_col: str = "year",
    value_col: str = "value_std",
    name_cols: Sequence[str] | None = None,
    lang: str = "zh",
    unit: str | Unit = "亿元",
    *,
    title=None,
    ylabel=None,
    zero_baseline: bool = True,
    notes: Iterable[str] = (),
    width: str | float = "full",
    aspect: float = 0.55,
    ax=None,
):
    """Values over years, one line per name (``name_cols``; a single line when no name columns exist).

    Years come from ``year_start`` and ``year_end`` (the clean facts' columns; a span such as 2006-2010 is drawn
    as a horizontal segment over the period), or, for a frame without them, from ``year_col`` read by
    :func:`helpers.parse.year_bounds`; rows without a year are dropped. Values are in standard units (e.g. yuan) and
    shown in ``unit``. Actual values are filled markers joined by solid lines; targets, plans and capacity
    are hollow markers joined by a dashed line. Years stay plain on the x axis (no separators).
    ``zero_baseline`` starts the y axis at 0 for non-negative data. Returns ``(fig, ax)``.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    check_lang(lang)
    use_house_style()
    u = get_unit(unit)
    _check_unit(df, u)
    _single_metric(df)
    data = df.copy()
    data[value_col] = pd.to_numeric(data[value_col], errors="coerce")
    if {"year_start", "year_end"} <= set(data.columns):
        data["_y0"] = pd.to_numeric(data["year_start"], errors="coerce")
        data["_y1"] = pd.to_numeric(data["year_end"], errors="coerce")
    else:
        spans = data[year_col].map(year_bounds)
        data["_y0"] = pd.to_numeric(pd.Series([s[0] for s in spans], index=data.index), errors="coerce")
        data["_y1"] = pd.to_numeric(pd.Series([s[1] for s in spans], index=data.index), errors="coerce")
    data = data[data["_y0"].notna() & data[value_col].notna()]
    if data.empty:
        raise ValueError("no rows with a readable year and a value")
    try:
        data["_name"] = names(data, lang, name_cols)
    except KeyError:
        data["_name"] = ""
    marks = qualifier_marks(data, value_col)
    if ax is None:
        fig, ax = new_figure(width, aspect=aspect)
    else:
        fig = ax.figure
    extra_notes = []
    groups = list(dict.fromkeys(data["_name"]))
    for i, group in enumerate(groups):
        color = PALETTE[i % len(PALETTE)]
        sub = data[data["_name"] == group].sort_values("_y0")
        m = marks.loc[sub.index]
        single = sub["_y0"] == sub["_y1"]
        actual = single & ~m["hollow"]
        planned = single & m["hollow"]
        ax.plot(sub.loc[actual, "_y0"], sub.loc[actual, value_col], color=color, marker="o", label=group or None)
        if planned.any():
            last = sub[actual].tail(1)
            xs = [*last["_y0"], *sub.loc[planned, "_y0"]]
            ys = [*last[value_col], *sub.loc[planned, value_col]]
            ax.plot(xs, ys, color=color, linestyle="--", linewidth=1.0)
            ax.plot(
                sub.loc[planned, "_y0"],
                sub.loc[planned, value_col],
                linestyle="none",
                marker="o",
                markerfacecolor="white",
                markeredgecolor=color,
                markeredgewidth=1.2,
            )
        for idx in sub.index[~single]:
            row = sub.loc[idx]
            ax.plot([row["_y0"], row["_y1"]], [row[value_col]] * 2, color=color, linewidth=2.5, alpha=0.6)
            extra_notes.append("period")
        for idx in sub.index:
            mk = m.loc[idx]
            if mk["range"]:
                v = sub.loc[idx, value_col]
                ax.errorbar(
                    sub.loc[idx, "_y0"],
                    v,
                    yerr=[[max(v - mk["low"], 0)], [max(mk["high"] - v, 0)]],
                    fmt="none",
                    ecolor=color,
                    elinewidth=0.8,
                    capsize=2.5,
                )
            tag = " ".join(t for t in (mk["prefix"], "?" if mk["year_unverified"] else "") if t)
            if tag:
                ax.annotate(
                    tag,
                    (sub.loc[idx, "_y0"], sub.loc[idx, value_col]),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=SIZES["value"] - 0.5,
                    color=GREY["text"],
                )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p=None: f"{x:.0f}"))
    format_axis_cny(ax, u, lang, axis="y")
    ax.set_ylabel(_text(ylabel, lang) or axis_title(metric_label(data, lang), metric_label(data, lang), u, lang))
    ax.grid(axis="y")
    if zero_baseline and data[value_col].min() >= 0:
        ax.set_ylim(0, None)
    x0, x1 = data["_y0"].min(), data["_y1"].max()
    ax.set_xlim(x0 - 0.5, x1 + 0.5)
    if len(groups) > 1:
        ax.legend(loc="upper left", ncol=min(3, len(groups)))
    if title is not None:
        ax.set_title(_text(title, lang))
    add_source(fig, [*notes_for(marks), *extra_notes, *notes], lang)
    attach_data(fig, data)
    return fig, ax
