"""Layers on the map. MAIN THREAD ONLY (edits the project's layer tree), except making a layer that is not in a
project yet (product_layer, the *_layer and style_* functions): a task may do that and hand the layer over.

- footprints: outline-only polygons, green = online, orange dashed = on tape; dated per feature so the
  Temporal Controller shows each acquisition on its day.
- natural colour: B4/B3/B2 read from the archive through GDAL /vsizip/ (VRT from plugin/core/products.py).
- NDVI: resources/styles/ndvi.qml (red -> yellow -> green, -0.2 .. 1.0); the other indices (file
  <product>_<INDEX>.tif) the style plugin/core/indices.py names: water.qml, moisture.qml, burn.qml, or ndvi.qml.
Every product layer is dated with its acquisition day (fixed temporal range) and put in
"Sentinel-2 T<tile>" > "<YYYY-MM-DD>", date groups in chronological order.
"""
import datetime as dt
from pathlib import Path

from qgis.core import (QgsCategorizedSymbolRenderer, QgsDateTimeRange, QgsFillSymbol, QgsLayerTree, QgsProject,
                       QgsRasterLayer, QgsRasterLayerTemporalProperties, QgsRendererCategory)
from qgis.PyQt.QtCore import QDateTime, Qt

from ..about import RESOURCES_DIR
from ..core.errors import ProductFormatError
from ..core.indices import INDEX_NAMES, INDICES
from ..core.product_names import NDVI_SUFFIX, RGB_SUFFIX, parse_title
from . import compat
from .i18n import tr

NDVI_QML = str(RESOURCES_DIR / "styles" / "ndvi.qml")
ONLINE_COLOUR, OFFLINE_COLOUR = "#2e7d32", "#ef6c00"


# ---- identity of a product file ----------------------------------------------------------------------------
def product_identity(path_or_title):
    """(tile, acquisition datetime) from a product archive / NDVI / VRT file name, or (None, None)."""
    stem = Path(str(path_or_title)).name
    for suffix in (".zip", ".tif", ".vrt"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem.endswith("_20m"):                # <product>_<INDEX>_20m.tif: an index on the 20 m grid
        stem = stem[: -len("_20m")]
    for suffix in (NDVI_SUFFIX, RGB_SUFFIX) + tuple("_" + n for n in INDEX_NAMES):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    try:
        info = parse_title(stem)
    except ProductFormatError:
        return None, None
    return info.tile, info.acquired


# ---- styles ------------------------------------------------------------------------------------------------
def style_footprints(layer):
    categories = []
    for value, colour, label, dash in ((True, ONLINE_COLOUR, tr("online"), "solid"),
                                       (False, OFFLINE_COLOUR, tr("on tape (order it in the portal)"), "dash")):
        symbol = QgsFillSymbol.createSimple({"color": "0,0,0,0", "style": "no", "outline_color": colour,
                                             "outline_width": "0.6", "outline_style": dash})
        categories.append(QgsRendererCategory(value, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer("online", categories))
    props = layer.temporalProperties()
    props.setMode(compat.TEMPORAL_FROM_EXPRESSIONS)
    props.setStartExpression('to_datetime(to_date("date"))')
    props.setEndExpression('to_datetime(to_date("date")) + to_interval(\'1 day\')')
    props.setIsActive(True)
    layer.triggerRepaint()


def style_download_report(layer):
    """The download report: what arrived (green) and what failed (red, hatched)."""
    categories = []
    for value, colour, label, style in (("done", ONLINE_COLOUR, tr("downloaded and verified"), "no"),
                                        ("failed", "#c62828", tr("failed (see the reason field)"), "b_diagonal"),
                                        ("cancelled", "#757575", tr("cancelled"), "no")):
        symbol = QgsFillSymbol.createSimple({"color": colour, "style": style, "outline_color": colour,
                                             "outline_width": "0.6"})
        categories.append(QgsRendererCategory(value, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer("state", categories))
    layer.triggerRepaint()


def index_of(path):
    """The index a raster we wrote holds, from its name (<product>_<INDEX>.tif); NDVI when it does not say."""
    stem = Path(str(path).split("|")[0]).stem
    stem = stem[: -len("_20m")] if stem.endswith("_20m") else stem
    return next((n for n in INDEX_NAMES if stem.endswith("_" + n)), "NDVI")


def style_ndvi(layer):
    """The style of the layer's index (NDVI's for NDVI, NDRE, EVI, SAVI; water, moisture, burn for the others)."""
    qml = str(RESOURCES_DIR / "styles" / f"{INDICES[index_of(layer.source())].style}.qml")
    message, ok = layer.loadNamedStyle(qml)
    if not ok:
        raise ProductFormatError(tr("Could not apply the index style {qml}: {message}", qml=qml, message=message))
    layer.triggerRepaint()


def set_acquisition_day(layer, acquired):
    """The layer shows during its acquisition day (UTC) in the Temporal Controller."""
    day = acquired.astimezone(dt.timezone.utc).date() if acquired.tzinfo else acquired.date()
    begin = QDateTime.fromString(day.isoformat() + "T00:00:00Z", Qt.DateFormat.ISODate)
    props = layer.temporalProperties()
    props.setMode(QgsRasterLayerTemporalProperties.ModeFixedTemporalRange)
    props.setFixedTemporalRange(QgsDateTimeRange(begin, begin.addDays(1), True, False))
    props.setIsActive(True)


# ---- layer tree --------------------------------------------------------------------------------------------
def product_group(project, tile, acquired, shown=True, expanded=True):
    """'Sentinel-2 T31TCJ' > '2024-05-03' (created on demand, dates in order; a date group created here is
    ticked if `shown`, unfolded if `expanded`)."""
    root = project.layerTreeRoot()
    tile_name = f"Sentinel-2 T{tile}" if tile else "Sentinel Mirror"
    tile_group = root.findGroup(tile_name) or root.insertGroup(0, tile_name)
    if acquired is None:
        return tile_group
    day = acquired.date().isoformat()
    existing = [child for child in tile_group.children() if QgsLayerTree.isGroup(child)]
    for child in existing:
        if child.name() == day:
            return child
    position = sum(1 for child in existing if child.name() < day)
    group = tile_group.insertGroup(position, day)
    group.setItemVisibilityChecked(shown)
    group.setExpanded(expanded)
    return group


def date_and_group(layer, project=None, tile=None, acquired=None, on_top=False):
    """Date the layer and move it (already in the project or not) into its tile/date group."""
    project = project or QgsProject.instance()
    if tile is None and acquired is None:
        tile, acquired = product_identity(layer.source().split("|")[0])
    if acquired is not None:
        set_acquisition_day(layer, acquired)
    group = product_group(project, tile, acquired)
    position = 0 if on_top else -1
    node = project.layerTreeRoot().findLayer(layer.id())
    if node is None:
        project.addMapLayer(layer, False)
        group.insertLayer(position, layer)
    elif node.parent() is not group:
        old_parent = node.parent()
        group.insertChildNode(position, node.clone())
        old_parent.removeChildNode(node)
    return layer


def ndvi_layer(tif_path, name=None):
    index = index_of(tif_path)
    layer = _product_raster(tif_path, name, index, tr("{index} raster", index=index))
    style_ndvi(layer)
    return layer


def natural_colour_layer(vrt_path, name=None):
    return _product_raster(vrt_path, name, tr("Natural colour"), tr("natural-colour view"))


def _product_raster(path, name, kind, what):
    """A GDAL raster layer named '<kind> T<tile> <date>' unless `name` is given; ProductFormatError if invalid."""
    layer = QgsRasterLayer(str(path), name or display_name(kind, path), "gdal")
    if not layer.isValid():
        raise ProductFormatError(tr("QGIS cannot open the {what} {path}.", what=what, path=path))
    return layer


def add_product_layers(ndvi_paths=(), natural_colour_paths=(), project=None):
    """Add a few NDVI and natural-colour layers at once, dated and grouped; returns the layers. MAIN THREAD.
    (A run's hundreds of layers go through plugin/gui/layer_loader.py: opened in a task, placed in slices.)"""
    project = project or QgsProject.instance()
    return [place_product_layer(product_layer(kind, path), kind, project)
            for kind, path in product_layer_jobs(ndvi_paths, natural_colour_paths)]


def product_layer_jobs(ndvi_paths=(), natural_colour_paths=()):
    """(kind, path) of each layer to add, in the order that puts each NDVI above the natural colour of its date."""
    return [("colour", str(p)) for p in natural_colour_paths] + [("ndvi", str(p)) for p in ndvi_paths]


def product_layer(kind, path):
    """A new NDVI ("ndvi") or natural-colour ("colour") layer, styled and dated, not in any project yet: it may
    be made on a task's thread (opening a raster computes its contrast stretch: the slow part), then moved to the
    main thread to be placed."""
    layer = ndvi_layer(path) if kind == "ndvi" else natural_colour_layer(path)
    _tile, acquired = product_identity(path)
    if acquired is not None:
        set_acquisition_day(layer, acquired)
    return layer


def place_product_layer(layer, kind, project, shown=True, expanded=True):
    """Put a layer from product_layer() in its tile/date group (created ticked if `shown`, unfolded with the
    layers' legends if `expanded`). NDVI goes above the natural colour of its date. MAIN THREAD."""
    tile, acquired = product_identity(layer.source().split("|")[0])
    group = product_group(project, tile, acquired, shown=shown, expanded=expanded)
    project.addMapLayer(layer, False)
    node = group.insertLayer(0 if kind == "ndvi" else -1, layer)
    node.setExpanded(expanded)
    return layer


def newest_per_tile(paths):
    """{tile: the latest acquisition day} of product files (the dates a run shows at first)."""
    newest = {}
    for path in paths:
        tile, acquired = product_identity(path)
        if acquired is not None and (tile not in newest or acquired.date() > newest[tile]):
            newest[tile] = acquired.date()
    return newest


def display_name(kind, path, fallback=None):
    """'<kind> T<tile> <YYYY-MM-DD>' for a product file; `fallback` (else '<kind> <file stem>') when its name
    does not say the tile and date."""
    tile, acquired = product_identity(path)
    if tile and acquired:
        return f"{kind} T{tile} {acquired.date().isoformat()}"
    return fallback or f"{kind} {Path(str(path)).stem}"
