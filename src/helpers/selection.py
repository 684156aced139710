"""One comparable figure per cluster: the selection every ranking, notebook and brief draws from.

:func:`comparable` picks, for a metric, one actual figure per cluster, from one scope (the whole cluster unless
asked otherwise) and, where the metric needs one, one basis (which output; a share of what and of where). It never
picks "the largest value": a curated choice (``data/raw/selections.csv``) wins; otherwise the rule prefers the
source that covers the most clusters of the selection (an article, or one of its printed tables: one source per
chart), then a reliable year, then the latest year, then the most precise qualifier, then the first printed.
Every row says why it was picked (``why``) and what else was printed for that cluster (``also_printed``, e.g.
``China overview, text, 2004: 54亿元``). :func:`mix` tells whether a selection mixes articles, years, scopes or
bases, so a chart can split or mark them.

>>> from helpers import selection
>>> sel = selection.comparable("output_value", basis="output_unspecified")
>>> bool(sel["cluster_id"].is_unique) and set(sel["scope"]) == {"cluster"} and set(sel["kind"]) == {"actual"}
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import load

__all__ = ["comparable", "mix", "Mix", "source_label", "BASIS_METRICS"]

#: Metrics whose figures differ in what they measure, so a selection must hold one basis.
BASIS_METRICS = ("output_value", "share", "market_share_national", "market_share_world")
_PRECISION = {"exact": 0, "approx": 1, "range": 2, "at_least": 3, "more_than": 3, "less_than": 4}
_CLUSTER_COLUMNS = ["cluster_id", "name_zh", "name_en", "short_zh", "short_en", "industry_zh", "industry_en",
                    "gbt4754_section", "macro_region", "status"]  # fmt: skip


def _as_list(x: str | Iterable[str] | None) -> list[str] | None:
    return None if x is None else [x] if isinstance(x, str) else list(x)


def source_labels(df: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Where each figure is printed, short: ``China overview, Table 2, 2025?`` or ``Zhucheng survey, text``."""
    short = load.articles().set_index("article_id")["short_zh" if lang == "zh" else "short_en"].astype(str)
    name = df["article_id"].astype(str).map(short).fillna(df["article_id"].astype(str))
    table = df["printed_table"].fillna("").astype(str) if "printed_table" in df else pd.Series("", index=df.index)
    where = table.str.replace("table-", "表" if lang == "zh" else "Table ", regex=False)
    where = where.mask(where.eq(""), "正文" if lang == "zh" else "text")
    unverified = df["year_reliable"].astype("boolean").eq(False).fillna(False)
    year = df["year"].fillna("").astype(str) + unverified.map({True: "?", False: ""})
    return (name + ", " + where + (", " + year).where(year.ne(""), "")).astype(str)


def source_label(row, lang: str = "en") -> str:
    """:func:`source_labels` of one figure (a mapping with article_id, printed_table, year, year_reliable)."""
    return source_labels(pd.DataFrame([dict(row)]), lang).iloc[0]


def comparable(
    metric: str,
    basis: str | None = None,
    scope: str | Iterable[str] = "cluster",
    share_of_where: str | None = None,
    province: str | Iterable[str] | None = None,
    cluster_id: str | Iterable[str] | None = None,
    reliable_years_only: bool = False,
) -> pd.DataFrame:
    """One actual figure of ``metric`` per cluster, from ``scope`` (default the whole cluster) and ``basis``.

    ``basis`` and ``share_of_where`` filter the figures of metrics that need them (see :data:`BASIS_METRICS`);
    left ``None``, the selection may mix them and :func:`mix` says so. Values are ``value_std`` in ``unit_std``.
    Adds the cluster's names (``short_zh``, ``short_en`` for labels), ``why``, ``also_printed``,
    ``n_candidates`` and ``source`` (article and table). Sorted by ``value_std``, largest first.
    """
    facts = load.facts(metric=metric, province=province, cluster_id=cluster_id, reliable_years_only=reliable_years_only)
    every = facts[facts["cluster_id"].ne("")]
    cand = every[every["kind"].eq("actual") & every["value_std"].notna() & every["scope"].isin(_as_list(scope))]
    if basis is not None:
        cand = cand[cand["basis"].eq(basis)]
    if share_of_where is not None:
        cand = cand[cand["share_of_where"].eq(share_of_where)]
    if cand.empty:
        return cand.assign(why=pd.Series(dtype="string"), also_printed=pd.Series(dtype="string"))

    curated = load.selections()
    curated = curated[curated["metric"].eq(metric)].set_index("cluster_id")
    # One source per chart: an article's printed table counts as a source of its own.
    cand = cand.assign(_source=cand["article_id"].astype(str) + "/" + cand["printed_table"].astype(str))
    coverage = cand.groupby("_source")["cluster_id"].nunique()
    ranked = cand.assign(
        _curated=[curated["fact_id"].get(c) == f for c, f in zip(cand["cluster_id"], cand["fact_id"], strict=True)],
        _reliable=cand["year_reliable"].fillna(True).astype(bool),
        _coverage=cand["_source"].map(coverage).astype(int),
        _year=cand["year_end"].fillna(-1).astype(int),
        _precision=cand["qualifier"].astype(str).map(_PRECISION),
    ).sort_values(["_curated", "_coverage", "_reliable", "_year", "_precision", "fact_id"],
                  ascending=[False, False, False, False, True, True])  # fmt: skip
    ranked["n_candidates"] = ranked.groupby("cluster_id")["fact_id"].transform("size")
    best = ranked.drop_duplicates("cluster_id").copy()

    def why(row) -> str:
        if row["_curated"]:
            return "curated: " + str(curated.loc[row["cluster_id"], "reason_en"])
        if row["n_candidates"] == 1:
            return "the only figure of this scope"
        others = ranked[ranked["cluster_id"].eq(row["cluster_id"]) & ranked["fact_id"].ne(row["fact_id"])]
        if (others["_coverage"] < row["_coverage"]).any():
            return "from the source that covers most clusters here"
        if (others["_reliable"] != row["_reliable"]).any():
            return "the one with a reliable year"
        if (others["_year"] < row["_year"]).any():
            return "the latest year"
        return "the most precise, first printed"

    # What else was printed for each cluster: every other figure of the metric (any scope or kind), labelled.
    other = every.assign(
        _label=source_labels(every),
        _extra=every["scope"]
        .astype(str)
        .where(every["kind"].astype(str).eq("actual"), every["scope"].astype(str) + ", " + every["kind"].astype(str)),
    )
    other["_text"] = other["_label"] + ": " + other["figure_text"].astype(str) + other["_extra"].map(
        lambda e: "" if e == "cluster" else f" ({e})")  # fmt: skip
    chosen = set(best["fact_id"])
    also = other[~other["fact_id"].isin(chosen)].groupby("cluster_id")["_text"].agg("; ".join).to_dict()
    best["why"] = [why(r) for r in best.to_dict("records")]
    best["also_printed"] = pd.array([also.get(c, "") for c in best["cluster_id"]], dtype="string")
    best["source"] = source_labels(best).to_numpy()
    best = best.drop(columns=[c for c in best.columns if c.startswith("_")])
    names = load.clusters()[_CLUSTER_COLUMNS]
    best = best.merge(names, on="cluster_id", how="left")
    return best.sort_values(["value_std", "fact_id"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class Mix:
    """What a selection mixes: the distinct articles, year spans, scopes and bases of its rows."""

    articles: tuple[str, ...]
    years: tuple[str, ...]
    scopes: tuple[str, ...]
    bases: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def one_scope_and_basis(self) -> bool:
        """True when the rows hold one scope, one basis and only actual figures: they may be ranked together."""
        return len(self.scopes) <= 1 and len(self.bases) <= 1 and set(self.kinds) <= {"actual"}

    def describe(self, lang: str = "en") -> str:
        """A note for a chart: what the figures mix, or ''."""
        parts = []
        if len(self.articles) > 1:
            parts.append(f"{len(self.articles)} {'篇文章' if lang == 'zh' else 'articles'}")
        if len(self.years) > 1:
            parts.append(("年份：" if lang == "zh" else "years ") + ", ".join(self.years))
        return ("；" if lang == "zh" else "; ").join(parts)


def mix(df: pd.DataFrame) -> Mix:
    """What the rows of a selection (or any facts frame) mix; see :class:`Mix`."""

    def distinct(col: str) -> tuple[str, ...]:
        if col not in df:
            return ()
        return tuple(sorted({str(v) for v in df[col].dropna() if str(v)}))

    return Mix(distinct("article_id"), distinct("year"), distinct("scope"), distinct("basis"), distinct("kind"))
