"""FloodTask: a flood map from Sentinel-1 GRD zips before and after (plugin/core/s1/flood.py). Returns the
FloodResult (paths and hectares), never layers.

Signals (main thread): resultsReady(list) with one FloodResult; failed(str); cancelledByUser(); messageChanged(str).
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..core.s1.flood import flood_map
from .base import CoreTask
from ..qgis.i18n import tr


class FloodTask(CoreTask):
    resultsReady = pyqtSignal(list)

    def __init__(self, before, after, area, area_crs, raster, polygons, params=None):
        super().__init__(tr("Sentinel Mirror: flood map"))
        self.before, self.after, self.area, self.area_crs = list(before), list(after), tuple(area), area_crs
        self.raster, self.polygons, self.params = raster, polygons, params

    def work(self, progress):
        return [flood_map(self.before, self.after, self.area, self.raster, self.polygons, self.params,
                          area_crs=self.area_crs, progress=progress)]
