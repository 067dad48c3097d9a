"""The layers of a finished run put on the map a slice at a time, so QGIS keeps answering meanwhile.

Two years of a tile is ~150 dates, each with an NDVI and a natural-colour layer: opening, styling, dating and
grouping 300 rasters in one go froze the desktop for seconds. Layers (like the project) belong to the main
thread, so the work cannot move to a task; instead it is cut into slices of at most `budget_ms`, with the event
loop running in between. The map canvas is frozen while they arrive and drawn once at the end (each added layer
would otherwise restart the rendering of all of them).
"""
import logging
import time

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..qgis import layers as qlayers
from ..qgis.messages import user_message

LOG = logging.getLogger("sentinel_mirror")
SLICE_MS = 40   # well under the 100 ms a user notices


class LayerLoader(QObject):
    progressChanged = pyqtSignal(float)      # percent of the layers added
    finished = pyqtSignal(list, list)        # the layers added, the plain reasons of those that could not be

    def __init__(self, project, ndvi_paths=(), natural_colour_paths=(), canvas=None, budget_ms=SLICE_MS,
                 parent=None):
        super().__init__(parent)
        self.project, self.canvas, self.budget_s = project, canvas, budget_ms / 1000.0
        self.jobs = qlayers.product_layer_jobs(ndvi_paths, natural_colour_paths)
        self.total = len(self.jobs)
        self.added, self.errors = [], []
        self.slices = 0
        self._froze = False
        self._done = False

    def start(self):
        if self.canvas is not None and not self.canvas.isFrozen():
            self.canvas.freeze(True)
            self._froze = True
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
                self.added.append(qlayers.add_product_layer(kind, path, self.project))
            except Exception as e:  # noqa: BLE001 (one layer that cannot be shown must not stop the others)
                LOG.debug("adding the layer %s failed", path, exc_info=True)
                self.errors.append(user_message(e))
            if time.perf_counter() - started >= self.budget_s:
                break
        self.progressChanged.emit(100.0 * (self.total - len(self.jobs)) / self.total if self.total else 100.0)
        if self.jobs:
            QTimer.singleShot(0, self._slice)
            return
        self._done = True
        if self._froze:
            self.canvas.freeze(False)
            self.canvas.refresh()
        self.finished.emit(self.added, self.errors)
