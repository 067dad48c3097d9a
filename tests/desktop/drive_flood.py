"""Runs INSIDE the real QGIS desktop (qgis --code drive_flood.py), started by test_desktop_flood.py.

Loads a radar backdrop (the before image, calibrated and geocoded, in dB), runs sentinelmirror:flood_map on
the simulated before/after GRD zips (paths in SM_FLOOD_PARAMS, JSON) with runAndLoadResults, zooms to the
area and saves a screenshot of the main window (SM_FLOOD_PNG). Writes a JSON report (SM_FLOOD_REPORT) and quits;
any error ends up in the report so the test never waits for a hung QGIS.
"""
import json
import os
import sys

import qgis.utils
from qgis.core import (QgsApplication, QgsContrastEnhancement, QgsCoordinateReferenceSystem, QgsProject,
                       QgsRasterLayer, QgsRectangle, QgsSingleBandGrayRenderer)

sys.path.insert(0, os.environ["SM_ROOT"])   # the checkout (--code runs without __file__)
from tests.desktop.driver_base import DesktopDriver, launch  # noqa: E402

PARAMS = json.loads(os.environ["SM_FLOOD_PARAMS"])
PNG = os.environ["SM_FLOOD_PNG"]
REPORT = os.environ["SM_FLOOD_REPORT"]


class Driver(DesktopDriver):
    def ready(self):   # run the flood map
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


launch(Driver(REPORT))
