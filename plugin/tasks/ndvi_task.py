"""NdviTask: one NDVI (or other index) GeoTIFF per downloaded product archive (cloud-masked by default).
Returns results, never layers.

Signals (main thread):
- resultsReady(list): list of NdviResult (plugin/core/ndvi.py) for the products that worked.
- productFailed(str, str): archive path, plain reason (unrecognised archive, missing band...); the others go on.
- failed(str): nothing could be computed (the reason of the first failure); cancelledByUser(), messageChanged(str).
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..core.errors import ProductFormatError
from ..core.ndvi_batch import compute_ndvi_batch
from ..qgis.i18n import localize, tr
from .base import CoreTask


class NdviTask(CoreTask):
    resultsReady = pyqtSignal(list)
    productFailed = pyqtSignal(str, str)

    def __init__(self, archives, out_folder, masks=None, index="NDVI", encoding="float32", resolution=10):
        self.archives = list(archives)
        super().__init__(tr("Sentinel Mirror: {index} of 1 product", index=index) if len(self.archives) == 1 else
                         tr("Sentinel Mirror: {index} of {n} products", index=index, n=len(self.archives)))
        self.out_folder, self.masks = out_folder, masks
        self.index, self.encoding, self.resolution = index, encoding, resolution
        self.errors = []

    def work(self, progress):
        results, self.errors = compute_ndvi_batch(self.archives, self.out_folder, masks=self.masks,
                                                  progress=progress,
                                                  on_error=lambda archive, why: self.productFailed.emit(archive,
                                                                                                        localize(why)),
                                                  index=self.index, encoding=self.encoding,
                                                  resolution=self.resolution)
        if not results and self.errors:
            raise ProductFormatError(self.errors[0][1])
        return results
