"""How to cite a chart: the text of ``<name>.cite.txt`` beside every saved chart, in Chinese and English.

:func:`citation` names the project and the dataset version, the chart's file, and for the rows drawn the articles
(short title as printed, issuing body where printed), the printed tables (their title as printed and the original
source they quote, from ``data/raw/printed_tables.csv``) and the report files and lines:

>>> from helpers import cite, load
>>> rows = load.facts(article_id="china-overview", printed_table="table-2").head(3)
>>> print(cite.citation(rows, "shares.png").splitlines()[1])  # doctest: +ELLIPSIS
Chart shares.png. Data: China overview, Table 2 "浙江主要块状经济发展情况" (which quotes 秦海霞,...), file 003_...

Rows without an article (a map's clusters) are cited through the lines that name each cluster
(``cluster_mentions.csv``).
"""

from __future__ import annotations

import json

import pandas as pd

from . import load, paths
from .schema import PROJECT_TITLE

#: The project's name in each language, spelt as in the charts' footers (helpers.charts.SOURCE_TEXT).
PROJECT_NAME = {"zh": f"{PROJECT_TITLE}（中国产业集群笔记）", "en": PROJECT_TITLE}


def dataset_version() -> str:
    """The version of ``data/clean`` (its ``datapackage.json``), or ``"?"``."""
    try:
        return str(json.loads((paths.CLEAN_DIR / "datapackage.json").read_text(encoding="utf-8"))["version"])
    except (OSError, KeyError, ValueError):
        return "?"


def _lines(lines: list[int], lang: str) -> str:
    """``line 171``, ``lines 147, 150``, ``lines 41–44``, ``lines 147–185`` (more than four apart: first–last);
    ``第171行``, ``第147–185行``."""
    got = sorted(set(lines))
    if not got:
        return ""
    if len(got) == 1:
        return f"第{got[0]}行" if lang == "zh" else f"line {got[0]}"
    if len(got) > 4 or got[-1] - got[0] == len(got) - 1:
        text = f"{got[0]}–{got[-1]}"
    else:
        text = ("、" if lang == "zh" else ", ").join(map(str, got))
    return f"第{text}行" if lang == "zh" else f"lines {text}"


def _line_column(df: pd.DataFrame, col: str):
    if col not in df.columns:
        return [float("nan")] * len(df)
    return pd.to_numeric(df[col].astype("string"), errors="coerce").to_numpy(dtype=float, na_value=float("nan"))


def sources(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per article, printed table and file of ``rows``: article_id, printed_table, source_file, lines (a
    sorted list). Rows with a cluster but no article go through the lines that name the cluster."""
    df = rows.copy()
    if "article_id" not in df.columns and "cluster_id" in df.columns:
        df = load.cluster_mentions()
        df = df[df["cluster_id"].astype(str).isin(set(rows["cluster_id"].astype(str)))]
    if "article_id" not in df.columns or "source_file" not in df.columns:
        return pd.DataFrame(columns=["article_id", "printed_table", "source_file", "lines"])
    table = df["printed_table"] if "printed_table" in df.columns else pd.Series("", index=df.index)
    frame = pd.DataFrame(
        {
            "article_id": df["article_id"].astype("string").fillna("").to_numpy(),
            "printed_table": table.astype("string").fillna("").to_numpy(),
            "source_file": df["source_file"].astype("string").fillna("").to_numpy(),
            "line": _line_column(df, "source_line"),
        }
    )
    if "source_line" not in df.columns and {"first_line", "last_line"} <= set(df.columns):  # whole articles: a span
        spans = zip(_line_column(df, "first_line"), _line_column(df, "last_line"), strict=True)
        frame["line"] = [list(range(int(a), int(b) + 1)) if a == a and b == b else [] for a, b in spans]
        frame = frame.explode("line")
    frame = frame[frame["article_id"].ne("")]
    out = [
        {
            "article_id": a,
            "printed_table": t,
            "source_file": f,
            "lines": sorted(int(x) for x in pd.to_numeric(g["line"], errors="coerce").dropna()),
        }
        for (a, t, f), g in frame.groupby(["article_id", "printed_table", "source_file"], sort=True)
    ]
    return pd.DataFrame(out, columns=["article_id", "printed_table", "source_file", "lines"])


def _one(src: dict, arts: pd.DataFrame, tables: pd.DataFrame, lang: str) -> str:
    """``China overview, Table 2 "…" (which quotes …), file 003_….txt lines 147–185``."""
    a = src["article_id"]
    art = arts.loc[a] if a in arts.index else None
    name = str(art["short_zh" if lang == "zh" else "short_en"]) if art is not None else a
    if lang == "zh" and art is not None:
        name = f"《{name}》"
    issuer = str(art["issuer"] or "").strip() if art is not None else ""
    if issuer:
        name += f"（{issuer}）" if lang == "zh" else f" (issued by {issuer})"
    table = src["printed_table"]
    if table.startswith("table-"):
        n = table.removeprefix("table-")
        printed = tables.loc[(a, table)] if (a, table) in tables.index else None
        title = str(printed["title_zh"]) if printed is not None else ""
        quoted = str(printed["quoted_source_zh"] or "") if printed is not None else ""
        if lang == "zh":
            name += f"，表{n}" + (f"“{title}”" if title else "") + (f"（资料来源：{quoted}）" if quoted else "")
        else:
            name += f", Table {n}" + (f' "{title}"' if title else "") + (f" (which quotes {quoted})" if quoted else "")
    where = _lines(src["lines"], lang)
    if lang == "zh":
        return f"{name}，{src['source_file']}" + (f" {where}" if where else "")
    return f"{name}, file {src['source_file']}" + (f" {where}" if where else "")


def citation(rows: pd.DataFrame | None, file_name: str, title_zh: str = "", title_en: str = "",
             version: str | None = None) -> str:  # fmt: skip
    """The citation of a chart, a Chinese line then an English line: the chart (title if given, file name), the
    sources of ``rows`` (article, printed table and the source it quotes, file and lines), the project and the
    dataset version."""
    version = dataset_version() if version is None else version
    found = sources(rows) if rows is not None else sources(pd.DataFrame())
    arts = load.articles().set_index("article_id")
    tables = load.printed_tables().set_index(["article_id", "printed_table"])
    recs = found.to_dict("records")
    zh_src = "；".join(_one(r, arts, tables, "zh") for r in recs) or "见同名数据文件（.csv）"
    en_src = "; ".join(_one(r, arts, tables, "en") for r in recs) or "see the data file of the same name (.csv)"
    zh_head = f"{title_zh}（图表 {file_name}）" if title_zh else f"图表 {file_name}"
    en_head = f"{title_en} (chart {file_name})" if title_en else f"Chart {file_name}"
    return (
        f"{zh_head}。数据：{zh_src}。经 {PROJECT_NAME['zh']} 整理，数据集版本 {version}。\n"
        f"{en_head}. Data: {en_src}. Curated by {PROJECT_NAME['en']}, dataset version {version}.\n"
    )


__all__ = ["PROJECT_NAME", "citation", "dataset_version", "sources"]
