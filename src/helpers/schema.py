"""The single declaration of every table: raw columns, clean columns, types, vocabularies, keys and descriptions.

Everything else is derived from :data:`TABLES`: validation of ``data/raw/`` (which columns must be present and
filled, vocabularies, patterns, references between tables), the clean CSV column order, the dtypes of
:mod:`helpers.load`, ``datapackage.json`` (Frictionless ``constraints``, ``primaryKey`` and ``foreignKeys``), the
Excel README sheet and the column tables of ``data/README.md``. This module imports nothing from the pipeline.

A :class:`Field` is a column. ``raw=True`` columns are curated in ``data/raw/``; ``raw=False`` ones are computed by
the build; ``clean=False`` ones are curated but not published (the audit's tolerance). Types are Frictionless Table
Schema types (string, number, integer, boolean).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

# --- vocabularies ---------------------------------------------------------------------------------------------

QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "range")
KINDS = ("actual", "target", "plan", "capacity", "estimate")
PERIOD_PATTERN = (
    r"^(full_year|year_end|cumulative|as_of_writing|multi_year|point|jan-(feb|mar|apr|may|jun|jul|aug|sep|oct|nov))$"
)
#: Years 1800–2030: the reports were written in the 2000s; their plans look no further than the 2020s.
YEAR_PATTERN = r"^(1[89]\d\d|20[0-2]\d|2030)(-(1[89]\d\d|20[0-2]\d|2030))?$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_HINT = "a valid id (expected lowercase ASCII words joined by '-')"
CLUSTER_TYPES = ("manufacturing", "agriculture", "services", "mixed")
CLUSTER_STATUSES = ("existing", "planned")
#: Names of the statuses for labels: id → (zh, en).
CLUSTER_STATUS_NAMES = {"existing": ("现有", "existing"), "planned": ("规划", "planned")}
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
AUDIT_KINDS = (
    "sum", "sum_within", "share", "growth", "cagr", "same", "above", "nondecreasing", "difference", "bands_total",
    "listed", "listed_within", "ratio",
)  # fmt: skip
#: What a check says about the reports (audit.status); defined in data/README.md (Conventions: audit).
AUDIT_STATUSES = (
    "contradiction", "discrepancy", "depends_on_reading", "definition_check", "consistent", "cannot_check",
)  # fmt: skip
#: The grades a curator gives (audit_checks.finding); the other two statuses are only ever computed.
AUDIT_FINDINGS = AUDIT_STATUSES[:4]
#: What the interval arithmetic says (audit.result), before the curated grade is applied.
AUDIT_RESULTS = ("agree", "disagree", "undecided")
REGIONS = ("east", "central", "west", "northeast")
#: Names of the NBS regions (provinces.region) for labels: id → (zh, en).
REGION_NAMES = {"east": ("东部", "East"), "central": ("中部", "Central"), "west": ("西部", "West"),
                "northeast": ("东北", "Northeast")}  # fmt: skip
DIVISION_TYPES = ("municipality", "province", "autonomous_region", "special_administrative_region")
STONE_BASE_TYPES = ("resource", "market", "mixed")
STONE_LAYOUTS = ("belt", "park", "other")
BOOLEAN = ("true", "false")
#: What population a figure covers (facts.scope). Figures of different scopes are never ranked side by side.
SCOPES = {
    "cluster": "the whole cluster (all its firms, its whole output)",
    "above_designated_size": "the cluster's firms above designated size (规模以上)",
    "above_quota": "the cluster's firms above quota (限额以上, trade and services)",
    "size_band": "the cluster's firms in a size band (e.g. output above 5000万元, 10–50 employees)",
    "leading_firms": "the cluster's leading firms (龙头企业, the top N)",
    "firm": "one firm",
    "segment": "one segment of the cluster (traders, retailers, household workshops, one product, one market)",
    "park": "an industrial park, zone or base, all industries in it",
    "cluster_group": "several clusters together (a region's clusters, specialised towns, block economies)",
    "industry_region": "an industry across a region (a province's or city's industry), not one named cluster",
    "industry_national": "an industry nationwide",
    "region_county": "a county's (or district's, town's) whole economy",
    "region_prefecture": "a prefecture-level city's whole economy",
    "region_province": "a province's whole economy",
    "region_macro": "a macro-region's whole economy (a delta, a city belt)",
    "region_national": "the whole country's economy",
    "world": "the whole world",
    "other": "anything else (the note says what)",
}
#: Macro-regions of the clusters (clusters.macro_region): id → (zh, en, which clusters belong).
MACRO_REGIONS = {
    "prd": (
        "珠江三角洲",
        "Pearl River Delta",
        "Guangdong: 广州 深圳 珠海 佛山 江门 东莞 中山 惠州 肇庆, or named 珠三角",
    ),
    "yrd": (
        "长江三角洲",
        "Yangtze River Delta",
        "上海; 江苏: 南京 苏州 无锡 常州 镇江 扬州 泰州 南通; 浙江: 杭州 宁波 "
        "嘉兴 湖州 绍兴 舟山; or named 苏南/长三角",
    ),
    "zj_se": ("浙东南", "SE Zhejiang", "浙江: 温州 台州 金华 丽水"),
    "bohai": ("环渤海", "Bohai Rim", "北京 天津 河北 山东 辽宁"),
    "other": ("其他地区", "Elsewhere", "every other cluster in China"),
}
#: What an output figure is (facts.basis for metric output_value).
OUTPUT_BASES = {
    "gross_industrial_output": "gross industrial output value (工业总产值, 工业产值)",
    "total_output": "total output value including non-industrial output (总产值 of a cluster with farming, services)",
    "agricultural_output": "agricultural output value (农业产值)",
    "output_unspecified": "产值 without saying which",
}
#: What a share is a share of (facts.basis for shares).
SHARE_BASES = {
    "output": "of output (value or volume produced)",
    "sales": "of sales or market (value sold)",
    "volume": "of physical quantity (tonnes, units)",
    "exports": "of exports",
    "firms": "of the number of firms",
    "employees": "of employment",
    "other": "of another quantity (of_metric or the note says which)",
    "unspecified": "the text does not say of what",
}
#: Where the total of a share is (facts.share_of_where).
SHARE_AREAS = ("world", "national", "macro_region", "provincial", "prefecture", "county", "cluster", "unspecified")
SHARE_METRICS = ("share", "market_share_national", "market_share_world")
#: Province cells that are not provinces: national figures, and foreign example clusters (Silicon Valley).
NATIONAL = "全国"
ABROAD = "境外"

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


# --- declarations ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column. ``unit`` is shown in the data dictionary (a unit, a code list, or the column holding the unit);
    ``enum`` is a closed vocabulary, ``pattern`` a regular expression the value must match (``hint`` names what
    it is, for error messages); ``required`` means never empty (in raw and clean); ``categorical`` loads it as a
    pandas category."""

    name: str
    type: str
    description: str
    unit: str = ""
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    hint: str = ""
    required: bool = False
    raw: bool = True
    clean: bool = True
    categorical: bool = False


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this table refer to ``reference_fields`` of ``table``; ``raw`` means the build checks it on
    the raw rows (with ``noun`` in the message)."""

    fields: tuple[str, ...]
    table: str
    reference_fields: tuple[str, ...]
    noun: str = "id"
    raw: bool = True


@dataclass(frozen=True)
class Table:
    """A table: raw file (``raw_path``, relative to ``data/raw``; a glob for facts), clean name, fields, keys."""

    name: str
    title: str
    raw_path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    # Cached, since the build reads them once per row: the 100,000-fact benchmark build (CSV only) took 18.1 s of
    # CPU recomputing them and 15.5 s with them cached (2026-12-02, one run each).
    @functools.cached_property
    def raw_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.raw)

    @functools.cached_property
    def clean_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.clean)

    @functools.cached_property
    def raw_columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.raw_fields)

    @functools.cached_property
    def clean_columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.clean_fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


F = Field
_FILE = F("source_file", "string", "Report file in ../shared/reports/", required=True, categorical=True)

FACTS = Table(
    "facts",
    "Every quantitative figure printed in the reports, with its source line",
    "facts/*.csv",
    (
        F("fact_id", "string", "Stable id of the figure: <article_id>-NNN", required=True),
        F("article_id", "string", "Article the figure is printed in (articles.csv)", required=True, categorical=True),
        F("cluster_id", "string", "Cluster the figure is about (clusters.csv); empty for a region, firm or market"),
        F("entity_zh", "string", "What the figure is about, short, in Chinese as printed", required=True),
        F("province_zh", "string", "Province (short Chinese name); 全国 for national figures", categorical=True),
        F("province_en", "string", "Province in English; 'China' for national figures", raw=False, categorical=True),
        F("metric", "string", "What is measured (vocabulary in metrics.csv)", "metrics.csv", required=True,
          categorical=True),
        F("value", "string", "The number exactly as printed (full-width digits, 。 decimal points kept)",
          required=True),
        F("unit", "string", "The unit exactly as printed (e.g. 亿元, 万家, %)"),
        F("value_std", "number", "The value in the standard unit (midpoint for ranges)", "unit_std", raw=False),
        F("unit_std", "string", "Standard unit of value_std", "CNY|USD|ratio|count|persons|t|mu|m2|km2|m3|…",
          raw=False, categorical=True),
        F("value_low_std", "number", "Lower end of the interval the printed figure implies; empty if open",
          "unit_std", raw=False),
        F("value_high_std", "number", "Upper end of the interval the printed figure implies; empty if open",
          "unit_std", raw=False),
        F("qualifier", "string", "Qualifier of the printed figure (多, 近, 以上 …)", enum=QUALIFIERS, required=True,
          categorical=True),
        F("kind", "string", "Actual figure, target, plan, capacity or estimate", enum=KINDS, required=True,
          categorical=True),
        F("year", "string", "Year as printed (YYYY or YYYY-YYYY); empty if none", pattern=YEAR_PATTERN,
          hint="a year (expected YYYY or YYYY-YYYY, 1800–2030)"),
        F("year_reliable", "boolean", "False where the printed year is evidently overwritten; empty if no year"),
        F("period", "string", "Period covered",
          "full_year|year_end|jan-<mon>|cumulative|as_of_writing|multi_year|point", pattern=PERIOD_PATTERN,
          hint=f"a period (expected {PERIOD_PATTERN})", categorical=True),
        _FILE,
        F("source_line", "integer", "1-based line of source_file where figure_text stands", required=True),
        F("figure_text", "string", "The figure exactly as printed on that line", required=True),
        F("note", "string", "Why a figure is suspect, which table cell it is, contradictions"),
        F("of_metric", "string", "For growth rates and shares: the quantity that grows or is shared", "metrics.csv",
          categorical=True),
        F("series_id", "string", "Facts sharing a series_id are the same quantity at different dates"),
        F("qualifier_word", "string", "The qualifier word(s) found in figure_text (多, 近, 以上 …)", raw=False),
        F("entity_en", "string", "What the figure is about, in English (for English labels)", required=True),
        F("year_start", "integer", "First year of `year` (the year itself when a single year is printed)", raw=False),
        F("year_end", "integer", "Last year of `year` (the year itself when a single year is printed)", raw=False),
        F("scope", "string", "What population the figure covers (see Conventions: scope)", enum=tuple(SCOPES),
          required=True, categorical=True),
        F("basis", "string", "For output_value: which output; for shares: share of what (see Conventions: basis)",
          enum=(*OUTPUT_BASES, *(b for b in SHARE_BASES if b not in OUTPUT_BASES)), categorical=True),
        F("share_of_where", "string", "For shares: where the total is (world, national, provincial …)",
          enum=SHARE_AREAS, categorical=True),
        F("unit_line", "integer", "Where the unit is printed when it is not in figure_text (a table header, a unit "
          "shared with the figure before): a line of source_file"),
        F("printed_table", "string", "The printed table the figure is a cell of (table-N of its article); empty for "
          "running text", pattern=r"^table-\d+$", hint="a table (expected table-N)"),
        F("table_row", "string", "Row of that table (its name cell as printed)"),
        F("table_column", "string", "Column of that table (its header as printed)"),
    ),
    primary_key=("fact_id",),
    foreign_keys=(
        ForeignKey(("article_id",), "articles", ("article_id",), "article"),
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",), "cluster"),
        ForeignKey(("metric",), "metrics", ("metric",), "metric"),
        ForeignKey(("of_metric",), "metrics", ("metric",), "metric"),
    ),
)  # fmt: skip

CLUSTERS = Table(
    "clusters",
    "Registry of the industrial clusters named in the reports",
    "clusters.csv",
    (
        F("cluster_id", "string", "Stable id: place + industry slug", pattern=ID_PATTERN, hint=ID_HINT, required=True),
        F("name_zh", "string", "Name as first printed", required=True),
        F("name_en", "string", "English name", required=True),
        F("province_zh", "string", "Province (short Chinese name)", required=True, categorical=True),
        F("province_en", "string", "Province in English", raw=False, categorical=True),
        F("province_code", "string", "Six-digit province code", "GB/T 2260", raw=False, categorical=True),
        F("prefecture_zh", "string", "Prefecture-level city where printed or unambiguous"),
        F("county_zh", "string", "County-level unit where printed"),
        F("town_zh", "string", "Town or township where printed"),
        F("industry_zh", "string", "Industry as printed", required=True),
        F("name_std_zh", "string", "Standard name where the printed one is a typo or variant"),
        F("place_en", "string", "English/pinyin of the most specific place"),
        F("industry_en", "string", "Industry in English", required=True),
        F("gbt4754_section", "string", "GB/T 4754-2017 section", "A–T", enum=tuple(GBT4754_SECTIONS),
          hint="a GB/T 4754-2017 section (expected A–T)", categorical=True),
        F("gbt4754_division", "string", "GB/T 4754-2017 two-digit division", "01–97", pattern=r"^\d{2}$",
          hint="a two-digit division (expected 01–97)"),
        F("sector_en", "string", "English name of the GB/T 4754-2017 section", raw=False, categorical=True),
        F("cluster_type", "string", "Type of cluster", enum=CLUSTER_TYPES, required=True, categorical=True),
        F("status", "string", "Existing, or planned by a report", enum=CLUSTER_STATUSES, required=True,
          categorical=True),
        F("region", "string", "NBS four-region group of the province", enum=REGIONS, raw=False, categorical=True),
        F("n_facts", "integer", "Number of facts about the cluster", raw=False),
        F("n_mentions", "integer", "Number of lines naming the cluster", raw=False),
        F("short_zh", "string", "Display name in Chinese, used on every chart (curated, else made from place and "
          "industry)"),
        F("short_en", "string", "Display name in English, used on every chart (curated, else name_en without "
          "brackets)"),
        F("macro_region", "string", "Macro-region (see Conventions: macro-regions); empty outside China",
          enum=tuple(MACRO_REGIONS), categorical=True),
        F("note", "string", "Notes"),
    ),
    primary_key=("cluster_id",),
    foreign_keys=(ForeignKey(("province_code",), "provinces", ("province_code",), raw=False),),
)  # fmt: skip

CLUSTER_MENTIONS = Table(
    "cluster_mentions",
    "Every line where a cluster is named",
    "cluster_mentions.csv",
    (
        F("cluster_id", "string", "Cluster (clusters.csv)", required=True),
        F("source_file", "string", "Report file", required=True),
        F("source_line", "integer", "1-based line naming the cluster", required=True),
        F("article_id", "string", "Article of that line", required=True),
        F("name_printed", "string", "The name as printed on that line", required=True),
    ),
    primary_key=("cluster_id", "source_file", "source_line"),
    foreign_keys=(
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",), "cluster"),
        ForeignKey(("article_id",), "articles", ("article_id",), "article"),
    ),
)

ARTICLES = Table(
    "articles",
    "The articles of the source reports",
    "articles.csv",
    (
        F("article_id", "string", "Article id", pattern=ID_PATTERN, hint=ID_HINT, required=True),
        F("title_zh", "string", "Title as printed (a descriptive title in brackets where none is printed)",
          required=True),
        F("title_en", "string", "English title", required=True),
        F("short_zh", "string", "Short Chinese label for charts (at most 15 characters)", required=True),
        F("short_en", "string", "Short English label for charts", required=True),
        F("kind", "string", "Kind of text", enum=ARTICLE_KINDS, required=True),
        F("place_zh", "string", "Place the article is about"),
        F("province_zh", "string", "Province the article is about; 全国 for national"),
        F("issuer", "string", "Issuing body or author where printed"),
        F("source_file", "string", "File of the location curated", required=True),
        F("first_line", "integer", "First line of the article in source_file", required=True),
        F("last_line", "integer", "Last line of the article in source_file", required=True),
        F("repeated_at", "string", "Other locations, ';'-separated FILE:FIRST-LAST"),
        F("n_facts", "integer", "Number of facts curated from the article", raw=False),
        F("note", "string", "Notes"),
    ),
    primary_key=("article_id",),
)  # fmt: skip

PROVINCES = Table(
    "provinces",
    "China's 34 provincial-level divisions (GB/T 2260) with NBS region and coastal flag",
    "provinces.csv",
    (
        F("province_code", "string", "Six-digit code", "GB/T 2260", pattern=r"^\d{6}$",
          hint="a six-digit GB/T 2260 code", required=True),
        F("province_zh", "string", "Short Chinese name", required=True),
        F("province_full_zh", "string", "Full Chinese name", required=True),
        F("province_en", "string", "English name", required=True),
        F("division_type", "string", "Kind of division", enum=DIVISION_TYPES, required=True, categorical=True),
        F("region", "string", "NBS four-region group (empty for Hong Kong, Macao, Taiwan)", enum=REGIONS,
          categorical=True),
        F("coastal", "boolean", "Has a sea coast (the 11 coastal provinces, plus Hong Kong, Macao and Taiwan)",
          required=True),
    ),
    primary_key=("province_code",),
)  # fmt: skip

METRICS = Table(
    "metrics",
    "Metric vocabulary with English and Chinese descriptions",
    "metrics.csv",
    (
        F("metric", "string", "Metric name", pattern=r"^[a-z][a-z0-9_]*$", hint="a metric name (a-z, 0-9, _)",
          required=True),
        F("unit_family", "string", "Kind of standard unit the metric takes", enum=tuple(UNIT_FAMILIES),
          required=True, categorical=True),
        F("description_en", "string", "Short English description", required=True),
        F("description_zh", "string", "Short Chinese description", required=True),
        F("n_facts", "integer", "Number of facts with this metric", raw=False),
    ),
    primary_key=("metric",),
)  # fmt: skip

AUDIT = Table(
    "audit",
    "Cross-checks of the reports' own figures, each graded as a finding (see Conventions: audit)",
    "audit_checks.csv",
    (
        F("check_id", "string", "Check id: <article_id>-cNN", pattern=ID_PATTERN, hint=ID_HINT, required=True),
        F("kind", "string", "Kind of cross-check (data/raw/CURATION.md lists what each computes)", enum=AUDIT_KINDS,
          required=True, categorical=True),
        F("description", "string", "What is checked", required=True),
        F("fact_ids", "string", "';'-separated facts, in the order the kind needs", required=True),
        F("tolerance", "number", "Relative tolerance for exact figures (0–1); empty for rounding", clean=False),
        F("expected", "number", "What the other figures imply (point value)", "unit_std", raw=False),
        F("reported", "number", "What the report states (point value)", "unit_std", raw=False),
        F("status", "string", "What the check says about the reports: the computed result combined with the "
          "curated grade", enum=AUDIT_STATUSES, raw=False, required=True, categorical=True),
        F("unit_std", "string", "Unit of expected and reported", raw=False, categorical=True),
        F("expected_low", "number", "Lower end of what the other figures imply, qualifiers and rounding included",
          "unit_std", raw=False),
        F("expected_high", "number", "Upper end of that interval", "unit_std", raw=False),
        F("result", "string", "What the interval arithmetic alone says: the intervals can agree, cannot agree, or "
          "nothing can be computed", enum=AUDIT_RESULTS, raw=False, required=True, categorical=True),
        F("finding", "string", "Curated grade: required when the result is disagree, or when one quantity is "
          "printed with different values; empty otherwise", enum=AUDIT_FINDINGS, categorical=True),
        F("readings", "string", "For depends_on_reading: the readings, ' | '-separated, and what each gives; for "
          "discrepancy: what would reconcile the values; for definition_check: which reading the check shows"),
        F("detail", "string", "One line a reader can verify: what was computed, the verdict, and the file:line of "
          "every figure", raw=False),
        F("listed", "string", "For listed and listed_within: the names the text lists, ';'-separated as printed"),
        F("plausible_low", "number", "For ratio: lowest plausible value of the implied quantity (readings says why)",
          "unit_std"),
        F("plausible_high", "number", "For ratio: highest plausible value of the implied quantity", "unit_std"),
        F("cross_article", "string", "Why facts of another article are used; required when any fact is not of the "
          "check's article"),
        F("merged_ids", "string", "Ids of earlier checks merged into this one (';'-separated); cite this id instead"),
        F("label_zh", "string", "Short chart label in Chinese; required for a graded finding"),
        F("label_en", "string", "Short chart label in English; required for a graded finding"),
        F("note", "string", "Curator's note (never at odds with the status)"),
    ),
    primary_key=("check_id",),
)  # fmt: skip

TYPOLOGY_TYPICAL = Table(
    "typology_typical_clusters",
    "Table 3 of the China overview: industry type, origin, factor intensity, advantage",
    "typology_typical_clusters.csv",
    (
        F("cluster_id", "string", "Cluster (clusters.csv)", required=True),
        F("name_printed", "string", "Cluster cell as printed in Table 3 of the China overview", required=True),
        F("industry_type_zh", "string", "行业类型 as printed", required=True),
        F("industry_type_en", "string", "Industry type in English"),
        F("origin_zh", "string", "发展诱因 (what started the cluster) as printed", required=True),
        F("origin_en", "string", "What started the cluster, in English"),
        F("factor_intensity_zh", "string", "要素类型 (factor intensity) as printed", required=True),
        F("factor_intensity_en", "string", "Factor intensity in English"),
        F("main_advantage_zh", "string", "主要竞争优势 as printed", required=True),
        F("main_advantage_en", "string", "Main competitive advantage in English"),
        F("source_file", "string", "Report file", required=True),
        F("first_line", "integer", "First line of the table row", required=True),
        F("last_line", "integer", "Last line of the table row", required=True),
        F("note", "string", "How wrapped cells were read"),
    ),
    primary_key=("cluster_id",),
    foreign_keys=(ForeignKey(("cluster_id",), "clusters", ("cluster_id",), "cluster"),),
)

TYPOLOGY_STONE = Table(
    "typology_stone_clusters",
    "Stone-industry clusters: resource- or market-based, main products, belt or park",
    "typology_stone_clusters.csv",
    (
        F("cluster_id", "string", "Cluster (clusters.csv)", required=True),
        F("name_printed", "string", "Name as printed in the stone-industry article", required=True),
        F("province_zh", "string", "Province (short Chinese name)", required=True),
        F("base_type", "string", "Resource-based, market-based or both; empty if not stated", enum=STONE_BASE_TYPES),
        F("base_type_zh", "string", "资源依托型 / 市场依托型 as printed"),
        F("main_products_zh", "string", "Main products as printed; empty if not stated"),
        F("main_products_en", "string", "Main products in English"),
        F("layout", "string", "Belt-shaped or park-based layout; empty if not stated", enum=STONE_LAYOUTS),
        F("layout_zh", "string", "带状 / 园区化 as printed"),
        F("source_file", "string", "Report file", required=True),
        F("source_line", "integer", "Line that types the cluster (the list line if only listed)", required=True),
        F("note", "string", "Where each attribute is printed"),
    ),
    primary_key=("cluster_id",),
    foreign_keys=(ForeignKey(("cluster_id",), "clusters", ("cluster_id",), "cluster"),),
)

TARGET_PAIRS = Table(
    "target_pairs",
    "Editorial: each target, plan or capacity paired with the actual figure it is measured against",
    "target_pairs.csv",
    (
        F("goal_fact_id", "string", "The target, plan, capacity or estimate (facts.csv)", required=True),
        F("actual_fact_id", "string", "The actual figure it is set against (facts.csv, kind actual)", required=True),
        F("label_zh", "string", "Chart label in Chinese", required=True),
        F("label_en", "string", "Chart label in English", required=True),
        F("note", "string", "Why these two figures are comparable, and what differs (period, metric)"),
    ),
    primary_key=("goal_fact_id", "actual_fact_id"),
    foreign_keys=(
        ForeignKey(("goal_fact_id",), "facts", ("fact_id",), "fact"),
        ForeignKey(("actual_fact_id",), "facts", ("fact_id",), "fact"),
    ),
)

SELECTIONS = Table(
    "selections",
    "Editorial: the figure that stands for a cluster and metric in comparisons, where the rule would pick another",
    "selections.csv",
    (
        F("cluster_id", "string", "Cluster (clusters.csv)", required=True),
        F("metric", "string", "Metric (metrics.csv)", required=True),
        F("fact_id", "string", "The chosen fact: of that cluster and metric, kind actual (facts.csv)", required=True),
        F("reason_en", "string", "Why this figure, in a few words", required=True),
    ),
    primary_key=("cluster_id", "metric"),
    foreign_keys=(
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",), "cluster"),
        ForeignKey(("metric",), "metrics", ("metric",), "metric"),
        ForeignKey(("fact_id",), "facts", ("fact_id",), "fact"),
    ),
)

FACT_LABELS = Table(
    "fact_labels",
    "Editorial: chart labels for figures whose printed description does not name the place or tell lines apart",
    "fact_labels.csv",
    (
        F("fact_id", "string", "Fact (facts.csv)", required=True),
        F("label_zh", "string", "Chart label in Chinese; empty: entity_zh"),
        F("label_en", "string", "Chart label in English; empty: entity_en"),
    ),
    primary_key=("fact_id",),
    foreign_keys=(ForeignKey(("fact_id",), "facts", ("fact_id",), "fact"),),
)

INDUSTRY_TERMS = Table(
    "industry_terms",
    "Editorial: GB/T 4754-2017 divisions by name and synonym in Chinese and English, to select clusters by industry",
    "industry_terms.csv",
    (
        F(
            "gbt4754_division",
            "string",
            "GB/T 4754-2017 two-digit division",
            "01–97",
            pattern=r"^\d{2}$",
            hint="a two-digit GB/T 4754-2017 division",
            required=True,
        ),
        F(
            "gbt4754_section",
            "string",
            "Its section",
            "A–T",
            enum=tuple(GBT4754_SECTIONS),
            hint="a GB/T 4754-2017 section (expected A–T)",
            required=True,
        ),
        F("name_zh", "string", "Division name as in GB/T 4754-2017", required=True),
        F("name_en", "string", "Division name in English", required=True),
        F("synonyms_zh", "string", "Chinese words that select this division (';'-separated)"),
        F(
            "synonyms_en",
            "string",
            "English words that select this division (';'-separated), the same senses as synonyms_zh",
        ),
    ),
    primary_key=("gbt4754_division",),
)

PRINTED_TABLES = Table(
    "printed_tables",
    "Editorial: the tables printed in the articles, with their printed title and the original source they quote",
    "printed_tables.csv",
    (
        F("article_id", "string", "Article (articles.csv)", required=True),
        F("printed_table", "string", "The printed table (table-N, as in facts.printed_table)", pattern=r"^table-\d+$",
          hint="table-N (N the table's printed number)", required=True),
        F("title_zh", "string", "The table's title as printed (after 表N)", required=True),
        F("quoted_source_zh", "string", "The original source the table quotes, as printed (after 资料来源：); empty "
          "if it quotes none"),
        F("source_line", "integer", "Line of the article's file that prints the quoted source; empty if none"),
        F("note", "string", "Curator's note"),
    ),
    primary_key=("article_id", "printed_table"),
    foreign_keys=(ForeignKey(("article_id",), "articles", ("article_id",), "article"),),
)  # fmt: skip

#: Every table, in the order of the outputs (CSV files, workbook sheets, datapackage resources, dictionary).
TABLES: dict[str, Table] = {
    t.name: t
    for t in (FACTS, CLUSTERS, CLUSTER_MENTIONS, ARTICLES, PROVINCES, METRICS, AUDIT, TYPOLOGY_TYPICAL,
              TYPOLOGY_STONE, TARGET_PAIRS,
              SELECTIONS, FACT_LABELS, INDUSTRY_TERMS, PRINTED_TABLES)
}  # fmt: skip

PROJECT_TITLE = "China industrial clusters notebooks"
LICENSE_DATA = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}


# --- derived descriptions -------------------------------------------------------------------------------------


def unit_or_vocabulary(f: Field) -> str:
    """What the dictionary shows beside a column: its vocabulary joined by '|', else its unit."""
    return "|".join(f.enum) if f.enum and len(f.enum) <= 20 and f.name != "gbt4754_section" else f.unit


def frictionless_field(f: Field) -> dict:
    """A Frictionless Table Schema field descriptor, constraints included."""
    out: dict = {"name": f.name, "type": f.type, "description": f.description}
    if f.unit == "unit_std":
        out["description"] += " (in the unit of unit_std)"
    elif f.unit and not f.enum and f.unit not in f.description:
        out["description"] += f" ({f.unit})"
    if f.type == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    constraints: dict = {}
    if f.required:
        constraints["required"] = True
    if f.enum:
        constraints["enum"] = list(f.enum)
    if f.pattern:
        constraints["pattern"] = f.pattern.removeprefix("^").removesuffix("$")  # Frictionless anchors patterns
    if constraints:
        out["constraints"] = constraints
    return out


def frictionless_schema(table: Table) -> dict:
    """The Table Schema of ``table``'s clean CSV."""
    schema: dict = {"fields": [frictionless_field(f) for f in table.clean_fields], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": {"resource": fk.table.replace("_", "-"),
                                                      "fields": list(fk.reference_fields)}}
            for fk in table.foreign_keys
        ]  # fmt: skip
    return schema


def dictionary_markdown() -> str:
    """The column tables of ``data/README.md`` (kept equal to this by a test): every clean table and column."""
    out = []
    for table in TABLES.values():
        out.append(f"### `{table.name}.csv`\n\n{table.title}.\n")
        if table.primary_key:
            out.append(f"Key: {', '.join(f'`{k}`' for k in table.primary_key)}.\n")
        out.append("| column | type | unit / vocabulary | description |\n|---|---|---|---|")
        for f in table.clean_fields:
            vocab = unit_or_vocabulary(f).replace("|", " \\| ")
            required = " Never empty." if f.required else ""
            out.append(f"| `{f.name}` | {f.type} | {vocab} | {f.description}{required} |")
        out.append("")
    return "\n".join(out)
