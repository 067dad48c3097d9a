"""ProductLayersTask: open, style and date the NDVI and natural-colour layers of a run off the main thread.

Opening a raster layer computes its default contrast stretch (reading pixels: JPEG 2000 decoding for a
natural-colour view of a real product) and an NDVI layer parses its QML style: tens to hundreds of ms each,
seconds for a run of 150 dates. Here they are made on the task's thread and moved to the main thread; the
caller only places them in the project (plugin/gui/layer_loader.py). The task never touches the project.

Signals (main thread): resultsReady(list) of (kind, path, layer or None, plain reason or ""), in the order of
`jobs`; failed(str); cancelledByUser().
"""
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from ..core.progress import check_cancelled
from ..qgis import layers as qlayers
from ..qgis.messages import user_message
from ..qgis.i18n import tr
from .base import CoreTask


class ProductLayersTask(CoreTask):
    resultsReady = pyqtSignal(list)

    def __init__(self, jobs):
        self.jobs = list(jobs)   # (kind, path): "ndvi" | "colour"
        super().__init__(tr("Sentinel Mirror: open 1 layer") if len(self.jobs) == 1 else
                         tr("Sentinel Mirror: open {n} layers", n=len(self.jobs)))

    def work(self, progress):
        main = QCoreApplication.instance().thread()
        out = []
        for i, (kind, path) in enumerate(self.jobs):
            check_cancelled(progress)
            try:
                layer = qlayers.product_layer(kind, path)
                layer.moveToThread(main)   # made here, used there: Qt objects belong to one thread
                out.append((kind, path, layer, ""))
            except Exception as e:  # noqa: BLE001 (one file that cannot be shown must not stop the others)
                out.append((kind, path, None, user_message(e)))
            progress.set(100.0 * (i + 1) / len(self.jobs))
        return out
