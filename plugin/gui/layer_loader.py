"""The layers of a finished run put on the map without freezing QGIS.

Two years of a tile is ~150 dates, each with an NDVI and a natural-colour layer: opening, styling, dating and
grouping 300 rasters in one go froze the desktop for seconds. The slow part, opening and styling each raster,
runs in a task (plugin/tasks/product_layers_task.py); placing them in the project (main thread only) is cut into
slices of at most `budget_ms` with the event loop running in between. Only the newest date of each tile is ticked
(the others are in the layers panel, folded and unticked, ready for the Temporal Controller): hundreds of stacked
visible rasters would make every redraw of the map compose them all on the main thread, and cloud-masked NDVI
would show older dates through its holes. "Newest" is among the layers that opened: a newest date whose files are
damaged must not leave its tile with nothing ticked (its failure is reported with the others).
"""
import logging
import time

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..qgis import layers as qlayers
from ..qgis.i18n import localize
from ..tasks.base import cancel_task

LOG = logging.getLogger("sentinel_mirror")
SLICE_MS = 25   # well under the 100 ms a user notices
PAUSE_MS = 5    # between slices: a zero-delay timer could run two slices before the event loop's other timers
OPENING = 80.0  # share of the progress bar for opening the layers (the task), the rest for placing them


class LayerLoader(QObject):
    progressChanged = pyqtSignal(float)      # percent
    finished = pyqtSignal(list, list)        # the layers added, the plain reasons of those that could not be

    def __init__(self, project, ndvi_paths=(), natural_colour_paths=(), budget_ms=SLICE_MS, parent=None):
        super().__init__(parent)
        self.project, self.budget_s = project, budget_ms / 1000.0
        self.jobs = qlayers.product_layer_jobs(ndvi_paths, natural_colour_paths)
        self.newest = {}         # {tile: newest day}, known once the layers are opened (_opened)
        self.total = len(self.jobs)
        self.ready = []          # (kind, path, layer, reason) from the task, placed a slice at a time
        self.added, self.errors = [], []
        self.slices = 0
        self.task = None
        self._cancelled = False
        self._done = False

    def start(self):
        from ..tasks.product_layers_task import ProductLayersTask
        task = ProductLayersTask(self.jobs)
        task.resultsReady.connect(self._opened)
        task.failed.connect(lambda message: self._finish([message]))
        task.cancelledByUser.connect(lambda: self._finish([]))
        task.progressChanged.connect(lambda pct: self.progressChanged.emit(pct * OPENING / 100.0))
        self.task = task   # the Python reference QGIS needs until the task has finished
        QgsApplication.taskManager().addTask(task)

    def cancel(self):
        """Stop; the layers already placed stay on the map."""
        self._cancelled = True
        self.ready = []
        if self.task is not None:
            cancel_task(self.task)

    def _opened(self, results):
        self.task = None
        self.ready = [] if self._cancelled else list(results)
        self.newest = qlayers.newest_per_tile(path for _kind, path, layer, _reason in self.ready if layer is not None)
        QTimer.singleShot(0, self._slice)

    def _slice(self):
        if self._done:
            return
        self.slices += 1
        started = time.perf_counter()
        while self.ready:   # at least one layer a slice, then as many as fit in the budget
            kind, path, layer, reason = self.ready.pop(0)
            if layer is None:
                self.errors.append(reason)
                continue
            try:
                _tile, acquired = qlayers.product_identity(path)
                shown = acquired is not None and self.newest.get(_tile) == acquired.date()
                self.added.append(qlayers.place_product_layer(layer, kind, self.project, shown=shown,
                                                              expanded=False))
            except Exception as e:  # noqa: BLE001 (one layer that cannot be placed must not stop the others)
                LOG.debug("placing the layer %s failed", path, exc_info=True)
                self.errors.append(localize(str(e)))
            if time.perf_counter() - started >= self.budget_s:
                break
        placed = self.total - len(self.ready)
        self.progressChanged.emit(OPENING + (100.0 - OPENING) * placed / self.total if self.total else 100.0)
        if self.ready:
            QTimer.singleShot(PAUSE_MS, self._slice)
            return
        self._finish([])

    def _finish(self, errors):
        if self._done:
            return
        self._done = True
        self.task = None
        self.errors.extend(errors)
        self.finished.emit(self.added, self.errors)
