"""The search results' footprints on the map: one temporary memory layer that follows the dock.

Ticked products are outlined in orange, unticked ones as a thin grey dashed outline, and the row under the
table's cursor is outlined in blue. The layer lives at the top of the layer tree
so users can also export or inspect it; it is replaced in place by each new search.
"""
from qgis.core import (QgsFeature, QgsField, QgsFillSymbol, QgsGeometry, QgsPointXY, QgsProject, QgsRuleBasedRenderer,
                       QgsVectorLayer, QgsWkbTypes)
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtGui import QColor

from ..core.i18n import tr_noop
from ..qgis import compat
from ..qgis.i18n import localize, tr
from .tile_grid import WGS84, footprint_geometry

LAYER_NAME = tr_noop("Sentinel Mirror: search results")
FIELDS = (("product_id", compat.STRING), ("title", compat.STRING), ("date", compat.STRING),
          ("tile", compat.STRING), ("cloud", compat.DOUBLE), ("size_mb", compat.DOUBLE),
          ("online", compat.BOOL), ("ticked", compat.INT))


def _rings(polygon):
    return [[QgsPointXY(float(x), float(y)) for x, y, *_ in ring] for ring in polygon]


def geojson_geometry(geometry):
    """A GeoJSON Polygon / MultiPolygon (what catalogues give as footprints) as a QgsGeometry."""
    kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates")
    try:
        if kind == "Polygon":
            return QgsGeometry.fromPolygonXY(_rings(coords))
        if kind == "MultiPolygon":
            return QgsGeometry.fromMultiPolygonXY([_rings(polygon) for polygon in coords])
    except (TypeError, ValueError):
        pass
    return QgsGeometry()


def product_geometry(product):
    """The product's footprint in lon/lat (GeoJSON from the catalogue), else its tile's footprint."""
    geom = geojson_geometry(product.footprint)
    if not geom.isNull() and not geom.isEmpty():
        return geom
    if product.tile:
        try:
            return footprint_geometry(product.tile, WGS84)
        except Exception:  # noqa: BLE001 (a product without a usable footprint is listed, not drawn)
            return QgsGeometry()
    return QgsGeometry()


def _renderer():
    # no fill: the products of one tile share a footprint, and stacked fills would hide the map
    ticked = QgsFillSymbol.createSimple({"color": "0,0,0,0", "style": "no", "outline_color": "230,90,0,255",
                                         "outline_width": "0.7"})
    other = QgsFillSymbol.createSimple({"color": "0,0,0,0", "style": "no", "outline_color": "120,120,120,200",
                                        "outline_width": "0.3", "outline_style": "dash"})
    root = QgsRuleBasedRenderer.Rule(None)
    for label, expr, symbol in ((tr("not ticked"), '"ticked" = 0', other),
                                (tr("ticked for download"), '"ticked" = 1', ticked)):
        rule = QgsRuleBasedRenderer.Rule(symbol, 0, 0, expr, label)
        root.appendChild(rule)
    return QgsRuleBasedRenderer(root)


class FootprintsLayer:
    def __init__(self, project=None):
        self._project = project or QgsProject.instance()
        self._layer_id = None
        self._fid = {}
        self._ticked = set()     # product ids drawn as ticked
        self._band = None
        self.current = None      # the product outlined on the map
        self._project.layerWillBeRemoved.connect(self._layer_removed)

    def _layer_removed(self, layer_id):
        """The user removed the layer (or closed the project): the outline goes with it."""
        if layer_id == self._layer_id and self._band is not None:
            self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
            self.current = None

    @property
    def layer(self):
        return self._project.mapLayer(self._layer_id) if self._layer_id else None

    def _ensure(self):
        layer = self.layer
        if layer is not None:
            return layer
        layer = QgsVectorLayer("Polygon?crs=EPSG:4326", localize(LAYER_NAME), "memory")
        layer.dataProvider().addAttributes([QgsField(name, kind) for name, kind in FIELDS])
        layer.updateFields()
        layer.setRenderer(_renderer())
        self._project.addMapLayer(layer, False)
        node = self._project.layerTreeRoot().insertLayer(0, layer)
        node.visibilityChanged.connect(self._sync_band)   # hiding the layer hides the outline too
        self._layer_id = layer.id()
        return layer

    def _layer_shown(self):
        node = self._project.layerTreeRoot().findLayer(self._layer_id) if self._layer_id else None
        return node is not None and node.isVisible()

    def _sync_band(self, *_):
        if self._band is not None:
            self._band.setVisible(self._layer_shown())

    def set_products(self, products, ticked):
        layer = self._ensure()
        provider = layer.dataProvider()
        provider.truncate()
        features = []
        for p, tick in zip(products, ticked):
            f = QgsFeature(layer.fields())
            f.setGeometry(product_geometry(p))
            f.setAttributes([p.id, p.title, p.acquired.strftime("%Y-%m-%d"), p.tile or "",
                             p.cloud_cover, (p.size or 0) / 1e6, p.online, int(bool(tick))])
            features.append(f)
        ok, added = provider.addFeatures(features)   # the provider numbers them: no second pass over the layer
        self._fid = {p.id: f.id() for p, f in zip(products, added)} if ok else {}
        self._ticked = {p.id for p, tick in zip(products, ticked) if tick}
        layer.updateExtents()
        layer.triggerRepaint()
        return layer

    def set_ticked(self, ticked_ids):
        """Restyle the footprints whose tick changed, in one change to the layer and one repaint."""
        layer = self.layer
        if layer is None:
            return
        ticked_ids = set(ticked_ids)
        flipped = ticked_ids.symmetric_difference(self._ticked)
        self._ticked = ticked_ids
        idx = layer.fields().indexOf("ticked")
        changes = {self._fid[pid]: {idx: int(pid in ticked_ids)} for pid in flipped if pid in self._fid}
        if changes:
            layer.dataProvider().changeAttributeValues(changes)
            layer.triggerRepaint()

    def highlight(self, product_id, canvas):
        """Outline the current row's footprint with a rubber band (the layer selection's opaque yellow would
        hide the other footprints and whatever is under them)."""
        layer = self.layer
        if self._band is None:
            self._band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
            self._band.setStrokeColor(QColor(30, 90, 220, 230))
            self._band.setFillColor(QColor(30, 90, 220, 35))
            self._band.setWidth(3)
        fid = self._fid.get(product_id)
        if layer is None or fid is None:
            self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
            self.current = None
            return
        self._band.setToGeometry(layer.getFeature(fid).geometry(), layer)
        self._sync_band()
        self.current = product_id

    def extent(self):
        layer = self.layer
        return layer.extent() if layer is not None else None

    def remove(self):
        try:
            self._project.layerWillBeRemoved.disconnect(self._layer_removed)
        except TypeError:   # already disconnected (remove() called twice)
            pass
        if self._band is not None:
            self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
            try:
                scene = self._band.scene()
                if scene is not None:
                    scene.removeItem(self._band)
            except RuntimeError:   # the canvas went first
                pass
            self._band = None
        if self.layer is not None:
            self._project.removeMapLayer(self._layer_id)
        self._layer_id = None
        self._fid = {}
        self._ticked = set()
