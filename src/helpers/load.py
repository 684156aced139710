"""Load the clean tables as typed DataFrames, with the filters people need.

Tables are read once per process (Parquet where the build wrote it, else the committed CSV) and each call returns
a copy, so callers may modify what they get. Columns are typed: identifiers and vocabularies are categoricals,
line numbers nullable integers, ``year_reliable`` a nullable boolean; ``value_std``, ``value_low_std`` and
``value_high_std`` are floats in ``unit_std`` (CNY, USD, ratio 0–1, count, persons, t, mu, m2, km2, m3 …).

>>> from helpers import load
>>> load.facts(province="浙江", metric="output_value", reliable_years_only=False).shape[0] > 0
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from . import paths
from .schema import TABLES

__all__ = [
    "facts",
    "clusters",
    "provinces",
    "articles",
    "audit",
    "metrics",
    "cluster_mentions",
    "typology",
    "target_pairs",
    "selections",
    "fact_labels",
    "industry_terms",
    "printed_tables",
    "clear_cache",
]

QUALIFIER_ORDER = ["exact", "approx", "range", "at_least", "more_than", "less_than"]
KIND_ORDER = ["actual", "estimate", "capacity", "target", "plan"]


def clear_cache() -> None:
    """Forget tables read so far (after rebuilding ``data/clean`` in the same process)."""
    _read.cache_clear()


@functools.cache
def _read(table: str) -> pd.DataFrame:
    parquet = paths.CLEAN_DIR / f"{table}.parquet"
    csv = paths.CLEAN_DIR / f"{table}.csv"
    if parquet.exists() and (not csv.exists() or parquet.stat().st_mtime >= csv.stat().st_mtime):
        df = pd.read_parquet(parquet)
    elif csv.exists():
        df = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    else:
        raise FileNotFoundError(f"{csv} not found: run `python -m helpers build` first")
    return _typed(table, df)


def _typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Column types from the schema: numbers float64, integers Int64, booleans boolean, vocabularies category."""
    df = df.copy()
    for f in TABLES[table].clean_fields:
        col = df[f.name]
        if f.type == "number":
            df[f.name] = pd.to_numeric(col.replace("", None), errors="coerce").astype("float64")
        elif f.type == "integer":
            df[f.name] = pd.to_numeric(col.replace("", None), errors="coerce").astype("Int64")
        elif f.type == "boolean":
            df[f.name] = col.map({"true": True, "false": False, True: True, False: False}).astype("boolean")
        elif f.categorical:
            df[f.name] = col.astype("string").replace("", pd.NA).astype("category")
        else:
            df[f.name] = col.astype("string").fillna("")
    if table == "facts":
        df["qualifier"] = df["qualifier"].cat.set_categories(QUALIFIER_ORDER)
        df["kind"] = df["kind"].cat.set_categories(KIND_ORDER)
    return df


def _as_list(x: str | Iterable[str] | None) -> list[str] | None:
    if x is None:
        return None
    return [x] if isinstance(x, str) else list(x)


def provinces() -> pd.DataFrame:
    """The 34 provincial-level divisions: ``province_code`` (GB/T 2260), names, NBS ``region``, ``coastal``."""
    return _read("provinces").copy()


def _province_names(province: str | Iterable[str] | None) -> list[str] | None:
    """Accept short (浙江), full (浙江省) or English (Zhejiang) names; return short Chinese names."""
    wanted = _as_list(province)
    if wanted is None:
        return None
    p = _read("provinces")
    lookup = {}
    for row in p.itertuples():
        for key in (row.province_zh, row.province_full_zh, row.province_en, str(row.province_en).lower()):
            lookup[key] = row.province_zh
    lookup.update({"全国": "全国", "China": "全国", "china": "全国"})
    out = []
    for name in wanted:
        if name not in lookup and name.lower() not in lookup:
            raise KeyError(f"unknown province {name!r}; known: {', '.join(p['province_zh'])}")
        out.append(lookup.get(name, lookup.get(name.lower())))
    return out


def facts(
    province: str | Iterable[str] | None = None,
    region: str | Iterable[str] | None = None,
    metric: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    cluster_id: str | Iterable[str] | None = None,
    article_id: str | Iterable[str] | None = None,
    reliable_years_only: bool = False,
) -> pd.DataFrame:
    """Every curated figure, filtered. Adds ``region`` (NBS four regions of the province); years are ``year_start``
    and ``year_end`` (nullable int, parsed once by the build). ``reliable_years_only`` drops figures whose printed
    year is marked unreliable (figures with no year are kept). Values: ``value_std`` in ``unit_std``.
    """
    df = _read("facts").copy()
    region_of = _read("provinces").set_index("province_zh")["region"].astype("string")
    df["region"] = df["province_zh"].astype("string").map(region_of).astype("category")
    names = _province_names(province)
    if names is not None:
        df = df[df["province_zh"].isin(names)]
    for col, wanted in (("region", region), ("metric", metric), ("kind", kind), ("cluster_id", cluster_id),
                        ("article_id", article_id)):  # fmt: skip
        values = _as_list(wanted)
        if values is not None:
            df = df[df[col].isin(values)]
    if reliable_years_only:
        df = df[df["year_reliable"].fillna(True).astype(bool)]
    return df.reset_index(drop=True)


def clusters(
    province: str | Iterable[str] | None = None,
    region: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    cluster_type: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The cluster registry: names (zh/en), province, prefecture/county/town, industry, GB/T 4754 sector, and
    one display name per language for charts, ``short_zh`` and ``short_en`` (curated, or made by the build: see
    :func:`helpers.transform.short_name_zh`), and the ``macro_region``."""
    df = _read("clusters").copy()
    names = _province_names(province)
    if names is not None:
        df = df[df["province_zh"].isin(names)]
    for col, wanted in (("region", region), ("status", status), ("cluster_type", cluster_type)):
        values = _as_list(wanted)
        if values is not None:
            df = df[df[col].isin(values)]
    return df.reset_index(drop=True)


def articles() -> pd.DataFrame:
    """The 19 articles: title (zh/en), kind, place, source file and lines, ``n_facts``."""
    return _read("articles").copy()


def audit(status: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Cross-checks of the reports' arithmetic: ``expected`` vs ``reported`` (in ``unit_std``) and ``status``."""
    df = _read("audit").copy()
    values = _as_list(status)
    return df[df["status"].isin(values)].reset_index(drop=True) if values else df


def metrics() -> pd.DataFrame:
    """Metric vocabulary: ``metric``, ``unit_family``, English and Chinese descriptions, ``n_facts``."""
    return _read("metrics").copy()


def cluster_mentions() -> pd.DataFrame:
    """Every (cluster, file, line) where a cluster is named."""
    return _read("cluster_mentions").copy()


def typology(which: str = "typical") -> pd.DataFrame:
    """Qualitative tables: ``"typical"`` (Table 3 of the China overview) or ``"stone"`` (stone clusters)."""
    name = {"typical": "typology_typical_clusters", "stone": "typology_stone_clusters"}[which]
    return _read(name).copy()


def target_pairs() -> pd.DataFrame:
    """Editorial: each target, plan or capacity (``goal_fact_id``) with the actual figure it is set against."""
    return _read("target_pairs").copy()


def selections() -> pd.DataFrame:
    """Editorial: the figure that stands for a cluster and metric where the selection rule would pick another
    (see :func:`helpers.selection.comparable`)."""
    return _read("selections").copy()


def fact_labels() -> pd.DataFrame:
    """Editorial: chart labels (``label_zh``, ``label_en``) for figures whose description names no place."""
    return _read("fact_labels").copy()


def industry_terms() -> pd.DataFrame:
    """Editorial: GB/T 4754-2017 divisions with their names and synonyms in Chinese and English (``';'``-separated),
    by which a brief selects clusters by industry in either language (see :func:`helpers.brief.select`)."""
    return _read("industry_terms").copy()


def printed_tables() -> pd.DataFrame:
    """Editorial: the tables printed in the articles (``article_id``, ``printed_table`` as in ``facts``), with their
    printed title and the original source they quote (``quoted_source_zh``, printed on ``source_line``)."""
    return _read("printed_tables").copy()
