"""Flood map layers: the flood raster (flooded pixels in blue, the rest transparent) and the flood polygons
(outlined, labelled legend), together in one group "Flood map <after date>". MAIN THREAD ONLY."""
import datetime as dt

from qgis.core import (QgsFillSymbol, QgsPalettedRasterRenderer, QgsProject, QgsRasterLayer,
                       QgsSingleSymbolRenderer, QgsVectorLayer)
from qgis.PyQt.QtGui import QColor

from .i18n import tr

FLOOD_COLOUR = "#1565c0"


def group_name(after_acquired=None):
    if isinstance(after_acquired, (dt.date, dt.datetime)):
        return tr("Flood map {date}", date=f"{after_acquired:%Y-%m-%d}")
    return tr("Flood map")


def style_flood_raster(layer):
    """1 = flooded, blue; 0 (not flooded) and 255 (no data) are not drawn."""
    cls = QgsPalettedRasterRenderer.Class(1, QColor(FLOOD_COLOUR), tr("flooded"))
    renderer = QgsPalettedRasterRenderer(layer.dataProvider(), 1, [cls])
    renderer.setOpacity(0.85)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_flood_polygons(layer):
    symbol = QgsFillSymbol.createSimple({"color": "21,101,192,70", "outline_color": "#0d47a1",
                                         "outline_width": "0.5"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


def put_in_group(layer, project=None, name=None):
    """Move the layer (in the project or not) into the group `name` at the top of the layer tree."""
    project = project or QgsProject.instance()
    name = name or group_name()
    root = project.layerTreeRoot()
    group = root.findGroup(name) or root.insertGroup(0, name)
    node = root.findLayer(layer.id())
    if node is None:
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    elif node.parent() is not group:
        old = node.parent()
        group.addChildNode(node.clone())
        old.removeChildNode(node)
    return group


def add_flood_layers(raster_path, polygons_path=None, name=None, project=None):
    """Load, style and group a flood map's outputs (the dock's path; Processing styles through postprocess)."""
    layers = []
    if polygons_path:
        vector = QgsVectorLayer(f"{polygons_path}|layername=flood", tr("Flood polygons"), "ogr")
        if vector.isValid():
            style_flood_polygons(vector)
            layers.append(vector)
    raster = QgsRasterLayer(str(raster_path), tr("Flooded (1)"))
    if raster.isValid():
        style_flood_raster(raster)
        layers.append(raster)
    for layer in layers:
        put_in_group(layer, project, name)
    return layers
