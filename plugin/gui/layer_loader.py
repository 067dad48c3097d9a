"""The layers of a finished run put on the map a slice at a time, so QGIS keeps answering meanwhile.

Two years of a tile is ~150 dates, each with an NDVI and a natural-colour layer: opening, styling, dating and
grouping 300 rasters in one go froze the desktop for seconds. Layers (like the project) belong to the main
thread, so the work cannot move to a task; instead it is cut into slices of at most `budget_ms`, with the event
loop running in between. Only the newest date of each tile is ticked (the others are in the layers panel, folded
and unticked, ready for the Temporal Controller): hundreds of stacked visible rasters would make every redraw
of the map compose them all on the main thread, and cloud-masked NDVI would show older dates through its holes.
"""
import logging
import time

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..qgis import layers as qlayers
from ..qgis.messages import user_message

LOG = logging.getLogger("sentinel_mirror")
SLICE_MS = 25   # well under the 100 ms a user notices
PAUSE_MS = 5    # between slices: a zero-delay timer could run two slices before the event loop's other timers


class LayerLoader(QObject):
    progressChanged = pyqtSignal(float)      # percent of the layers added
    finished = pyqtSignal(list, list)        # the layers added, the plain reasons of those that could not be

    def __init__(self, project, ndvi_paths=(), natural_colour_paths=(), budget_ms=SLICE_MS, parent=None):
        super().__init__(parent)
        self.project, self.budget_s = project, budget_ms / 1000.0
        self.jobs = qlayers.product_layer_jobs(ndvi_paths, natural_colour_paths)
        self.newest = qlayers.newest_per_tile(path for _kind, path in self.jobs)
        self.total = len(self.jobs)
        self.added, self.errors = [], []
        self.slices = 0
        self._done = False

    def start(self):
        QTimer.singleShot(0, self._slice)

    def cancel(self):
        """Stop after the layers already added (they stay on the map)."""
        self.jobs = []

    def _slice(self):
        if self._done:
            return
        self.slices += 1
        started = time.perf_counter()
        while self.jobs:   # at least one layer a slice, then as many as fit in the budget
            kind, path = self.jobs.pop(0)
            try:
                tile, acquired = qlayers.product_identity(path)
                newest = acquired is not None and self.newest.get(tile) == acquired.date()
                self.added.append(qlayers.add_product_layer(kind, path, self.project, shown=newest, expanded=False))
            except Exception as e:  # noqa: BLE001 (one layer that cannot be shown must not stop the others)
                LOG.debug("adding the layer %s failed", path, exc_info=True)
                self.errors.append(user_message(e))
            if time.perf_counter() - started >= self.budget_s:
                break
        self.progressChanged.emit(100.0 * (self.total - len(self.jobs)) / self.total if self.total else 100.0)
        if self.jobs:
            QTimer.singleShot(PAUSE_MS, self._slice)
            return
        self._done = True
        self.finished.emit(self.added, self.errors)
