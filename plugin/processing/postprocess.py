"""Styling, grouping and dating of the layers Processing loads on completion (main thread, after the run).

A LayerDetails post-processor must outlive the algorithm: QGIS keeps only a C++ pointer, so we keep the
Python objects in _ALIVE (a few bytes per loaded layer).
"""
from qgis.core import QgsProcessingLayerPostProcessorInterface

from ..qgis import layers

_ALIVE = []


class LayerStyler(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, kind, name=None):
        super().__init__()
        self.kind, self.name = kind, name

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API name)
        if layer is None or not layer.isValid():
            return
        if self.name:
            layer.setName(self.name)
        if self.kind == "footprints":
            layers.style_footprints(layer)
        elif self.kind == "report":
            layers.style_download_report(layer)
        elif self.kind == "ndvi":
            layers.style_ndvi(layer)
            layers.date_and_group(layer, context.project(), on_top=True)
        elif self.kind == "natural_colour":
            layers.date_and_group(layer, context.project())
        elif self.kind.startswith("flood:"):        # "flood:raster:<group>" / "flood:polygons:<group>"
            from ..qgis import flood_layers
            _, what, group = self.kind.split(":", 2)
            (flood_layers.style_flood_raster if what == "raster" else flood_layers.style_flood_polygons)(layer)
            flood_layers.put_in_group(layer, context.project(), group)


def style_on_completion(context, layer_id, kind, name=None):
    """Attach our styler to an output Processing will load (no-op when it will not be loaded)."""
    if context.willLoadLayerOnCompletion(layer_id):
        styler = LayerStyler(kind, name)
        _ALIVE.append(styler)
        context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(styler)


def load_on_completion(context, path, name, kind, hint="Raster"):
    """Ask Processing to load a file we wrote (NDVI GeoTIFF, natural-colour VRT) into the project, styled."""
    from qgis.core import QgsProcessingContext, QgsProcessingUtils

    details = QgsProcessingContext.LayerDetails(name, context.project(), name)
    details.layerTypeHint = getattr(QgsProcessingUtils.LayerHint, hint)
    styler = LayerStyler(kind, name)
    _ALIVE.append(styler)
    details.setPostProcessor(styler)
    context.addLayerToLoadOnCompletion(path, details)
