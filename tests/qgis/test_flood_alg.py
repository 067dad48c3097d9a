"""sentinelmirror:flood_map in a real QGIS: simulated before/after GRD zips -> styled flood layers in one group."""
import pytest
from osgeo import gdal
from qgis.core import QgsProject

from tests.simulator.s1_grd import FloodScenario

from .sm_support import sm_provider  # noqa: F401

pytestmark = pytest.mark.usefixtures("sm_provider")


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
