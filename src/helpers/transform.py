"""Stage 2 of the build: validated raw rows → clean records, one pure function per clean table.

Each function takes what :func:`helpers.validate.validate` returned (and the clean tables it depends on) and
returns a list of dicts keyed by the clean columns of :data:`helpers.schema.TABLES`, sorted as published.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .audit import grade, rounding_half_width, run_check
from .parse import QUALIFIER_MARKERS, year_bounds
from .schema import ABROAD, GBT4754_SECTIONS, NATIONAL, TABLES
from .validate import Row, Validated, check_audit_grades

#: Counted units: a printed count (4家) is exact, not a rounded measurement.
COUNTED = {"count", "persons", "households", "person_times"}
# Marker words, longest first so that 大约 is one match rather than 大约 and 约.
_QUALIFIER_WORDS = re.compile(
    "|".join(sorted((w for ws in QUALIFIER_MARKERS.values() for w in ws), key=len, reverse=True))
)
_ABROAD = {"province_zh": ABROAD, "province_en": "Outside China", "province_code": "", "region": ""}


def _bool(s: str) -> bool | None:
    return {"true": True, "false": False}.get(s)


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else x


class _Provinces:
    """Short, full and English names of the provinces, for the records that need them."""

    def __init__(self, rows: list[Row]):
        self.by_short = {r["province_zh"]: r for r in rows}
        self.full_to_short = {r["province_full_zh"]: r["province_zh"] for r in rows}

    def short(self, name: str) -> str:
        return self.full_to_short.get(name, name)

    def english(self, short: str) -> str:
        if short == NATIONAL:
            return "China"
        if short == ABROAD:
            return _ABROAD["province_en"]
        return self.by_short[short]["province_en"] if short in self.by_short else ""

    def row(self, short: str) -> dict:
        return self.by_short.get(short, _ABROAD)


def facts(raw: Validated) -> list[dict]:
    """One record per printed figure: standard value and interval, provinces in both languages, year bounds."""
    prov = _Provinces(raw.tables["provinces"])
    cluster_province = {r["cluster_id"]: r["province_zh"] for r in raw.tables["clusters"]}
    out = []
    for r in raw.tables["facts"]:
        std = raw.figures[r["fact_id"]]
        province = prov.short(r["province_zh"] or cluster_province.get(r["cluster_id"], ""))
        year_start, year_end = year_bounds(r["year"])
        out.append(
            {
                **{c: r[c] for c in TABLES["facts"].raw_columns},
                "province_zh": province,
                "province_en": prov.english(province),
                "value_std": std.value_std,
                "unit_std": std.unit_std,
                "value_low_std": _finite(std.low),
                "value_high_std": _finite(std.high),
                "year_reliable": _bool(r["year_reliable"]),
                "source_line": int(r["source_line"]),
                "unit_line": int(r["unit_line"]) if r["unit_line"] else None,
                "qualifier_word": " ".join(sorted(set(_QUALIFIER_WORDS.findall(r["figure_text"])))),
                "year_start": year_start,
                "year_end": year_end,
                # Internal, for the audit (not published): half a unit of the last printed digit.
                "rounding_std": 0.0 if std.unit_std in COUNTED else rounding_half_width(r["value"], std.multiplier),
            }
        )  # fmt: skip
    return sorted(out, key=lambda f: (f["article_id"], f["fact_id"]))


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
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)

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


def short_name_en(cluster) -> str:
    """The English name without bracketed remarks: ``Zhucheng paper machinery (Table 1)`` → ``Zhucheng paper
    machinery``."""
    return re.sub(r"\s*\(.*?\)", "", cluster["name_en"]).strip()


def clusters(raw: Validated, facts: list[dict]) -> list[dict]:
    """The registry with province code, English names, NBS region, GB/T 4754 sector, and fact/mention counts."""
    prov = _Provinces(raw.tables["provinces"])
    n_facts = Counter(f["cluster_id"] for f in facts if f["cluster_id"])
    n_mentions = Counter(r["cluster_id"] for r in raw.tables["cluster_mentions"])
    out = []
    for r in raw.tables["clusters"]:
        province = prov.short(r["province_zh"])
        p = prov.row(province)
        section = r["gbt4754_section"]
        out.append(
            {
                **{c: r[c] for c in TABLES["clusters"].raw_columns},
                "province_zh": province,
                "province_en": p["province_en"],
                "province_code": p["province_code"],
                "short_zh": r["short_zh"] or short_name_zh(r),
                "short_en": r["short_en"] or short_name_en(r),
                "sector_en": GBT4754_SECTIONS[section][2] if section else "",
                "region": p["region"],
                "n_facts": n_facts.get(r["cluster_id"], 0),
                "n_mentions": n_mentions.get(r["cluster_id"], 0),
            }
        )
    return sorted(out, key=lambda c: c["cluster_id"])


def cluster_mentions(raw: Validated) -> list[dict]:
    out = [{**r, "source_line": int(r["source_line"])} for r in raw.tables["cluster_mentions"]]
    return sorted(out, key=lambda m: (m["cluster_id"], m["source_file"], m["source_line"]))


def articles(raw: Validated, facts: list[dict]) -> list[dict]:
    prov = _Provinces(raw.tables["provinces"])
    per_article = Counter(f["article_id"] for f in facts)
    out = [
        {**r, "first_line": int(r["first_line"]), "last_line": int(r["last_line"]),
         "province_zh": prov.short(r["province_zh"]), "n_facts": per_article.get(r["article_id"], 0)}
        for r in raw.tables["articles"]
    ]  # fmt: skip
    return sorted(out, key=lambda a: (a["source_file"], a["first_line"]))


def provinces(raw: Validated) -> list[dict]:
    out = [{**r, "coastal": _bool(r["coastal"])} for r in raw.tables["provinces"]]
    return sorted(out, key=lambda p: p["province_code"])


def metrics(raw: Validated, facts: list[dict]) -> list[dict]:
    per_metric = Counter(f["metric"] for f in facts)
    out = [{**r, "n_facts": per_metric.get(r["metric"], 0)} for r in raw.tables["metrics"]]
    return sorted(out, key=lambda m: m["metric"])


def audit(raw: Validated, facts: list[dict]) -> list[dict]:
    """Each curated check computed on the clean facts and graded (the rule is in :mod:`helpers.audit`); a grade
    that does not fit its result is a :class:`~helpers.validate.RawDataError` naming the row."""
    by_id = {f["fact_id"]: f for f in facts}
    out, problems = [], {}
    for r in raw.tables["audit"]:
        ids = [f.strip() for f in r["fact_ids"].split(";") if f.strip()]
        checked = [by_id[i] for i in ids]
        tolerance = float(r["tolerance"]) if r["tolerance"] else None
        listed = [n.strip() for n in r["listed"].split(";") if n.strip()]
        plausible = tuple(float(r[c]) if r[c] else None for c in ("plausible_low", "plausible_high"))
        res = run_check(r["kind"], checked, tolerance, listed=listed, plausible=plausible)
        status, problem = grade(res, r["kind"], checked, r["finding"])
        if problem:
            problems[r["check_id"]] = problem
        verdict = {"agree": "the figures can agree", "disagree": "the figures cannot agree"}.get(res.result, "")
        detail = res.detail + (f" → {verdict}" if verdict else "") + (f"; graded {status}" if status else "")
        out.append(
            {
                **{c: r[c] for c in TABLES["audit"].raw_columns if c in TABLES["audit"].clean_columns},
                "fact_ids": ";".join(ids),
                "expected": res.expected,
                "reported": res.reported,
                "status": status,
                "unit_std": res.unit_std,
                "expected_low": res.expected_low,
                "expected_high": res.expected_high,
                "result": res.result,
                "detail": detail,
                "plausible_low": plausible[0],
                "plausible_high": plausible[1],
            }
        )
    check_audit_grades(raw.tables["audit"], problems)
    return sorted(out, key=lambda a: a["check_id"])


def typology_typical_clusters(raw: Validated) -> list[dict]:
    out = [{**r, "first_line": int(r["first_line"]), "last_line": int(r["last_line"])}
           for r in raw.tables["typology_typical_clusters"]]  # fmt: skip
    return sorted(out, key=lambda t: t["first_line"])


def typology_stone_clusters(raw: Validated) -> list[dict]:
    out = [{**r, "source_line": int(r["source_line"])} for r in raw.tables["typology_stone_clusters"]]
    return sorted(out, key=lambda t: (t["province_zh"], t["cluster_id"]))


def editorial(raw: Validated, name: str) -> list[dict]:
    """An editorial table as curated (target_pairs, selections, fact_labels, industry_terms, printed_tables), sorted by
    its key."""
    key = TABLES[name].primary_key
    return sorted((dict(r) for r in raw.tables[name]), key=lambda r: tuple(r[c] for c in key))


def transform(raw: Validated) -> dict[str, list[dict]]:
    """Every clean table, keyed as :data:`helpers.schema.TABLES`."""
    fact_records = facts(raw)
    return {
        "facts": fact_records,
        "clusters": clusters(raw, fact_records),
        "cluster_mentions": cluster_mentions(raw),
        "articles": articles(raw, fact_records),
        "provinces": provinces(raw),
        "metrics": metrics(raw, fact_records),
        "audit": audit(raw, fact_records),
        "typology_typical_clusters": typology_typical_clusters(raw),
        "typology_stone_clusters": typology_stone_clusters(raw),
        **{
            name: editorial(raw, name)
            for name in ("target_pairs", "selections", "fact_labels", "industry_terms", "printed_tables")
        },
    }


__all__ = ["transform"]
