"""A run's layers go on the map a slice at a time (the event loop runs in between), dated and grouped as one
add_product_layers() call would, with the canvas drawn once at the end; one unreadable file is said, not fatal."""
import datetime as dt

import numpy as np
from osgeo import gdal, osr
from qgis.core import QgsLayerTree, QgsProject

from plugin.gui.layer_loader import LayerLoader
from tests.qgis.dock_helpers import clear_project


def ndvi_tif(folder, day, tile="31TCJ"):
    path = folder / f"SENTINEL2A_{day:%Y%m%d}-103000-000_L2A_T{tile}_C_V3-1_NDVI.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 12, 12, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((300000, 10, 0, 4800000, 0, -10))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32631)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(np.full((12, 12), 0.5, dtype=np.float32))
    ds = None
    return path


def test_layers_arrive_in_slices_dated_and_grouped(qgis_canvas, qgis_new_project, qtbot, tmp_path):
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=5 * i) for i in range(12)]
    paths = [ndvi_tif(tmp_path, d) for d in days]
    broken = tmp_path / "SENTINEL2A_20250301-103000-000_L2A_T31TCJ_C_V3-1_NDVI.tif"
    broken.write_text("not a raster")
    canvas = qgis_canvas
    frozen_during = []
    loader = LayerLoader(QgsProject.instance(), ndvi_paths=paths[:6] + [broken] + paths[6:], canvas=canvas,
                         budget_ms=0)    # one layer per slice
    loader.progressChanged.connect(lambda pct: frozen_during.append(canvas.isFrozen()))
    try:
        with qtbot.waitSignal(loader.finished, timeout=30000) as blocker:
            loader.start()
            assert loader.added == []     # nothing is done inside start(): the first slice runs from the event loop
        layers, errors = blocker.args
        assert len(layers) == 12 and len(errors) == 1 and "cannot open" in errors[0]
        assert loader.slices == 13 and all(frozen_during) and not canvas.isFrozen()
        group = QgsProject.instance().layerTreeRoot().findGroup("Sentinel-2 T31TCJ")
        dates = [c.name() for c in group.children() if QgsLayerTree.isGroup(c)]
        assert dates == [d.isoformat() for d in days]     # chronological, as add_product_layers puts them
        assert all(lyr.temporalProperties().isActive() for lyr in layers)
    finally:
        clear_project()


def test_a_cancelled_load_keeps_what_is_on_the_map(qgis_canvas, qgis_new_project, qtbot, tmp_path):
    paths = [ndvi_tif(tmp_path, dt.date(2025, 1, 1) + dt.timedelta(days=5 * i)) for i in range(5)]
    loader = LayerLoader(QgsProject.instance(), ndvi_paths=paths, canvas=qgis_canvas, budget_ms=0)
    loader.progressChanged.connect(lambda pct: loader.cancel() if len(loader.added) == 2 else None)
    try:
        with qtbot.waitSignal(loader.finished, timeout=30000) as blocker:
            loader.start()
        assert len(blocker.args[0]) == 2 and not qgis_canvas.isFrozen()
        assert len(QgsProject.instance().mapLayers()) == 2
    finally:
        clear_project()
