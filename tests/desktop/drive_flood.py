"""Runs INSIDE the real QGIS desktop (qgis --code drive_flood.py), started by test_desktop_flood.py.

Loads a radar backdrop (the before image, calibrated and geocoded, in dB), runs sentinelmirror:flood_map on
the simulated before/after GRD zips (paths in SM_FLOOD_PARAMS, JSON) with runAndLoadResults, zooms to the
area and saves a screenshot of the main window (SM_FLOOD_PNG). Writes a JSON report (SM_FLOOD_REPORT) and quits;
any error ends up in the report so the test never waits for a hung QGIS.
"""
import json
import os
import traceback

import qgis.utils
from qgis.core import (QgsApplication, QgsContrastEnhancement, QgsCoordinateReferenceSystem, QgsProject,
                       QgsRasterLayer, QgsRectangle, QgsSingleBandGrayRenderer)
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QToolBar

PLUGIN = "sentinel_mirror"
PARAMS = json.loads(os.environ["SM_FLOOD_PARAMS"])
PNG = os.environ["SM_FLOOD_PNG"]
REPORT = os.environ["SM_FLOOD_REPORT"]


class Driver:
    def __init__(self):
        self.report = {"steps": []}
        self.waited = 0

    @property
    def window(self):
        return qgis.utils.iface.mainWindow()

    def step(self, func, delay_ms=0):
        def run():
            try:
                self.report["steps"].append(func.__name__)
                func()
            except Exception:  # noqa: BLE001
                self.report["error"] = traceback.format_exc()
                self.finish()
        QTimer.singleShot(delay_ms, run)

    def wait_for_plugin(self):
        if PLUGIN in qgis.utils.active_plugins and self.window.findChild(QToolBar, "SentinelMirrorToolbar"):
            self.window.move(0, 0)
            self.window.resize(1600, 1000)
            self.step(self.run_flood_map, 500)
        elif self.waited > 45000:
            raise RuntimeError(f"plugin not loaded after 45 s; active plugins: {qgis.utils.active_plugins}")
        else:
            self.waited += 250
            self.step(self.wait_for_plugin, 250)

    def run_flood_map(self):
        import processing
        project = QgsProject.instance()
        project.setCrs(QgsCoordinateReferenceSystem(PARAMS["crs"]))
        backdrop = QgsRasterLayer(PARAMS["backdrop"], "Sentinel-1 VV before (dB)")
        renderer = QgsSingleBandGrayRenderer(backdrop.dataProvider(), 1)
        ce = QgsContrastEnhancement(backdrop.dataProvider().dataType(1))
        ce.setContrastEnhancementAlgorithm(QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum)
        ce.setMinimumValue(-24.0)
        ce.setMaximumValue(-4.0)
        renderer.setContrastEnhancement(ce)
        backdrop.setRenderer(renderer)
        project.addMapLayer(backdrop)
        result = processing.runAndLoadResults("sentinelmirror:flood_map", PARAMS["alg"])
        self.report["flooded_ha"] = result["FLOODED_HA"]
        self.report["areas"] = result["AREAS"]
        root = project.layerTreeRoot()
        self.report["groups"] = [g.name() for g in root.children() if hasattr(g, "findLayers")]
        canvas = qgis.utils.iface.mapCanvas()
        canvas.setDestinationCrs(QgsCoordinateReferenceSystem(PARAMS["crs"]))
        x0, y0, x1, y1 = PARAMS["extent"]
        canvas.setExtent(QgsRectangle(x0, y0, x1, y1))
        canvas.refresh()
        self.step(self.shoot, 3000)

    def shoot(self):
        canvas = qgis.utils.iface.mapCanvas()
        canvas.waitWhileRendering()
        QgsApplication.processEvents()
        self.report["screenshot"] = self.window.grab().save(PNG)
        self.finish()

    def finish(self):
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump(self.report, f, indent=2, default=str)
        QTimer.singleShot(300, QgsApplication.instance().quit)


import builtins  # noqa: E402

builtins.sentinel_mirror_flood_driver = Driver()
builtins.sentinel_mirror_flood_driver.step(builtins.sentinel_mirror_flood_driver.wait_for_plugin, 500)
