"""The time-profile panel: a map tool (a point, a field picked from any polygon layer, or a field drawn), an
index choice (NDVI by default) and a chart of that index over time read from the products in the download
folder (plugin/gui/profile_chart.py).

The profile is computed in a ProfileTask (plugin/tasks/profile_task.py); the panel only resolves the place
(geometry + CRS) on the main thread and draws the rows it gets back. A click on a date of the chart shows that
date on the map: the product's layer when it is loaded, else its natural-colour view, added dated and grouped.
"""
import os
from pathlib import Path

from qgis.core import (QgsApplication, QgsCoordinateTransform, QgsDistanceArea, QgsFeatureRequest, QgsGeometry,
                       QgsMapLayer, QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer, QgsWkbTypes)
from qgis.gui import QgsDockWidget, QgsMapTool, QgsRubberBand
from qgis.PyQt import uic
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QComboBox, QFileDialog, QToolButton, QWidget

from .. import about
from ..qgis.messages import user_message
from ..tasks.base import cancel_task
from .profile_chart import ProfileChart
from ..qgis.i18n import localize, tr

FORM_CLASS, _ = uic.loadUiType(str(about.UI_DIR / "profile.ui"))
POINT, PICK, DRAW = "point", "pick", "draw"


def crs_definition(crs):
    """What core's geometry code reads: 'EPSG:n' when the CRS has one, else its WKT."""
    return crs.authid() if crs.authid().startswith("EPSG:") else crs.toWkt()


class ProfileMapTool(QgsMapTool):
    """Point: one click. Pick: a click on a polygon of a visible vector layer. Draw: left clicks add corners, a
    right or double click closes the polygon. Emits placeChosen(kind, geometry in the canvas CRS)."""
    placeChosen = pyqtSignal(str, object)
    refused = pyqtSignal(str)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.mode = POINT
        self.band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.band.setColor(QColor(255, 140, 0, 200))
        self.band.setFillColor(QColor(255, 140, 0, 40))
        self.band.setWidth(2)
        self.vertices = []
        self.setCursor(Qt.CursorShape.CrossCursor)

    def set_mode(self, mode):
        self.mode = mode
        self.vertices = []

    def show_geometry(self, geometry):
        self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        if geometry.type() == QgsWkbTypes.GeometryType.PointGeometry:   # a small square marks a point
            p = geometry.asPoint()
            r = self.canvas().mapUnitsPerPixel() * 5
            geometry = QgsGeometry.fromRect(QgsRectangle(p.x() - r, p.y() - r, p.x() + r, p.y() + r))
        self.band.setToGeometry(geometry, None)

    def canvasReleaseEvent(self, event):  # noqa: N802 (QGIS API name)
        point = self.toMapCoordinates(event.pos())
        if self.mode == POINT and event.button() == Qt.MouseButton.LeftButton:
            geometry = QgsGeometry.fromPointXY(point)
            self.show_geometry(geometry)
            self.placeChosen.emit(POINT, geometry)
        elif self.mode == PICK and event.button() == Qt.MouseButton.LeftButton:
            geometry = self.polygon_at(point)
            if geometry is None:
                self.refused.emit(tr("No polygon under the click: show a layer of fields, or draw the field."))
                return
            self.show_geometry(geometry)
            self.placeChosen.emit(PICK, geometry)
        elif self.mode == DRAW:
            if event.button() == Qt.MouseButton.LeftButton:
                self.vertices.append(point)
                ring = self.vertices + [self.vertices[0]]
                self.band.setToGeometry(QgsGeometry.fromPolygonXY([ring]) if len(self.vertices) > 2
                                        else QgsGeometry.fromPolylineXY(self.vertices), None)
            elif event.button() == Qt.MouseButton.RightButton:
                self.finish_drawing()

    def canvasDoubleClickEvent(self, event):  # noqa: N802
        if self.mode == DRAW:
            self.finish_drawing()

    def finish_drawing(self):
        pts = list(dict.fromkeys((p.x(), p.y()) for p in self.vertices))
        self.vertices = []
        if len(pts) < 3:
            self.refused.emit(tr("A field needs at least three corners: left-click them, then right-click."))
            return
        geometry = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in pts + [pts[0]]]])
        self.show_geometry(geometry)
        self.placeChosen.emit(DRAW, geometry)

    def polygon_at(self, point):
        """The geometry (canvas CRS) of the topmost visible polygon feature under `point`, or None."""
        canvas = self.canvas()
        project = QgsProject.instance()
        for layer in canvas.layers():
            if (not isinstance(layer, QgsVectorLayer)
                    or layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry):
                continue
            to_layer = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), layer.crs(), project)
            p = to_layer.transform(point)
            r = canvas.mapUnitsPerPixel() * 2
            rect = to_layer.transformBoundingBox(QgsRectangle(point.x() - r, point.y() - r, point.x() + r,
                                                              point.y() + r))
            here = QgsGeometry.fromPointXY(p)
            for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
                if f.hasGeometry() and f.geometry().contains(here):
                    g = QgsGeometry(f.geometry())
                    g.transform(QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), project))
                    return g
        return None

    def deactivate(self):
        self.vertices = []
        super().deactivate()

    def clear(self):
        self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)


class ProfilePanel(QWidget):
    """The panel's contents (ui/profile.ui). profileShown(list) after each profile (tests, screenshots)."""
    profileShown = pyqtSignal(list)

    def __init__(self, iface, folder="", parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.ui = FORM_CLASS()
        self.ui.setupUi(self)
        self.chart = ProfileChart(self)
        self.ui.chartLayout.addWidget(self.chart)
        self.ui.folderEdit.setText(folder)
        from ..core.indices import INDEX_NAMES, INDICES
        self.indexCombo = QComboBox(self)         # the index charted (the engine's indices; NDVI first)
        self.indexCombo.setObjectName("indexCombo")
        for name in INDEX_NAMES:
            self.indexCombo.addItem(name, name)
            self.indexCombo.setItemData(self.indexCombo.count() - 1, localize(INDICES[name].title),
                                        Qt.ItemDataRole.ToolTipRole)
        self.indexCombo.setToolTip(tr("The index charted, computed by the index engine on the same masks."))
        self.ui.toolLayout.insertWidget(self.ui.toolLayout.indexOf(self.ui.reflectanceCheck), self.indexCombo)
        self.tool = ProfileMapTool(self.canvas)
        self.tool.placeChosen.connect(self.start)
        self.tool.refused.connect(self.ui.statusLabel.setText)
        self.task = None
        self.rows, self.rows_index = [], "NDVI"
        self.place = ""
        buttons = {POINT: self.ui.pointButton, PICK: self.ui.pickButton, DRAW: self.ui.drawButton}
        icons = {POINT: "/mActionIdentify.svg", PICK: "/mActionSelectFreehand.svg", DRAW: "/mActionCapturePolygon.svg"}
        for mode, button in buttons.items():
            button.setIcon(QgsApplication.getThemeIcon(icons[mode]))
            button.toggled.connect(lambda on, m=mode: self.set_mode(m, on))
        self.buttons = buttons
        self.ui.browseButton.clicked.connect(self.browse)
        self.ui.csvButton.clicked.connect(self.export_csv)
        self.ui.pngButton.clicked.connect(self.export_png)
        self.ui.pngButton.setVisible(self.chart.has_chart)
        self.chart.dateClicked.connect(self.show_date)
        self.chart.hovered.connect(lambda text: text and self.ui.statusLabel.setText(text))
        self.canvas.mapToolSet.connect(self._tool_changed)

    def set_mode(self, mode, on):
        if on:
            for m, b in self.buttons.items():
                if m != mode:
                    b.setChecked(False)
            self.tool.set_mode(mode)
            self.canvas.setMapTool(self.tool)
        elif not any(b.isChecked() for b in self.buttons.values()) and self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)

    def _tool_changed(self, new, _old=None):
        if new is not self.tool:
            for b in self.buttons.values():
                b.blockSignals(True)
                b.setChecked(False)
                b.blockSignals(False)

    def browse(self):
        folder = QFileDialog.getExistingDirectory(self, tr("Folder of downloaded products"),
                                                  self.ui.folderEdit.text())
        if folder:
            self.ui.folderEdit.setText(folder)

    def folder(self):
        return self.ui.folderEdit.text().strip()

    def start(self, kind, geometry):
        """Profile of `geometry` (canvas CRS) in a task; a new place cancels the one still being read."""
        from ..tasks.profile_task import ProfileTask

        folder = self.folder()
        if not folder or not os.path.isdir(folder):
            self.ui.statusLabel.setText(tr("Choose the folder the products were downloaded to (Products)."))
            return
        if self.task is not None:
            cancel_task(self.task)
        crs = crs_definition(self.canvas.mapSettings().destinationCrs())
        reflectance = self.ui.reflectanceCheck.isChecked()
        index = self.index()
        if kind == POINT:
            p = geometry.asPoint()
            task = ProfileTask(folder, crs, point=(p.x(), p.y()), reflectance=reflectance, index=index)
            self.place = tr("point {x:.1f}, {y:.1f}", x=p.x(), y=p.y())
        else:
            task = ProfileTask(folder, crs, polygon_wkt=geometry.asWkt(), reflectance=reflectance, index=index)
            project = QgsProject.instance()
            area = QgsDistanceArea()      # ellipsoidal: square metres whatever the map's CRS
            area.setSourceCrs(self.canvas.mapSettings().destinationCrs(), project.transformContext())
            area.setEllipsoid(project.ellipsoid() if project.ellipsoid() not in ("", "NONE") else "EPSG:7030")
            self.place = tr("field of {value:.1f} ha", value=area.measureArea(geometry) / 1e4)
        task.resultsReady.connect(lambda rows, t=task, i=index: self._done(t, rows, i))
        task.failed.connect(lambda message, t=task: self._failed(t, message))
        task.cancelledByUser.connect(lambda t=task: self._failed(t, None))
        self.task = task
        self.ui.statusLabel.setText(tr("Reading the {place} from {folder}…", place=self.place, folder=folder))
        QgsApplication.taskManager().addTask(task)

    def index(self):
        return self.indexCombo.currentData() or "NDVI"

    def _done(self, task, rows, index="NDVI"):
        if task is not self.task:
            return
        self.task = None
        self.rows, self.rows_index = rows, index
        masked = sum(r.state == "masked" for r in rows)
        self.chart.show_rows(rows, title=tr("{index}, {place}", index=index, place=self.place), index=index)
        self.ui.statusLabel.setText(tr("{n} dates, {masked} masked (clouds, shadows, edges). Hover for values; click "
                                       "a date to show it on the map.", n=len(rows), masked=masked)
                                    if rows else tr("No product of the folder covers this place."))
        self.ui.csvButton.setEnabled(bool(rows))
        self.ui.pngButton.setEnabled(bool(rows) and self.chart.has_chart)
        self.profileShown.emit(rows)

    def _failed(self, task, message):
        if task is not self.task:
            return
        self.task = None
        self.ui.statusLabel.setText(message or tr("Profile cancelled."))

    def export_csv(self, path=None):
        from ..core.timeseries.profile import write_profile_csv

        index = getattr(self, "rows_index", "NDVI")
        path = path or QFileDialog.getSaveFileName(self, tr("Export the profile"), f"{index.lower()}_profile.csv",
                                                   tr("CSV files (*.csv)"))[0]
        if path:
            try:
                write_profile_csv(self.rows, path, index)
            except OSError as e:
                self.ui.statusLabel.setText(tr("Could not write {path}: {e}", path=path, e=user_message(e)))
                return
            self.ui.statusLabel.setText(tr("Profile written to {path}", path=path))

    def export_png(self, path=None):
        path = path or QFileDialog.getSaveFileName(self, tr("Export the chart"),
                                                   f"{getattr(self, 'rows_index', 'NDVI').lower()}_profile.png",
                                                   tr("PNG images (*.png)"))[0]
        if path:
            try:
                self.chart.save_png(path)
            except OSError as e:
                self.ui.statusLabel.setText(tr("Could not write {path}: {e}", path=path, e=user_message(e)))
                return
            self.ui.statusLabel.setText(tr("Chart written to {path}", path=path))

    def show_date(self, row):
        """Show the clicked date on the map: its loaded layer, else the natural-colour view of its product."""
        project = QgsProject.instance()
        names = [Path(p).stem for p in row.paths] + list(row.products)
        for layer in project.mapLayers().values():
            if layer.type() == QgsMapLayer.LayerType.RasterLayer and any(n and n in layer.source() for n in names):
                node = project.layerTreeRoot().findLayer(layer.id())
                if node is not None:
                    node.setItemVisibilityCheckedParentRecursive(True)
                self.iface.setActiveLayer(layer)
                self.ui.statusLabel.setText(tr("{date}: {name} shown.", date=row.date, name=layer.name()))
                return
        zips = [p for p in row.paths if p.lower().endswith(".zip")]
        if not zips:
            self.ui.statusLabel.setText(tr("{date}: no layer of that date is loaded.", date=row.date))
            return
        from ..core.product_names import natural_colour_path
        from ..core.products import natural_colour_vrt
        from ..qgis.layers import add_product_layers
        try:
            vrt = natural_colour_path(zips[0])
            if not os.path.exists(vrt):
                natural_colour_vrt(zips[0], vrt)
            [layer] = add_product_layers(natural_colour_paths=[vrt], project=project)
        except Exception as e:  # noqa: BLE001 - said in the panel, the profile stays
            self.ui.statusLabel.setText(f"{row.date}: {user_message(e)}")
            return
        self.iface.setActiveLayer(layer)
        self.ui.statusLabel.setText(tr("{date}: {name} added to the map.", date=row.date, name=layer.name()))

    def close_tool(self):
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
        self.tool.clear()
        if self.task is not None:
            cancel_task(self.task)
            self.task = None


class ProfileDock(QgsDockWidget):
    def __init__(self, iface, folder="", parent=None):
        super().__init__(tr("{name}: time profile", name=about.NAME), parent)
        self.setObjectName("SentinelMirrorProfileDock")
        self.panel = ProfilePanel(iface, folder, self)
        self.setWidget(self.panel)

    def closeEvent(self, event):  # noqa: N802
        self.panel.close_tool()
        super().closeEvent(event)


def add_profile_button(dock, layout, position, folder_of):
    """A 'Time profile' button in the main dock (at `position` of `layout`) opening the profile panel beside it;
    the panel goes when the main dock goes. folder_of(): the download folder to read by default."""
    button = QToolButton(dock)
    button.setObjectName("profileButton")
    button.setIcon(QgsApplication.getThemeIcon("/mActionAddBasicTimeSeriesChart.svg")
                   if QgsApplication.getThemeIcon("/mActionAddBasicTimeSeriesChart.svg").availableSizes()
                   else QgsApplication.getThemeIcon("/mIconTemporalRaster.svg"))
    button.setToolTip(tr("Time profile: NDVI over time at a point or a field, from the downloaded products."))
    button.setAutoRaise(True)
    layout.insertWidget(position, button)
    state = {"dock": None}

    def open_panel():
        if state["dock"] is None:
            profile = ProfileDock(dock.iface, folder_of(), dock.iface.mainWindow())
            dock.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, profile)
            state["dock"] = profile

            def remove(*_):
                try:
                    profile.panel.close_tool()
                    dock.iface.removeDockWidget(profile)
                    profile.deleteLater()
                except RuntimeError:      # QGIS is closing: the canvas or the window went first
                    pass
            dock.destroyed.connect(remove)
        state["dock"].setUserVisible(True)
        state["dock"].raise_()
        return state["dock"]

    button.clicked.connect(open_panel)
    button.open_panel = open_panel
    return button
