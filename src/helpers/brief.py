"""Briefing packs on demand: a province's, an industry's or a cluster's figures on a few A4 pages.

``python -m helpers brief --province 浙江 --lang en`` writes to ``build/briefs/<selection>_<lang>/``:
``brief.pdf`` (A4, one language: a headline, the clusters included and why, key figures in tables of one metric,
basis and scope each, targets and plans against the latest actual, charts drawn as vectors, the findings of the
graded audit that touch the figures, caveats, sources), each chart as PNG and SVG with its data (``<name>.csv``) and
citation (``<name>.cite.txt``), and ``figures.xlsx`` with every figure used (written by
:func:`helpers.write.write_workbook`: no cell is a formula). The folder is written whole or not at all.

Key figures come from :func:`helpers.selection.comparable` (kind actual, whole-cluster scope, one basis per table);
an industry is selected through the curated GB/T 4754 divisions of the clusters and the bilingual names and
synonyms of ``data/raw/industry_terms.csv``, so 纺织 and textiles select the same clusters.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import load, paths
from .audit import FINDINGS_ABOUT_REPORTS
from .cite import dataset_version

A4_IN = (8.27, 11.69)
PAGE_PT = (A4_IN[0] * 72, A4_IN[1] * 72)
MARGIN_PT = {"left": 48.0, "right": 48.0, "top": 46.0, "bottom": 58.0}
#: The metrics of the key-figure tables, in order; each table holds one basis (and one share_of_where).
KEY_METRICS = ["output_value", "revenue", "sales", "exports", "profit_tax", "firms", "employees",
               "market_share_national", "market_share_world"]  # fmt: skip
GOAL_KINDS = ("target", "plan", "capacity", "estimate")
#: Rows shown per key-figure table (all of them are in figures.xlsx); bars per chart.
TABLE_ROWS, CHART_BARS = 8, 10
#: Fewer items than this are said in a table, not drawn.
MIN_CHART_ITEMS = 3

METRIC_NAMES = {  # interface text: (zh, en)
    "output_value": ("产值", "Output value"),
    "revenue": ("营业收入", "Revenue"),
    "sales": ("销售收入", "Sales"),
    "exports": ("出口额", "Exports"),
    "profit_tax": ("利税", "Profits and taxes"),
    "firms": ("企业数", "Number of firms"),
    "employees": ("从业人员", "Persons employed"),
    "market_share_national": ("全国市场份额", "Share of the national market"),
    "market_share_world": ("世界市场份额", "Share of the world market"),
}
OUTPUT_BASES = {
    "gross_industrial_output": ("工业总产值", "Gross industrial output"),
    "total_output": ("总产值（含非工业）", "Total output value incl. non-industrial"),
    "agricultural_output": ("农业产值", "Agricultural output value"),
    "output_unspecified": ("产值（未说明口径）", "Output value (kind not stated)"),
}
SHARE_BASES = {
    "output": ("按产量或产值", "of output"), "sales": ("按销售", "of sales"), "volume": ("按数量", "of volume"),
    "exports": ("按出口", "of exports"), "firms": ("按企业数", "of firms"), "employees": ("按就业", "of employment"),
    "other": ("其他口径", "of another quantity"), "unspecified": ("未说明口径", "of what not stated"),
}  # fmt: skip
GRADES = {  # audit status: (zh, en) name and what it means
    "contradiction": (
        ("矛盾", "Contradiction"),
        ("任何理解都不能使两个数字同时成立", "no reading makes both figures true"),
    ),
    "discrepancy": (
        ("差异", "Discrepancy"),
        (
            "同一数量印了不同数字；四舍五入、约数或日期不同或可解释",
            "one quantity printed with different values that rounding, an 'about' or a different date could reconcile",
        ),
    ),
    "depends_on_reading": (
        ("取决于理解", "Depends on the reading"),
        ("一种理解下一致，另一种理解下不一致", "consistent under one reading, not under another"),
    ),
}
QUALIFIER_WORDS = {
    "more_than": ("多于", "more than"),
    "at_least": ("至少", "at least"),
    "less_than": ("少于", "less than"),
    "approx": ("约", "about"),
    "range": ("区间", "between"),
    "exact": ("", ""),
}
BOUND_SIGN = {"more_than": ">", "at_least": "≥", "less_than": "<", "approx": "~", "range": "", "exact": ""}
KIND_NAMES = {"target": ("目标", "target"), "plan": ("规划", "plan"), "capacity": ("产能", "capacity"),
              "estimate": ("估计", "estimate"), "actual": ("实际", "actual")}  # fmt: skip

T = {  # interface text: (zh, en)
    "title_province": ("{name}产业集群简报", "Industrial clusters in {name}: briefing"),
    "title_industry": ("产业集群简报：{name}", "Industrial clusters briefing: {name}"),
    "title_cluster": ("{name}：集群简报", "{name}: cluster briefing"),
    "subtitle": ("{clusters}，{figures}，来自{articles}", "{clusters}; {figures} from {articles}"),
    "dated": ("{date}编制；数据集版本 {version}", "Compiled {date}; dataset version {version}"),
    "headline": ("要点", "Headline"),
    "included": ("所含集群", "Clusters included"),
    "key_figures": ("主要数据（实际值，全集群口径）", "Key figures (actual figures, whole cluster)"),
    "cols": (["集群", "原文", "标准值", "年份", "出处"], ["Cluster", "Value", "Year", "Source"]),
    "goal_cols": (["集群", "指标", "原文", "类别", "年份", "最近实际值", "出处"],
                  ["Cluster", "Figure", "Value", "Kind", "Year", "Latest actual", "Source"]),
    "goals": ("目标、规划、产能与估计（并非实际值）", "Targets, plans, capacities and estimates (not outcomes)"),
    "charts": ("图表", "Charts"),
    "findings": ("报告内部的不一致（分级核查）", "Where the reports disagree with themselves (graded audit)"),
    "no_findings": ("本简报所用数据未发现报告内部的矛盾、差异或取决于理解的问题。",
                    "No contradiction, discrepancy or reading-dependent finding touches the figures of this brief."),
    "caveats": ("注意事项", "Caveats"),
    "sources": ("文章", "Articles"),
    "page": ("第{i}页，共{n}页", "page {i} of {n}"),
    "shown_of": ("列出前{k}个，共{n}个；全部见 figures.xlsx", "top {k} of {n} shown; all in figures.xlsx"),
    "more_goals": ("另有{n}个，见 figures.xlsx", "{n} more in figures.xlsx"),
    "more_findings": ("另有{n}条，见 figures.xlsx", "{n} more in figures.xlsx"),
    "year_missing": ("未注明", "not stated"),
    "year_unverified": ("{year}（存疑）", "{year} (unverified)"),
    "line": ("第{n}行", "line {n}"),
    "table": ("表{n}", "Table {n}"),
    "no_actual": ("—", "–"),
    "vs": ("与", " vs "),
}  # fmt: skip
CAVEATS = {  # (zh, en); {n} a count
    "qualified": ("{n}带有限定词（多、近、以上等）：是约数或界限，标准值列以 >、≥、<、~ 表示。",
                  "{n} carry a qualifier (more than, nearly, at least …): they are bounds or approximations, "
                  "shown with >, ≥, < and ~."),
    "unverified": ("{n}的年份在原文中明显被改写（如2024、2025年），照录而标为存疑，不可当作真实日期。",
                   "{n} carry a printed year that was evidently overwritten in the copies (e.g. 2024, 2025): kept "
                   "as printed, marked unverified, not to be read as a date."),
    "years": ("同一表中的数据年份不同（{years}），比较时请注意。", "Figures in one table come from different years "
              "({years}): compare them with care."),
    "nominal": ("所有金额均为当年价格；原文未给出价格指数，无法换算为实际值。",
                "All money values are nominal: no deflator is printed, so no real-terms comparison can be made."),
    "named": ("集群为作者点名的集群，并非全部集群；份额的分母（全国、世界）照录原文。",
              "The clusters are those the authors chose to name, not a census; shares are of the market the text "
              "names (national, world)."),
    "scope": ("另有{n}不属于全集群口径（企业、园区、规模以上企业、集群一部分等），未列入主要数据，见 figures.xlsx。",
              "{n} cover something other than the whole cluster (a firm, a park, firms above size, a segment …): "
              "they are not among the key figures (see figures.xlsx)."),
}  # fmt: skip


def t(key: str, lang: str, **kw) -> str:
    zh, en = T[key]
    text = zh if lang == "zh" else en
    return text.format(**kw) if kw else text


def _l(pair, lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def count(n: int, noun: str, lang: str) -> str:
    """``1 cluster``, ``2 clusters``; ``1个集群``. Nouns: cluster, figure, article, finding."""
    zh = {"cluster": "个集群", "figure": "个数据", "article": "篇文章", "finding": "条", "division": "个行业大类"}
    if lang == "zh":
        return f"{n}{zh[noun]}"
    return f"{n} {noun}" + ("" if n == 1 else "s")


class SelectionError(ValueError):
    """An unknown or ambiguous name; the message lists the close matches."""


@dataclass
class Selection:
    """What a briefing covers: its kind, display names, clusters, facts, and how the clusters were chosen."""

    kind: str  # province | industry | cluster
    name_zh: str
    name_en: str
    slug: str
    clusters: pd.DataFrame
    facts: pd.DataFrame
    how_zh: str = ""
    how_en: str = ""
    divisions: tuple[str, ...] = ()
    province_zh: str = ""
    peers: pd.DataFrame = field(default_factory=pd.DataFrame)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def how(self, lang: str) -> str:
        return self.how_zh if lang == "zh" else self.how_en


def _close(name: str, candidates: dict[str, str], what: str) -> SelectionError:
    """An error naming the close matches among ``candidates`` (key → display)."""
    keys = list(candidates)
    lowered = {k.lower(): k for k in keys}
    found = difflib.get_close_matches(name.lower(), list(lowered), n=6, cutoff=0.5)
    found += [k.lower() for k in keys if name and (name.lower() in k.lower() or k.lower() in name.lower())]
    shown = list(dict.fromkeys(candidates[lowered[f]] for f in found if f in lowered))[:6]
    hint = (
        f"; close matches: {', '.join(shown)}"
        if shown
        else f"; try one of: {', '.join(list(candidates.values())[:12])} …"
    )
    return SelectionError(f"unknown {what} {name!r}{hint}")


def _slug(text: str) -> str:
    """A folder-name part: lowercase ASCII words and Chinese characters joined by '-'."""
    return re.sub(r"[^a-z0-9\u4e00-\u9fff]+", "-", text.lower()).strip("-") or "selection"


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", str(text).lower())}


def _terms(row, lang: str) -> list[str]:
    names = [row["name_zh"] if lang == "zh" else row["name_en"]]
    syn = row["synonyms_zh"] if lang == "zh" else row["synonyms_en"]
    return [n for n in names + str(syn or "").split(";") if n and n.strip()]


def _matches(query: str, terms: list[str]) -> bool:
    """A Chinese query matches a term containing it; an English one a term holding each of its words (plural or
    singular): 纺织 ~ 纺织服装、服饰业, textiles ~ textile wearing apparel."""
    q = query.strip().lower()
    if not q:
        return False
    if q.isascii():
        want = _words(q)
        return bool(want) and any(want <= _words(term) for term in terms)
    return any(q in term for term in terms)


def industry_divisions(query: str) -> pd.DataFrame:
    """The GB/T 4754 divisions (rows of :func:`helpers.load.industry_terms`) whose name or synonyms match
    ``query`` in its language (a two-digit code matches its division)."""
    terms = load.industry_terms()
    q = query.strip()
    if re.fullmatch(r"\d{2}", q):
        return terms[terms["gbt4754_division"].eq(q)]
    lang = "en" if q.isascii() else "zh"
    return terms[[_matches(q, _terms(r, lang)) for r in terms.to_dict("records")]]


def _industry_clusters(query: str, clusters: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clusters of the matched divisions, plus clusters curated only to a section whose printed industry (zh or en)
    holds one of those divisions' terms in either language (so both languages select the same clusters)."""
    divisions = industry_divisions(query)
    if divisions.empty:
        lang = "en" if query.strip().isascii() else "zh"
        col = "industry_en" if lang == "en" else "industry_zh"
        hit = clusters[[_matches(query, [str(v)]) for v in clusters[col]]]
        return hit, divisions
    codes = set(divisions["gbt4754_division"])
    by_division = clusters["gbt4754_division"].astype("string").isin(codes)
    words = [w for r in divisions.to_dict("records") for lang in ("zh", "en") for w in _terms(r, lang)]
    no_division = clusters["gbt4754_division"].astype("string").fillna("").eq("") & clusters["gbt4754_section"].astype(
        "string"
    ).isin(set(divisions["gbt4754_section"]))
    by_words = no_division & pd.Series(
        index=clusters.index,
        data=[
            any(_matches(w, [str(zh)]) or _matches(w, [str(en)]) for w in words)
            for zh, en in zip(clusters["industry_zh"], clusters["industry_en"], strict=True)
        ],
        dtype=bool,
    )
    return clusters[by_division | by_words], divisions


def select(province: str | None = None, industry: str | None = None, cluster: str | None = None) -> Selection:
    """Resolve exactly one of ``province`` (浙江, 浙江省, Zhejiang), ``industry`` (a GB/T 4754 division's name or
    synonym in either language: 纺织, textiles, 农业; or, failing that, a cluster's printed industry) or ``cluster``
    (id, Chinese or English name) to a :class:`Selection`."""
    given = [x for x in (province, industry, cluster) if x]
    if len(given) != 1:
        raise SelectionError("give exactly one of --province, --industry, --cluster")
    facts = load.facts()
    clusters = load.clusters()
    if province:
        prov = load.provinces()
        candidates = {}
        for r in prov.itertuples():
            for key in (r.province_zh, r.province_full_zh, r.province_en):
                candidates[str(key)] = f"{r.province_en} ({r.province_zh})"
        match = {k.lower(): k for k in candidates}.get(province.strip().lower())
        if match is None:
            raise _close(province, candidates, "province")
        row = prov[
            (prov["province_zh"] == match) | (prov["province_full_zh"] == match) | (prov["province_en"] == match)
        ]
        short, en = str(row["province_zh"].iloc[0]), str(row["province_en"].iloc[0])
        sel_clusters = clusters[clusters["province_zh"] == short]
        sel_facts = facts[(facts["province_zh"] == short) | facts["cluster_id"].isin(sel_clusters["cluster_id"])]
        how = (f"{short}的全部集群（按集群所在省份）", f"every cluster located in {en} (by the cluster's province)")
        return Selection("province", short, en, _slug(en), sel_clusters, sel_facts, *how, province_zh=short)
    if industry:
        sel_clusters, divisions = _industry_clusters(industry, clusters)
        if sel_clusters.empty:
            candidates = {}
            for r in load.industry_terms().itertuples():
                candidates[str(r.name_zh)] = f"{r.name_en} ({r.name_zh})"
                candidates[str(r.name_en)] = f"{r.name_en} ({r.name_zh})"
            for r in clusters.itertuples():
                candidates[str(r.industry_zh)] = f"{r.industry_en} ({r.industry_zh})"
                candidates[str(r.industry_en)] = f"{r.industry_en} ({r.industry_zh})"
            raise _close(industry, candidates, "industry")
        sel_facts = facts[facts["cluster_id"].isin(sel_clusters["cluster_id"])]
        if divisions.empty:
            name_zh = str(sel_clusters["industry_zh"].mode().iloc[0])
            name_en = str(sel_clusters["industry_en"].mode().iloc[0])
            how = (f"印出的行业名称含“{industry}”的集群", f"clusters whose printed industry names {industry!r}")
        else:
            d = divisions.sort_values("gbt4754_division")
            name_zh = "、".join(d["name_zh"])
            name_en = "; ".join(d["name_en"])
            how = (
                "按国民经济行业分类（GB/T 4754-2017）大类："
                + "；".join(f"{c} {n}" for c, n in zip(d["gbt4754_division"], d["name_zh"], strict=True)),
                "by GB/T 4754-2017 division: "
                + "; ".join(f"{c} {n}" for c, n in zip(d["gbt4754_division"], d["name_en"], strict=True)),
            )
        return Selection("industry", name_zh, name_en, _slug(industry), sel_clusters, sel_facts, *how,
                         divisions=tuple(divisions["gbt4754_division"]))  # fmt: skip
    key = cluster.strip()
    by = {}
    for r in clusters.itertuples():
        for k in (r.cluster_id, r.name_zh, r.name_en, r.name_std_zh, r.short_zh, r.short_en):
            if k:
                by[str(k)] = r.cluster_id
    ident = by.get(key) or {k.lower(): v for k, v in by.items()}.get(key.lower())
    if ident is None:
        raise _close(key, {k: f"{k} ({v})" for k, v in by.items()}, "cluster")
    sel_clusters = clusters[clusters["cluster_id"] == ident]
    row = sel_clusters.iloc[0]
    division, section = row["gbt4754_division"], row["gbt4754_section"]
    division = "" if pd.isna(division) else str(division)
    if division:
        peers = clusters[clusters["gbt4754_division"].eq(division)]
    elif pd.notna(section):
        peers = clusters[clusters["gbt4754_section"].eq(section)]
    else:
        peers = sel_clusters
    how = (
        f"{row['short_zh']}（{row['province_zh']}），及同一行业大类的集群作比较",
        f"{row['short_en']} ({row['province_en']}), compared with the clusters of its GB/T 4754 division",
    )
    return Selection("cluster", str(row["short_zh"]), str(row["short_en"]), ident, sel_clusters,
                     facts[facts["cluster_id"] == ident], *how, province_zh=str(row["province_zh"]),
                     divisions=(division,) if division else (), peers=peers)  # fmt: skip


# --- values as a brief shows them ----------------------------------------------------------------------------

_FULL = str.maketrans("０１２３４５６７８９％．，／", "0123456789%.,/")


def half_width(text: str) -> str:
    """Full-width digits and signs to half-width, and 。 between digits to a decimal point: 73７。８ → 737.8."""
    text = str(text).translate(_FULL)
    return re.sub(r"(?<=\d)。(?=\d)", ".", text)


def _number(v: float) -> str:
    if v is None or not math.isfinite(v):
        return "?"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    text = f"{v:,.2f}" if abs(v) < 1 else f"{v:,.1f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount(value: float, unit_std: str, lang: str, printed_unit: str = "") -> str:
    """A standard value without qualifier: 20亿元 / CNY 2 bn, 52%, 9,000."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit_std == "ratio":
        return f"{_number(value * 100)}%"
    if unit_std in ("CNY", "USD"):
        if lang == "zh":
            cur = "元" if unit_std == "CNY" else "美元"
            return f"{_number(value / 1e8)}亿{cur}" if value >= 1e8 else f"{_number(value / 1e4)}万{cur}"
        if value >= 1e9:
            return f"{unit_std} {_number(value / 1e9)} bn"
        if value >= 1e6:
            return f"{unit_std} {_number(value / 1e6)} m"
        return f"{unit_std} {_number(value)}"
    # Counts keep the counting word as printed, without its magnitude: 万株 → 株 (the value is already in plants).
    # Measures are named from the standard unit: 万公斤 is printed, but the value is in tonnes (吨).
    counter = re.sub(r"^[万亿]+", "", printed_unit or "")
    counter = counter if re.fullmatch(r"[\u4e00-\u9fff]+", counter) and unit_std in COUNTED else ""
    if lang == "zh":
        return f"{_number(value)}{counter or UNITS_ZH.get(unit_std, unit_std)}"
    if unit_std == "count" and counter in COUNTERS_EN:
        return f"{_number(value)} {COUNTERS_EN[counter]}"
    unit_en = UNITS_EN.get(unit_std, unit_std)
    return f"{_number(value)} {unit_en}" if unit_en else _number(value)


#: Standard units that count things (the printed counting word may name them: 家, 株, 户, 人次 …).
COUNTED = ("count", "persons", "households", "person_times")
#: Chinese names of the standard units, where a count has no printed counting word or a measure is shown.
UNITS_ZH = {
    "count": "", "persons": "人", "households": "户", "person_times": "人次", "t": "吨", "km2": "平方公里",
    "m2": "平方米", "m3": "立方米", "m": "米", "km": "公里", "mu": "亩", "years": "年", "hours": "小时",
    "CNY_per_spindle_month": "元/锭·月",
}  # fmt: skip
#: English names of the standard units (the others are shown as their code: t, mu, km …).
UNITS_EN = {
    "count": "", "persons": "persons", "person_times": "person-times", "km2": "km²", "m2": "m²", "m3": "m³",
    "CNY_per_spindle_month": "CNY per spindle and month",
}  # fmt: skip
#: English nouns for the counting words printed with counts (株 plants …); other counts stand without a noun.
COUNTERS_EN = {
    "株": "plants", "台": "units", "辆": "vehicles", "双": "pairs", "头": "head", "锭": "spindles", "粒": "seeds",
    "家": "firms", "套": "sets", "件": "items", "份": "copies", "盆": "pots", "所": "institutions",
}  # fmt: skip


def standard_value(row, lang: str) -> str:
    """The value with its qualifier kept: ``more than CNY 2 bn`` (en), ``>20亿元`` (zh, as a bound)."""
    q = str(row.get("qualifier") or "exact")
    unit = str(row.get("unit_std") or "")
    printed = str(row.get("unit") or "")
    if q == "range" and pd.notna(row.get("value_low_std")) and pd.notna(row.get("value_high_std")):
        low, high = _amount(row["value_low_std"], unit, lang, printed), _amount(row["value_high_std"], unit, lang,
                                                                                 printed)  # fmt: skip
        return f"{low}–{high}" if lang == "zh" else f"between {low} and {high}"
    text = _amount(row["value_std"], unit, lang, printed)
    if unit == "ratio" and re.search(r"\d\s*/\s*\d", half_width(row.get("figure_text", ""))):
        text = re.search(r"\d+\s*/\s*\d+", half_width(row["figure_text"])).group(0).replace(" ", "")  # as printed
    if lang == "zh":
        return BOUND_SIGN.get(q, "") + text
    word = QUALIFIER_WORDS.get(q, ("", ""))[1]
    return f"{word} {text}" if word else text


def printed_value(row) -> str:
    """The figure as printed, digits half-width, with the printed unit where the figure stands without it."""
    text = half_width(row["figure_text"])
    unit = str(row.get("unit") or "")
    if unit and unit not in text and not re.search(r"[%％]", text) and re.fullmatch(r"[\u4e00-\u9fff]+", unit):
        text += unit
    return text


def year_text(row, lang: str) -> str:
    year = str(row.get("year") or "").strip()
    if not year:
        return t("year_missing", lang)
    if row.get("year_reliable") is False or str(row.get("year_reliable")) == "False":
        return t("year_unverified", lang, year=year)
    return year


def _articles_by_id() -> pd.DataFrame:
    return load.articles().set_index("article_id")


def source_text(row, lang: str) -> str:
    """Article short title, printed table, line: ``China overview, Table 2, line 171``."""
    arts = _articles_by_id()
    art = row["article_id"]
    name = str(arts.loc[art, "short_zh" if lang == "zh" else "short_en"]) if art in arts.index else str(art)
    table = str(row.get("printed_table") or "")
    parts = [name]
    if table.startswith("table-"):
        parts.append(t("table", lang, n=table.removeprefix("table-")))
    parts.append(t("line", lang, n=row["source_line"]))
    return ("，" if lang == "zh" else ", ").join(parts)


_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def english(text: str) -> str:
    """Text for the English brief: printed qualifiers in words (240多 → more than 240, 约52% → about 52%), digits
    half-width, any other Chinese word kept only in brackets."""
    text = half_width(text)
    text = re.sub(r"(\d[\d.,]*)\s*多", r"more than \1", text)
    text = re.sub(r"约\s*(\d)", r"about \1", text)
    text = re.sub(r"近\s*(\d)", r"nearly \1", text)
    text = re.sub(r"(\d[\d.,]*)\s*以上", r"at least \1", text)
    text = re.sub(r"(\d[\d.,]*)\s*亿元?", lambda m: f"CNY {float(m.group(1).replace(',', '')) / 10:g} bn", text)
    text = re.sub(r"(\d[\d.,]*)\s*万", lambda m: f"{float(m.group(1).replace(',', '')) * 1e4:,.0f}", text)

    def bracket(m: re.Match) -> str:
        s, e = m.span()
        before, after = text[max(0, s - 1) : s], text[e : e + 1]
        return m.group(0) if before in "(（" and after in ")）" else f"({m.group(0)})"

    return _CJK.sub(bracket, text)


# --- the figures of a brief --------------------------------------------------------------------------------


@dataclass
class KeyTable:
    """One table of key figures: one metric, one basis (and where a share is of), actual whole-cluster figures."""

    metric: str
    basis: str | None
    share_of_where: str | None
    rows: pd.DataFrame  # from selection.comparable, largest first

    def title(self, lang: str) -> str:
        """``Gross industrial output``, ``Output value (kind not stated)``, ``Share of the national market, of
        sales``: the metric with its basis."""
        if self.metric == "output_value" and self.basis in OUTPUT_BASES:
            return _l(OUTPUT_BASES[self.basis], lang)
        name = _l(METRIC_NAMES[self.metric], lang)
        if self.basis in SHARE_BASES:
            return f"{name}（{_l(SHARE_BASES[self.basis], lang)}）" if lang == "zh" else (
                f"{name}, {_l(SHARE_BASES[self.basis], lang)}")  # fmt: skip
        return name


def _ids(sel: Selection) -> list[str]:
    return list(sel.clusters["cluster_id"])


def key_tables(sel: Selection, cluster_ids: list[str] | None = None) -> list[KeyTable]:
    """For each key metric and each basis (share of what, of where) printed: the comparable figures of the
    selection's clusters (``cluster_ids`` to widen it, e.g. to a cluster's peers)."""
    from .selection import comparable

    ids = cluster_ids if cluster_ids is not None else _ids(sel)
    if not ids:
        return []
    facts = load.facts(metric=KEY_METRICS, cluster_id=ids, kind="actual")
    facts = facts[facts["scope"].eq("cluster") & facts["value_std"].notna()]
    out = []
    for metric in KEY_METRICS:
        f = facts[facts["metric"].eq(metric)]
        if f.empty:
            continue
        groups = f[["basis", "share_of_where"]].astype(object).where(f[["basis", "share_of_where"]].notna(), None)
        for basis, where in sorted(set(map(tuple, groups.values.tolist())), key=lambda x: (str(x[0]), str(x[1]))):
            rows = comparable(metric, basis=basis, share_of_where=where, cluster_id=ids)
            if basis is None and "basis" in rows:
                rows = rows[rows["basis"].isna()]
            if where is None and "share_of_where" in rows:
                rows = rows[rows["share_of_where"].isna()]
            if not rows.empty:
                out.append(KeyTable(metric, basis, where, rows.reset_index(drop=True)))
    return out


def _display(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Display columns of figure rows: entity (short name), printed, value, year, source."""
    recs = rows.to_dict("records")
    names = {"zh": "short_zh", "en": "short_en"}[lang]
    return pd.DataFrame(
        {
            "fact_id": [r["fact_id"] for r in recs],
            "entity": [str(r.get(names) or r.get("entity_zh" if lang == "zh" else "entity_en") or "") for r in recs],
            "as_printed": [printed_value(r) for r in recs],
            "value": [standard_value(r, lang) for r in recs],
            "year": [year_text(r, lang) for r in recs],
            "source": [source_text(r, lang) for r in recs],
        }
    )


def key_figures(sel: Selection, lang: str) -> pd.DataFrame:
    """Every key figure of the brief (all rows, not only those shown): one row per cluster and table, with the
    table's title, kind, scope and basis, and display columns (value with its qualifier, year, source)."""
    frames = []
    for kt in key_tables(sel):
        d = _display(kt.rows, lang)
        d.insert(1, "table", kt.title(lang))
        for col in ("kind", "scope", "basis", "share_of_where", "metric", "cluster_id", "value_std", "qualifier"):
            d[col] = kt.rows[col].astype(object).to_numpy()
        frames.append(d)
    cols = ["fact_id", "table", "entity", "as_printed", "value", "year", "source", "kind", "scope", "basis"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def goals(sel: Selection, lang: str) -> pd.DataFrame:
    """Targets, plans, capacities and estimates of the selection, each with the actual it is set against
    (``load.target_pairs``) or else the latest actual of that cluster and metric."""
    f = sel.facts[sel.facts["kind"].isin(GOAL_KINDS) & sel.facts["cluster_id"].ne("")].copy()
    if f.empty:
        return pd.DataFrame(columns=["fact_id", "entity", "figure", "value", "kind", "year", "actual", "source"])
    clusters = load.clusters().set_index("cluster_id")
    f["short_zh"] = f["cluster_id"].map(clusters["short_zh"])
    f["short_en"] = f["cluster_id"].map(clusters["short_en"])
    pairs = load.target_pairs().set_index("goal_fact_id")
    facts = load.facts()
    by_id = facts.set_index("fact_id")
    actuals = facts[facts["kind"].eq("actual")]
    metric_names = load.metrics().set_index("metric")
    out = []
    for r in f.sort_values(["cluster_id", "metric", "fact_id"]).to_dict("records"):
        actual = None
        if r["fact_id"] in pairs.index:
            a_id = pairs.loc[r["fact_id"], "actual_fact_id"]
            a_id = a_id.iloc[0] if isinstance(a_id, pd.Series) else a_id
            actual = {**by_id.loc[a_id].to_dict(), "fact_id": a_id}
        else:
            same = actuals[actuals["cluster_id"].eq(r["cluster_id"]) & actuals["metric"].eq(r["metric"])
                           & actuals["scope"].eq(r["scope"]) & actuals["unit_std"].eq(r["unit_std"])]  # fmt: skip
            if not same.empty:
                actual = same.sort_values("year_end", na_position="first").iloc[-1].to_dict()
        metric = str(r["metric"])
        what = METRIC_NAMES.get(metric)
        if what is None:
            row = metric_names.loc[metric] if metric in metric_names.index else None
            what = (str(row["description_zh"]).split("/")[0],
                    re.split(r"\s*[(,]| of the | in physical", str(row["description_en"]))[0]) \
                if row is not None else (metric, metric)  # fmt: skip
        out.append({
            "fact_id": r["fact_id"],
            "entity": r["short_zh" if lang == "zh" else "short_en"],
            "figure": _l(what, lang),
            "as_printed": printed_value(r),
            "value": standard_value(r, lang),
            "kind": _l(KIND_NAMES.get(str(r["kind"]), (r["kind"], r["kind"])), lang),
            "year": year_text(r, lang),
            "actual": (f"{standard_value(actual, lang)}（{year_text(actual, lang)}）" if lang == "zh"
                       else f"{standard_value(actual, lang)} ({year_text(actual, lang)})")
            if actual else t("no_actual", lang),
            "actual_fact_id": actual["fact_id"] if actual else "",
            "source": source_text(r, lang),
        })  # fmt: skip
    return pd.DataFrame(out)


def contradictions(sel: Selection, fact_ids: set[str] | None = None) -> pd.DataFrame:
    """Findings about the reports (contradiction, discrepancy, depends_on_reading) touching the brief's figures
    (``fact_ids``; default every figure of the selection). Never a definition check."""
    audit = load.audit(status=FINDINGS_ABOUT_REPORTS)
    ids = set(sel.facts["fact_id"]) if fact_ids is None else set(fact_ids)
    mask = audit["fact_ids"].map(lambda s: bool(ids & set(s.split(";"))))
    order = {s: i for i, s in enumerate(FINDINGS_ABOUT_REPORTS)}
    out = audit[mask].copy()
    out["_order"] = out["status"].astype(str).map(order)
    return out.sort_values(["_order", "check_id"]).drop(columns="_order").reset_index(drop=True)


def finding_text(row, lang: str) -> str:
    """One graded finding in the brief's language: grade, what, each figure with its article and line."""
    facts = load.facts().set_index("fact_id")
    grade = _l(GRADES[str(row["status"])][0], lang)
    parts = []
    for i in str(row["fact_ids"]).split(";"):
        if i not in facts.index:
            continue
        f = {**facts.loc[i].to_dict(), "fact_id": i}
        value = printed_value(f) if lang == "zh" else standard_value(f, lang)
        parts.append(f"{value}（{source_text(f, lang)}）" if lang == "zh" else f"{value} ({source_text(f, lang)})")
    if lang == "zh":
        label = str(row.get("label_zh") or row["description"])
        return f"{grade}：{label}。" + "；".join(parts) + "。"
    label = english(str(row.get("label_en") or row["description"]))
    text = f"{grade}: {label}. " + " vs ".join(parts) + "."
    readings = str(row.get("readings") or "").strip()
    if readings:
        alts = [english(x.strip()) for x in readings.split("|") if x.strip()]
        text += (" " + "; ".join(f"reading {i}: {x}" for i, x in enumerate(alts, 1))) if len(alts) > 1 else (
            f" {alts[0][:1].upper()}{alts[0][1:]}.")  # fmt: skip
    return text


# --- charts --------------------------------------------------------------------------------------------------


@dataclass
class Chart:
    """A chart of the brief: drawn on a page (vector) and saved beside it with its data and citation."""

    name: str
    title_zh: str
    title_en: str
    height_pt: float
    draw: Callable  # draw(ax, lang, title) -> None; the chart draws its footer with helpers.charts.add_source
    rows: pd.DataFrame
    left_pt: float = 0.0  # room for the labels left of the axes
    min_height_pt: float = 0.0  # a map may shrink to this to fill a page
    max_height_pt: float = 0.0

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


def _where(sel: Selection, lang: str) -> str:
    if sel.kind == "province":
        return f"{sel.name_zh}的集群" if lang == "zh" else f"clusters in {sel.name_en}"
    if sel.kind == "industry":
        return "该行业有此数据的集群" if lang == "zh" else "the industry's clusters with such a figure"
    return "同一行业大类的集群" if lang == "zh" else "clusters of the same GB/T 4754 division"


def _years_phrase(rows: pd.DataFrame, lang: str) -> str:
    years = sorted({str(y) for y in rows["year"] if str(y)})
    unverified = rows["year_reliable"].astype(object).eq(False).any()
    if not years:
        return "年份未注明" if lang == "zh" else "year not stated"
    text = ("、".join(years) if lang == "zh" else ", ".join(years)) if len(years) <= 3 else f"{years[0]}–{years[-1]}"
    if lang == "zh":
        return f"{text}年" + ("（年份存疑）" if unverified else "")
    return ("year " if len(years) == 1 else "years ") + text + (" (as printed, unverified)" if unverified else "")


def _chart_unit(kt: KeyTable, lang: str) -> str:
    unit = str(kt.rows["unit_std"].iloc[0])
    return {"CNY": "亿元" if lang == "zh" else "CNY bn", "USD": "亿美元" if lang == "zh" else "USD m",
            "ratio": "%", "persons": "人",
            "count": "家" if kt.metric == "firms" else "count"}.get(unit, unit)  # fmt: skip


def _bar_chart(sel: Selection, kt: KeyTable, highlight: str | None = None) -> Chart:
    from . import charts

    rows = kt.rows.head(CHART_BARS)
    n_all = len(kt.rows)
    cut = n_all > CHART_BARS

    def title(lang):
        what = kt.title(lang)
        years = _years_phrase(rows, lang)
        head = f"{what}：{_where(sel, lang)}" if lang == "zh" else f"{what}: {_where(sel, lang)}"
        if cut:
            head += f"（前{CHART_BARS}个，共{n_all}个）" if lang == "zh" else f" (top {CHART_BARS} of {n_all})"
        return f"{head}，{years}" if lang == "zh" else f"{head}, {years}"

    def draw(ax, lang, title_text):
        charts.bar_ranked(rows, lang=lang, unit=_chart_unit(kt, lang), name_cols=("short_zh", "short_en"),
                          title=title_text, show_year=False, ax=ax)  # fmt: skip
        if highlight is not None:
            name = rows.loc[rows["cluster_id"].eq(highlight), "short_zh" if lang == "zh" else "short_en"]
            ticks = [tick.get_text() for tick in ax.get_yticklabels()]
            bars = [p for p in ax.patches if hasattr(p, "get_y")]
            for label_text, bar in zip(ticks, sorted(bars, key=lambda b: -b.get_y()), strict=False):
                if len(name) and label_text == name.iloc[0]:
                    bar.set_facecolor("#D55E00")
                    bar.set_edgecolor("#D55E00")
            for tick in ax.get_yticklabels():
                if len(name) and tick.get_text() == name.iloc[0]:
                    tick.set_color("#D55E00")

    from .charts import _text_width_pt
    from .style import use_house_style

    use_house_style()
    longest = max(max(_text_width_pt(str(r[c]), 7.5) for c in ("short_zh", "short_en")) for r in
                  rows.to_dict("records"))  # fmt: skip
    name = f"brief_{kt.metric}" + (f"_{kt.basis}" if kt.basis else "") + (f"_{kt.share_of_where}"
                                                                           if kt.share_of_where else "")  # fmt: skip
    return Chart(name, title("zh"), title("en"), 70 + 16 * len(rows) + 40, draw, rows, left_pt=longest + 8)


def _map_chart(sel: Selection, focus: str | None = None) -> Chart | None:
    """Province (and cluster) briefs: the province zoomed with its neighbours, a scale bar, a locator of China and
    the legend (:func:`helpers.maps.province_map`). Industry briefs: the national map (with the inset), points
    coloured by division."""
    from . import maps

    if sel.kind == "industry":
        pts = sel.clusters.copy()
        terms = load.industry_terms().set_index("gbt4754_division")
        div = pts["gbt4754_division"].astype("string")
        pts["div_zh"] = div.map(terms["name_zh"]).fillna("其他")
        pts["div_en"] = div.map(terms["name_en"]).fillna("other")
        hue = ("div_zh", "div_en") if pts["div_zh"].nunique() <= 8 else None

        def draw(ax, lang, title_text):
            maps.cluster_points(pts, lang=lang, name_cols=("short_zh", "short_en"), hue_cols=hue,
                                labels=len(pts) <= 16, title=title_text, ax=ax)  # fmt: skip

        n = count(len(pts), "cluster", "zh"), count(len(pts), "cluster", "en")
        title = {"zh": f"{n[0]}的分布（{sel.name_zh}）", "en": f"Where the {n[1]} are"}
        low = 200 if len(pts) <= 5 else 260  # a few points need no full page
        return Chart("brief_map", title["zh"], title["en"], 380, draw, pts, min_height_pt=low, max_height_pt=420)
    province = sel.province_zh
    pts = load.clusters(province=province)
    if len(pts) < 1:
        return None
    prov = load.provinces().set_index("province_zh")
    en = str(prov.loc[province, "province_en"])
    pts = pts.assign(_focus=pts["cluster_id"].eq(focus) if focus else False)
    if focus:
        title = {
            "zh": f"{sel.name_zh}与{province}的其他{len(pts) - 1}个集群",
            "en": f"{sel.name_en} and the other {count(len(pts) - 1, 'cluster', 'en')} in {en}",
        }
    else:
        title = {
            "zh": f"{province}的{count(len(pts), 'cluster', 'zh')}",
            "en": f"The {count(len(pts), 'cluster', 'en')} in {en}",
        }

    def draw(ax, lang, title_text):
        _province_map(ax, pts, province, lang, title_text, focus)

    return Chart("brief_map", title["zh"], title["en"], 360, draw, pts, min_height_pt=220, max_height_pt=420)


def _province_map(ax, pts: pd.DataFrame, province: str, lang: str, title: str | None, focus: str | None) -> None:
    """Clusters of one province on a map zoomed to it (neighbours greyed and named, scale bar, locator of China
    and legend in a panel at the right, one marker per place sized by its number of clusters); ``focus``, a
    cluster's id, is drawn as a diamond. See :func:`helpers.maps.province_map`."""
    from . import maps

    maps.province_map(province, pts, lang, ax=ax, focus=focus, title=title)


def make_charts(sel: Selection, tables: list[KeyTable]) -> list[Chart]:
    """Bar charts of the key tables with at least three clusters (a cluster brief: against its peers), and a map."""
    out = []
    if sel.kind == "cluster":
        me = sel.clusters["cluster_id"].iloc[0]
        peer_tables = key_tables(sel, cluster_ids=list(sel.peers["cluster_id"]))
        for kt in peer_tables:
            if len(kt.rows) >= MIN_CHART_ITEMS and kt.rows["cluster_id"].eq(me).any():
                top = kt.rows.head(CHART_BARS)
                if not top["cluster_id"].eq(me).any():  # keep the cluster in the cut
                    kt = KeyTable(
                        kt.metric,
                        kt.basis,
                        kt.share_of_where,
                        pd.concat([kt.rows.head(CHART_BARS - 1), kt.rows[kt.rows["cluster_id"].eq(me)]]),
                    )
                out.append(_bar_chart(sel, kt, highlight=me))
    else:
        for kt in tables:
            if len(kt.rows) >= MIN_CHART_ITEMS:
                out.append(_bar_chart(sel, kt))
    out = out[:3]
    m = _map_chart(sel, focus=sel.clusters["cluster_id"].iloc[0] if sel.kind == "cluster" else None)
    if m is not None:
        out.append(m)
    return out


# --- the PDF -------------------------------------------------------------------------------------------------


class _Doc:
    """A4 pages filled from the top: text, tables and charts in points; a chart that does not fit waits for the
    next page while the text goes on, so no page is left half empty."""

    def __init__(self, lang: str):
        import matplotlib.pyplot as plt

        from .charts import wrap_text
        from .style import use_house_style

        use_house_style()
        self.plt, self.wrap, self.lang = plt, wrap_text, lang
        self.pages: list = []
        self.charts_started = False
        self.map_pt = 0.0  # the height the map was drawn at
        self.width = PAGE_PT[0] - MARGIN_PT["left"] - MARGIN_PT["right"]
        self.new_page()

    def new_page(self) -> None:
        self.fig = self.plt.figure(figsize=A4_IN, layout="none")
        self.pages.append(self.fig)
        self.y = PAGE_PT[1] - MARGIN_PT["top"]

    @property
    def room(self) -> float:
        return self.y - MARGIN_PT["bottom"]

    def _put(self, x: float, y: float, text: str, size: float, **kw) -> None:
        self.fig.text(x / PAGE_PT[0], y / PAGE_PT[1], text, fontsize=size, va="top", **kw)

    def paragraph(self, text: str, size: float = 8.5, gap: float = 4, indent: float = 0, weight="normal",
                  color="#222222", keep: float = 0) -> None:  # fmt: skip
        lines = self.wrap(text, (self.width - indent) * 0.97, size)
        step = size * 1.38
        if self.room < min(len(lines), 2) * step + keep:
            self.new_page()
        for line in lines:
            if self.room < step:
                self.new_page()
            self._put(MARGIN_PT["left"] + indent, self.y, line, size, color=color)
            self.y -= step
        self.y -= gap

    def heading(self, text: str, size: float = 11.5) -> None:
        self.paragraph(text, size=size, gap=3, weight="bold", keep=40)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], size: float = 7.5) -> None:
        from matplotlib.lines import Line2D

        step = size * 1.3
        xs = [MARGIN_PT["left"]]
        for w in widths[:-1]:
            xs.append(xs[-1] + w * self.width)

        def cells(values, bold=False):
            wrapped = [self.wrap(str(v), w * self.width - 5, size) or [""] for v, w in zip(values, widths,
                                                                                          strict=True)]  # fmt: skip
            return wrapped, max(len(c) for c in wrapped) * step + 3, bold

        def rule(y, color="#BBBBBB", lw=0.5):
            self.fig.add_artist(Line2D([MARGIN_PT["left"] / PAGE_PT[0], (MARGIN_PT["left"] + self.width) / PAGE_PT[0]],
                                       [y / PAGE_PT[1]] * 2, color=color, linewidth=lw))  # fmt: skip

        def draw(wrapped, height, bold):
            for x, lines in zip(xs, wrapped, strict=True):
                for i, line in enumerate(lines):
                    self._put(x + 1, self.y - 1.5 - i * step, line, size, color="#000000" if bold else "#222222")
            self.y -= height
            rule(self.y, "#999999" if bold else "#DDDDDD", 0.6 if bold else 0.4)

        head = cells(header, bold=True)
        body = [cells(r) for r in rows]
        if self.room < head[1] + (body[0][1] if body else 0):
            self.new_page()
        rule(self.y, "#999999", 0.6)
        draw(*head)
        for b in body:
            if self.room < b[1]:
                self.new_page()
                rule(self.y, "#999999", 0.6)
                draw(*head)
            draw(*b)
        self.y -= 8

    def fits(self, chart: Chart) -> bool:
        if chart.min_height_pt and self.room >= chart.min_height_pt + 40:
            chart.height_pt = min(chart.max_height_pt or chart.height_pt, self.room - 40)
            return True
        return self.room >= chart.height_pt + 40

    def chart(self, chart: Chart) -> None:
        """Draw a chart on the page as vectors; its footer (source, articles, notes) goes right under it."""
        from .style import GREY, SIZES

        if not self.fits(chart):
            self.new_page()
            self.fits(chart)
        if chart.min_height_pt:
            self.map_pt = chart.height_pt
        if not self.charts_started:
            self.heading(t("charts", self.lang))
            self.charts_started = True
        self.paragraph(chart.title(self.lang), size=9.5, gap=2)
        fig, W, H = self.fig, PAGE_PT[0], PAGE_PT[1]
        foot_room = 44.0
        top_room = 6.0
        bottom_room = 30.0 if chart.name != "brief_map" else 4.0
        left = MARGIN_PT["left"] + (chart.left_pt if chart.name != "brief_map" else 0)
        width = MARGIN_PT["left"] + self.width - left - 8
        bottom = self.y - chart.height_pt + foot_room + bottom_room
        height = chart.height_pt - foot_room - bottom_room - top_room
        ax = fig.add_axes([left / W, bottom / H, width / W, height / H])
        fig._house_source = None
        chart.draw(ax, self.lang, None)
        footer = getattr(fig, "_house_source", None)
        lines = list(getattr(fig, "_house_source_lines", []))
        if footer is not None:
            footer.remove()
            fig._house_source = None
        fig._house_data = None
        y = bottom - bottom_room
        size = SIZES["source"]
        text = []
        for line in lines:
            text += self.wrap(line, self.width * 0.97, size)
        for line in text:
            self._put(MARGIN_PT["left"], y, line, size, color=GREY["dark"])
            y -= size * 1.3
        self.y = min(y, self.y - chart.height_pt) - 10

    def finish(self, path: Path, title: str, footer: str) -> int:
        from matplotlib.backends.backend_pdf import PdfPages

        from .style import GREY

        with PdfPages(path, metadata={"Title": title, "Creator": "helpers.brief"}) as pdf:
            n = len(self.pages)
            for i, page in enumerate(self.pages, start=1):
                x = MARGIN_PT["left"] / PAGE_PT[0]
                page.text(x, 0.028, footer, fontsize=6.5, color=GREY["dark"], va="bottom")
                page.text(1 - x, 0.028, t("page", self.lang, i=i, n=n), fontsize=6.5, ha="right", va="bottom",
                          color=GREY["dark"])  # fmt: skip
                pdf.savefig(page)
                self.plt.close(page)
        return len(self.pages)


def headline(sel: Selection, tables: list[KeyTable], findings: pd.DataFrame, goals_: pd.DataFrame,
             lang: str) -> str:  # fmt: skip
    """One paragraph from the data: what the key figures say and the caveats that matter."""
    n = len(sel.clusters)
    parts = []
    where = {"province": (f"{sel.name_zh}", f"In {sel.name_en}"), "industry": ("该行业", "In this industry"),
             "cluster": (sel.name_zh, sel.name_en)}[sel.kind]  # fmt: skip
    with_figures = {c for kt in tables for c in kt.rows["cluster_id"]}
    if sel.kind != "cluster":
        parts.append(f"{where[0]}共有{count(n, 'cluster', 'zh')}见于报告，其中{len(with_figures)}个有可比的实际数据。"
                     if lang == "zh" else f"{where[1]} the reports name {count(n, 'cluster', 'en')}; "
                     f"{len(with_figures)} of them have comparable actual figures.")  # fmt: skip
    lead = tables[:3] if sel.kind == "cluster" else sorted(tables, key=lambda k: -len(k.rows))[:2]
    for kt in lead:
        top = kt.rows.iloc[0]
        name = top["short_zh" if lang == "zh" else "short_en"]
        value = standard_value(top, lang)
        src = source_text(top, lang)
        if sel.kind == "cluster":
            parts.append(f"{kt.title(lang)}：{value}（{year_text(top, lang)}；{src}）。" if lang == "zh"
                         else f"{kt.title(lang)}: {value} ({year_text(top, lang)}; {src}).")  # fmt: skip
        elif len(kt.rows) == 1:
            parts.append(f"{kt.title(lang)}只有{name}一个数据：{value}。" if lang == "zh"
                         else f"{kt.title(lang)}: only {name} has a figure, {value}.")  # fmt: skip
        else:
            n_zh = count(len(kt.rows), "cluster", "zh")
            parts.append(f"{kt.title(lang)}以{name}最高（{value}，{src}），共{n_zh}有此数据。"
                         if lang == "zh" else f"{kt.title(lang)}: {name} is highest ({value}; {src}) of the "
                         f"{count(len(kt.rows), 'cluster', 'en')} with such a figure.")  # fmt: skip
    if not tables:
        parts.append("报告没有给出这些集群的全集群实际数据。" if lang == "zh"
                     else "The reports give no whole-cluster actual figure for these clusters.")  # fmt: skip
    unverified = sum(int(kt.rows["year_reliable"].astype(object).eq(False).sum()) for kt in tables)
    shown = sum(len(kt.rows) for kt in tables)
    if unverified:
        parts.append(
            f"其中{unverified}个数据的年份在原文中被改写，年份存疑。"
            if lang == "zh"
            else f"{unverified} of these {shown} figures carry an overwritten printed year (unverified)."
        )
    if len(findings):
        kinds = findings["status"].astype(str).value_counts()
        said = "、".join(f"{_l(GRADES[k][0], 'zh')}{v}条" for k, v in kinds.items()) if lang == "zh" else ", ".join(
            f"{v} {_l(GRADES[k][0], 'en').lower()}" + ("" if v == 1 else "s" if k != "depends_on_reading" else "")
            for k, v in kinds.items())  # fmt: skip
        first = findings.iloc[0]
        label = first["label_zh"] if lang == "zh" else english(str(first["label_en"]))
        parts.append(f"报告内部有{len(findings)}处不一致涉及这些数据（{said}），例如{label}。" if lang == "zh"
                     else f"The reports disagree with themselves on {count(len(findings), 'finding', 'en')} that "
                     f"touch these figures ({said}), e.g. {label}.")  # fmt: skip
    if len(goals_):
        parts.append(f"另有{count(len(goals_), 'figure', 'zh')}是目标、规划、产能或估计，单独列出。" if lang == "zh"
                     else f"{count(len(goals_), 'figure', 'en')} are targets, plans, capacities or estimates, "
                     "listed apart.")  # fmt: skip
    return "".join(parts) if lang == "zh" else " ".join(parts)


def write_pdf(sel: Selection, lang: str, tables: list[KeyTable], goals_: pd.DataFrame, charts_: list[Chart],
              findings: pd.DataFrame, path: Path, layout: dict | None = None) -> int:  # fmt: skip
    """Compose the A4 PDF; returns the number of pages. ``layout``, if given, receives ``pages``, ``tail_pt`` (the
    height used on the last page) and ``map_pt`` (the height the map was drawn at, 0 if none)."""
    from .charts import SOURCE_TEXT

    doc = _Doc(lang)
    title_key = {"province": "title_province", "industry": "title_industry", "cluster": "title_cluster"}[sel.kind]
    title = t(title_key, lang, name=sel.name(lang))
    n_articles = sel.facts["article_id"].nunique()
    doc.paragraph(title, size=17, gap=2, weight="bold")
    doc.paragraph(t("subtitle", lang, clusters=count(len(sel.clusters), "cluster", lang),
                    figures=count(len(sel.facts), "figure", lang), articles=count(n_articles, "article", lang)),
                  size=9, gap=1, color="#444444")  # fmt: skip
    version = dataset_version()
    doc.paragraph(t("dated", lang, date=_dt.date.today().isoformat(), version=version), size=7.5, gap=10,
                  color="#666666")  # fmt: skip
    doc.heading(t("headline", lang))
    doc.paragraph(headline(sel, tables, findings, goals_, lang), size=9, gap=8)
    doc.heading(t("included", lang))
    names = sel.clusters.sort_values(["province_zh", "short_zh"])
    listed = (("、".join(names["short_zh"])) if lang == "zh" else "; ".join(
        f"{a} ({p})" if sel.kind == "industry" else a for a, p in zip(names["short_en"], names["province_en"],
                                                                       strict=True)))  # fmt: skip
    doc.paragraph(f"{sel.how(lang)}。{count(len(sel.clusters), 'cluster', lang)}：{listed}。" if lang == "zh"
                  else f"Selected {sel.how(lang)}. {count(len(sel.clusters), 'cluster', lang)}: {listed}.",
                  size=8, gap=8)  # fmt: skip
    doc.heading(t("key_figures", lang))
    queued = list(charts_)
    by_table = {}
    for c in queued:
        by_table.setdefault(c.name, c)
    header = T["cols"][0 if lang == "zh" else 1]
    widths = [0.27, 0.14, 0.15, 0.14, 0.30] if lang == "zh" else [0.30, 0.24, 0.16, 0.30]
    pending: list[Chart] = []

    def flush_charts():
        while pending and doc.fits(pending[0]):
            doc.chart(pending.pop(0))

    if sel.kind == "cluster" and tables:
        rows = []
        for kt in tables:
            d = _display(kt.rows.head(1), lang).iloc[0]
            rows.append([kt.title(lang), d["as_printed"], d["value"], d["year"], d["source"]] if lang == "zh"
                        else [kt.title(lang), d["value"], d["year"], d["source"]])  # fmt: skip
        head = (["指标"] + header[1:]) if lang == "zh" else (["Figure"] + header[1:])
        doc.table(head, rows, widths)
    for kt in tables if sel.kind != "cluster" else []:
        d = _display(kt.rows.head(TABLE_ROWS), lang)
        extra = t("shown_of", lang, k=TABLE_ROWS, n=len(kt.rows)) if len(kt.rows) > TABLE_ROWS else count(
            len(kt.rows), "cluster", lang)  # fmt: skip
        doc.paragraph(f"{kt.title(lang)}（{extra}）" if lang == "zh" else f"{kt.title(lang)} ({extra})", size=9,
                      gap=2, weight="bold", keep=50)  # fmt: skip
        cols = ["entity", "as_printed", "value", "year", "source"] if lang == "zh" else ["entity", "value", "year",
                                                                                        "source"]  # fmt: skip
        doc.table(header, d[cols].values.tolist(), widths)
    if not tables:
        doc.paragraph(headline(sel, [], findings.iloc[0:0], goals_.iloc[0:0], lang), size=8.5)
    if len(goals_):
        doc.heading(t("goals", lang))
        g = goals_.head(10)
        gh = T["goal_cols"][0 if lang == "zh" else 1]
        gcols = ["entity", "figure", "as_printed", "kind", "year", "actual", "source"] if lang == "zh" else [
            "entity", "figure", "value", "kind", "year", "actual", "source"]  # fmt: skip
        doc.table(gh, g[gcols].values.tolist(), [0.17, 0.12, 0.13, 0.08, 0.12, 0.15, 0.23], size=7)
        if len(goals_) > 10:
            doc.paragraph(t("more_goals", lang, n=len(goals_) - 10), size=7.5)
    # charts: in order, each where it fits; text goes on meanwhile
    pending.extend(queued)
    while pending:
        if doc.fits(pending[0]):
            doc.chart(pending.pop(0))
        else:
            break
    doc.heading(t("findings", lang))
    if findings.empty:
        doc.paragraph(t("no_findings", lang), size=8.5)
    else:
        meaning = "；".join(f"{_l(n, 'zh')}：{_l(m, 'zh')}" for n, m in GRADES.values()) if lang == "zh" else "; ".join(
            f"{_l(n, 'en')}: {_l(m, 'en')}" for n, m in GRADES.values())  # fmt: skip
        doc.paragraph(meaning + ("。" if lang == "zh" else "."), size=7.5, gap=3, color="#444444")
        for r in findings.head(8).to_dict("records"):
            doc.paragraph("• " + finding_text(r, lang), size=8, gap=2, indent=4)
        if len(findings) > 8:
            doc.paragraph(t("more_findings", lang, n=len(findings) - 8), size=7.5)
    flush_charts()
    doc.heading(t("caveats", lang))
    for line in caveat_lines(sel, tables, lang):
        doc.paragraph("• " + line, size=8, gap=2, indent=4)
    flush_charts()
    doc.heading(t("sources", lang))
    arts = _articles_by_id()
    for a in sorted(set(sel.facts["article_id"].astype(str))):
        if a not in arts.index:
            continue
        r = arts.loc[a]
        issuer = str(r["issuer"] or "").strip()
        if lang == "zh":
            text = f"{r['short_zh']}：《{r['title_zh']}》" + (f"，{issuer}" if issuer else "") + f"；{r['source_file']}"
        else:
            text = (f"{r['short_en']}: {english(str(r['title_en']))} ({r['title_zh']})" +
                    (f", issued by ({issuer})" if issuer else "") + f"; file {r['source_file']}")  # fmt: skip
        doc.paragraph(text, size=7.5, gap=1.5, indent=4)
        for q in quoted_sources(sel, a, lang):
            doc.paragraph(q, size=7, gap=1.5, indent=14, color="#444444")
        flush_charts()
    while pending:
        doc.chart(pending.pop(0))
    footer = SOURCE_TEXT[lang] + (" " if lang == "en" else "") + t("dated", lang, date=_dt.date.today().isoformat(),
                                                                  version=version)  # fmt: skip
    if layout is not None:
        layout.update(tail_pt=PAGE_PT[1] - MARGIN_PT["top"] - doc.y, map_pt=doc.map_pt)
    n = doc.finish(path, title, footer)
    if layout is not None:
        layout["pages"] = n
    return n


def quoted_sources(sel: Selection, article_id: str, lang: str) -> list[str]:
    """The printed tables of ``article_id`` the brief's figures come from that quote an original source
    (``load.printed_tables``): ``Table 2 "…" quotes 秦海霞, …《小康》…, line 187``."""
    used = set(sel.facts.loc[sel.facts["article_id"].astype(str).eq(article_id), "printed_table"].astype(str))
    tables = load.printed_tables()
    out = []
    for r in tables[tables["article_id"].astype(str).eq(article_id)].to_dict("records"):
        if str(r["printed_table"]) not in used or not str(r["quoted_source_zh"] or ""):
            continue
        n = str(r["printed_table"]).removeprefix("table-")
        if lang == "zh":
            out.append(f"表{n}“{r['title_zh']}”的资料来源：{r['quoted_source_zh']}（第{r['source_line']}行）")
        else:
            out.append(f"Table {n} ({r['title_zh']}) quotes as its source ({r['quoted_source_zh']}), line "
                       f"{r['source_line']}")  # fmt: skip
    return out


#: A last page that uses less than this share of its text height is worth a second layout with a smaller map.
TAIL_SHARE = 0.45


def _write_pdf_fitted(sel: Selection, lang: str, tables: list[KeyTable], goals_: pd.DataFrame, charts_: list[Chart],
                      findings: pd.DataFrame, path: Path) -> int:  # fmt: skip
    """:func:`write_pdf`, and when its last page is mostly empty while the map was drawn taller than it need be, once
    more with the map shrunk by the last page's text (down to its minimum height): the shorter PDF is kept."""
    layout: dict = {}
    pages = write_pdf(sel, lang, tables, goals_, charts_, findings, path, layout)
    text_pt = PAGE_PT[1] - MARGIN_PT["top"] - MARGIN_PT["bottom"]
    maps_ = [c for c in charts_ if c.min_height_pt]
    if pages < 2 or not maps_ or not layout["map_pt"] or layout["tail_pt"] > TAIL_SHARE * text_pt:
        return pages
    m = maps_[0]
    smaller = max(m.min_height_pt, layout["map_pt"] - layout["tail_pt"] - 30)
    if smaller >= layout["map_pt"] - 1:
        return pages
    before = (m.height_pt, m.max_height_pt)
    m.height_pt = m.max_height_pt = smaller
    second = path.with_name(path.stem + ".fitted.pdf")
    fewer = write_pdf(sel, lang, tables, goals_, charts_, findings, second)
    if fewer < pages:
        second.replace(path)
        return fewer
    second.unlink()
    m.height_pt, m.max_height_pt = before
    return pages


def caveat_lines(sel: Selection, tables: list[KeyTable], lang: str) -> list[str]:
    shown = pd.concat([kt.rows for kt in tables], ignore_index=True) if tables else pd.DataFrame()
    out = []
    if len(shown):
        q = int(shown["qualifier"].astype(str).ne("exact").sum())
        if q:
            out.append(_l(CAVEATS["qualified"], lang).format(n=count(q, "figure", lang)))
        u = int(shown["year_reliable"].astype(object).eq(False).sum())
        if u:
            out.append(_l(CAVEATS["unverified"], lang).format(n=count(u, "figure", lang)))
        for kt in tables:
            years = sorted({str(y) for y in kt.rows["year"] if str(y)})
            if len(years) > 1:
                out.append(_l(CAVEATS["years"], lang).format(years=f"{kt.title(lang)}: {', '.join(years)}"))
                break
    other = sel.facts[sel.facts["kind"].eq("actual") & sel.facts["scope"].ne("cluster")]
    if len(other):
        out.append(_l(CAVEATS["scope"], lang).format(n=count(len(other), "figure", lang)))
    out.append(_l(CAVEATS["nominal"], lang))
    out.append(_l(CAVEATS["named"], lang))
    return out


def make_brief(province=None, industry=None, cluster=None, lang: str = "en", out_root: Path | None = None) -> Path:
    """Write a briefing folder (PDF, charts with data and citation, xlsx) and return it; nothing is left behind
    on failure."""
    import matplotlib.pyplot as plt

    from . import export
    from .charts import wrap_text
    from .style import check_lang
    from .write import write_workbook

    check_lang(lang)
    sel = select(province, industry, cluster)
    if sel.facts.empty and sel.clusters.empty:
        raise SelectionError(f"nothing in the data for {sel.name(lang)!r}")
    out_root = out_root or paths.BRIEFS_DIR
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / f"{sel.kind}-{sel.slug}_{lang}"
    tmp = Path(tempfile.mkdtemp(prefix=".brief-", dir=out_root))
    try:
        tables = key_tables(sel)
        goals_ = goals(sel, lang)
        shown = {f for kt in tables for f in kt.rows["fact_id"]} | set(goals_.get("fact_id", []))
        findings = contradictions(sel, shown)
        chart_list = make_charts(sel, tables)
        for c in chart_list:
            fig, ax = export.new_figure("full", height_cm=c.height_pt / 72 * 2.54)
            c.draw(ax, lang, "\n".join(wrap_text(c.title(lang), fig.get_figwidth() * 72 * 0.85, 10.5)))
            if getattr(fig, "_house_data", None) is None:
                from .charts import attach_data

                attach_data(fig, c.rows)
            export.save_figure(fig, c.name, out_dir=tmp, formats=("png", "svg"), title=(c.title_zh, c.title_en))
            plt.close(fig)
        _write_pdf_fitted(sel, lang, tables, goals_, chart_list, findings, tmp / "brief.pdf")
        key = key_figures(sel, lang)
        cols = ["fact_id", "cluster_id", "entity_zh", "entity_en", "metric", "value", "unit", "value_std",
                "unit_std", "value_low_std", "value_high_std", "qualifier", "kind", "scope", "basis",
                "share_of_where", "year", "year_reliable", "article_id", "printed_table", "source_file",
                "source_line", "figure_text", "note"]  # fmt: skip
        write_workbook(
            {
                "key_figures": key,
                "goals": goals_,
                "all_figures": sel.facts[cols],
                "clusters": sel.clusters,
                "findings": findings,
            },
            tmp / "figures.xlsx",
        )
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
