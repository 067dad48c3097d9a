"""The time-series algorithms through processing.run (toolbox and modeler run this same path) and qgis_process,
checked against independent numpy (tests/ts_expected.py) on simulator-built archives."""
import csv
import datetime as dt
import json
import subprocess

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

from tests import ts_expected as ex
from tests.ts_expected import cells, rect_wgs84

from .sm_support import expected, fast_polling, sim_env, sm_provider  # noqa: F401
from .test_qgis_process import QGIS_PROCESS, installed_plugin  # noqa: F401

pytestmark = pytest.mark.usefixtures("sm_provider")

DAYS = [dt.date(2023, 6, 1) + dt.timedelta(days=5 * i) for i in range(6)]
BOXES = {"north": (10, 10, 30, 25), "middle": (40, 50, 80, 80), "river": (55, 90, 100, 115)}


def run(alg, params):
    import processing

    return processing.run(f"sentinelmirror:{alg}", params)


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    folder = tmp_path_factory.mktemp("products")
    return str(folder), ex.build_series(str(folder), DAYS)


def parcels_layer(paths, boxes=BOXES):
    if paths:
        gt, _ = ex.grid(paths[0])
    else:                                    # the simulator's products: 120 px at the tile's corner
        from tests.simulator.archives import tile_geocoding
        _, ulx, uly = tile_geocoding("31TCJ")
        gt = (ulx, 10.0, 0.0, uly, 0.0, -10.0)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "fields", "memory")
    feats = []
    for name, b in boxes.items():
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(rect_wgs84(*cells(gt, *b))))
        f.setAttributes([name])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_parcel_statistics_of_ndmi(products):
    """The INDEX choice reaches the engine: NDMI (20 m B11) means equal independent numpy, masks included."""
    from plugin.core.indices import INDEX_NAMES

    folder, paths = products
    res = run("parcel_statistics", {"PARCELS": parcels_layer(paths), "ID_FIELD": "name", "FOLDER": folder,
                                    "INDEX": INDEX_NAMES.index("NDMI"), "OUTPUT": "memory:"})
    rows = {(f["name"], f["date"].toPyDate()): f for f in res["OUTPUT"].getFeatures()}
    for path, day in zip(paths, DAYS):
        value, masked = ex.expected_index(path, "NDMI")
        for name, (c0, r0, c1, r1) in BOXES.items():
            v = value[r0:r1, c0:c1]
            vals = v[~np.isnan(v)]
            assert rows[(name, day)]["valid_count"] == vals.size
            if vals.size:
                assert rows[(name, day)]["mean"] == pytest.approx(vals.mean(), abs=1e-6)


def test_parcel_statistics_table_and_wide_csv(products, tmp_path):
    folder, paths = products
    wide = tmp_path / "wide.csv"
    res = run("parcel_statistics", {"PARCELS": parcels_layer(paths), "ID_FIELD": "name", "FOLDER": folder,
                                    "OUTPUT": "memory:", "WIDE_CSV": str(wide)})
    rows = {(f["name"], f["date"].toPyDate()): f for f in res["OUTPUT"].getFeatures()}
    assert len(rows) == len(BOXES) * len(DAYS)
    masked_seen = 0
    for path, day in zip(paths, DAYS):
        value, masked = ex.expected(path)
        for name, (c0, r0, c1, r1) in BOXES.items():
            f = rows[(name, day)]
            v = value[r0:r1, c0:c1]
            vals = v[~np.isnan(v)]
            assert f["pixel_count"] == v.size and f["valid_count"] == vals.size
            assert f["masked_fraction"] == pytest.approx(masked[r0:r1, c0:c1].mean())
            masked_seen += int(masked[r0:r1, c0:c1].sum())
            if vals.size:
                assert f["mean"] == pytest.approx(vals.mean(), abs=1e-6)
                assert f["median"] == pytest.approx(np.median(vals), abs=1e-6)
                assert f["p90"] == pytest.approx(np.percentile(vals, 90), abs=1e-6)
            else:
                assert f["mean"] is None or f["mean"] != f["mean"] or str(f["mean"]) == "NULL"
    assert masked_seen > 0
    table = list(csv.reader(wide.open()))
    assert table[0] == ["parcel_id"] + [d.isoformat() for d in DAYS]
    by_name = {r[0]: r[1:] for r in table[1:]}
    for j, day in enumerate(DAYS):
        for name in BOXES:
            m = rows[(name, day)]["mean"]
            cell = by_name[name][j]
            assert (cell == "") if not isinstance(m, float) else float(cell) == pytest.approx(m, abs=1e-6)


def test_parcel_statistics_from_ndvi_rasters_agree_with_products(products, tmp_path):
    folder, paths = products
    ndvi = run("ndvi", {"FOLDER": folder, "OUTPUT_FOLDER": str(tmp_path / "ndvi")})
    layer = parcels_layer(paths)
    a = run("parcel_statistics", {"PARCELS": layer, "ID_FIELD": "name", "FOLDER": folder, "OUTPUT": "memory:"})
    b = run("parcel_statistics", {"PARCELS": layer, "ID_FIELD": "name", "INPUTS": ndvi["OUTPUT_LAYERS"],
                                  "OUTPUT": "memory:"})
    fa = {(f["name"], f["date"].toPyDate()): f for f in a["OUTPUT"].getFeatures()}
    fb = {(f["name"], f["date"].toPyDate()): f for f in b["OUTPUT"].getFeatures()}
    assert fa.keys() == fb.keys()
    for k in fa:
        assert fa[k]["valid_count"] == fb[k]["valid_count"]
        if fa[k]["valid_count"]:
            assert fa[k]["mean"] == pytest.approx(fb[k]["mean"], abs=1e-6)


def test_composite_and_gap_filled_series(products, tmp_path):
    folder, paths = products
    comp = run("composite", {"FOLDER": folder, "PERIOD": 1, "DAYS": 15, "OUTPUT_FOLDER": str(tmp_path / "c")})
    assert len(comp["OUTPUT_LAYERS"]) == 2             # 15-day periods from 1 January: 31 May-14 June, 15-29 June
    ds = gdal.Open(sorted(comp["OUTPUT_LAYERS"])[0])
    assert ds.GetMetadataItem("PERIOD_START") == "2023-05-31"
    stack = np.stack([ex.expected(p)[0] for p in paths if ex.date_of(p) <= dt.date(2023, 6, 14)])
    np.testing.assert_array_equal(ds.GetRasterBand(3).ReadAsArray(), (~np.isnan(stack)).sum(axis=0))
    gap = run("gap_filled_series", {"FOLDER": folder, "EVERY": 3, "START": "2023-06-02",
                                    "OUTPUT_FOLDER": str(tmp_path / "g")})
    ds = gdal.Open(gap["OUTPUT_LAYERS"][0])
    assert ds.GetRasterBand(1).GetDescription() == "2023-06-02"
    assert ds.RasterCount == len(range(2, 27, 3))


def test_bad_inputs_are_plain_messages(products, tmp_path):
    folder, paths = products
    with pytest.raises(QgsProcessingException, match="No series given"):
        run("composite", {"OUTPUT_FOLDER": str(tmp_path / "c")})
    far = QgsVectorLayer("Polygon?crs=EPSG:4326", "far", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((10 10,10.01 10,10.01 10.01,10 10))"))
    far.dataProvider().addFeatures([f])
    with pytest.raises(QgsProcessingException, match="No parcel lies on the tiles"):
        run("parcel_statistics", {"PARCELS": far, "FOLDER": folder, "OUTPUT": "memory:"})


@pytest.mark.usefixtures("fast_polling")
def test_shipped_model_parcel_ndvi_monitoring(simulator, sim_env, tmp_path):
    sim_env(simulator)
    want = expected(simulator, end=dt.date(2023, 6, 12))
    res = run("parcel_ndvi_monitoring", {
        "PROVIDER": 0, "COLLECTION": 0, "TILE": "31TCJ", "START": "2023-06-01", "END": "2023-06-12",
        "MAX_CLOUD": 100, "PARCELS": parcels_layer(None), "ID_FIELD": "name",
        "download:Products folder": str(tmp_path / "dl"), "ndvi:NDVI folder": str(tmp_path / "ndvi"),
        "parcels:Parcel statistics": str(tmp_path / "stats.gpkg")})
    table = QgsVectorLayer(res["parcels:Parcel statistics"])
    assert table.featureCount() == len(BOXES) * len({p.acquired.date() for p in want}) > 0


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin comes with the QGIS desktop package")
def test_qgis_process_runs_parcel_statistics(installed_plugin, products, tmp_path):  # noqa: F811
    folder, paths = products
    from osgeo import ogr, osr

    gt, _ = ex.grid(paths[0])
    gpkg = tmp_path / "parcels.gpkg"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    out = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    out.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for name, b in BOXES.items():
        f = ogr.Feature(out.GetLayerDefn())
        f.SetField("name", name)
        f.SetGeometry(ogr.CreateGeometryFromWkt(rect_wgs84(*cells(gt, *b))))
        out.CreateFeature(f)
    ds = None
    out = tmp_path / "stats.csv"
    proc = subprocess.run([QGIS_PROCESS, "--json", "run", "sentinelmirror:parcel_statistics", "--",
                           f"PARCELS={gpkg}", "ID_FIELD=name", f"FOLDER={folder}", f"OUTPUT={out}"],
                          env=installed_plugin, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout[proc.stdout.index("{"):])["results"]["OUTPUT"] == str(out)
    assert len(list(csv.reader(out.open()))) == 1 + len(BOXES) * len(DAYS)
