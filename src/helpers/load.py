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
import re
from collections.abc import Iterable

import pandas as pd

from . import paths
from .schema import TABLES

__all__ = [
    "facts",
    "clusters",
    "short_name_zh",
    "provinces",
    "articles",
    "audit",
    "metrics",
    "cluster_mentions",
    "typology",
    "best_figures",
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
        df["year_num"] = df["year_end"]  # the name notebooks used before year_end existed
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
    """Every curated figure, filtered. Adds ``region`` (NBS four regions of the province) and ``year_num`` (last
    year printed, nullable int). ``reliable_years_only`` drops figures whose printed year is marked unreliable
    (figures with no year are kept). Values: ``value_std`` in ``unit_std``.
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
    short display names for charts, ``short_zh`` and ``short_en`` (see :func:`short_name_zh`)."""
    df = _read("clusters").copy()
    records = df.to_dict("records")
    df["short_zh"] = pd.array([short_name_zh(r) for r in records], dtype="string")
    df["short_en"] = df["name_en"].str.replace(r"\s*\(.*?\)", "", regex=True).str.strip()
    names = _province_names(province)
    if names is not None:
        df = df[df["province_zh"].isin(names)]
    for col, wanted in (("region", region), ("status", status), ("cluster_type", cluster_type)):
        values = _as_list(wanted)
        if values is not None:
            df = df[df[col].isin(values)]
    return df.reset_index(drop=True)


def short_name_zh(cluster) -> str:
    """A short Chinese display name of a cluster (a row of :func:`clusters`, or a dict), for chart labels.

    The standard name (``name_std_zh``) if there is one; else the printed name if it has at most six characters;
    else place + industry (county, town or prefecture without 市/县/区/镇, then ``industry_zh`` without bracketed
    remarks). The place goes in front when the name does not already contain it (造纸机械业 → 诸城造纸机械业).

    >>> short_name_zh({"name_zh": "造纸机械业", "name_std_zh": "", "county_zh": "诸城市", "town_zh": "",
    ...                "prefecture_zh": "潍坊市", "industry_zh": "造纸机械"})
    '诸城造纸机械业'
    """

    def text(key: str) -> str:
        value = cluster.get(key, "")
        return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)

    def short(place: str) -> str:  # 诸城市 → 诸城, but 沙县 stays
        return place[:-1] if len(place) > 2 and place[-1] in "市县区镇乡村" else place

    def place(key: str) -> str:  # several places are ';'-separated in the registry: 灌云县;灌南县 → 灌云、灌南
        return "、".join(short(p.strip()) for p in text(key).split(";") if p.strip())

    places = [p for k in ("town_zh", "county_zh", "prefecture_zh") for p in place(k).split("、") if p]
    if text("name_std_zh"):
        name = text("name_std_zh")
    elif len(text("name_zh")) <= 6:
        name = text("name_zh")
    else:
        name = (place("county_zh") or place("town_zh") or place("prefecture_zh")) + re.sub(
            r"（.*?）", "", text("industry_zh")
        )
    return name if not places or any(p in name for p in places) else places[0] + name


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


def best_figures(
    metric: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = "actual",
    reliable_years_only: bool = False,
) -> pd.DataFrame:
    """One comparable figure per cluster and metric, with its qualifier, year and source.

    Among a cluster's facts for a metric (``kind`` ``actual`` by default) it prefers, in order: a reliable year;
    the largest value (a figure for the whole cluster is at least as large as one for a part of it: a size band,
    the leading firms, one product); a precise qualifier (exact, approx, range, then bounds); the latest year
    printed; the first printed. The
    result keeps ``qualifier``, ``year``, ``year_reliable``, ``source_file``, ``source_line``, ``figure_text``,
    and adds the cluster's ``name_zh``, ``name_en``, ``province_zh``, ``province_en``, ``region``, ``n_candidates``.
    """
    df = facts(metric=metric, kind=kind, reliable_years_only=reliable_years_only)
    df = df[df["cluster_id"].ne("") & df["value_std"].notna()]
    df = df.assign(
        _reliable=df["year_reliable"].fillna(True).astype(bool),
        _precision=df["qualifier"].cat.codes,
        _year=df["year_num"].fillna(-1),
    )
    df["n_candidates"] = df.groupby(["cluster_id", "metric"], observed=True)["fact_id"].transform("size")
    df = df.sort_values(
        ["_reliable", "value_std", "_precision", "_year", "fact_id"], ascending=[False, False, True, False, True]
    )
    best = df.drop_duplicates(["cluster_id", "metric"]).drop(columns=["_reliable", "_precision", "_year"])
    reg = clusters()[["cluster_id", "name_zh", "name_en", "industry_zh", "industry_en"]]
    best = best.merge(reg, on="cluster_id", how="left")
    return best.sort_values(["metric", "value_std"], ascending=[True, False]).reset_index(drop=True)
