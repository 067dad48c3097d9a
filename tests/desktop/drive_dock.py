"""Runs INSIDE the real QGIS desktop (qgis --code drive_dock.py), started by test_desktop_dock.py.

Drives the Sentinel Mirror dock like a user against the simulator whose URLs and keys come in the environment
(SENTINEL_MIRROR_*): types a tile, searches, picks a row (quicklook), downloads a few products with some on
tape, and saves three screenshots: the dock with results and footprints, the dock mid-download with rows in
several states, the map with the NDVI layers. Writes a JSON report (SM_DOCK_REPORT) and quits; any error ends up
in the report so the test never waits for a hung QGIS.
"""
import os
import sys
import time

import qgis.utils
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsLayerTree, QgsProject, QgsRasterLayer,
                       QgsRectangle, QgsSettings, QgsVectorLayer)
from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtGui import QColor

sys.path.insert(0, os.environ["SM_ROOT"])   # the checkout (--code runs without __file__)
from tests.desktop.driver_base import DesktopDriver, launch  # noqa: E402

OUT = os.environ["SM_DOCK_OUT"]
REPORT = os.environ["SM_DOCK_REPORT"]
DOWNLOADS = os.environ["SM_DOCK_DOWNLOADS"]
START, END = os.environ.get("SM_DOCK_START", "2023-06-01"), os.environ.get("SM_DOCK_END", "2023-07-31")
N_PRODUCTS = int(os.environ.get("SM_DOCK_N", "6"))
WORLD = "/usr/share/qgis/resources/data/world_map.gpkg"


class Driver(DesktopDriver):
    def __init__(self):
        super().__init__(REPORT)
        self.report["states_seen"] = {}

    def grab(self, name):
        QgsApplication.processEvents()
        path = os.path.join(OUT, name)
        self.report.setdefault("screenshots", {})[name] = self.window.grab().save(path)

    # ---- steps ----------------------------------------------------------------------------------------------
    def ready(self):
        s = QgsSettings()
        s.setValue("sentinel_mirror/download_dir", DOWNLOADS)
        s.setValue("sentinel_mirror/poll_interval_s", 0.5)
        s.setValue("sentinel_mirror/poll_interval_max_s", 2.0)
        project = QgsProject.instance()
        project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        if os.path.exists(WORLD):   # a background so the footprints have a context
            world = QgsVectorLayer(WORLD + "|layername=countries", "Countries", "ogr")
            if world.isValid():
                symbol = world.renderer().symbol()
                symbol.setColor(QColor("#efece3"))
                symbol.symbolLayer(0).setStrokeColor(QColor("#9a9a9a"))
                project.addMapLayer(world)
        canvas = qgis.utils.iface.mapCanvas()
        canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        canvas.setExtent(QgsRectangle(-250000, 5150000, 650000, 5700000))   # southern France
        canvas.refresh()
        [action] = self.toolbar().actions()
        action.trigger()
        # the width a user would drag the dock to: room for every column of the results
        self.window.resizeDocks([self.dock()], [560], Qt.Orientation.Horizontal)
        self.step(self.search, 1000)

    def search(self):
        dock = self.dock()
        ui = dock.ui
        ui.tileRadio.setChecked(True)
        ui.tileEdit.clear()
        ui.tileEdit.insert("31tcj")
        ui.startDate.setDate(QDate.fromString(START, Qt.DateFormat.ISODate))
        ui.endDate.setDate(QDate.fromString(END, Qt.DateFormat.ISODate))
        ui.cloudSpin.setValue(80)
        ui.ndviCheck.setChecked(True)
        ui.loadCheck.setChecked(True)
        self.searched = None
        dock.searchFinished.connect(lambda ok: setattr(self, "searched", ok))
        ui.searchButton.click()
        self.wait(lambda: self.searched is not None, self.after_search, "the search")

    def after_search(self):
        dock = self.dock()
        if not self.searched:
            raise RuntimeError("search failed: " + " | ".join(
                w.text() for w in dock.bar.findChildren(type(dock.ui.tileMessage))))
        self.report["results"] = dock.model.rowCount()
        # tick the first N rows (tape and online mixed), and make the third row current for its quicklook
        dock.model.set_all_checked(False)
        dock.model.set_checked(range(min(N_PRODUCTS, dock.model.rowCount())), True)
        view = dock.ui.resultsView
        view.selectRow(min(2, dock.proxy.rowCount() - 1))
        canvas = qgis.utils.iface.mapCanvas()
        layer = dock.footprints.layer
        from qgis.core import QgsCoordinateTransform
        ct = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), QgsProject.instance())
        extent = ct.transformBoundingBox(layer.extent())
        extent.scale(3.0)
        canvas.setExtent(extent)
        canvas.refresh()
        dock.ui.gridButton.setChecked(True)   # the tile grid around the results, with the tile ids
        self.wait(lambda: dock.ui.quicklookLabel.pixmap() is not None and not dock.ui.quicklookLabel.pixmap().isNull(),
                  self.shot_results, "the quicklook", timeout_s=20)

    def shot_results(self):
        self.step(self._shot_results, 800)   # let the canvas finish rendering

    def _shot_results(self):
        self.grab("dock-1-results.png")
        dock = self.dock()
        dock.model.stateChanged.connect(
            lambda pid, state: self.report["states_seen"].setdefault(pid, []).append(state.value))
        self.finished = None
        dock.runFinished.connect(lambda outcome: setattr(self, "finished", outcome))
        self.layers = []
        dock.layersAdded.connect(lambda layers: self.layers.extend(layers))
        dock.ui.downloadButton.click()
        self.wait(self._several_states, self.shot_download, "several states at once", timeout_s=60, poll_ms=100)

    def _current_states(self):
        dock = self.dock()
        return {dock.model.status(p.id).state.value for p in dock.model.checked_products()
                if dock.model.status(p.id) is not None}

    def _several_states(self):
        states = self._current_states()
        return ("downloading" in states and len(states) >= 2) or self.finished is not None   # e.g. on tape + downloading

    def shot_download(self):
        self.report["mid_download_states"] = sorted(self._current_states())
        self.grab("dock-2-downloading.png")
        self.wait(lambda: self.finished is not None, self.after_download, "the end of the run", timeout_s=240)

    def after_download(self):
        dock = self.dock()
        dock.ui.gridButton.setChecked(False)
        self.report["outcome"] = self.finished
        self.report["final_states"] = {p.title: dock.model.status(p.id).state.value
                                       for p in dock.model.checked_products() if dock.model.status(p.id)}
        root = QgsProject.instance().layerTreeRoot()
        group = root.findGroup("Sentinel-2 T31TCJ")
        self.report["group"] = group is not None
        layers = [n.layer() for n in group.findLayers()] if group else []
        self.report["ndvi_layers"] = sum(1 for lyr in layers if "NDVI" in lyr.name())
        self.report["colour_layers"] = sum(1 for lyr in layers if "Natural colour" in lyr.name())
        from qgis.PyQt.QtWidgets import QTextEdit
        self.report["message_bar"] = [w.toPlainText() for w in dock.bar.findChildren(QTextEdit) if w.toPlainText()]
        # show the NDVI series: natural colour layers off, the footprints off, zoomed on the tile
        for node in group.findLayers() if group else []:
            node.setItemVisibilityChecked("NDVI" in node.layer().name())
        if group:
            dates = [c for c in group.children() if QgsLayerTree.isGroup(c)]
            for i, child in enumerate(dates):
                child.setExpanded(i == 0)
                child.setItemVisibilityChecked(True)   # the dock ticks only the newest date
        fp = dock.footprints.layer
        if fp is not None:
            root.findLayer(fp.id()).setItemVisibilityChecked(False)
        ndvi = [lyr for lyr in layers if isinstance(lyr, QgsRasterLayer) and "NDVI" in lyr.name()]
        if ndvi:
            canvas = qgis.utils.iface.mapCanvas()
            from qgis.core import QgsCoordinateTransform
            ct = QgsCoordinateTransform(ndvi[0].crs(), canvas.mapSettings().destinationCrs(), QgsProject.instance())
            extent = ct.transformBoundingBox(ndvi[0].extent())
            extent.scale(1.15)
            canvas.setExtent(extent)
            canvas.refresh()
        self.step(self.shot_ndvi, 2500)

    def shot_ndvi(self):
        self.grab("dock-3-ndvi.png")
        self.report["seconds"] = round(time.monotonic() - self.t0, 1)
        self.finish()


launch(Driver())
