"""A map tool that shows the Sentinel-2 tiles under the cursor and picks one on click.

Tiles overlap by about 10 km at their edges, so a click often falls in two to four of them: the tool then
offers a small menu (hovering an entry highlights that tile) instead of guessing.
"""
import logging

from qgis.core import QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QCursor
from qgis.PyQt.QtWidgets import QMenu, QToolTip

from ..core import tiles as core_tiles
from ..qgis.i18n import tr
from .tile_grid import footprint_geometry, to_wgs84

LOG = logging.getLogger("sentinel_mirror")


def tiles_at_point(point, crs):
    """Tile ids containing a map point given in crs (sorted so the menu is stable)."""
    p = to_wgs84(point, crs)
    try:
        return sorted(core_tiles.tiles_at(p.x(), p.y()))
    except Exception as exc:  # noqa: BLE001 (off the grid, e.g. beyond the poles: nothing to pick)
        LOG.debug("no tile at %s: %s", p.asWkt(), exc)
        return []


class TilePickerTool(QgsMapTool):
    tilePicked = pyqtSignal(str)
    hovered = pyqtSignal(list)   # tile ids under the cursor (for tests and the status text)

    def __init__(self, canvas):
        super().__init__(canvas)
        self._bands = {}
        self._hover = []
        self.menu = None          # the open choice menu, if any (tests drive it)
        self.setCursor(QCursor(Qt.CursorShape.CrossCursor))

    # --- drawing -----------------------------------------------------------------------------------
    def _show(self, tile_ids, emphasis=None):
        crs = self.canvas().mapSettings().destinationCrs()
        for tile_id in list(self._bands):
            if tile_id not in tile_ids:
                self.canvas().scene().removeItem(self._bands.pop(tile_id))
        for tile_id in tile_ids:
            band = self._bands.get(tile_id)
            if band is None:
                band = QgsRubberBand(self.canvas(), QgsWkbTypes.GeometryType.PolygonGeometry)
                band.setToGeometry(footprint_geometry(tile_id, crs), None)
                self._bands[tile_id] = band
            strong = emphasis is None or tile_id == emphasis
            band.setStrokeColor(QColor(230, 90, 0, 230 if strong else 90))
            band.setFillColor(QColor(255, 140, 0, 60 if tile_id == emphasis else 25))
            band.setWidth(3 if tile_id == emphasis else 2)

    def _clear(self):
        for band in self._bands.values():
            self.canvas().scene().removeItem(band)
        self._bands = {}
        self._hover = []

    # --- events ------------------------------------------------------------------------------------
    def canvasMoveEvent(self, event):
        crs = self.canvas().mapSettings().destinationCrs()
        ids = tiles_at_point(event.mapPoint(), crs)
        if ids != self._hover:
            self._hover = ids
            self._show(ids)
            self.hovered.emit(ids)
        if ids:
            QToolTip.showText(self.canvas().mapToGlobal(event.pos()), ", ".join(ids), self.canvas())

    def canvasReleaseEvent(self, event):
        if event.button() == Qt.MouseButton.RightButton:
            self.canvas().unsetMapTool(self)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        crs = self.canvas().mapSettings().destinationCrs()
        ids = tiles_at_point(event.mapPoint(), crs)
        self._show(ids)
        if len(ids) == 1:
            self._pick(ids[0])
        elif ids:
            self.choose(ids, self.canvas().mapToGlobal(event.pos()))

    def choose(self, ids, global_pos):
        """Several tiles under the click: a menu lists them; hovering an entry highlights that tile."""
        menu = QMenu(self.canvas())
        menu.setToolTipsVisible(True)
        for tile_id in ids:
            action = menu.addAction(tile_id)
            action.setToolTip(tr("Use tile {tile}", tile=tile_id))
            action.hovered.connect(lambda t=tile_id: self._show(ids, emphasis=t))
            action.triggered.connect(lambda _=False, t=tile_id: self._pick(t))
        self.menu = menu
        menu.aboutToHide.connect(lambda: setattr(self, "menu", None))
        menu.popup(global_pos)
        return menu

    def _pick(self, tile_id):
        self.tilePicked.emit(tile_id)

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.canvas().unsetMapTool(self)

    def deactivate(self):
        self._clear()
        super().deactivate()
