"""ProfileTask: the time profile of a point or a field from the products (or NDVI rasters) in a folder.

Signals (main thread): resultsReady(list) with the ProfileRows (plugin/core/timeseries/profile.py), in date
order; failed(str); cancelledByUser(). The place is given as plain values (WKT, CRS definition) resolved on the
main thread.
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..qgis.i18n import tr
from .base import CoreTask


class ProfileTask(CoreTask):
    resultsReady = pyqtSignal(list)

    def __init__(self, folder, crs, point=None, polygon_wkt=None, reflectance=False, index="NDVI"):
        super().__init__(tr("Sentinel Mirror: time profile"))
        self.folder, self.crs, self.point, self.polygon_wkt = folder, crs, point, polygon_wkt
        self.reflectance, self.index = reflectance, index

    def work(self, progress):
        from ..core.timeseries.profile import field_profile, point_profile
        from ..core.timeseries.sources import find_observations

        progress.message(tr("Reading the products' dates"))
        # NDVI GeoTIFFs beside the zips answer a point at once; the zips are read for reflectances
        obs = find_observations(self.folder, prefer_rasters=not self.reflectance, index=self.index)
        if self.point is not None:
            return point_profile(obs, self.point[0], self.point[1], self.crs, index=self.index,
                                 reflectance=self.reflectance, progress=progress)
        return field_profile(obs, self.polygon_wkt, self.crs, index=self.index, reflectance=self.reflectance,
                             progress=progress)
