"""Column definitions and vocabularies of the raw and clean tables: one place that the build, the validation, the
Excel README sheet and ``datapackage.json`` all read.

Each clean column is ``(name, type, unit or vocabulary, description)``; types are Frictionless Table Schema types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .parse import KINDS, QUALIFIERS

PERIODS_FIXED = ("full_year", "year_end", "cumulative", "as_of_writing", "multi_year", "point")
PERIOD_PATTERN = (
    r"^(full_year|year_end|cumulative|as_of_writing|multi_year|point|jan-(feb|mar|apr|may|jun|jul|aug|sep|oct|nov))$"
)
CLUSTER_TYPES = ("manufacturing", "agriculture", "services", "mixed")
CLUSTER_STATUSES = ("existing", "planned")
ARTICLE_KINDS = (
    "survey_report", "government_opinion", "essay", "speech", "work_report", "qa", "plan", "research_paper", "news",
)  # fmt: skip
UNIT_FAMILIES = {
    "money": ("CNY", "USD"),
    "ratio": ("ratio",),
    "count": ("count", "households"),
    "persons": ("persons", "person_times"),
    "mass": ("t",),
    "area": ("mu", "m2", "km2"),
    "volume": ("m3",),
    "any": None,  # any standard unit
}
#: Standard unit used when the printed unit names none (blank, or a bare 万/亿).
FAMILY_DEFAULT_UNIT = {"money": "CNY", "ratio": "ratio", "count": "count", "persons": "persons"}
AUDIT_KINDS = ("sum", "share", "growth", "cagr", "same", "above", "nondecreasing", "difference")
AUDIT_STATUSES = ("consistent", "inconsistent", "cannot_check")
REGIONS = ("east", "central", "west", "northeast")

# GB/T 4754-2017 sections and the range of two-digit divisions each holds.
GBT4754_SECTIONS = {
    "A": ((1, 5), "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    "B": ((6, 12), "采矿业", "Mining"),
    "C": ((13, 43), "制造业", "Manufacturing"),
    "D": ((44, 46), "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"),
    "E": ((47, 50), "建筑业", "Construction"),
    "F": ((51, 52), "批发和零售业", "Wholesale and retail trade"),
    "G": ((53, 60), "交通运输、仓储和邮政业", "Transport, storage and post"),
    "H": ((61, 62), "住宿和餐饮业", "Accommodation and catering"),
    "I": ((63, 65), "信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    "J": ((66, 69), "金融业", "Finance"),
    "K": ((70, 70), "房地产业", "Real estate"),
    "L": ((71, 72), "租赁和商务服务业", "Leasing and business services"),
    "M": ((73, 75), "科学研究和技术服务业", "Scientific research and technical services"),
    "N": ((76, 79), "水利、环境和公共设施管理业", "Water, environment and public facilities management"),
    "O": ((80, 82), "居民服务、修理和其他服务业", "Resident, repair and other services"),
    "P": ((83, 83), "教育", "Education"),
    "Q": ((84, 85), "卫生和社会工作", "Health and social work"),
    "R": ((86, 90), "文化、体育和娱乐业", "Culture, sports and entertainment"),
    "S": ((91, 96), "公共管理、社会保障和社会组织", "Public administration and social organisations"),
    "T": ((97, 97), "国际组织", "International organisations"),
}


@dataclass(frozen=True)
class RawTable:
    """A hand-curated table in ``data/raw/``: which columns must be present and which must be filled."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    optional_columns: tuple[str, ...] = field(default=())


RAW_TABLES = {
    "facts": RawTable(
        "facts",
        ("fact_id", "article_id", "cluster_id", "entity_zh", "entity_en", "province_zh", "metric", "of_metric",
         "value", "unit", "qualifier", "kind", "year", "year_reliable", "period", "series_id", "source_file",
         "source_line", "figure_text", "note"),
        ("fact_id", "article_id", "entity_zh", "entity_en", "metric", "value", "qualifier", "kind", "source_file",
         "source_line", "figure_text"),
    ),
    "clusters": RawTable(
        "clusters",
        ("cluster_id", "name_zh", "name_std_zh", "name_en", "province_zh", "prefecture_zh", "county_zh", "town_zh",
         "place_en", "industry_zh", "industry_en", "gbt4754_section", "gbt4754_division", "cluster_type", "status",
         "note"),
        ("cluster_id", "name_zh", "name_en", "province_zh", "industry_zh", "industry_en", "cluster_type", "status"),
    ),
    "cluster_mentions": RawTable(
        "cluster_mentions",
        ("cluster_id", "article_id", "source_file", "source_line", "name_printed"),
        ("cluster_id", "article_id", "source_file", "source_line", "name_printed"),
    ),
    "articles": RawTable(
        "articles",
        ("article_id", "title_zh", "title_en", "kind", "place_zh", "province_zh", "issuer", "source_file",
         "first_line", "last_line", "repeated_at", "note"),
        ("article_id", "title_zh", "title_en", "kind", "source_file", "first_line", "last_line"),
    ),
    "metrics": RawTable(
        "metrics",
        ("metric", "unit_family", "description_en", "description_zh"),
        ("metric", "unit_family", "description_en", "description_zh"),
    ),
    "provinces": RawTable(
        "provinces",
        ("province_code", "province_zh", "province_full_zh", "province_en", "division_type", "region", "coastal"),
        ("province_code", "province_zh", "province_full_zh", "province_en", "division_type", "coastal"),
    ),
    "audit_checks": RawTable(
        "audit_checks",
        ("check_id", "kind", "description", "fact_ids", "tolerance", "note"),
        ("check_id", "kind", "description", "fact_ids"),
    ),
    "typology_typical_clusters": RawTable(
        "typology_typical_clusters",
        ("cluster_id", "name_printed", "industry_type_zh", "industry_type_en", "origin_zh", "origin_en",
         "factor_intensity_zh", "factor_intensity_en", "main_advantage_zh", "main_advantage_en", "source_file",
         "first_line", "last_line", "note"),
        ("cluster_id", "name_printed", "industry_type_zh", "origin_zh", "factor_intensity_zh", "main_advantage_zh",
         "source_file", "first_line", "last_line"),
    ),
    "typology_stone_clusters": RawTable(
        "typology_stone_clusters",
        ("cluster_id", "name_printed", "province_zh", "base_type", "base_type_zh", "main_products_zh",
         "main_products_en", "layout", "layout_zh", "source_file", "source_line", "note"),
        ("cluster_id", "name_printed", "province_zh", "source_file", "source_line"),
    ),
}  # fmt: skip

STONE_BASE_TYPES = ("resource", "market", "mixed")
STONE_LAYOUTS = ("belt", "park", "other")

# Clean tables: (column, Frictionless type, unit or vocabulary, description).
Col = tuple[str, str, str, str]

FACTS_COLUMNS: list[Col] = [
    ("fact_id", "string", "", "Stable id of the figure: <article_id>-NNN"),
    ("article_id", "string", "", "Article the figure is printed in (articles.csv)"),
    (
        "cluster_id",
        "string",
        "",
        "Cluster the figure is about (clusters.csv); empty for a region, firm or market",
    ),
    ("entity_zh", "string", "", "What the figure is about, short, in Chinese as printed"),
    ("province_zh", "string", "", "Province (short Chinese name); 全国 for national figures"),
    ("province_en", "string", "", "Province in English; 'China' for national figures"),
    ("metric", "string", "metrics.csv", "What is measured (vocabulary in metrics.csv)"),
    ("value", "string", "", "The number exactly as printed (full-width digits, 。 decimal points kept)"),
    ("unit", "string", "", "The unit exactly as printed (e.g. 亿元, 万家, %)"),
    ("value_std", "number", "unit_std", "The value in the standard unit (midpoint for ranges)"),
    ("unit_std", "string", "CNY|USD|ratio|count|persons|t|mu|m2|km2|m3|…", "Standard unit of value_std"),
    (
        "value_low_std",
        "number",
        "unit_std",
        "Lower end of the interval the printed figure implies; empty if open",
    ),
    (
        "value_high_std",
        "number",
        "unit_std",
        "Upper end of the interval the printed figure implies; empty if open",
    ),
    ("qualifier", "string", "|".join(QUALIFIERS), "Qualifier of the printed figure (多, 近, 以上 …)"),
    ("kind", "string", "|".join(KINDS), "Actual figure, target, plan, capacity or estimate"),
    ("year", "string", "", "Year as printed (YYYY or YYYY-YYYY); empty if none"),
    (
        "year_reliable",
        "boolean",
        "",
        "False where the printed year is evidently overwritten; empty if no year",
    ),
    (
        "period",
        "string",
        "full_year|year_end|jan-<mon>|cumulative|as_of_writing|multi_year|point",
        "Period covered",
    ),
    ("source_file", "string", "", "Report file in ../shared/reports/"),
    ("source_line", "integer", "", "1-based line of source_file where figure_text stands"),
    ("figure_text", "string", "", "The figure exactly as printed on that line"),
    ("note", "string", "", "Why a figure is suspect, which table cell it is, contradictions"),
    (
        "of_metric",
        "string",
        "metrics.csv",
        "For growth rates and shares: the quantity that grows or is shared",
    ),
    ("series_id", "string", "", "Facts sharing a series_id are the same quantity at different dates"),
    ("qualifier_word", "string", "", "The qualifier word(s) found in figure_text (多, 近, 以上 …)"),
    ("entity_en", "string", "", "What the figure is about, in English (for English labels)"),
]

CLUSTERS_COLUMNS: list[Col] = [
    ("cluster_id", "string", "", "Stable id: place + industry slug"),
    ("name_zh", "string", "", "Name as first printed"),
    ("name_en", "string", "", "English name"),
    ("province_zh", "string", "", "Province (short Chinese name)"),
    ("province_en", "string", "", "Province in English"),
    ("province_code", "string", "GB/T 2260", "Six-digit province code"),
    ("prefecture_zh", "string", "", "Prefecture-level city where printed or unambiguous"),
    ("county_zh", "string", "", "County-level unit where printed"),
    ("town_zh", "string", "", "Town or township where printed"),
    ("industry_zh", "string", "", "Industry as printed"),
    ("name_std_zh", "string", "", "Standard name where the printed one is a typo or variant"),
    ("place_en", "string", "", "English/pinyin of the most specific place"),
    ("industry_en", "string", "", "Industry in English"),
    ("gbt4754_section", "string", "A–T", "GB/T 4754-2017 section"),
    ("gbt4754_division", "string", "01–97", "GB/T 4754-2017 two-digit division"),
    ("sector_en", "string", "", "English name of the GB/T 4754-2017 section"),
    ("cluster_type", "string", "|".join(CLUSTER_TYPES), "Type of cluster"),
    ("status", "string", "|".join(CLUSTER_STATUSES), "Existing, or planned by a report"),
    ("region", "string", "|".join(REGIONS), "NBS four-region group of the province"),
    ("n_facts", "integer", "", "Number of facts about the cluster"),
    ("n_mentions", "integer", "", "Number of lines naming the cluster"),
    ("note", "string", "", "Notes"),
]

MENTIONS_COLUMNS: list[Col] = [
    ("cluster_id", "string", "", "Cluster (clusters.csv)"),
    ("source_file", "string", "", "Report file"),
    ("source_line", "integer", "", "1-based line naming the cluster"),
    ("article_id", "string", "", "Article of that line"),
    ("name_printed", "string", "", "The name as printed on that line"),
]

ARTICLES_COLUMNS: list[Col] = [
    ("article_id", "string", "", "Article id"),
    ("title_zh", "string", "", "Title as printed (a descriptive title in brackets where none is printed)"),
    ("title_en", "string", "", "English title"),
    ("kind", "string", "|".join(ARTICLE_KINDS), "Kind of text"),
    ("place_zh", "string", "", "Place the article is about"),
    ("province_zh", "string", "", "Province the article is about; 全国 for national"),
    ("issuer", "string", "", "Issuing body or author where printed"),
    ("source_file", "string", "", "File of the location curated"),
    ("first_line", "integer", "", "First line of the article in source_file"),
    ("last_line", "integer", "", "Last line of the article in source_file"),
    ("repeated_at", "string", "", "Other locations, ';'-separated FILE:FIRST-LAST"),
    ("n_facts", "integer", "", "Number of facts curated from the article"),
    ("note", "string", "", "Notes"),
]

PROVINCES_COLUMNS: list[Col] = [
    ("province_code", "string", "GB/T 2260", "Six-digit code"),
    ("province_zh", "string", "", "Short Chinese name"),
    ("province_full_zh", "string", "", "Full Chinese name"),
    ("province_en", "string", "", "English name"),
    (
        "division_type",
        "string",
        "",
        "municipality, province, autonomous_region, special_administrative_region",
    ),
    ("region", "string", "|".join(REGIONS), "NBS four-region group (empty for Hong Kong, Macao, Taiwan)"),
    ("coastal", "boolean", "", "Has a sea coast (the 11 coastal provinces, plus Hong Kong, Macao and Taiwan)"),
]

METRICS_COLUMNS: list[Col] = [
    ("metric", "string", "", "Metric name"),
    ("unit_family", "string", "|".join(UNIT_FAMILIES), "Kind of standard unit the metric takes"),
    ("description_en", "string", "", "Short English description"),
    ("description_zh", "string", "", "Short Chinese description"),
    ("n_facts", "integer", "", "Number of facts with this metric"),
]

AUDIT_COLUMNS: list[Col] = [
    ("check_id", "string", "", "Check id"),
    ("kind", "string", "|".join(AUDIT_KINDS), "Kind of cross-check"),
    ("description", "string", "", "What is checked"),
    ("fact_ids", "string", "", "';'-separated facts, in the order the kind needs"),
    ("expected", "number", "unit_std", "What the other figures imply (point value)"),
    ("reported", "number", "unit_std", "What the report states (point value)"),
    ("status", "string", "|".join(AUDIT_STATUSES), "Result"),
    ("unit_std", "string", "", "Unit of expected and reported"),
    (
        "expected_low",
        "number",
        "unit_std",
        "Lower end of what the other figures imply, qualifiers and rounding included",
    ),
    ("expected_high", "number", "unit_std", "Upper end of that interval"),
    ("detail", "string", "", "How the result was reached; the lines of the facts involved"),
    ("note", "string", "", "Curator's note"),
]

TYPICAL_COLUMNS: list[Col] = [
    ("cluster_id", "string", "", "Cluster (clusters.csv)"),
    ("name_printed", "string", "", "Cluster cell as printed in Table 3 of the China overview"),
    ("industry_type_zh", "string", "", "行业类型 as printed"),
    ("industry_type_en", "string", "", "Industry type in English"),
    ("origin_zh", "string", "", "发展诱因 (what started the cluster) as printed"),
    ("origin_en", "string", "", "What started the cluster, in English"),
    ("factor_intensity_zh", "string", "", "要素类型 (factor intensity) as printed"),
    ("factor_intensity_en", "string", "", "Factor intensity in English"),
    ("main_advantage_zh", "string", "", "主要竞争优势 as printed"),
    ("main_advantage_en", "string", "", "Main competitive advantage in English"),
    ("source_file", "string", "", "Report file"),
    ("first_line", "integer", "", "First line of the table row"),
    ("last_line", "integer", "", "Last line of the table row"),
    ("note", "string", "", "How wrapped cells were read"),
]

STONE_COLUMNS: list[Col] = [
    ("cluster_id", "string", "", "Cluster (clusters.csv)"),
    ("name_printed", "string", "", "Name as printed in the stone-industry article"),
    ("province_zh", "string", "", "Province (short Chinese name)"),
    ("base_type", "string", "|".join(STONE_BASE_TYPES), "Resource-based, market-based or both; empty if not stated"),
    ("base_type_zh", "string", "", "资源依托型 / 市场依托型 as printed"),
    ("main_products_zh", "string", "", "Main products as printed; empty if not stated"),
    ("main_products_en", "string", "", "Main products in English"),
    ("layout", "string", "|".join(STONE_LAYOUTS), "Belt-shaped or park-based layout; empty if not stated"),
    ("layout_zh", "string", "", "带状 / 园区化 as printed"),
    ("source_file", "string", "", "Report file"),
    ("source_line", "integer", "", "Line that types the cluster (the list line if only listed)"),
    ("note", "string", "", "Where each attribute is printed"),
]


def dictionary_markdown() -> str:
    """The column tables of ``data/README.md`` (kept equal to this by a test): every clean table and column."""
    from .build import TABLE_COLUMNS, TABLE_TITLES  # late import: build imports this module

    out = []
    for table, cols in TABLE_COLUMNS.items():
        out.append(f"### `{table}.csv`\n\n{TABLE_TITLES[table]}.\n")
        out.append("| column | type | unit / vocabulary | description |\n|---|---|---|---|")
        for name, typ, unit, desc in cols:
            vocab = unit.replace("|", " \\| ")
            out.append(f"| `{name}` | {typ} | {vocab} | {desc} |")
        out.append("")
    return "\n".join(out)
