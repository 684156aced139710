"""Briefing packs on demand: a province's, an industry's or a cluster's figures on one to three A4 pages.

``python -m helpers brief --province 浙江 --lang en`` writes to ``build/briefs/<selection>_<lang>/``:
``brief.pdf`` (A4: key figures with their sources, three or four charts, the caveats), the charts as PNG and SVG,
and ``figures.xlsx`` with every figure used. The folder is written whole or not at all.
"""

from __future__ import annotations

import difflib
import math
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import load, paths
from .audit import FINDINGS_ABOUT_REPORTS

A4_IN = (8.27, 11.69)
MONEY_METRICS = ["output_value", "revenue", "sales", "exports", "profit_tax", "profit", "investment"]
KEY_METRICS = MONEY_METRICS + ["firms", "employees", "market_share_national", "market_share_world", "growth_rate"]

T = {  # interface text: (zh, en)
    "title_province": ("{name}产业集群简报", "Industrial clusters in {name}: briefing"),
    "title_industry": ("产业集群简报：{name}", "Industrial clusters briefing: {name}"),
    "title_cluster": ("{name}：集群简报", "{name}: cluster briefing"),
    "subtitle": (
        "{n_clusters}个集群，{n_facts}个数据，来自{n_articles}篇文章",
        "{n_clusters} clusters; {n_facts} figures; articles: {n_articles}",
    ),
    "key_figures": ("主要数据", "Key figures"),
    "cols": (
        ["集群/对象", "指标", "原文", "标准值", "年份", "出处"],
        ["Cluster / entity", "Metric", "As printed", "Standard value", "Year", "Source"],
    ),
    "charts": ("图表", "Charts"),
    "caveats": ("注意事项", "Caveats"),
    "qualified": ("{n}个数据带有限定词（多、近、以上等），为约数或界限而非精确值。",
                  "{n} figures carry qualifiers (多, 近, 以上 …): they are approximations or bounds, not points."),
    "unreliable": ("{n}个数据的年份在原文中明显被改写（如2024、2025年），年份照录，不可当作真实日期。",
                   "{n} figures carry a printed year that was evidently overwritten in the copies (e.g. 2024, "
                   "2025): the year is kept as printed and must not be read as a real date."),
    "targets": ("{n}个数据是目标、规划、产能或估计，而非实际值。",
                "{n} figures are targets, plans, capacities or estimates, not outcomes."),
    "mixed": ("各数据来自不同文章、年份和统计口径，不宜直接加总。",
              "Figures come from different articles, years and definitions: do not add them up."),
    "contradictions": ("报告内部的矛盾（见 audit.csv）：", "Contradictions inside the reports (audit.csv):"),
    "no_contradictions": ("本选择涉及的数据未发现内部矛盾。", "No contradiction found among these figures."),
    "page": ("第{i}页，共{n}页", "page {i} of {n}"),
    "source": ("资料来源：产业集群相关中文报告，由“中国产业集群笔记本”项目整理；每个数据注明文件与行号。",
               "Source: Chinese reports on industrial clusters, curated by China industrial clusters notebooks; "
               "each figure gives its report file and line."),
    "composition": ("数据构成", "What the figures are"),
    "share_title": ("市场份额", "Market shares"),
    "firms_title": ("企业数", "Number of firms"),
    "map_title": ("集群分布", "Where the clusters are"),
}  # fmt: skip


def t(key: str, lang: str, **kw) -> str:
    zh, en = T[key]
    text = zh if lang == "zh" else en
    return text.format(**kw) if kw else text


class SelectionError(ValueError):
    """An unknown or ambiguous name; the message lists the close matches."""


@dataclass
class Selection:
    """What a briefing covers: its kind, display names, clusters and facts."""

    kind: str  # province | industry | cluster
    name_zh: str
    name_en: str
    slug: str
    clusters: pd.DataFrame
    facts: pd.DataFrame

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


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


def select(province: str | None = None, industry: str | None = None, cluster: str | None = None) -> Selection:
    """Resolve exactly one of ``province`` (浙江, 浙江省, Zhejiang), ``industry`` (text in the printed industry, its
    English name or sector: 纺织, textiles) or ``cluster`` (id, Chinese or English name) to a :class:`Selection`."""
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
        return Selection("province", short, en, _slug(en), sel_clusters, sel_facts)
    if industry:
        needle = industry.strip().lower()
        hay = (
            clusters["industry_zh"].str.lower() + " | " + clusters["industry_en"].str.lower() + " | "
            + clusters["sector_en"].astype("string").fillna("").str.lower()
        )  # fmt: skip
        sel_clusters = clusters[hay.str.contains(needle, regex=False)]
        if sel_clusters.empty:
            candidates = {}
            for r in clusters.itertuples():
                candidates[str(r.industry_zh)] = f"{r.industry_en} ({r.industry_zh})"
                candidates[str(r.industry_en)] = f"{r.industry_en} ({r.industry_zh})"
            raise _close(industry, candidates, "industry")
        sel_facts = facts[facts["cluster_id"].isin(sel_clusters["cluster_id"])]
        common_zh = str(sel_clusters["industry_zh"].mode().iloc[0])
        common_en = str(sel_clusters["industry_en"].mode().iloc[0])
        name_zh = industry if not industry.isascii() else common_zh
        name_en = industry if industry.isascii() else common_en
        return Selection("industry", name_zh, name_en, _slug(industry), sel_clusters, sel_facts)
    key = cluster.strip()
    by = {}
    for r in clusters.itertuples():
        for k in (r.cluster_id, r.name_zh, r.name_en, r.name_std_zh):
            if k:
                by[str(k)] = r.cluster_id
    ident = by.get(key) or {k.lower(): v for k, v in by.items()}.get(key.lower())
    if ident is None:
        raise _close(key, {k: f"{k} ({v})" for k, v in by.items()}, "cluster")
    sel_clusters = clusters[clusters["cluster_id"] == ident]
    row = sel_clusters.iloc[0]
    return Selection("cluster", str(row["name_zh"]), str(row["name_en"]), ident, sel_clusters,
                     facts[facts["cluster_id"] == ident])  # fmt: skip


def _fmt_value(value: float, unit_std: str, lang: str) -> str:
    """A standard value for the key-figures table: 亿元 in Chinese, CNY m/bn in English, % for ratios."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit_std == "ratio":
        return f"{value * 100:.3g}%"
    if unit_std in ("CNY", "USD"):
        if lang == "zh":
            return f"{value / 1e8:,.6g}亿{'元' if unit_std == 'CNY' else '美元'}"
        if value >= 1e9:
            return f"{unit_std} {value / 1e9:,.4g} bn".replace("e+", "e")
        return f"{unit_std} {value / 1e6:,.4g} m"
    units = {"count": ("", ""), "persons": ("人", " persons")}
    zh, en = units.get(unit_std, (unit_std, " " + unit_std))
    return f"{value:,.0f}{zh if lang == 'zh' else en}" if float(value).is_integer() else f"{value:,.4g}{en}"


def key_figures(sel: Selection, lang: str, limit: int = 14) -> pd.DataFrame:
    """One row per (entity, metric) among the key metrics, preferring actual figures with reliable years."""
    f = sel.facts[sel.facts["metric"].isin(KEY_METRICS) & sel.facts["value_std"].notna()].copy()
    if f.empty:
        f = sel.facts[sel.facts["value_std"].notna()].copy()
    names = sel.clusters.set_index("cluster_id")["name_zh" if lang == "zh" else "name_en"]
    own = f["entity_zh"] if lang == "zh" else f["entity_en"]
    f["entity"] = f["cluster_id"].map(names).fillna(own).where(f["cluster_id"].ne(""), own)
    f["_actual"] = f["kind"].astype("string").eq("actual")
    f["_reliable"] = f["year_reliable"].fillna(True).astype(bool)
    f["_metric_rank"] = f["metric"].astype("string").map({m: i for i, m in enumerate(KEY_METRICS)}).fillna(99)
    # Figures about named clusters first (a region's or a firm's figure, or a size threshold, is context).
    f["_cluster"] = f["cluster_id"].ne("")
    f = f.sort_values(
        ["_actual", "_cluster", "_metric_rank", "_reliable", "value_std"], ascending=[False, False, True, False, False]
    )
    f = f.drop_duplicates(["entity", "metric"])
    # Spread the rows over entities: each entity's best figure first, then each one's second best, and so on.
    f["_round"] = f.groupby("entity", sort=False).cumcount()
    f = f.sort_values(["_cluster", "_round"], ascending=[False, True], kind="stable").head(limit)
    metric_names = load.metrics().set_index("metric")["description_zh" if lang == "zh" else "description_en"]
    out = pd.DataFrame(
        {
            "fact_id": f["fact_id"],
            "entity": f["entity"],
            "metric": f["metric"].astype("string").map(lambda m: str(metric_names.get(m, m)).split("/")[0]),
            "as_printed": f["figure_text"],
            "standard": [
                _fmt_value(v, u, lang) for v, u in zip(f["value_std"], f["unit_std"].astype("string"), strict=True)
            ],
            "year": [
                (y + ("?" if r is False else "")) if y else "–"
                for y, r in zip(f["year"], f["year_reliable"].astype("object"), strict=True)
            ],
            "source": [
                f"{s[:3]}:{n}" for s, n in zip(f["source_file"].astype("string"), f["source_line"], strict=True)
            ],
        }
    )
    return out.reset_index(drop=True)


def contradictions(sel: Selection) -> pd.DataFrame:
    """Findings about the reports (contradiction, discrepancy, depends_on_reading) touching the selection's facts."""
    audit = load.audit(status=FINDINGS_ABOUT_REPORTS)
    ids = set(sel.facts["fact_id"])
    mask = audit["fact_ids"].map(lambda s: bool(ids & set(s.split(";"))))
    return audit[mask].reset_index(drop=True)


def _charts(sel: Selection, lang: str, out_dir: Path) -> list[dict[str, Path]]:
    """Draw three or four charts with the house helpers; returns their saved files."""
    import matplotlib.pyplot as plt

    from . import charts, export, maps

    saved = []
    best = load.best_figures(metric=MONEY_METRICS)
    best = best[best["cluster_id"].isin(sel.clusters["cluster_id"])]
    if not best.empty:
        metric = best["metric"].value_counts().idxmax()
        money = best[(best["metric"] == metric) & (best["unit_std"] == "CNY")]
        if not money.empty:
            fig, _ = charts.bar_ranked(money, lang=lang, unit="亿元", top=10,
                                       title=_metric_title(metric, lang), width="full")  # fmt: skip
            saved.append(export.save_figure(fig, f"brief_{metric}", out_dir=out_dir, formats=("png", "svg")))
            plt.close(fig)
    shares = sel.facts[sel.facts["metric"].isin(["market_share_national", "market_share_world"])
                       & sel.facts["cluster_id"].ne("") & sel.facts["value_std"].notna()]  # fmt: skip
    if not shares.empty:
        shares = shares.merge(sel.clusters[["cluster_id", "name_zh", "name_en"]], on="cluster_id")
        shares = shares.sort_values("value_std", ascending=False).drop_duplicates("cluster_id")
        one_metric = shares[shares["metric"] == shares["metric"].value_counts().idxmax()]
        fig, _ = charts.bar_ranked(one_metric, lang=lang, unit="%", top=10, title=T["share_title"], width="full")
        saved.append(export.save_figure(fig, "brief_market_share", out_dir=out_dir, formats=("png", "svg")))
        plt.close(fig)
    if not sel.clusters.empty:
        fig, _ = maps.cluster_points(sel.clusters, lang=lang, title=T["map_title"], labels=len(sel.clusters) <= 8,
                                     width="full")  # fmt: skip
        saved.append(export.save_figure(fig, "brief_map", out_dir=out_dir, formats=("png", "svg")))
        plt.close(fig)
    saved.append(_composition_chart(sel, lang, out_dir))
    return saved[:4]


def _metric_title(metric: str, lang: str) -> tuple[str, str]:
    row = load.metrics().set_index("metric").loc[metric]
    return str(row["description_zh"]).split("/")[0], str(row["description_en"])


def _composition_chart(sel: Selection, lang: str, out_dir: Path) -> dict[str, Path]:
    """Bars: how many of the figures are exact, qualified, targets, with unreliable years."""
    import matplotlib.pyplot as plt

    from . import charts, export

    f = sel.facts
    rows = [
        (("精确的实际值", "exact actual figures"), int(((f["qualifier"] == "exact") & (f["kind"] == "actual")).sum())),
        (("带限定词", "qualified (多, 近, 以上 …)"), int((f["qualifier"] != "exact").sum())),
        (("目标、规划、产能、估计", "targets, plans, capacity, estimates"), int((f["kind"] != "actual").sum())),
        (("年份不可信", "year unverified"), int((f["year_reliable"] == False).sum())),  # noqa: E712
    ]
    fig, ax = export.new_figure("full", aspect=0.3)
    labels = [zh if lang == "zh" else en for (zh, en), _ in rows]
    values = [v for _, v in rows]
    ax.barh(labels[::-1], values[::-1], color="#0072B2")
    for y, v in enumerate(values[::-1]):
        ax.text(v, y, f" {v}", va="center")
    ax.set_xlabel("数据个数（个）" if lang == "zh" else "number of figures")
    ax.set_title(t("composition", lang))
    charts.add_source(fig, lang=lang)
    paths_ = export.save_figure(fig, "brief_composition", out_dir=out_dir, formats=("png", "svg"))
    plt.close(fig)
    return paths_


def _wrap(text: str, columns: int) -> list[str]:
    """Wrap text to ``columns`` where a Chinese character counts as two columns and a Latin one as one."""
    lines, line, width = [], "", 0
    for word in re.findall(r"[\u2e80-\uffef]|\S+\s*|\s+", text):
        w = sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in word)
        if width + w > columns and line.strip():
            lines.append(line.rstrip())
            line, width = "", 0
            word = word.lstrip()
        line += word
        width += w
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _text_page(fig, lines: list[tuple[str, float, float]], top: float = 0.93) -> float:
    """Write (text, size in pt, gap) lines from ``top`` down a page, wrapping long ones; return the last y."""
    y = top
    for text, size, gap in lines:
        for part in _wrap(text, int(118 * 9 / size)):
            fig.text(0.07, y, part, fontsize=size, va="top")
            y -= size / 72 / A4_IN[1] * 1.45
        y -= gap
    return y


def _caveat_lines(
    sel: Selection, issues: pd.DataFrame, lang: str, max_issues: int = 8
) -> list[tuple[str, float, float]]:
    """The caveats block: qualifiers, unreliable years, targets, mixed sources, then the contradictions."""
    f = sel.facts
    lines = [(t("caveats", lang), 13, 0.006)]
    for key, n in (
        ("qualified", int((f["qualifier"] != "exact").sum())),
        ("unreliable", int((f["year_reliable"] == False).sum())),  # noqa: E712
        ("targets", int((f["kind"] != "actual").sum())),
    ):
        if n:
            lines.append(("• " + t(key, lang, n=n), 8.5, 0.003))
    lines.append(("• " + t("mixed", lang), 8.5, 0.01))
    if issues.empty:
        lines.append((t("no_contradictions", lang), 8.5, 0))
        return lines
    lines.append((t("contradictions", lang), 10, 0.004))
    facts_by_id = load.facts().set_index("fact_id")
    for r in list(issues.itertuples())[:max_issues]:
        where = "; ".join(
            f"{facts_by_id.loc[i, 'figure_text']} ({str(facts_by_id.loc[i, 'source_file'])[:3]}:"
            f"{facts_by_id.loc[i, 'source_line']})"
            for i in r.fact_ids.split(";") if i in facts_by_id.index
        )  # fmt: skip
        lines.append((f"• {r.check_id}: {r.description} — {where}", 8, 0.002))
    if len(issues) > max_issues:
        more = len(issues) - max_issues
        lines.append((f"… +{more} (figures.xlsx, contradictions)", 8, 0))
    return lines


def write_pdf(sel: Selection, lang: str, table: pd.DataFrame, chart_files: list[dict[str, Path]],
              issues: pd.DataFrame, path: Path) -> int:  # fmt: skip
    """Compose the A4 PDF: key figures, charts, caveats. Returns the number of pages."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from .style import use_house_style

    use_house_style()
    pages = []
    title_key = {"province": "title_province", "industry": "title_industry", "cluster": "title_cluster"}[sel.kind]
    n_articles = sel.facts["article_id"].nunique()
    # page 1: title, key figures with their sources, caveats
    fig = plt.figure(figsize=A4_IN, layout="none")
    y = _text_page(fig, [
        (t(title_key, lang, name=sel.name(lang)), 17, 0.004),
        (t("subtitle", lang, n_clusters=len(sel.clusters), n_facts=len(sel.facts), n_articles=n_articles), 10, 0.02),
        (t("key_figures", lang), 13, 0.0),
    ])  # fmt: skip
    if not table.empty:
        row_h = 0.021
        height = row_h * (len(table) + 1)
        ax = fig.add_axes([0.06, y - height - 0.01, 0.88, height])
        ax.axis("off")
        cells = table[["entity", "metric", "as_printed", "standard", "year", "source"]].astype(str).values.tolist()
        widths = (34, 24, 16, 18, 10, 10) if lang == "en" else (20, 12, 12, 14, 10, 10)
        cells = [[c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)] for row in cells]
        tab = ax.table(cellText=cells, colLabels=T["cols"][0 if lang == "zh" else 1], loc="upper center",
                       cellLoc="left", colLoc="left", colWidths=[0.3, 0.2, 0.13, 0.15, 0.1, 0.12],
                       bbox=[0, 0, 1, 1])  # fmt: skip
        tab.auto_set_font_size(False)
        tab.set_fontsize(7.5)
        for (r, _), cell in tab.get_celld().items():
            cell.set_edgecolor("#cccccc")
            if r == 0:
                cell.set_facecolor("#eeeeee")
        y = y - height - 0.035
    _text_page(fig, _caveat_lines(sel, issues, lang), top=y)
    fig.text(0.07, 0.035, t("source", lang), fontsize=6.5)
    pages.append(fig)
    # pages 2 and 3: two charts each, full width, kept in proportion
    for pair in (chart_files[:2], chart_files[2:4]):
        if not pair:
            continue
        fig = plt.figure(figsize=A4_IN, layout="none")
        if len(pages) == 1:
            _text_page(fig, [(t("charts", lang), 13, 0)], top=0.965)
        for i, files in enumerate(pair):
            ax = fig.add_axes([0.06, 0.5 - i * 0.46, 0.88, 0.43])
            ax.imshow(mpimg.imread(files["png"]), interpolation="antialiased")
            ax.set_anchor("N")
            ax.axis("off")
        pages.append(fig)
    with PdfPages(path, metadata={"Title": t(title_key, lang, name=sel.name(lang)), "Creator": "helpers.brief"}) as pdf:
        for i, page in enumerate(pages, start=1):
            page.text(0.93, 0.02, t("page", lang, i=i, n=len(pages)), fontsize=7, ha="right")
            pdf.savefig(page)
            plt.close(page)
    return len(pages)


def make_brief(province=None, industry=None, cluster=None, lang: str = "en", out_root: Path | None = None) -> Path:
    """Write a briefing folder (PDF, charts, xlsx) and return it; nothing is left behind on failure."""
    from .style import check_lang

    check_lang(lang)
    sel = select(province, industry, cluster)
    if sel.facts.empty and sel.clusters.empty:
        raise SelectionError(f"nothing in the data for {sel.name(lang)!r}")
    out_root = out_root or paths.BRIEFS_DIR
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / f"{sel.kind}-{sel.slug}_{lang}"
    tmp = Path(tempfile.mkdtemp(prefix=".brief-", dir=out_root))
    try:
        table = key_figures(sel, lang)
        issues = contradictions(sel)
        chart_files = _charts(sel, lang, tmp)
        write_pdf(sel, lang, table, chart_files, issues, tmp / "brief.pdf")
        with pd.ExcelWriter(tmp / "figures.xlsx", engine="openpyxl") as xl:
            table.to_excel(xl, sheet_name="key_figures", index=False)
            cols = ["fact_id", "cluster_id", "entity_zh", "metric", "value", "unit", "value_std", "unit_std",
                    "qualifier", "kind", "year", "year_reliable", "source_file", "source_line", "figure_text",
                    "note"]  # fmt: skip
            sel.facts[cols].astype({"year_reliable": "object"}).to_excel(xl, sheet_name="all_figures", index=False)
            sel.clusters.to_excel(xl, sheet_name="clusters", index=False)
            issues.to_excel(xl, sheet_name="contradictions", index=False)
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
