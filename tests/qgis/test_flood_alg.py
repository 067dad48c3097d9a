"""sentinelmirror:flood_map in a real QGIS: simulated before/after GRD zips -> styled flood layers in one group."""
import pytest
from osgeo import gdal
from qgis.core import QgsProject

from tests.simulator.s1_grd import FloodScenario

from .sm_support import fast_polling, sim_env, sm_provider  # noqa: F401

pytestmark = pytest.mark.usefixtures("sm_provider", "fast_polling")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    d = tmp_path_factory.mktemp("flood_alg")
    sc = FloodScenario.small()
    before, after = sc.build(str(d / "zips"))
    return dict(sc=sc, before=before, after=after, dem=sc.write_dem(str(d / "dem.tif")),
                water=sc.write_water_layer(str(d / "water.gpkg")))


def params(s, tmp_path, **kw):
    x0, y0, x1, y1 = s["sc"].aoi_utm()
    return {"BEFORE": [s["before"]], "AFTER": [s["after"]], "AREA": f"{x0},{x1},{y0},{y1} [EPSG:{s['sc'].scene.epsg}]",
            "METHOD": 0, "DEM": s["dem"], "WATER_LAYER": s["water"], "OUTPUT": str(tmp_path / "flood.tif"),
            "POLYGONS": str(tmp_path / "flood.gpkg"), **kw}


def test_flood_map_runs_and_loads_styled_layers_in_one_group(scenario, tmp_path):
    import processing

    result = processing.runAndLoadResults("sentinelmirror:flood_map", params(scenario, tmp_path))
    ds = gdal.Open(result["OUTPUT"])
    m = ds.ReadAsArray()
    truth = scenario["sc"].flood_truth(ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize)
    det = m == 1
    assert (det & truth).sum() / (det | truth).sum() >= 0.9
    assert result["FLOODED_HA"] == pytest.approx(truth.sum() * 0.04, rel=0.1)
    assert result["AREAS"] >= 1
    group = QgsProject.instance().layerTreeRoot().findGroup("Flood map 2016-06-03")
    assert group is not None
    layers = {node.layer().name(): node.layer() for node in group.findLayers()}
    assert set(layers) == {"Flooded (1)", "Flood polygons"}
    assert layers["Flooded (1)"].renderer().type() == "paletted"
    assert layers["Flood polygons"].featureCount() == result["AREAS"]
    QgsProject.instance().clear()


def test_flood_map_bad_input_is_one_sentence(scenario, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as e:
        processing.run("sentinelmirror:flood_map", params(scenario, tmp_path, BEFORE=[scenario["after"]],
                                                          AFTER=[scenario["before"]]))
    assert "not later than the 'before' ones" in str(e.value) and "Traceback" not in str(e.value)


def test_shipped_model_searches_downloads_and_maps_the_flood(simulator_factory, sim_env, tmp_path):
    """'Flood map' model: S1 search before and after over the area -> download -> flood map, against the
    simulator serving flood-scenario GRDs (flooded from 2023-06-15)."""
    import datetime as dt

    import processing
    from tests.simulator import s1_grd

    sim = sim_env(simulator_factory(collections=("PEPS_S1_L1",), s1_flood_date=dt.date(2023, 6, 15),
                                    end=dt.date(2023, 6, 30)))
    product = next(p for p in sim.products if p.is_s1)
    sc = FloodScenario(s1_grd.catalogue_scene(product), None, None)
    x0, y0, x1, y1 = sc.aoi_utm()
    res = processing.run("sentinelmirror:s1_flood_map", {
        "PROVIDER": 0, "AREA": f"{x0},{x1},{y0},{y1} [EPSG:{sc.scene.epsg}]",
        "BEFORE_START": "2023-06-01", "BEFORE_END": "2023-06-14", "AFTER_START": "2023-06-15",
        "AFTER_END": "2023-06-30", "METHOD": 0, "DEM": sc.write_dem(str(tmp_path / "dem.tif")),
        "WATER_LAYER": sc.write_water_layer(str(tmp_path / "water.gpkg")),
        "search_before:Footprints before": "TEMPORARY_OUTPUT", "search_after:Footprints after": "TEMPORARY_OUTPUT",
        "download_before:Download report before": "TEMPORARY_OUTPUT",
        "download_after:Download report after": "TEMPORARY_OUTPUT",
        "download_before:Products folder before": str(tmp_path / "before"),
        "download_after:Products folder after": str(tmp_path / "after"),
        "flood_map:Flood raster": str(tmp_path / "flood.tif"), "flood_map:Flood polygons": str(tmp_path / "f.gpkg")})
    ds = gdal.Open(res["flood_map:Flood raster"])
    m = ds.ReadAsArray()
    truth = sc.flood_truth(ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize)
    assert ((m == 1) & truth).sum() / ((m == 1) | truth).sum() >= 0.9
    assert len(list((tmp_path / "before").glob("S1*.zip"))) >= 1 and list((tmp_path / "after").glob("S1*.zip"))


@pytest.mark.skipif(__import__("shutil").which("qgis_process.bin") is None, reason="needs qgis_process.bin")
def test_qgis_process_runs_flood_map_with_a_lon_lat_area(scenario, tmp_path):
    """As the README shows it: zips, an area in lon/lat, a raster and a GeoPackage out; the hectares in JSON."""
    import json
    import os
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "sentinel_mirror").symlink_to(root, target_is_directory=True)
    env = {**os.environ, "QGIS_PLUGINPATH": str(plugins), "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "profile"),
           "QT_QPA_PLATFORM": "offscreen"}
    qp = shutil.which("qgis_process.bin")
    assert subprocess.run([qp, "plugins", "enable", "sentinel_mirror"], env=env, capture_output=True,
                          timeout=120).returncode == 0
    run = subprocess.run([qp, "--json", "run", "sentinelmirror:flood_map", "--", f"BEFORE={scenario['before']}",
                          f"AFTER={scenario['after']}", "AREA=2.74,2.86,48.82,48.88 [EPSG:4326]",
                          f"OUTPUT={tmp_path / 'flood.tif'}", f"POLYGONS={tmp_path / 'flood.gpkg'}"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads(run.stdout[run.stdout.index("{"):])["results"]
    assert results["FLOODED_HA"] > 500 and (tmp_path / "flood.gpkg").exists()
    assert gdal.Open(results["OUTPUT"]).GetRasterBand(1).GetNoDataValue() == 255
