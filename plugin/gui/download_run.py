"""One download started from the dock: the pipeline task (the very one the Processing algorithm's engine runs),
then, for what arrived, the NDVI task and the natural-colour views. Tasks do the work; this object chains them
on the main thread and reports; the dock draws.
"""
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.indices import FLOAT32
from ..core.models import ProductState, ProductStatus
from ..tasks.base import cancel_task
from ..qgis.i18n import tr

LOG = logging.getLogger("sentinel_mirror")
FINAL_STATES = (ProductState.DONE, ProductState.FAILED, ProductState.CANCELLED)


@dataclass
class RunOutcome:
    folder: str
    statuses: list = field(default_factory=list)   # one final ProductStatus per product
    ndvi: list = field(default_factory=list)       # NdviResult (or paths) of the products that worked
    views: list = field(default_factory=list)      # natural-colour VRT paths
    watch_stopped: str = ""                        # why the service's refusal of the credentials stopped the watch

    @property
    def done(self):
        return [st for st in self.statuses if st.state is ProductState.DONE and st.path]

    @property
    def failed(self):
        return [st for st in self.statuses if st.state is ProductState.FAILED]

    @property
    def ndvi_paths(self):
        return [str(getattr(r, "path", r)) for r in self.ndvi]


class DownloadRun(QObject):
    statusChanged = pyqtSignal(object)       # ProductStatus, live, from the pipeline
    progressChanged = pyqtSignal(float, str)  # percent of the current step, its label ("%p %", "NDVI %p %")
    messageChanged = pyqtSignal(str)
    stepFailed = pyqtSignal(str)             # NDVI or the views failed: the downloads still count
    finished = pyqtSignal(object)            # RunOutcome
    failed = pyqtSignal(str)                 # the run itself failed (nothing could be tried)
    cancelled = pyqtSignal(list)             # ProductStatus of the rows the cancel stopped mid-way

    def __init__(self, provider, products, folder, options=None, ndvi=True, views=True, parent=None, index="NDVI",
                 encoding=FLOAT32, resolution=10):
        super().__init__(parent)
        self.provider, self.products, self.options = provider, list(products), options
        # the "ndvi" step: which spectral index, stored how, on which grid (plugin/core/indices.py, ndvi_batch.py);
        # checked by the engine, so a bad value (a hand-edited watch) is a reported step failure, not a crash here
        self.index, self.encoding, self.resolution = index or "NDVI", encoding or FLOAT32, resolution or 10
        self.outcome = RunOutcome(folder=str(folder))
        self._steps = (["ndvi"] if ndvi else []) + (["views"] if views else [])
        self.choices = {"ndvi": bool(ndvi), "index": self.index, "encoding": self.encoding,   # kept with a watch
                        "resolution": self.resolution, "views": bool(views)}
        self._last = {}
        self.task = None
        self.started = None

    def elapsed(self):
        return 0.0 if self.started is None else time.monotonic() - self.started

    def start(self):
        from ..tasks.pipeline_task import PipelineTask
        task = PipelineTask(self.provider, self.products, self.outcome.folder, options=self.options)
        task.statusChanged.connect(self._status)
        task.resultsReady.connect(self._downloaded)
        self._start(task, "%p %")
        self.started = time.monotonic()

    def process(self, statuses):
        """The steps after the download for products already downloaded (what a watch brought in)."""
        self.started = time.monotonic()
        self._downloaded(statuses)

    def cancel(self):
        if self.task is not None:
            cancel_task(self.task)

    # ---- steps ------------------------------------------------------------------------------------------------
    def _start(self, task, label):
        task.failed.connect(self._failed)
        task.cancelledByUser.connect(self._cancelled)
        task.messageChanged.connect(self.messageChanged)
        task.progressChanged.connect(lambda pct: self.progressChanged.emit(pct, label))
        if hasattr(task, "productFailed"):
            task.productFailed.connect(lambda archive, why: LOG.warning("%s: %s", Path(archive).name, why))
        self.task = task   # the Python reference QGIS needs until the task has finished
        self.progressChanged.emit(0.0, label)
        QgsApplication.taskManager().addTask(task)

    def _status(self, status):
        self._last[status.product_id] = status
        self.statusChanged.emit(status)

    def _downloaded(self, statuses):
        self.outcome.statuses = list(statuses)
        self.outcome.watch_stopped = (getattr(self.task, "stats", None) or {}).get("watch_stopped") or ""
        for st in statuses:          # the final word on each row
            self._status(st)
        self._next()

    def _next(self):
        self.task = None
        archives = [st.path for st in self.outcome.done]
        while self._steps and archives:
            step = self._steps.pop(0)
            if step == "ndvi":
                from ..tasks.ndvi_task import NdviTask
                task = NdviTask(archives, self.outcome.folder, index=self.index, encoding=self.encoding,
                                resolution=self.resolution)
                task.resultsReady.connect(lambda results: self._step_done("ndvi", results))
                self._start(task, f"{self.index} %p %")
                return
            if step == "views":
                from ..tasks.natural_colour_task import NaturalColourTask
                task = NaturalColourTask(archives)
                task.resultsReady.connect(lambda paths: self._step_done("views", paths))
                self._start(task, tr("Layers %p %"))
                return
        self.finished.emit(self.outcome)

    def _step_done(self, step, results):
        setattr(self.outcome, step, list(results))
        self._next()

    def _failed(self, message):
        if self.outcome.statuses:    # NDVI or the views: report, and land what was downloaded
            self.stepFailed.emit(message)
            self._next()
            return
        self.task = None
        # no row may keep saying "downloading 40 %" once the run is over
        self._end_rows(ProductState.FAILED, message)
        self.failed.emit(message)

    def _cancelled(self):
        self.task = None
        stopped = self._end_rows(ProductState.CANCELLED, tr("Cancelled: a partial download resumes where it "
                                                            "stopped next time."))
        self.cancelled.emit(stopped)

    def _end_rows(self, state, reason):
        """The final state of every row the pipeline left unfinished; returns their statuses."""
        ended = [ProductStatus(p.id, state, reason=reason) for p in self.products
                 if self._last.get(p.id) is None or self._last[p.id].state not in FINAL_STATES]
        for st in ended:
            self.statusChanged.emit(st)
        return ended
