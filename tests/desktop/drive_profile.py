"""Runs INSIDE the real QGIS desktop (qgis --code drive_profile.py), started by test_desktop_profile.py.

Opens the Sentinel Mirror panel, then its time-profile panel on a folder of simulator products
(SM_PROFILE_PRODUCTS), puts a field layer on the map, picks the field with the profile map tool like a user,
waits for the chart (mean NDVI, p10-p90, valid share, masked dates, B/G/R/NIR), clicks a date of the chart (its
natural-colour view comes onto the map) and saves profile-field.png (the window) and profile-chart.png (the
chart's own PNG export). Writes a JSON report (SM_PROFILE_REPORT) and quits; errors end up in the report.
"""
import json
import os
import time
import traceback

import qgis.utils
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsProject,
                       QgsRectangle, QgsSettings, QgsVectorLayer)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

OUT = os.environ["SM_PROFILE_OUT"]
REPORT = os.environ["SM_PROFILE_REPORT"]
PRODUCTS = os.environ["SM_PROFILE_PRODUCTS"]
FIELD = os.environ["SM_PROFILE_FIELD"]          # WKT in EPSG:32631
VIEW = [float(v) for v in os.environ["SM_PROFILE_VIEW"].split(",")]   # xmin,ymin,xmax,ymax in EPSG:32631


class Driver:
    def __init__(self):
        self.report = {"steps": []}
        self.t0 = time.monotonic()
        self.rows = None

    @property
    def window(self):
        return qgis.utils.iface.mainWindow()

    def step(self, func, delay_ms=0):
        def run():
            try:
                self.report["steps"].append(func.__name__)
                func()
            except Exception:  # noqa: BLE001 (report, then quit)
                self.report["error"] = traceback.format_exc()
                self.finish()
        QTimer.singleShot(delay_ms, run)

    def wait(self, predicate, then, what, timeout_s=90):
        started = time.monotonic()

        def check():
            try:
                if predicate():
                    self.step(then)
                elif time.monotonic() - started > timeout_s:
                    raise RuntimeError(f"timed out after {timeout_s} s waiting for {what}")
                else:
                    QTimer.singleShot(200, check)
            except Exception:  # noqa: BLE001
                self.report["error"] = traceback.format_exc()
                self.finish()
        check()

    def wait_for_plugin(self):
        errors = getattr(qgis.utils, "sentinel_mirror_test_errors", [])
        if errors:
            raise RuntimeError("Python errors in QGIS:\n" + "\n".join(errors))
        if self.window.findChild(QToolBar, "SentinelMirrorToolbar") is not None:
            self.window.move(0, 0)
            self.window.resize(1600, 1000)
            self.step(self.prepare, 500)
        elif time.monotonic() - self.t0 > 45:
            raise RuntimeError(f"plugin not loaded after 45 s: {qgis.utils.active_plugins}")
        else:
            self.step(self.wait_for_plugin, 250)

    def prepare(self):
        QgsSettings().setValue("sentinel_mirror/download_dir", PRODUCTS)
        project = QgsProject.instance()
        project.setCrs(QgsCoordinateReferenceSystem("EPSG:32631"))
        fields = QgsVectorLayer("Polygon?crs=EPSG:32631&field=name:string", "Fields", "memory")
        f = QgsFeature(fields.fields())
        f.setGeometry(QgsGeometry.fromWkt(FIELD))
        f.setAttributes(["wheat 12"])
        fields.dataProvider().addFeatures([f])
        symbol = fields.renderer().symbol()
        symbol.setColor(Qt.GlobalColor.transparent)
        symbol.symbolLayer(0).setStrokeColor(Qt.GlobalColor.yellow)
        symbol.symbolLayer(0).setStrokeWidth(0.8)
        project.addMapLayer(fields)
        self.fields = fields
        canvas = qgis.utils.iface.mapCanvas()
        canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:32631"))
        canvas.setExtent(QgsRectangle(*VIEW))
        canvas.refresh()
        [action] = self.window.findChild(QToolBar, "SentinelMirrorToolbar").actions()[:1]
        action.trigger()
        main = self.window.findChild(QDockWidget, "SentinelMirrorDock")
        self.profile = main.profile_button.open_panel()
        self.window.tabifyDockWidget(main, self.profile)      # the profile in front, the search panel behind
        self.profile.raise_()
        self.window.resizeDocks([self.profile], [620], Qt.Orientation.Horizontal)
        panel = self.profile.panel
        panel.ui.reflectanceCheck.setChecked(True)
        panel.profileShown.connect(lambda rows: setattr(self, "rows", rows))
        panel.ui.pickButton.click()
        self.step(self.pick, 800)

    def pick(self):
        panel = self.profile.panel
        canvas = qgis.utils.iface.mapCanvas()
        centre = QgsGeometry.fromWkt(FIELD).centroid().asPoint()
        px = canvas.getCoordinateTransform().transform(centre)
        pos = QPoint(int(round(px.x())), int(round(px.y())))
        panel.tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, pos,
                                                       Qt.MouseButton.LeftButton))
        self.report["status_after_click"] = panel.ui.statusLabel.text()
        self.wait(lambda: self.rows is not None, self.show_date, "the profile")

    def show_date(self):
        panel = self.profile.panel
        rows = self.rows
        self.report["dates"] = len(rows)
        self.report["states"] = [r.state for r in rows]
        self.report["masked_fractions"] = [round(r.masked_fraction, 3) for r in rows]
        self.report["has_chart"] = panel.chart.has_chart
        valid = [r for r in rows if r.state == "valid"]
        # a click on a clear date of the chart: its natural-colour view comes onto the map, under the field
        panel.chart.dateClicked.emit(valid[len(valid) // 2])
        self.report["status_after_date_click"] = panel.ui.statusLabel.text()
        self.report["layers"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
        canvas = qgis.utils.iface.mapCanvas()
        canvas.setExtent(QgsRectangle(*VIEW))
        canvas.refresh()
        # what hovering the first masked date says
        masked = [r for r in rows if r.state == "masked"]
        self.report["hover_masked"] = panel.chart.describe(masked[0]) if masked else ""
        self.report["hover_valid"] = panel.chart.describe(valid[0])
        self.step(self.shoot, 1500)

    def shoot(self):
        QgsApplication.processEvents()
        path = os.path.join(OUT, "profile-field.png")
        self.report["screenshot"] = self.window.grab().save(path)
        if self.profile.panel.chart.has_chart:
            self.profile.panel.export_png(os.path.join(OUT, "profile-chart.png"))
        self.finish()

    def finish(self):
        errors = getattr(qgis.utils, "sentinel_mirror_test_errors", [])
        if errors and "error" not in self.report:
            self.report["error"] = "Python errors in QGIS:\n" + "\n".join(errors)
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump(self.report, f, indent=2, default=str)
        QTimer.singleShot(300, QgsApplication.instance().quit)


import builtins  # noqa: E402

builtins.sentinel_mirror_profile_driver = Driver()
builtins.sentinel_mirror_profile_driver.step(builtins.sentinel_mirror_profile_driver.wait_for_plugin, 500)
