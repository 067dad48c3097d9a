"""PipelineTask: download the online products in parallel, verify, land; list and watch those on tape.

Signals (main thread):
- statusChanged(object): a plugin.core.models.ProductStatus each time a product changes state
  (queued -> downloading (bytes) -> verifying -> done / failed with reason; offline = on tape, to order in the
  service's portal, watched while options.watch_s lasts).
- resultsReady(list): the final list[ProductStatus] (one per product; failed ones carry `reason`).
- failed(str), cancelledByUser(), messageChanged(str): see tasks/base.py. After a cancel only `.part` files
  remain in the folder: a product lands only once complete and verified.
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..core.pipeline import run_pipeline
from ..qgis.i18n import tr
from .base import CoreTask


class PipelineTask(CoreTask):
    resultsReady = pyqtSignal(list)
    statusChanged = pyqtSignal(object)

    def __init__(self, provider, products, folder, options=None, description=None):
        products = list(products)
        super().__init__(description or (
            tr("Sentinel Mirror: download 1 product from {service}", service=provider.name.upper())
            if len(products) == 1 else
            tr("Sentinel Mirror: download {n} products from {service}", n=len(products),
               service=provider.name.upper())))
        self.provider, self.products, self.folder, self.options = provider, products, folder, options
        self.stats = {}   # run_pipeline's figures, live (next_check: when a watch next asks for availability)

    def work(self, progress):
        kwargs = {"options": self.options} if self.options is not None else {}
        # statusChanged.emit from this worker thread is queued to the main thread's receivers
        return run_pipeline(self.provider, self.products, self.folder, progress=progress,
                            on_status=self.statusChanged.emit, stats=self.stats, **kwargs)
