"""Pipeline status updates gathered on the main thread and handed on a few times a second.

A run of 300 small products on a fast link sends thousands of ProductStatus in a few seconds (queued from the
worker threads). Redrawing the table, the totals and the map for each one kept QGIS busy for seconds; here each
update only costs a list append, and whoever draws gets them all at once, at most every `interval_ms`.
Nothing is dropped: the receiver sees every status in order (so each change of state is still reported once),
it just sees them in batches.
"""
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

REFRESH_MS = 250   # four refreshes a second: a progress that looks live, a cost that does not grow with the rate


class StatusBatcher(QObject):
    batchReady = pyqtSignal(list)    # the ProductStatus received since the last batch, oldest first

    def __init__(self, interval_ms=REFRESH_MS, parent=None):
        super().__init__(parent)
        self._pending = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self.batches = 0     # how many batches were handed on (tests, diagnostics)

    def push(self, status):
        self._pending.append(status)
        if not self._timer.isActive():   # the first update of a quiet spell waits at most one interval
            self._timer.start()

    def flush(self, *_):
        """Hand on what is pending now (the run's end: the final word on every row before the summary)."""
        self._timer.stop()
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        self.batches += 1
        self.batchReady.emit(batch)
