"""sentinelmirror:index (and its former id sentinelmirror:ndvi) in a real QGIS: index and encoding choices,
layers named and styled per index, Int16 shown in true values."""
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsApplication, QgsPointXY, QgsProject, QgsRasterLayer

from plugin.core.models import ProductKind
from tests.simulator.archives import build_archive

from .sm_support import sm_provider  # noqa: F401

pytestmark = pytest.mark.usefixtures("sm_provider")
TITLES = ("SENTINEL2A_20230605-102612-877_L2A_T31TCJ_C_V3-1", "SENTINEL2B_20230610-102423-024_L2A_T31TCJ_C_V3-1")


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    d = tmp_path_factory.mktemp("zips")
    out = []
    for t in TITLES:
        build_archive(ProductKind.MAJA_L2A, t, str(d / f"{t}.zip"))
        out.append(str(d / f"{t}.zip"))
    return out


def test_index_algorithm_writes_the_chosen_index_in_int16(zips, tmp_path):
    import processing
    res = processing.run("sentinelmirror:index", {"INPUTS": zips, "INDEX": 3, "ENCODING": 1,   # NDMI, Int16
                                                  "OUTPUT_FOLDER": str(tmp_path / "q")})
    flt = processing.run("sentinelmirror:index", {"INPUTS": zips, "INDEX": "3",
                                                  "OUTPUT_FOLDER": str(tmp_path / "f")})
    assert res["COMPUTED"] == flt["COMPUTED"] == 2 and res["FAILED"] == 0
    assert sorted(Path(p).name for p in res["OUTPUT_LAYERS"]) == sorted(f"{t}_NDMI.tif" for t in TITLES)
    for q_path in res["OUTPUT_LAYERS"]:
        q_ds, f_ds = gdal.Open(q_path), gdal.Open(str(tmp_path / "f" / Path(q_path).name))
        q, f = q_ds.GetRasterBand(1).ReadAsArray(), f_ds.GetRasterBand(1).ReadAsArray()
        assert q.dtype == np.int16 and f.dtype == np.float32 and q_ds.GetMetadataItem("INDEX") == "NDMI"
        ok = f != -9999
        assert np.array_equal(q == -32768, ~ok) and np.max(np.abs(q[ok] - f[ok].astype(np.float64) * 1e4)) <= 0.5
        # QGIS applies the band scale: a layer of the Int16 file reads the index itself
        layer = QgsRasterLayer(q_path, "q", "gdal")
        gt = q_ds.GetGeoTransform()
        y, x = np.argwhere(ok)[len(np.argwhere(ok)) // 2]
        value, found = layer.dataProvider().sample(QgsPointXY(gt[0] + (x + 0.5) * gt[1], gt[3] + (y + 0.5) * gt[5]), 1)
        assert found and value == pytest.approx(float(f[y, x]), abs=0.5e-4 + 1e-7)


def test_former_ndvi_id_still_runs_and_is_hidden_from_the_toolbox(zips, tmp_path):
    import processing
    registry = QgsApplication.processingRegistry()
    alias, index = registry.algorithmById("sentinelmirror:ndvi"), registry.algorithmById("sentinelmirror:index")
    from plugin.qgis import compat
    assert alias.flags() & compat.ALGORITHM_HIDDEN and not index.flags() & compat.ALGORITHM_HIDDEN
    res = processing.run("sentinelmirror:ndvi", {"INPUTS": zips, "OUTPUT_FOLDER": str(tmp_path / "n")})
    assert sorted(Path(p).name for p in res["OUTPUT_LAYERS"]) == sorted(f"{t}_NDVI.tif" for t in TITLES)
    assert gdal.Open(res["OUTPUT_LAYERS"][0]).GetRasterBand(1).DataType == gdal.GDT_Float32


def test_index_layers_are_named_and_styled_after_their_index(zips, tmp_path):
    import processing
    project = QgsProject.instance()
    project.clear()
    try:
        processing.runAndLoadResults("sentinelmirror:index", {"INPUTS": zips, "INDEX": 1,      # NDWI
                                                              "OUTPUT_FOLDER": str(tmp_path / "w")})
        layers = [l for l in project.mapLayers().values() if isinstance(l, QgsRasterLayer)]
        assert sorted(l.name() for l in layers) == ["NDWI T31TCJ 2023-06-05", "NDWI T31TCJ 2023-06-10"]
        for layer in layers:
            shader = layer.renderer().shader().rasterShaderFunction()
            assert (shader.minimumValue(), shader.maximumValue()) == (-0.6, 0.6)      # water.qml, not NDVI's
            assert layer.temporalProperties().isActive()
    finally:
        project.clear()


def test_20m_output_grid_is_named_and_loaded_as_its_index(zips, tmp_path):
    import processing
    project = QgsProject.instance()
    project.clear()
    try:
        res = processing.runAndLoadResults("sentinelmirror:index", {"INPUTS": zips, "INDEX": 5, "RESOLUTION": 1,
                                                                    "OUTPUT_FOLDER": str(tmp_path / "r")})   # NDRE
        assert sorted(Path(p).name for p in res["OUTPUT_LAYERS"]) == sorted(f"{t}_NDRE_20m.tif" for t in TITLES)
        assert gdal.Open(res["OUTPUT_LAYERS"][0]).GetGeoTransform()[1] == 20.0
        names = sorted(l.name() for l in project.mapLayers().values())
        assert names == ["NDRE T31TCJ 2023-06-05", "NDRE T31TCJ 2023-06-10"]
    finally:
        project.clear()
