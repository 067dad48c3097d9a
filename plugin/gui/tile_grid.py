"""The Sentinel-2 tile grid drawn over the map view, and tile footprints as QGIS geometries.

One canvas item paints every tile of the view with its id (hundreds of rubber bands would be slower and
carry no labels). It follows the view and draws nothing, with a hint, when the view is too large for the
grid to be readable.
"""
import logging

from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsPointXY,
                       QgsProject, QgsRectangle)
from qgis.gui import QgsMapCanvasItem
from qgis.PyQt.QtCore import QPointF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QPainter, QPen, QPolygonF

from ..core import tiles as core_tiles
from ..core.errors import InvalidInputError
from ..core.models import BBox
from ..qgis.i18n import tr

LOG = logging.getLogger("sentinel_mirror")
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MAX_GRID_TILES = 150       # above this the grid is a grey mesh nobody can read (and slow to build)
MAX_GRID_SPAN_DEG = 8.0    # and tiles_in_bbox is not worth calling on a continent
_CACHE = {}


def footprint_geometry(tile_id, dest_crs, densify=8):
    """The exact footprint of a tile (a square in its UTM zone) in dest_crs, edges densified so they
    stay true once reprojected."""
    key = (tile_id, dest_crs.authid() or dest_crs.toWkt())
    geom = _CACHE.get(key)
    if geom is None:
        fp = core_tiles.tile_footprint(tile_id)
        src = QgsCoordinateReferenceSystem(f"EPSG:{fp.epsg}")
        ring = [QgsPointXY(x, y) for x, y in fp.utm_polygon()]
        geom = QgsGeometry.fromPolygonXY([ring]).densifyByCount(densify)
        if src != dest_crs:
            geom.transform(QgsCoordinateTransform(src, dest_crs, QgsProject.instance()))
        if len(_CACHE) > 4000:
            _CACHE.clear()
        _CACHE[key] = geom
    return QgsGeometry(geom)


def to_wgs84(point, crs):
    if crs == WGS84:
        return QgsPointXY(point)
    return QgsCoordinateTransform(crs, WGS84, QgsProject.instance()).transform(QgsPointXY(point))


def view_bbox(canvas):
    """The canvas view as a lon/lat BBox, or None when it cannot be one (whole world, invalid CRS)."""
    crs = canvas.mapSettings().destinationCrs()
    rect = QgsRectangle(canvas.extent())
    try:
        if crs != WGS84:
            ct = QgsCoordinateTransform(crs, WGS84, QgsProject.instance())
            ct.setBallparkTransformsAreAppropriate(True)
            rect = ct.transformBoundingBox(rect)
        return BBox(max(-180.0, rect.xMinimum()), max(-90.0, rect.yMinimum()),
                    min(180.0, rect.xMaximum()), min(90.0, rect.yMaximum()))
    except Exception as exc:  # noqa: BLE001 (a view that is not on the Earth: draw no grid)
        LOG.debug("view has no lon/lat extent: %s", exc)
        return None


def tiles_in_view(canvas, limit=MAX_GRID_TILES):
    """(tile ids, why-not): the tiles intersecting the view, or [] and a hint when there are too many."""
    bbox = view_bbox(canvas)
    if bbox is None:
        return [], tr("The map view has no longitude/latitude extent.")
    if bbox.east - bbox.west > MAX_GRID_SPAN_DEG or bbox.north - bbox.south > MAX_GRID_SPAN_DEG:
        return [], tr("Zoom in to see the Sentinel-2 tile grid.")
    try:
        return list(core_tiles.tiles_in_bbox(bbox, limit=limit)), ""
    except InvalidInputError:   # more than `limit` tiles: a grey mesh nobody can read
        return [], tr("Zoom in to see the Sentinel-2 tile grid.")


class TileGridItem(QgsMapCanvasItem):
    """Paints the S2 tiles of the view with their ids; call refresh() when the view changes."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self._canvas = canvas
        self._tiles = []   # (tile id, QgsGeometry in map CRS)
        self.hint = ""
        self.label_boxes = []   # where the last paint put each tile id (pixels)
        self.setZValue(50)
        self.refresh()

    def refresh(self):
        crs = self._canvas.mapSettings().destinationCrs()
        ids, self.hint = tiles_in_view(self._canvas)
        tiles = []
        for tile_id in ids:
            try:
                tiles.append((tile_id, footprint_geometry(tile_id, crs)))
            except Exception as exc:  # noqa: BLE001 (one odd tile must not hide the grid)
                LOG.debug("tile %s not drawn: %s", tile_id, exc)
        self._tiles = tiles
        self.setRect(self._canvas.extent())
        self.update()

    def tile_ids(self):
        return [t for t, _ in self._tiles]

    def paint(self, painter, option=None, widget=None):
        if not self._tiles:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(QColor(90, 70, 140, 170))   # muted violet: apart from footprints (orange, blue)
        pen.setWidthF(1.0)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        origin = self.pos()
        labels = self.label_boxes = []
        for tile_id, geom in self._tiles:
            ring = geom.asPolygon()[0] if not geom.isMultipart() else geom.asMultiPolygon()[0][0]
            painter.setPen(pen)
            painter.drawPolygon(QPolygonF([self.toCanvasCoordinates(p) - origin for p in ring]))
            # the id at the tile centre; tiles of two zones can almost coincide: shift a clashing label down
            c = self.toCanvasCoordinates(geom.centroid().asPoint()) - origin
            box = metrics.boundingRect(tile_id).translated(int(c.x() - metrics.horizontalAdvance(tile_id) / 2),
                                                            int(c.y()))
            while any(box.intersects(other) for other in labels):
                box.translate(0, metrics.height())
            labels.append(box)
            painter.setPen(QColor(60, 40, 110, 235))
            painter.drawText(QPointF(box.left(), box.bottom() - metrics.descent()), tile_id)


class TileGrid:
    """On/off switch for the grid: owns the canvas item and follows the view."""

    def __init__(self, canvas, on_hint=None):
        self._canvas = canvas
        self._item = None
        self._on_hint = on_hint

    @property
    def visible(self):
        return self._item is not None

    @property
    def item(self):
        return self._item

    def set_visible(self, on):
        if on and self._item is None:
            self._item = TileGridItem(self._canvas)
            self._canvas.extentsChanged.connect(self._refresh)
            self._canvas.destinationCrsChanged.connect(self._refresh)
            self._report()
        elif not on and self._item is not None:
            self._canvas.extentsChanged.disconnect(self._refresh)
            self._canvas.destinationCrsChanged.disconnect(self._refresh)
            self._canvas.scene().removeItem(self._item)
            self._item = None
            self._canvas.refresh()

    def _refresh(self):
        if self._item is not None:
            self._item.refresh()
            self._report()

    def _report(self):
        if self._on_hint is not None:
            self._on_hint(self._item.hint if self._item else "")
