"""The static site: ``build/site/``, opened from ``file://`` with no server and no request leaving the machine.

Built from what the ``notebooks`` command produced (executed notebooks' HTML and the figures), the briefs in
``build/briefs/`` when there are any, and the clean data (through :mod:`helpers.load`)::

    index.html                      choose 中文 or English
    zh/, en/                        one tree per language, the same pages in both:
      index.html                    notebooks, each with its figures (title as caption), briefs, downloads
      notebooks/<name>.html         the executed notebook's HTML in that language (figures/ beside: PNG, SVG, CSV)
      clusters/index.html           every cluster, by province
      clusters/<cluster_id>.html    a profile per cluster: names, place, industry, status, every figure with its
                                    source line, every mention, the audit findings touching it, a locator map,
                                    the other clusters of its province and industry
      provinces/<code>.html         a page per province (and one for national figures): its clusters and figures
      facts.html                    every figure in one table: filters as you type, sorts, downloads the filtered
                                    rows as CSV; each row's fact_id is an anchor (facts.html#china-overview-054)
      briefs/                       the briefing packs of that language
    data/                           the downloads: the clean tables as CSV, xlsx, Parquet, datapackage.json
    maps/<cluster_id>.svg           locator maps (no text, shared by both languages)
    fonts/                          the CJK web font (the bundled Noto Sans CJK SC cut to the site's characters)
    assets/                         the stylesheet and the explorer's script (plain JavaScript, no library)

**Both languages.** ``build/notebooks/`` holds one language per run (``--lang``). :func:`build_site` takes the
notebooks of that language from there and, for the other language, runs the collection into
``build/site-work/<lang>/`` (unchanged notebooks are reused from that folder's cache, so a second build takes
seconds). With ``execute=False`` a language that has no executed notebooks gets a page per notebook saying how
to build it, so every page still exists in both languages.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import load, paths

LANGS = ("zh", "en")
#: Where the notebooks of a language missing from build/notebooks are executed (one output root per language).
WORK_DIR = paths.BUILD_DIR / "site-work"
SITE_DIR = paths.BUILD_DIR / "site"
#: Tables offered for download (what the build writes to data/clean).
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".parquet", ".json")
FIGURE_SUFFIXES = (".png", ".svg", ".pdf", ".csv")

T = {  # interface text: (zh, en)
    "site": ("中国产业集群", "China industrial clusters"),
    "tagline": (
        "从中文报告中整理的产业集群数字；每个数字都注明出处文件、行号和原文。",
        "Figures on Chinese industrial clusters curated from Chinese reports; every figure names its source file, "
        "line and the text as printed.",
    ),
    "home": ("首页", "Home"),
    "other_lang": ("English", "中文"),
    "notebooks": ("笔记本", "Notebooks"),
    "figures": ("图表", "Figures"),
    "clusters": ("产业集群", "Clusters"),
    "provinces": ("省份", "Provinces"),
    "facts": ("数字检索", "Fact explorer"),
    "facts_all": ("全部数字", "All figures"),
    "briefs": ("简报", "Briefs"),
    "no_briefs": (
        "尚未生成简报：`python -m helpers brief --province 浙江 --lang zh` 生成后重建本站。",
        "No briefs built yet: run `python -m helpers brief --province Zhejiang --lang en`, then build the site again.",
    ),
    "downloads": ("下载", "Downloads"),
    "downloads_note": (
        "清洗后的数据表：CSV（UTF-8 带 BOM）、Excel 工作簿、Parquet 以及 datapackage.json（数据字典）。",
        "The clean tables: CSV (UTF-8 with BOM), the Excel workbook, Parquet and datapackage.json (the schema).",
    ),
    "nb_missing": (
        "此语言的笔记本尚未执行。运行 `python -m helpers site`（会执行缺少的语言）后重建。",
        "The notebooks have not been executed in this language. Run `python -m helpers site` (it executes the "
        "missing language) to build them.",
    ),
    "open_nb": ("打开笔记本", "open the notebook"),
    "names": ("名称", "Names"),
    "place": ("地点", "Place"),
    "industry": ("行业", "Industry"),
    "gbt": ("国民经济行业分类 GB/T 4754-2017", "GB/T 4754-2017 sector"),
    "status": ("状态", "Status"),
    "type": ("类型", "Type"),
    "note": ("备注", "Note"),
    "figures_n": ("数字", "Figures"),
    "mentions": ("提及", "Mentions"),
    "audit": ("核查发现", "Audit findings"),
    "no_audit": ("没有涉及本集群数字的核查。", "No cross-check involves this cluster's figures."),
    "map": ("位置", "Location"),
    "map_note": (
        "点位为所在县或地级市的中心（空心：只知省份），非企业实际位置。",
        "The point marks the county or prefecture (hollow: only the province is known), not firm sites.",
    ),
    "same_province": ("同省其他集群", "Other clusters in the province"),
    "same_industry": ("同行业其他集群", "Other clusters in the industry"),
    "only_mentions": (
        "报告只提到此集群，没有给出数字。",
        "The reports name this cluster but give no figure for it.",
    ),
    "fact_id": ("编号", "fact_id"),
    "cluster": ("集群", "Cluster"),
    "province": ("省份", "Province"),
    "metric": ("指标", "Metric"),
    "printed": ("原文数字", "As printed"),
    "value": ("标准值 [下限–上限]", "Value [low–high]"),
    "kind": ("性质", "Kind"),
    "scope": ("范围", "Scope"),
    "year": ("年份", "Year"),
    "reliable": ("年份可靠", "Year reliable"),
    "article": ("文章", "Article"),
    "source": ("出处（文件:行）", "Source (file:line)"),
    "figure_text": ("原文", "Figure as printed"),
    "entity": ("对象", "Entity"),
    "name_printed": ("原文名称", "Name as printed"),
    "check": ("核查", "Check"),
    "grade": ("结论", "Grade"),
    "finding": ("说明", "Detail"),
    "filter": ("筛选（输入即筛选，空格分隔多个词）", "Filter (as you type; several words: all must match)"),
    "filter_col": ("按列筛选", "filter column"),
    "rows": ("行", "rows"),
    "of": ("共", "of"),
    "download_csv": ("下载筛选结果（CSV）", "Download the filtered rows (CSV)"),
    "clear": ("清除筛选", "Clear filters"),
    "sort_hint": ("点击列标题排序。", "Click a column heading to sort."),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "national": ("全国", "National"),
    "abroad": ("境外", "Outside China"),
    "no_cluster": ("—", "—"),
    "existing": ("现有", "existing"),
    "planned": ("规划中", "planned"),
    "n_clusters": ("{n} 个集群", "{n} cluster(s)"),
    "n_facts": ("{n} 个数字", "{n} figure(s)"),
    "with_figures": ("其中 {n} 个有数字", "{n} with figures"),
    "province_facts": ("本省的数字", "Figures for the province"),
    "national_facts": ("全国性的数字", "National figures"),
    "built": ("本站由 `python -m helpers site` 生成；离线可用。", "Built by `python -m helpers site`; works offline."),
    "choose": ("选择语言", "Choose a language"),
}
GRADES = {  # audit status: (zh, en), css class
    "contradiction": (("矛盾", "contradiction"), "bad"),
    "discrepancy": (("差异", "discrepancy"), "warn"),
    "depends_on_reading": (("取决于理解", "depends on the reading"), "warn"),
    "definition_check": (("口径待查", "definition check"), "info"),
    "consistent": (("一致", "consistent"), "ok"),
    "cannot_check": (("无法核查", "cannot check"), "info"),
}
KIND_NAMES = {"actual": ("实际", "actual"), "target": ("目标", "target"), "plan": ("规划", "plan"),
              "capacity": ("产能", "capacity"), "estimate": ("估计", "estimate")}  # fmt: skip
TYPE_NAMES = {"manufacturing": ("制造业", "manufacturing"), "agriculture": ("农业", "agriculture"),
              "services": ("服务业", "services"), "mixed": ("混合", "mixed")}  # fmt: skip
PREFIX = {"exact": "", "approx": "~", "more_than": ">", "at_least": "≥", "less_than": "<", "range": ""}


def _t(key: str, lang: str, **kw) -> str:
    text = T[key][0 if lang == "zh" else 1]
    return text.format(**kw) if kw else text


def _pick(zh, en, lang: str) -> str:
    zh, en = ("" if _blank(zh) else str(zh)), ("" if _blank(en) else str(en))
    return (zh or en) if lang == "zh" else (en or zh)


def _blank(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v)) or (isinstance(v, str) and not v.strip())


def _s(v) -> str:
    return "" if _blank(v) else str(v)


esc = html.escape


def _scope_labels() -> dict[str, tuple[str, str]]:
    try:
        from .charts import SCOPE_LABELS
    except ImportError:  # pragma: no cover - charts is being edited by others
        return {}
    return dict(SCOPE_LABELS)


def _num(x: float) -> str:
    if x is None or pd.isna(x):
        return ""
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) >= 1 else f"{x:.4g}"


def value_text(row) -> str:
    """``value_std`` in ``unit_std`` with its bounds where they differ: ``3,000 [3,000–4,000] count``."""
    v, lo, hi = row.get("value_std"), row.get("value_low_std"), row.get("value_high_std")
    if _blank(v):
        return ""
    text = PREFIX.get(_s(row.get("qualifier")), "") + _num(v)
    if not _blank(lo) and not _blank(hi) and (float(lo) != float(v) or float(hi) != float(v)):
        text += f" [{_num(lo)}–{_num(hi)}]"
    unit = _s(row.get("unit_std"))
    return f"{text} {unit}".strip()


# --- the data the pages show ------------------------------------------------------------------------------------


class Data:
    """The clean tables, read once, with the lookups the pages need."""

    def __init__(self):
        self.facts = load.facts()
        self.clusters = load.clusters()
        self.mentions = load.cluster_mentions()
        self.audit = load.audit()
        self.articles = load.articles().set_index("article_id")
        self.metrics = load.metrics().set_index("metric")
        self.provinces = load.provinces()
        self.scope_labels = _scope_labels()
        for df in (self.facts, self.clusters, self.mentions):
            for col in df.columns:
                if isinstance(df[col].dtype, pd.CategoricalDtype):
                    df[col] = df[col].astype("string")
        self.facts["cluster_id"] = self.facts["cluster_id"].fillna("")
        self.cluster_by_id = self.clusters.set_index("cluster_id")
        # Names by id as a dict: pages ask for them ~19,000 times per build, and a frame lookup each time took
        # about 6 s of the site's ~20 s (2026-12-02, profiled).
        self._names = dict(
            zip(self.clusters["cluster_id"], zip(self.clusters["name_zh"], self.clusters["name_en"], strict=True),
                strict=True)
        )  # fmt: skip
        self._metric_names = {
            m: (r["description_zh"], r["description_en"]) for m, r in self.metrics.to_dict("index").items()
        }
        self._article_names = {a: (r["short_zh"], r["short_en"]) for a, r in self.articles.to_dict("index").items()}
        self.facts_of = {cid: g for cid, g in self.facts[self.facts["cluster_id"] != ""].groupby("cluster_id")}
        self.mentions_of = {cid: g for cid, g in self.mentions.groupby("cluster_id")}
        prov = self.provinces.set_index("province_zh")
        self.province_code = prov["province_code"].astype(str).to_dict()
        self.province_en = prov["province_en"].astype(str).to_dict()
        self.audit_of: dict[str, list[int]] = {}
        cluster_of_fact = dict(zip(self.facts["fact_id"], self.facts["cluster_id"], strict=True))
        for i, ids in enumerate(self.audit["fact_ids"].astype(str)):
            for cid in {cluster_of_fact.get(f.strip(), "") for f in ids.split(";")} - {""}:
                self.audit_of.setdefault(cid, []).append(i)

    def cluster_name(self, cid: str, lang: str) -> str:
        if cid not in self._names:
            return cid
        return _pick(*self._names[cid], lang)

    def province_name(self, zh: str, lang: str) -> str:
        if zh in ("全国", "境外"):
            return _t("national" if zh == "全国" else "abroad", lang)
        return zh if lang == "zh" else self.province_en.get(zh, zh)

    def province_slug(self, zh: str) -> str:
        """File name of a province's page: its GB/T 2260 code; ``national``, ``abroad`` for 全国, 境外."""
        return {"全国": "national", "境外": "abroad"}.get(zh) or self.province_code.get(zh, zh)

    def metric_name(self, metric: str, lang: str) -> str:
        if metric not in self._metric_names:
            return metric
        return _pick(*self._metric_names[metric], lang)

    def article_name(self, aid: str, lang: str) -> str:
        if aid not in self._article_names:
            return aid
        return _pick(*self._article_names[aid], lang)

    def scope_name(self, scope: str, lang: str) -> str:
        zh, en = self.scope_labels.get(scope, (scope, scope))
        return zh if lang == "zh" else en


# --- page frame -------------------------------------------------------------------------------------------------


def _font_css(to_site: str) -> str:
    from .run_notebooks import WEB_FONT_NAME, web_font_css

    return web_font_css(f"{to_site}/fonts/{WEB_FONT_NAME}")


CSS = """
body { max-width: 78rem; margin: 0 auto; padding: 0 1rem 3rem; color: #222; line-height: 1.45; }
header.site { display: flex; gap: 1.2rem; align-items: baseline; flex-wrap: wrap; border-bottom: 1px solid #ddd;
  padding: .6rem 0; margin-bottom: 1rem; font-size: .95rem; }
header.site .brand { font-weight: 700; margin-right: auto; }
a { color: #0b5cad; text-decoration: none; } a:hover { text-decoration: underline; }
h1 { font-size: 1.6rem; margin: .4rem 0 .6rem; } h2 { font-size: 1.2rem; margin-top: 1.8rem; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; position: sticky; top: 0; }
dl.props { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.props dt { color: #555; } dl.props dd { margin: 0; }
.grade { padding: 0 .35rem; border-radius: .25rem; font-size: .8rem; white-space: nowrap; }
.grade.bad { background: #f6d2d2; } .grade.warn { background: #fbe7c3; } .grade.ok { background: #d8eed8; }
.grade.info { background: #dde7f3; }
.gallery { display: flex; flex-wrap: wrap; gap: 1rem; }
.gallery figure { width: 23rem; margin: 0; } .gallery img { width: 100%; border: 1px solid #ddd; }
figcaption { font-size: .85rem; } small, .muted { color: #666; }
.map { max-width: 26rem; } .map img { width: 100%; border: 1px solid #ddd; }
.cols { display: grid; grid-template-columns: 1fr 26rem; gap: 1.5rem; }
@media (max-width: 60rem) { .cols { grid-template-columns: 1fr; } }
.choose { display: flex; gap: 2rem; margin: 3rem 0; } .choose a { font-size: 2rem; border: 1px solid #ccc;
  padding: 1rem 2rem; border-radius: .5rem; }
#explorer-controls { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: .5rem 0; }
#q { width: 28rem; max-width: 100%; font-size: 1rem; padding: .3rem; }
thead input { width: 100%; box-sizing: border-box; font-size: .75rem; }
th.sortable { cursor: pointer; } th.sortable[aria-sort="ascending"]::after { content: " ▲"; }
th.sortable[aria-sort="descending"]::after { content: " ▼"; }
tr:target { background: #fff5b8; }
td.num { white-space: nowrap; } table.facts td:first-child { white-space: nowrap; }
"""


def _page(title: str, body: str, lang: str, depth: int, page_path: str) -> str:
    """A page of a language tree; ``depth``: folders below ``<lang>/``; ``page_path``: path from ``<lang>/``
    (for the link to the same page in the other language)."""
    up = "../" * depth
    to_site = up + ".."
    other = "en" if lang == "zh" else "zh"
    nav = (
        f'<header class="site"><a class="brand" href="{up}index.html">{esc(_t("site", lang))}</a>'
        f'<a href="{up}index.html#notebooks">{esc(_t("notebooks", lang))}</a>'
        f'<a href="{up}clusters/index.html">{esc(_t("clusters", lang))}</a>'
        f'<a href="{up}provinces/index.html">{esc(_t("provinces", lang))}</a>'
        f'<a href="{up}facts.html">{esc(_t("facts", lang))}</a>'
        f'<a href="{up}index.html#downloads">{esc(_t("downloads", lang))}</a>'
        f'<a href="{to_site}/{other}/{page_path}" hreflang="{other}">{esc(_t("other_lang", lang))}</a></header>'
    )
    return f"""<!doctype html>
<html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · {esc(_t("site", lang))}</title>
{_font_css(to_site)}<link rel="stylesheet" href="{to_site}/assets/site.css">
</head><body>
{nav}
{body}
<footer><p><small>{esc(_t("built", lang))}</small></p></footer>
</body></html>
"""


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """Cells are HTML already."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _grade(status: str, lang: str) -> str:
    (zh, en), cls = GRADES.get(status, ((status, status), "info"))
    return f'<span class="grade {cls}">{esc(zh if lang == "zh" else en)}</span>'


def _yes_no(v, lang: str) -> str:
    if _blank(v):
        return ""
    return _t("yes", lang) if bool(v) else _t("no", lang)


# --- figures and notebooks --------------------------------------------------------------------------------------

_SVG_TEXT = re.compile(r'<!-- ((?:(?!-->)[^<])*?) -->\s*<g [^>]*?transform="[^"]*?scale\(([\d.]+)')


def figure_title(svg: Path) -> str:
    """The chart's title: the largest text of its SVG (matplotlib writes each text as a comment before its glyph
    paths, scaled by font size / 100; the house style's title is the largest). Empty when there is no SVG."""
    try:
        text = svg.read_text(encoding="utf-8")
    except OSError:
        return ""
    best: tuple[float, str] | None = None
    for m in _SVG_TEXT.finditer(text):
        scale = float(m.group(2))
        if best is None or scale > best[0] + 1e-9:
            best = (scale, html.unescape(m.group(1)).strip())
    return best[1] if best else ""


def notebook_language(executed: Path) -> str | None:
    """The ``lang`` an executed notebook ran with (papermill's parameters, else its parameters cell); None when
    unreadable."""
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    params = nb.get("metadata", {}).get("papermill", {}).get("parameters", {})
    if params.get("lang") in LANGS:
        return params["lang"]
    lang = None
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            for m in re.finditer(r'^lang\s*=\s*["\'](zh|en)["\']', "".join(cell.get("source", "")), re.M):
                lang = m.group(1)
    return lang


def _has_notebook(root: Path, rel: str, lang: str) -> bool:
    """``root/notebooks/<rel>`` was executed in ``lang`` and has its HTML."""
    nb = root / "notebooks" / f"{rel}.ipynb"
    return nb.with_suffix(".html").is_file() and notebook_language(nb) == lang


def notebook_roots(
    execute: bool = True,
    progress: Callable[[str], None] = print,
    work_dir: Path | None = None,
    jobs: int = 0,
    formats: tuple[str, ...] | None = None,
) -> dict[str, list[Path]]:
    """For each language, the output roots of the notebooks command to take its notebooks from, in order: build/
    (each notebook there is used in the language it last ran in) and ``work_dir/<lang>`` (default
    build/site-work/). When a notebook is missing from build/ in a language and ``execute``, the collection is
    run into ``work_dir/<lang>`` in that language (notebooks unchanged since the last such run are reused)."""
    work_dir = Path(work_dir) if work_dir else WORK_DIR
    rels = [rel for rel, _, _ in _notebook_list()]
    roots: dict[str, list[Path]] = {}
    for lang in LANGS:
        here = [rel for rel in rels if _has_notebook(paths.BUILD_DIR, rel, lang)]
        roots[lang] = [paths.BUILD_DIR] if here else []
        if here:
            progress(f"site: {lang}: {len(here)} of {len(rels)} notebooks from {_shown(paths.BUILD_NOTEBOOKS_DIR)}")
        if len(here) == len(rels):
            continue
        root = work_dir / lang
        if execute:
            from .run_notebooks import run_collection

            todo = [r for r in rels if r not in here]
            progress(f"site: {lang}: executing {len(todo)} notebook(s) into {_shown(root)} (unchanged ones reused)")
            # the whole collection at once (in parallel) when none is here; else each missing one by name
            for pattern in [""] if not here else [f"{r}.ipynb" for r in todo]:
                report = run_collection(jobs=jobs, pattern=pattern, lang=lang, progress=progress, formats=formats,
                                        output_root=root)  # fmt: skip
                if report.status:
                    progress(f"site: {lang}: some notebooks failed; their pages show what ran")
        if (root / "notebooks").is_dir():
            roots[lang].append(root)
        missing = [r for r in rels if not any(_has_notebook(x, r, lang) for x in roots[lang])]
        if missing:
            progress(f"site: {lang}: not executed in this language: {', '.join(missing)} (their pages say how)")
    return roots


def _shown(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(p)


def _notebook_list() -> list[tuple[str, str, str]]:
    """(relative html path without suffix, e.g. "teaching/T1_growth_solutions", figure prefix, title)."""
    from .run_notebooks import _rel, discover, notebook_title

    out = []
    for nb in discover():
        rel = _rel(nb).with_suffix("").as_posix()
        out.append((rel, nb.stem.split("_")[0], notebook_title(nb)))
    return out


_FONT_URL = re.compile(r'url\("[^"]*fonts/NotoSansCJKsc-subset\.\w+"\)')
_INDEX_LINK = re.compile(r'href="((?:\.\./)*)index\.html"')


def _copy_notebook_page(src: Path, dst: Path, depth: int, font_name: str) -> str:
    """The notebook's HTML, its web-font URL pointing at the site's font and its back link at the language's
    index (``depth``: folders below ``<lang>/``). Returns the page text."""
    page = src.read_text(encoding="utf-8")
    up = "../" * depth
    page = _FONT_URL.sub(lambda m: f'url("{up}../fonts/{font_name}")', page)
    page = _INDEX_LINK.sub(lambda m: f'href="{up}index.html"', page)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(page, encoding="utf-8")
    return page


def _copy(src: Path, dst: Path) -> None:
    """copy2 unless the target already has the same size and modification time."""
    try:
        s, d = src.stat(), dst.stat()
        if s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime):
            return
    except OSError:
        pass
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


# --- locator maps -----------------------------------------------------------------------------------------------


class LocatorMaps:
    """One small SVG per cluster: the provinces (simplified to ~12 km), the cluster's province shaded, a dot at
    the cluster's county or prefecture (:func:`helpers.maps.locate_clusters`), no text (both languages share it)."""

    WIDTH = 400.0
    #: Islands smaller than this (m², about 25 km × 25 km) are left out: a locator needs the outline only.
    MIN_AREA = 6.0e8

    def __init__(self, clusters: pd.DataFrame):
        import geopandas as gpd

        from . import maps

        provinces = maps.load_provinces(crs=maps.CHINA_ALBERS)
        if hasattr(maps, "main_view"):
            provinces = maps.main_view(provinces)
        provinces = provinces[~provinces.geometry.is_empty]
        geoms = provinces.geometry.simplify(12000)
        minx, miny, maxx, maxy = provinces.total_bounds
        self.k = self.WIDTH / (maxx - minx)
        self.minx, self.maxy = minx, maxy
        self.height = (maxy - miny) * self.k
        self.paths = {str(code): self._d(g) for code, g in zip(provinces["province_code"], geoms, strict=True)}
        located = maps.locate_clusters(clusters)
        shown = located[located["place_level"] != "none"]
        pts = gpd.GeoSeries(gpd.points_from_xy(shown["lon"], shown["lat"]), crs="EPSG:4326").to_crs(maps.CHINA_ALBERS)
        self.points = {
            cid: (self._x(p.x), self._y(p.y), level)
            for cid, p, level in zip(shown["cluster_id"], pts, shown["place_level"], strict=True)
        }

    def _x(self, x: float) -> float:
        return (x - self.minx) * self.k

    def _y(self, y: float) -> float:
        return (self.maxy - y) * self.k

    def _d(self, geom) -> str:
        polys = getattr(geom, "geoms", [geom])
        parts = []
        for poly in polys:
            if poly.geom_type != "Polygon" or poly.area < self.MIN_AREA:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = " ".join(f"{self._x(x):.0f},{self._y(y):.0f}" for x, y in ring.coords)
                parts.append(f"M{xy}Z")
        return "".join(parts)

    def svg(self, cluster_id: str, province_code: str) -> str | None:
        if cluster_id not in self.points:
            return None
        x, y, level = self.points[cluster_id]
        shapes = "".join(
            f'<path d="{d}" fill="{"#9ec3e6" if code == province_code else "#e8e8e8"}" stroke="#fff" '
            'stroke-width="0.6"/>'
            for code, d in self.paths.items()
            if code != province_code
        )
        if province_code in self.paths:
            shapes += f'<path d="{self.paths[province_code]}" fill="#9ec3e6" stroke="#3d7ab8" stroke-width="0.8"/>'
        fill = "#ffffff" if level == "province" else "#d1495b"
        dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="#8a1c2b" stroke-width="1.6"/>'
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.WIDTH:.0f} {self.height:.0f}" '
            f'width="{self.WIDTH:.0f}" height="{self.height:.0f}"><rect width="100%" height="100%" fill="#fff"/>'
            f"{shapes}{dot}</svg>\n"
        )


# --- the pages --------------------------------------------------------------------------------------------------

FACT_COLUMNS = ("fact_id", "cluster", "province", "metric", "printed", "value", "kind", "scope", "year", "reliable",
                "article", "source", "figure_text")  # fmt: skip


def _fact_cells(data: Data, r, lang: str, up: str, with_cluster: bool = True) -> list[str]:
    """One fact as table cells (HTML); ``up``: from the page to ``<lang>/``."""
    cid = _s(r["cluster_id"])
    cluster = (
        f'<a href="{up}clusters/{esc(cid)}.html">{esc(data.cluster_name(cid, lang))}</a>'
        if cid
        else _t("no_cluster", lang)
    )
    prov = _s(r["province_zh"])
    cells = [
        f'<a href="{up}facts.html#{esc(r["fact_id"])}">{esc(r["fact_id"])}</a>',
        cluster,
        f'<a href="{up}provinces/{esc(data.province_slug(prov))}.html">{esc(data.province_name(prov, lang))}</a>'
        if prov
        else "",
        esc(data.metric_name(_s(r["metric"]), lang)),
        esc(f"{_s(r['value'])} {_s(r['unit'])}".strip()),
        f'<span class="num">{esc(value_text(r))}</span>',
        esc(_pick(*KIND_NAMES.get(_s(r["kind"]), (_s(r["kind"]),) * 2), lang)),
        esc(data.scope_name(_s(r["scope"]), lang)),
        esc(_s(r["year"])),
        esc(_yes_no(r["year_reliable"], lang)),
        esc(data.article_name(_s(r["article_id"]), lang)),
        f"<code>{esc(_s(r['source_file']))}:{esc(_s(r['source_line']))}</code>",
        esc(_s(r["figure_text"])),
    ]
    return cells if with_cluster else cells[:1] + cells[2:]


def _facts_table(data: Data, facts: pd.DataFrame, lang: str, up: str, with_cluster: bool = True) -> str:
    cols = [c for c in FACT_COLUMNS if with_cluster or c != "cluster"]
    rows = [_fact_cells(data, r, lang, up, with_cluster) for _, r in facts.iterrows()]
    return _table([_t(c, lang) for c in cols], rows, "facts")


def _cluster_links(data: Data, ids: list[str], lang: str, prefix: str = "") -> str:
    if not ids:
        return '<p class="muted">—</p>'
    items = "".join(f'<li><a href="{prefix}{esc(c)}.html">{esc(data.cluster_name(c, lang))}</a></li>' for c in ids)
    return f"<ul>{items}</ul>"


def cluster_page(data: Data, cid: str, lang: str, has_map: bool) -> str:
    r = data.cluster_by_id.loc[cid]
    name = data.cluster_name(cid, lang)
    other_name = _pick(r["name_en"], r["name_zh"], lang)
    prov = _s(r["province_zh"])
    place = " · ".join(
        x
        for x in (
            f'<a href="../provinces/{esc(data.province_slug(prov))}.html">{esc(data.province_name(prov, lang))}</a>'
            if prov
            else "",
            *(esc(_s(r[c])) for c in ("prefecture_zh", "county_zh", "town_zh") if _s(r[c])),
        )
        if x
    )
    if lang == "en" and _s(r["place_en"]):
        place += f" <small>({esc(_s(r['place_en']))})</small>"
    industry = esc(_pick(r["industry_zh"], r["industry_en"], lang))
    gbt = " ".join(x for x in (_s(r["gbt4754_section"]), _s(r["gbt4754_division"])) if x)
    status = _s(r["status"])
    props = [
        (_t("names", lang), f"{esc(_s(r['name_zh']))} · {esc(_s(r['name_en']))}"),
        (_t("place", lang), place),
        (_t("industry", lang), industry),
        (_t("gbt", lang), f"{esc(gbt)} <small>{esc(_s(r['sector_en']))}</small>"),
        (_t("type", lang), esc(_pick(*TYPE_NAMES.get(_s(r["cluster_type"]), (_s(r["cluster_type"]),) * 2), lang))),
        (_t("status", lang), esc(_t(status, lang) if status in T else status)),
    ]
    if _s(r["note"]):
        props.append((_t("note", lang), esc(_s(r["note"]))))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in props)
    facts = data.facts_of.get(cid)
    mentions = data.mentions_of.get(cid, pd.DataFrame(columns=data.mentions.columns))
    map_html = (
        f'<figure class="map"><a href="../../maps/{esc(cid)}.svg"><img src="../../maps/{esc(cid)}.svg" '
        f'alt="{esc(_t("map", lang))}: {esc(name)}"></a><figcaption>{esc(_t("map_note", lang))}</figcaption></figure>'
        if has_map
        else ""
    )
    parts = [
        f"<h1>{esc(name)}</h1><p class='muted'>{esc(other_name)} · <code>{esc(cid)}</code></p>",
        f'<div class="cols"><dl class="props">{dl}</dl>{map_html}</div>',
    ]
    if facts is None or facts.empty:
        parts.append(f"<p>{esc(_t('only_mentions', lang))}</p>")
    else:
        parts.append(f'<h2 id="figures">{esc(_t("figures_n", lang))} ({len(facts)})</h2>')
        parts.append(_facts_table(data, facts, lang, "../", with_cluster=False))
        findings = data.audit.iloc[data.audit_of.get(cid, [])]
        parts.append(f'<h2 id="audit">{esc(_t("audit", lang))} ({len(findings)})</h2>')
        if findings.empty:
            parts.append(f"<p class='muted'>{esc(_t('no_audit', lang))}</p>")
        else:
            rows = []
            for _, a in findings.sort_values("status", key=lambda s: s.map(list(GRADES).index)).iterrows():
                ids = ", ".join(
                    f'<a href="../facts.html#{esc(f.strip())}">{esc(f.strip())}</a>'
                    for f in _s(a["fact_ids"]).split(";")
                    if f.strip()
                )
                label = _pick(a["label_zh"], a["label_en"], lang) or _s(a["description"])
                rows.append(
                    [
                        f"<code>{esc(_s(a['check_id']))}</code>",
                        _grade(_s(a["status"]), lang),
                        esc(label),
                        ids,
                        f"<small>{esc(_s(a['detail']) or _s(a['finding']))}</small>",
                    ]
                )
            parts.append(_table([_t("check", lang), _t("grade", lang), _t("audit", lang), _t("figures_n", lang),
                                 _t("finding", lang)], rows))  # fmt: skip
    mrows = [
        [
            f"<code>{esc(_s(m['source_file']))}:{esc(_s(m['source_line']))}</code>",
            esc(data.article_name(_s(m["article_id"]), lang)),
            esc(_s(m["name_printed"])),
        ]
        for _, m in mentions.iterrows()
    ]
    parts.append(f'<h2 id="mentions">{esc(_t("mentions", lang))} ({len(mrows)})</h2>')
    parts.append(_table([_t("source", lang), _t("article", lang), _t("name_printed", lang)], mrows))
    c = data.clusters
    same_prov = c[(c["province_zh"] == prov) & (c["cluster_id"] != cid)]["cluster_id"].tolist() if prov else []
    div = _s(r["gbt4754_division"])
    same_ind = (
        c[(c["gbt4754_division"].astype("string") == div) & (c["cluster_id"] != cid)]["cluster_id"].tolist()
        if div
        else []
    )
    parts.append(f"<h2>{esc(_t('same_province', lang))}</h2>{_cluster_links(data, same_prov, lang)}")
    parts.append(
        f"<h2>{esc(_t('same_industry', lang))} <small>(GB/T 4754 {esc(div)})</small></h2>"
        f"{_cluster_links(data, same_ind, lang)}"
    )
    return _page(name, "\n".join(parts), lang, 1, f"clusters/{cid}.html")


def clusters_index(data: Data, lang: str) -> str:
    parts = [f"<h1>{esc(_t('clusters', lang))} ({len(data.clusters)})</h1>"]
    for prov, g in data.clusters.groupby("province_zh", sort=True):
        rows = [
            [
                f'<a href="{esc(r["cluster_id"])}.html">{esc(data.cluster_name(r["cluster_id"], lang))}</a>',
                esc(_pick(r["industry_zh"], r["industry_en"], lang)),
                esc(_pick(*TYPE_NAMES.get(_s(r["cluster_type"]), (_s(r["cluster_type"]),) * 2), lang)),
                esc(_t(_s(r["status"]), lang) if _s(r["status"]) in T else _s(r["status"])),
                str(len(data.facts_of.get(r["cluster_id"], ()))),
                str(len(data.mentions_of.get(r["cluster_id"], ()))),
            ]
            for _, r in g.iterrows()
        ]
        parts.append(
            f'<h2><a href="../provinces/{esc(data.province_slug(prov))}.html">{esc(data.province_name(prov, lang))}'
            f"</a> <small>({len(g)})</small></h2>"
        )
        parts.append(_table([_t("cluster", lang), _t("industry", lang), _t("type", lang), _t("status", lang),
                             _t("figures_n", lang), _t("mentions", lang)], rows))  # fmt: skip
    return _page(_t("clusters", lang), "\n".join(parts), lang, 1, "clusters/index.html")


def province_list(data: Data) -> list[str]:
    """Provinces with a cluster or a figure (short Chinese names), then 全国 (national figures) and any other
    place (境外, abroad)."""
    have = set(data.clusters["province_zh"].dropna()) | set(data.facts["province_zh"].dropna())
    order = [p for p in data.provinces["province_zh"] if p in have]
    return order + sorted(have - set(order), key=lambda p: (p != "全国", p))


def province_page(data: Data, prov: str, lang: str) -> str:
    name = data.province_name(prov, lang)
    cl = data.clusters[data.clusters["province_zh"] == prov]
    facts = data.facts[data.facts["province_zh"] == prov]
    parts = [
        f"<h1>{esc(name)}</h1>",
        f"<p>{esc(_t('n_clusters', lang, n=len(cl)))} · {esc(_t('n_facts', lang, n=len(facts)))}</p>",
    ]
    if len(cl):
        rows = [
            [
                f'<a href="../clusters/{esc(r["cluster_id"])}.html">'
                f"{esc(data.cluster_name(r['cluster_id'], lang))}</a>",
                esc(_pick(r["industry_zh"], r["industry_en"], lang)),
                esc(" ".join(x for x in (_s(r["prefecture_zh"]), _s(r["county_zh"])) if x)),
                str(len(data.facts_of.get(r["cluster_id"], ()))),
            ]
            for _, r in cl.iterrows()
        ]
        parts.append(f"<h2>{esc(_t('clusters', lang))}</h2>")
        parts.append(
            _table([_t("cluster", lang), _t("industry", lang), _t("place", lang), _t("figures_n", lang)], rows)
        )
    parts.append(f"<h2>{esc(_t('national_facts' if prov == '全国' else 'province_facts', lang))} ({len(facts)})</h2>")
    parts.append(_facts_table(data, facts, lang, "../"))
    return _page(name, "\n".join(parts), lang, 1, f"provinces/{data.province_slug(prov)}.html")


def provinces_index(data: Data, lang: str) -> str:
    rows = []
    for prov in province_list(data):
        rows.append(
            [
                f'<a href="{esc(data.province_slug(prov))}.html">{esc(data.province_name(prov, lang))}</a>',
                str(int((data.clusters["province_zh"] == prov).sum())),
                str(int((data.facts["province_zh"] == prov).sum())),
            ]
        )
    body = f"<h1>{esc(_t('provinces', lang))}</h1>" + _table(
        [_t("province", lang), _t("clusters", lang), _t("figures_n", lang)], rows
    )
    return _page(_t("provinces", lang), body, lang, 1, "provinces/index.html")


def facts_records(data: Data) -> list[dict[str, str]]:
    """Every fact as published in data/clean/facts.csv (strings, its columns in order), in the order of
    :func:`helpers.load.facts`: what the explorer's CSV download writes."""
    raw = pd.read_csv(paths.CLEAN_DIR / "facts.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_id = {r["fact_id"]: r for r in raw.to_dict("records")}
    return [by_id[f] for f in data.facts["fact_id"]]


def facts_page(data: Data, lang: str) -> str:
    """The explorer: the whole table in the page (so every fact_id anchor works without script), a filter box,
    a filter per column, sorting by column, and a CSV download of the rows shown."""
    cols = list(FACT_COLUMNS)
    rows = []
    records = facts_records(data)
    for (_, r), rec in zip(data.facts.iterrows(), records, strict=True):
        cells = _fact_cells(data, r, lang, "")
        cells[0] = f'<a href="#{esc(r["fact_id"])}">{esc(r["fact_id"])}</a>'
        rows.append(f'<tr id="{esc(rec["fact_id"])}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f'<th class="sortable" data-col="{i}">{esc(_t(c, lang))}</th>' for i, c in enumerate(cols))
    filters = "".join(
        f'<th><input type="search" data-col="{i}" aria-label="{esc(_t("filter_col", lang))}: {esc(_t(c, lang))}"></th>'
        for i, c in enumerate(cols)
    )
    payload = json.dumps(records, ensure_ascii=False).replace("</", "<\\/")
    strings = json.dumps({"rows": _t("rows", lang), "of": _t("of", lang)}, ensure_ascii=False)
    body = f"""<h1>{esc(_t("facts", lang))}</h1>
<p class="muted">{esc(_t("sort_hint", lang))}</p>
<div id="explorer-controls">
<label>{esc(_t("filter", lang))}<br><input id="q" type="search" autocomplete="off"></label>
<span id="count" aria-live="polite"></span>
<button id="download" type="button">{esc(_t("download_csv", lang))}</button>
<button id="clear" type="button">{esc(_t("clear", lang))}</button>
</div>
<table id="facts" class="facts"><thead><tr>{head}</tr><tr class="filters">{filters}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<script type="application/json" id="fact-data">{payload}</script>
<script>window.EXPLORER_TEXT = {strings};</script>
<script src="../assets/facts.js"></script>
"""
    return _page(_t("facts", lang), body, lang, 0, "facts.html")


FACTS_JS = r"""// The fact explorer: filter as you type, sort, download the rows shown as CSV. No library, no network.
(function () {
  "use strict";
  var table = document.getElementById("facts");
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var records = JSON.parse(document.getElementById("fact-data").textContent);
  var byId = {};
  records.forEach(function (r) { byId[r.fact_id] = r; });
  var text = rows.map(function (tr) {
    return Array.prototype.map.call(tr.cells, function (td) { return td.textContent.toLowerCase(); });
  });
  rows.forEach(function (tr, i) { tr._i = i; });
  var q = document.getElementById("q");
  var colInputs = Array.prototype.slice.call(table.querySelectorAll("thead input[data-col]"));
  var count = document.getElementById("count");
  var T = window.EXPLORER_TEXT || {rows: "rows", of: "of"};

  function visible() { return rows.filter(function (tr) { return !tr.hidden; }); }

  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var cols = colInputs.map(function (el) { return [Number(el.dataset.col), el.value.trim().toLowerCase()]; })
      .filter(function (c) { return c[1]; });
    var shown = 0;
    rows.forEach(function (tr) {
      var cells = text[tr._i];
      var all = cells.join(" \u0001 ");
      var ok = words.every(function (w) { return all.indexOf(w) >= 0; }) &&
        cols.every(function (c) { return cells[c[0]].indexOf(c[1]) >= 0; });
      tr.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " / " + rows.length + " " + T.rows;
    count.dataset.shown = String(shown);
  }

  function sortBy(th) {
    var col = Number(th.dataset.col);
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("th.sortable").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var num = function (s) {
      var m = s.replace(/[,\s]/g, "").match(/^[~><≥]*(-?\d+(\.\d+)?(e[+-]?\d+)?)/i);
      return m ? parseFloat(m[1]) : NaN;
    };
    var sorted = rows.slice().sort(function (a, b) {
      var x = text[a._i][col], y = text[b._i][col];
      var nx = num(x), ny = num(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return (c || a._i - b._i) * dir;
    });
    sorted.forEach(function (tr) { tbody.appendChild(tr); });
  }

  function csvCell(v) {
    v = v == null ? "" : String(v);
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function download() {
    var cols = records.length ? Object.keys(records[0]) : [];
    var lines = [cols.map(csvCell).join(",")];
    Array.prototype.forEach.call(tbody.rows, function (tr) {
      if (tr.hidden) return;
      var r = byId[tr.id];
      lines.push(cols.map(function (c) { return csvCell(r[c]); }).join(","));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "facts-filtered.csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  q.addEventListener("input", apply);
  colInputs.forEach(function (el) { el.addEventListener("input", apply); });
  table.querySelectorAll("th.sortable").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  document.getElementById("download").addEventListener("click", download);
  document.getElementById("clear").addEventListener("click", function () {
    q.value = ""; colInputs.forEach(function (el) { el.value = ""; }); apply();
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var tr = id && document.getElementById(id);
    if (tr && tr.hidden) { q.value = ""; colInputs.forEach(function (el) { el.value = ""; }); apply(); }
    if (tr) tr.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", reveal);
  var params = new URLSearchParams(location.search);
  if (params.get("q")) q.value = params.get("q");
  apply();
  reveal();
})();
"""


def lang_index(data: Data, lang: str, notebooks: list[tuple[str, str, str]], have_nb: bool, fig_dir: Path,
               briefs: list[tuple[str, list[str]]], downloads: list[str]) -> str:  # fmt: skip
    parts = [f"<h1>{esc(_t('site', lang))}</h1><p>{esc(_t('tagline', lang))}</p>"]
    n_profiles = sum(1 for c in data.clusters["cluster_id"] if c in data.facts_of)
    parts.append(
        f"<p><a href='clusters/index.html'>{esc(_t('clusters', lang))}</a> "
        f"({esc(_t('n_clusters', lang, n=len(data.clusters)))}, {esc(_t('with_figures', lang, n=n_profiles))}) · "
        f"<a href='provinces/index.html'>{esc(_t('provinces', lang))}</a> · "
        f"<a href='facts.html'>{esc(_t('facts', lang))}</a> ({esc(_t('n_facts', lang, n=len(data.facts)))})</p>"
    )
    parts.append(f'<h2 id="notebooks">{esc(_t("notebooks", lang))}</h2>')
    if not have_nb:
        parts.append(f"<p class='muted'>{esc(_t('nb_missing', lang))}</p>")
    for rel, prefix, title in notebooks:
        parts.append(f'<h3><a href="notebooks/{esc(rel)}.html">{esc(title)}</a></h3>')
        figs = sorted(fig_dir.glob(f"{prefix}_*_{lang}.png")) if fig_dir.is_dir() else []
        items = []
        for png in figs:
            caption = figure_title(png.with_suffix(".svg")) or png.stem
            links = " · ".join(
                f'<a href="figures/{esc(png.stem)}{sfx}">{sfx[1:].upper()}</a>'
                for sfx in FIGURE_SUFFIXES
                if png.with_suffix(sfx).is_file()
            )
            items.append(
                f'<figure><a href="figures/{esc(png.name)}"><img src="figures/{esc(png.name)}" alt="{esc(caption)}" '
                f'loading="lazy"></a><figcaption>{esc(caption)}<br><small>{links}</small></figcaption></figure>'
            )
        if items:
            parts.append(f'<div class="gallery">{"".join(items)}</div>')
    parts.append(f'<h2 id="briefs">{esc(_t("briefs", lang))}</h2>')
    if briefs:
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{esc(name)}: "
                + " · ".join(f'<a href="briefs/{esc(name)}/{esc(f)}">{esc(f)}</a>' for f in files)
                + "</li>"
                for name, files in briefs
            )
            + "</ul>"
        )
    else:
        parts.append(f"<p class='muted'>{esc(_t('no_briefs', lang))}</p>")
    parts.append(f'<h2 id="downloads">{esc(_t("downloads", lang))}</h2><p>{esc(_t("downloads_note", lang))}</p>')
    parts.append("<ul>" + "".join(f'<li><a href="../data/{esc(f)}">{esc(f)}</a></li>' for f in downloads) + "</ul>")
    return _page(_t("site", lang), "\n".join(parts), lang, 0, "index.html")


def missing_notebook_page(title: str, lang: str, depth: int, rel: str) -> str:
    body = f"<h1>{esc(title)}</h1><p>{esc(_t('nb_missing', lang))}</p>"
    return _page(title, body, lang, depth, f"notebooks/{rel}.html")


def root_index() -> str:
    from .run_notebooks import WEB_FONT_NAME, web_font_css

    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>中国产业集群 · China industrial clusters</title>
{web_font_css(f"fonts/{WEB_FONT_NAME}")}<link rel="stylesheet" href="assets/site.css">
</head><body>
<h1>中国产业集群 · China industrial clusters</h1>
<p>{esc(T["tagline"][0])}<br>{esc(T["tagline"][1])}</p>
<h2>{esc(T["choose"][0])} · {esc(T["choose"][1])}</h2>
<div class="choose"><a href="zh/index.html" hreflang="zh">中文</a>
<a href="en/index.html" hreflang="en">English</a></div>
</body></html>
"""


# --- the build --------------------------------------------------------------------------------------------------


def _briefs(briefs_dir: Path, lang: str) -> list[tuple[str, list[str]]]:
    if not briefs_dir.is_dir():
        return []
    out = []
    for folder in sorted(p for p in briefs_dir.iterdir() if p.is_dir() and p.name.endswith(f"_{lang}")):
        files = sorted(f.name for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))
        if files:
            out.append((folder.name, files))
    return out


def build_site(
    out_dir: Path | None = None,
    roots: dict[str, Path | list[Path]] | None = None,
    briefs_dir: Path | None = None,
    progress: Callable[[str], None] = print,
    execute: bool = True,
    jobs: int = 0,
    formats: tuple[str, ...] | None = None,
) -> Path:
    """Write the site into ``out_dir`` (default build/site/); returns its index.html.

    ``roots``: per language, output roots of the notebooks command (``notebooks/``, ``figures/``), each notebook
    taken from the first that executed it in that language; by default :func:`notebook_roots` (build/, then
    build/site-work/<lang>/, executed there when a notebook is missing and ``execute``). ``briefs_dir``:
    default build/briefs/."""
    t0 = time.perf_counter()
    out = Path(out_dir) if out_dir else SITE_DIR
    if roots is None:
        roots = notebook_roots(execute=execute, progress=progress, jobs=jobs, formats=formats)
    briefs_dir = Path(briefs_dir) if briefs_dir else paths.BRIEFS_DIR
    data = Data()
    progress(f"site: {len(data.facts)} facts, {len(data.clusters)} clusters → {_shown(out)}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    (out / "assets" / "site.css").write_text(CSS.lstrip(), encoding="utf-8")
    (out / "assets" / "facts.js").write_text(FACTS_JS, encoding="utf-8")

    downloads = []
    for f in sorted(paths.CLEAN_DIR.iterdir()):
        if f.suffix in DOWNLOAD_SUFFIXES and f.is_file():
            _copy(f, out / "data" / f.name)
            downloads.append(f.name)
    progress(f"site: downloads: {len(downloads)} files in data/")

    maps_dir = out / "maps"
    maps_dir.mkdir(exist_ok=True)
    have_map: set[str] = set()
    try:
        locator = LocatorMaps(data.clusters)
    except Exception as exc:  # helpers.maps is being redesigned: a site without maps beats no site
        progress(f"site: no locator maps ({type(exc).__name__}: {exc})")
        locator = None
    if locator is not None:
        for _, r in data.clusters.iterrows():
            svg = locator.svg(r["cluster_id"], str(r["province_code"]))
            if svg:
                (maps_dir / f"{r['cluster_id']}.svg").write_text(svg, encoding="utf-8")
                have_map.add(r["cluster_id"])
        progress(f"site: locator maps: {len(have_map)} of {len(data.clusters)} clusters placed")

    from .run_notebooks import WEB_FONT_NAME, _page_chars

    notebooks = _notebook_list()
    chars: set[str] = set()

    def write(path: Path, page: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        chars.update(_page_chars(page))

    write(out / "index.html", root_index())
    for lang in LANGS:
        tree = out / lang
        fig_dir = tree / "figures"
        candidates = roots.get(lang) or []
        candidates = [Path(candidates)] if isinstance(candidates, str | Path) else [Path(r) for r in candidates]
        done = 0
        for rel, prefix, title in notebooks:
            depth = rel.count("/") + 1
            root = next((r for r in candidates if _has_notebook(r, rel, lang)), None)
            dst = tree / "notebooks" / f"{rel}.html"
            if root is None:
                write(dst, missing_notebook_page(title, lang, depth, rel))
                continue
            src = root / "notebooks" / f"{rel}.html"
            page = _copy_notebook_page(src, dst, depth, WEB_FONT_NAME)
            chars.update(_page_chars(page))
            _copy(src.with_suffix(".ipynb"), dst.with_suffix(".ipynb"))
            for f in sorted((root / "figures").glob(f"{prefix}_*_{lang}.*")):
                if f.suffix in FIGURE_SUFFIXES:
                    _copy(f, fig_dir / f.name)
            done += 1
        progress(f"site: {lang}: {done} of {len(notebooks)} notebook pages")
        briefs = _briefs(briefs_dir, lang)
        for name, files in briefs:
            for f in files:
                _copy(briefs_dir / name / f, tree / "briefs" / name / f)
        write(
            tree / "index.html", lang_index(data, lang, notebooks, done == len(notebooks), fig_dir, briefs, downloads)
        )
        for cid in data.clusters["cluster_id"]:
            write(tree / "clusters" / f"{cid}.html", cluster_page(data, cid, lang, cid in have_map))
        write(tree / "clusters" / "index.html", clusters_index(data, lang))
        provs = province_list(data)
        for prov in provs:
            write(tree / "provinces" / f"{data.province_slug(prov)}.html", province_page(data, prov, lang))
        write(tree / "provinces" / "index.html", provinces_index(data, lang))
        write(tree / "facts.html", facts_page(data, lang))
        progress(
            f"site: {lang}: index, {len(data.clusters)} cluster pages, {len(provs)} province pages, facts.html, "
            f"{len(briefs)} brief(s)"
        )
    _write_font("".join(sorted(chars)), out, progress)  # CJK only: _page_chars kept nothing else
    progress(f"site: done in {time.perf_counter() - t0:.1f}s: {_shown(out / 'index.html')}")
    return out / "index.html"


def _write_font(chars: str, out: Path, progress: Callable[[str], None]) -> None:
    """The web font of the notebooks' pages (helpers.run_notebooks.write_web_font), cut to the site's characters,
    in ``out/fonts/``."""
    from .run_notebooks import Layout, write_web_font

    font = write_web_font(chars, Layout.of(out))
    if font is None:
        progress("site: the noto-cjk-sans-otc package is missing: no web font (Chinese needs a system font)")
    else:
        progress(f"site: web font {font.name} ({len(chars)} characters, {font.stat().st_size // 1024} kB)")


def facts_csv_text(records: list[dict[str, str]]) -> str:
    """The CSV the explorer downloads for ``records`` (for tests): header, CRLF lines, quoting as needed."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if records:
        w.writerow(list(records[0]))
        for r in records:
            w.writerow(list(r.values()))
    return buf.getvalue()


__all__ = ["build_site", "notebook_roots", "figure_title", "facts_records", "value_text"]
