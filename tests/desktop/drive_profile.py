"""Runs INSIDE the real QGIS desktop (qgis --code drive_profile.py), started by test_desktop_profile.py.

Opens the Sentinel Mirror panel, then its time-profile panel on a folder of simulator products
(SM_PROFILE_PRODUCTS), puts a field layer on the map, picks the field with the profile map tool like a user,
waits for the chart (mean NDVI, p10-p90, valid share, masked dates, B/G/R/NIR), clicks a date of the chart (its
natural-colour view comes onto the map) and saves profile-field.png (the window) and profile-chart.png (the
chart's own PNG export). Writes a JSON report (SM_PROFILE_REPORT) and quits; errors end up in the report.
"""
import os
import sys

import qgis.utils
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsProject,
                       QgsRectangle, QgsSettings, QgsVectorLayer)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

sys.path.insert(0, os.environ["SM_ROOT"])   # the checkout (--code runs without __file__)
from tests.desktop.driver_base import DesktopDriver, launch  # noqa: E402

OUT = os.environ["SM_PROFILE_OUT"]
REPORT = os.environ["SM_PROFILE_REPORT"]
PRODUCTS = os.environ["SM_PROFILE_PRODUCTS"]
FIELD = os.environ["SM_PROFILE_FIELD"]          # WKT in EPSG:32631
VIEW = [float(v) for v in os.environ["SM_PROFILE_VIEW"].split(",")]   # xmin,ymin,xmax,ymax in EPSG:32631


class Driver(DesktopDriver):
    def __init__(self):
        super().__init__(REPORT)
        self.rows = None

    # ---- steps ----------------------------------------------------------------------------------------------
    def ready(self):
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
        [action] = self.toolbar().actions()[:1]
        action.trigger()
        main = self.dock()
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


launch(Driver())
