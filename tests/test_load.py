"""Loading: typed tables, filters, caching, and the best-figure view."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load
from helpers.schema import AUDIT_STATUSES
from helpers.transform import short_name_zh


def test_facts_are_typed():
    df = load.facts()
    assert isinstance(df["metric"].dtype, pd.CategoricalDtype)
    assert list(df["qualifier"].cat.categories) == load.QUALIFIER_ORDER
    assert str(df["source_line"].dtype) == "Int64"
    assert str(df["year_reliable"].dtype) == "boolean"
    assert df["value_std"].dtype == "float64"
    assert {"region", "year_start", "year_end", "scope"} <= set(df.columns) and "year_num" not in df.columns


def test_filters():
    zj = load.facts(province="浙江")
    assert len(zj) > 0 and set(zj["province_zh"].dropna()) == {"浙江"}
    assert len(load.facts(province="Zhejiang")) == len(zj) == len(load.facts(province="浙江省"))
    east = load.facts(region="east")
    assert set(east["region"].dropna()) == {"east"}
    money = load.facts(metric=["revenue", "output_value"], kind="actual")
    assert set(money["metric"]) <= {"revenue", "output_value"} and set(money["kind"]) == {"actual"}
    reliable = load.facts(reliable_years_only=True)
    assert not (reliable["year_reliable"] == False).any()  # noqa: E712
    assert len(reliable) < len(load.facts())
    with pytest.raises(KeyError, match="unknown province"):
        load.facts(province="Atlantis")


def test_tables_are_cached_and_copies_are_returned():
    a = load.facts()
    a.loc[0, "entity_zh"] = "changed"
    assert load.facts().loc[0, "entity_zh"] != "changed"
    assert load._read.cache_info().hits > 0


def test_other_tables():
    assert len(load.provinces()) == 34
    assert len(load.articles()) == 19
    assert set(load.audit()["status"].cat.categories) <= set(AUDIT_STATUSES)
    assert len(load.typology("stone")) == 24
    assert len(load.clusters(province="山东")) > 0


def test_short_display_names_are_unique_short_and_name_the_place():
    registry = load.clusters()
    assert registry["short_zh"].is_unique and registry["short_zh"].str.len().max() <= 16
    assert not registry["short_en"].str.contains(r"\((?!\?\))").any()  # no remarks in brackets; "(?)" is a doubt
    by_id = registry.set_index("cluster_id")
    assert by_id.at["zhucheng-taolin-food-beverages", "short_zh"] == "桃林食品饮料业"  # printed 食品饮料业: place added
    assert by_id.at["baoxing-stone", "short_zh"] == "宝兴石材"  # 宝兴县 + 石材
    assert by_id.at["guanyun-guannan-shipbuilding-metalworking", "short_zh"].startswith("灌云、灌南")
    assert by_id.at["yuhuan-valves", "short_en"] == "Yuhuan(?) valves"  # one name, curated: 迂缓 is likely 玉环
    printed = {"name_zh": "造纸机械业", "name_std_zh": "", "county_zh": "诸城市", "town_zh": None,
               "prefecture_zh": "潍坊市", "industry_zh": "造纸机械"}  # fmt: skip
    assert short_name_zh(printed) == "诸城造纸机械业"
    assert short_name_zh({**printed, "name_std_zh": "诸城造纸机械"}) == "诸城造纸机械"
    assert short_name_zh({"name_zh": "沙县小吃产业集群", "county_zh": "沙县", "industry_zh": "小吃"}) == "沙县小吃"
