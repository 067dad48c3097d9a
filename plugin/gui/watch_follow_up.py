"""What a watch does with each product it brings in: what the run that started the watch would have done.

The run's choices (plugin/qgis/watches.py: ndvi, index, encoding, resolution, views, load) are applied to the
products the watch downloads, a batch at a time as they arrive: the same steps as the dock's run
(DownloadRun.process: the index task, the natural-colour task), then the layers through the same slice-by-slice
path (LayerLoader). Products that arrive while a batch is being processed wait for the next one. Main thread only:
tasks do the work.
"""
import logging

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.models import ProductState

LOG = logging.getLogger("sentinel_mirror")


class WatchFollowUp(QObject):
    layersAdded = pyqtSignal(list)   # the layers put on the map for one batch
    stepFailed = pyqtSignal(str)     # the index, the views or a layer failed: the downloads still count
    idle = pyqtSignal()              # nothing queued nor running

    def __init__(self, provider, folder, choices, project=None, parent=None):
        super().__init__(parent)
        self.provider, self.folder, self.choices = provider, str(folder), dict(choices)
        self.project = project
        self.queued, self.seen = [], set()
        self.run = self.loader = None

    @property
    def wanted(self):
        return bool(self.choices.get("ndvi") or self.choices.get("views"))

    def busy(self):
        return bool(self.queued) or self.run is not None or self.loader is not None

    def add(self, status):
        """A status from the watch: a newly downloaded product joins the next batch (each product once)."""
        if not self.wanted or status.state is not ProductState.DONE or not status.path:
            return
        if status.product_id in self.seen:
            return
        self.seen.add(status.product_id)
        self.queued.append(status)
        if self.run is None and self.loader is None:
            self._next_batch()

    def cancel(self):
        self.queued = []
        if self.run is not None:
            self.run.cancel()
        if self.loader is not None:
            self.loader.cancel()

    def _next_batch(self):
        if not self.queued:
            self.idle.emit()
            return
        from .download_run import DownloadRun
        batch, self.queued = self.queued, []
        # a choice missing (a watch registered before it existed) is DownloadRun's default, as then
        run = DownloadRun(self.provider, [], self.folder, ndvi=self.choices.get("ndvi", False),
                          views=self.choices.get("views", False), index=self.choices.get("index"),
                          encoding=self.choices.get("encoding"), resolution=self.choices.get("resolution"),
                          parent=self)
        run.finished.connect(self._processed)
        run.stepFailed.connect(self.stepFailed)
        run.failed.connect(lambda message: self._batch_ended([message]))
        run.cancelled.connect(lambda _stopped: self._batch_ended([]))
        self.run = run
        LOG.info("%d product(s) brought in by the watch of %s: %s", len(batch), self.folder,
                 ", ".join(k for k in ("ndvi", "views") if self.choices.get(k)))
        run.process(batch)

    def _processed(self, outcome):
        self.run = None
        if not (self.choices.get("load") and (outcome.ndvi or outcome.views)):
            self._batch_ended([])
            return
        from .layer_loader import LayerLoader
        loader = LayerLoader(self.project or QgsProject.instance(), ndvi_paths=outcome.ndvi_paths,
                             natural_colour_paths=outcome.views, parent=self)
        loader.finished.connect(self._loaded)
        self.loader = loader
        loader.start()

    def _loaded(self, layers, errors):
        self.loader = None
        if layers:
            self.layersAdded.emit(layers)
        self._batch_ended(errors)

    def _batch_ended(self, errors):
        self.run = None
        for message in errors[:1]:   # one says it; the rest are in the log
            self.stepFailed.emit(message)
        for message in errors:
            LOG.warning("watch of %s: %s", self.folder, message)
        self._next_batch()
