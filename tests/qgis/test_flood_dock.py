"""The dock's Flood map action: two Sentinel-1 dates ticked -> download -> Flood map over the map's extent."""
import datetime as dt

import pytest
from osgeo import gdal
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import Qt

from plugin.gui.dock import SentinelMirrorDock
from tests.simulator import s1_grd
from tests.simulator.s1_grd import FloodScenario

from .dock_helpers import clear_project, dispose, point_dock_at, restore_settings, set_dates

FLOOD_DAY = dt.date(2023, 6, 15)


@pytest.fixture
def dock_on_flood(qgis_iface, qgis_new_project, monkeypatch, tmp_path, qtbot, simulator_factory):
    sim = simulator_factory(collections=("PEPS_S1_L1",), s1_flood_date=FLOOD_DAY, end=dt.date(2023, 6, 30))
    saved = point_dock_at(sim, monkeypatch, tmp_path / "downloads")
    dock = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
    dock.show()
    set_dates(dock, dt.date(2023, 6, 1), dt.date(2023, 6, 30))
    dock.ui.collectionCombo.setCurrentIndex(dock.ui.collectionCombo.findData("PEPS_S1_L1"))
    yield sim, dock
    dock.cancel()
    qtbot.waitUntil(lambda: not dock._busy() and dock.flood.task is None, timeout=60000)
    dock.cleanup()
    dispose(dock)
    restore_settings(saved)
    clear_project()


def test_flood_map_button_after_two_dates_downloaded(dock_on_flood, qtbot):
    sim, dock = dock_on_flood
    dock.ui.tileRadio.setChecked(True)
    qtbot.keyClicks(dock.ui.tileEdit, "31tcj")
    with qtbot.waitSignal(dock.searchFinished, timeout=30000):
        qtbot.mouseClick(dock.ui.searchButton, Qt.MouseButton.LeftButton)
    products = [dock.model.product(r) for r in range(dock.model.rowCount())]
    desc = sorted((p for p in products if p.relative_orbit == products[0].relative_orbit), key=lambda p: p.acquired)
    before = [p for p in desc if p.acquired.date() < FLOOD_DAY][-1]
    after = next(p for p in desc if p.acquired.date() >= FLOOD_DAY)
    dock.model.set_all_checked(False)
    assert not (not dock.flood.button.isHidden())
    dock.model.set_checked([dock.model.row_of(before.id)], True)
    assert not (not dock.flood.button.isHidden())           # one date is not a pair
    dock.model.set_checked([dock.model.row_of(after.id)], True)
    assert (not dock.flood.button.isHidden())

    qtbot.mouseClick(dock.flood.button, Qt.MouseButton.LeftButton)     # not downloaded yet: says what to do
    assert dock.flood.task is None
    assert any("Download both dates first" in w.text() for w in dock.bar.items())
    with qtbot.waitSignal(dock.runFinished, timeout=120000):
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)

    scene = s1_grd.catalogue_scene(next(p for p in sim.products if p.id == before.id))
    sc = FloodScenario(scene, None, None)
    x0, y0, x1, y1 = sc.aoi_utm()
    dock.canvas.setDestinationCrs(QgsCoordinateReferenceSystem(f"EPSG:{scene.epsg}"))
    dock.canvas.setExtent(QgsRectangle(x0, y0, x1, y1))
    qtbot.mouseClick(dock.flood.button, Qt.MouseButton.LeftButton)
    assert dock.flood.task is not None and not dock.flood.button.isEnabled()
    qtbot.waitUntil(lambda: dock.flood.task is None, timeout=120000)
    group = QgsProject.instance().layerTreeRoot().findGroup(f"Flood map {after.acquired:%Y-%m-%d}")
    assert group is not None
    names = sorted(node.layer().name() for node in group.findLayers())
    assert names == ["Flood polygons", "Flooded (1)"]
    raster = next(node.layer() for node in group.findLayers() if node.layer().name() == "Flooded (1)")
    ds = gdal.Open(raster.source())
    m = ds.ReadAsArray()
    truth = sc.flood_truth(ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize)
    assert ((m == 1) & truth).sum() / truth.sum() >= 0.9          # the flood is found (no DEM/water layer here)
    assert any("Flooded area" in w.text() for w in dock.bar.items())
