"""NaturalColourTask: a B4/B3/B2 view (VRT reading the archive in place) per downloaded product, off the main
thread. Same file naming as the download algorithm (<archive stem>_RGB.vrt next to the archive).

Signals (main thread): resultsReady(list) of VRT paths; productFailed(str, str) archive + plain reason (radar
products have no colour view; the others go on); failed(str); cancelledByUser().
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..core.errors import SentinelMirrorError
from ..core.progress import check_cancelled
from ..qgis.i18n import localize, tr
from .base import CoreTask


class NaturalColourTask(CoreTask):
    resultsReady = pyqtSignal(list)
    productFailed = pyqtSignal(str, str)

    def __init__(self, archives):
        self.archives = [str(a) for a in archives]
        super().__init__(tr("Sentinel Mirror: natural-colour views of {n} products", n=len(self.archives)))

    def work(self, progress):
        from ..core.product_names import natural_colour_path
        from ..core.products import natural_colour_vrt

        out = []
        for i, archive in enumerate(self.archives):
            check_cancelled(progress)
            try:
                out.append(natural_colour_vrt(archive, natural_colour_path(archive)))
            except SentinelMirrorError as e:
                self.productFailed.emit(archive, localize(str(e)))
            progress.set(100.0 * (i + 1) / len(self.archives))
        return out
