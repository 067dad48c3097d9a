"""A run's layers are opened in a task and placed on the map a slice at a time (the event loop runs in between),
dated and grouped per tile and date, folded, only the newest date of each tile ticked; one unreadable file is
said, not fatal."""
import datetime as dt

import numpy as np
from osgeo import gdal, osr
from qgis.core import QgsLayerTree, QgsProject
from qgis.PyQt.QtCore import QCoreApplication

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


def test_layers_arrive_in_slices_dated_and_grouped(qgis_new_project, qtbot, tmp_path):
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=5 * i) for i in range(12)]
    paths = [ndvi_tif(tmp_path, d) for d in days]
    broken = tmp_path / "SENTINEL2A_20250103-103000-000_L2A_T31TCJ_C_V3-1_NDVI.tif"
    broken.write_text("not a raster")
    other_tile = ndvi_tif(tmp_path, days[3], tile="31TDJ")
    loader = LayerLoader(QgsProject.instance(), ndvi_paths=paths[:6] + [broken] + paths[6:] + [other_tile],
                         budget_ms=0)    # one layer per slice
    try:
        with qtbot.waitSignal(loader.finished, timeout=30000) as blocker:
            loader.start()
            assert loader.added == []     # the layers are opened in a task, then placed from the event loop
        layers, errors = blocker.args
        assert len(layers) == 13 and len(errors) == 1 and "cannot open" in errors[0]
        assert loader.slices == 13        # one placed a slice (the unreadable one costs no slice of its own)
        root = QgsProject.instance().layerTreeRoot()
        group = root.findGroup("Sentinel-2 T31TCJ")
        dates = [c for c in group.children() if QgsLayerTree.isGroup(c)]
        assert [d.name() for d in dates] == [d.isoformat() for d in days]   # in date order
        assert all(lyr.temporalProperties().isActive() for lyr in layers)
        assert all(lyr.thread() == QCoreApplication.instance().thread() for lyr in layers)   # handed over
        # the newest date of each tile is on the map; the others wait in the panel, folded and unticked
        assert [d.itemVisibilityChecked() for d in dates] == [False] * 11 + [True]
        assert not any(d.isExpanded() for d in dates)
        assert [c.itemVisibilityChecked() for c in root.findGroup("Sentinel-2 T31TDJ").children()] == [True]
    finally:
        clear_project()


def test_a_cancelled_load_keeps_what_is_on_the_map(qgis_new_project, qtbot, tmp_path):
    paths = [ndvi_tif(tmp_path, dt.date(2025, 1, 1) + dt.timedelta(days=5 * i)) for i in range(5)]
    loader = LayerLoader(QgsProject.instance(), ndvi_paths=paths, budget_ms=0)
    loader.progressChanged.connect(lambda pct: loader.cancel() if len(loader.added) == 2 else None)   # mid-way
    try:
        with qtbot.waitSignal(loader.finished, timeout=30000) as blocker:
            loader.start()
        assert len(blocker.args[0]) == 2
        assert len(QgsProject.instance().mapLayers()) == 2
    finally:
        clear_project()


def test_a_newest_date_that_cannot_open_leaves_the_next_newest_ticked(qgis_new_project, qtbot, tmp_path):
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=5 * i) for i in range(3)]
    paths = [ndvi_tif(tmp_path, d) for d in days]
    paths[-1].write_bytes(b"II*\x00" + b"\x00" * 60)   # the newest raster damaged: a TIFF header and nothing else
    loader = LayerLoader(QgsProject.instance(), ndvi_paths=paths, budget_ms=0)
    try:
        with qtbot.waitSignal(loader.finished, timeout=30000) as blocker:
            loader.start()
        layers, errors = blocker.args
        assert len(layers) == 2 and len(errors) == 1 and paths[-1].name in errors[0]   # said, with the file
        dates = [c for c in QgsProject.instance().layerTreeRoot().findGroup("Sentinel-2 T31TCJ").children()
                 if QgsLayerTree.isGroup(c)]
        assert [(d.name(), d.itemVisibilityChecked()) for d in dates] == [(days[0].isoformat(), False),
                                                                          (days[1].isoformat(), True)]
    finally:
        clear_project()
