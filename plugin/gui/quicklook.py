"""Quicklooks for the results table: fetched by a task through the catalogue client's own session (proxy,
User-Agent, credentials), cached per product, one request at a time (a newer choice cancels the older one)."""
import logging

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtGui import QPixmap

from ..qgis.i18n import tr
from ..tasks.base import cancel_task

LOG = logging.getLogger("sentinel_mirror")


class QuicklookLoader(QObject):
    ready = pyqtSignal(str, QPixmap)     # product id, image
    unavailable = pyqtSignal(str, str)   # product id, why (shown as a tooltip)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cache = {}
        self.task = None
        # cancelled tasks still running: QGIS needs their Python wrapper until they end (else run() crashes)
        self._retired = set()

    def clear(self):
        self._cache = {}

    def request(self, product, session):
        """Emit ready/unavailable for this product now (cached, or nothing to fetch) or once fetched."""
        pixmap = self._cache.get(product.id)
        if pixmap is not None:
            self.ready.emit(product.id, pixmap)
            return
        if not product.quicklook_url or session is None:
            self.unavailable.emit(product.id, tr("The catalogue gives no quicklook for this product."))
            return
        self.cancel()
        from ..tasks.quicklook_task import QuicklookTask
        task = QuicklookTask(session, product.quicklook_url, product.id)
        task.resultsReady.connect(lambda data, pid=product.id: self._fetched(task, pid, data))
        task.failed.connect(lambda why, pid=product.id: self._failed(task, pid, why))
        task.taskCompleted.connect(lambda: self._ended(task))
        task.taskTerminated.connect(lambda: self._ended(task))
        self.task = task
        QgsApplication.taskManager().addTask(task)

    def cancel(self):
        task, self.task = self.task, None
        if task is None:
            return
        self._retired.add(task)       # until _ended(); added first: a queued task ends inside cancel() itself
        if not cancel_task(task):
            self._retired.discard(task)   # it had already ended and been deleted

    def busy(self):
        """True while a quicklook task (current or cancelled) is still running."""
        return self.task is not None or bool(self._retired)

    def _ended(self, task):
        self._retired.discard(task)
        if self.task is task:
            self.task = None

    def _fetched(self, task, product_id, data):
        if task is not self.task:   # cancelled (a newer choice, or the dock is closing and may be gone): ignore
            return
        pixmap = QPixmap()
        if not data or not pixmap.loadFromData(data[0]):   # QPixmap: main thread only, hence here
            self._failed(task, product_id, tr("The quicklook is not an image QGIS can read."))
            return
        self._cache[product_id] = pixmap
        self.ready.emit(product_id, pixmap)

    def _failed(self, task, product_id, why):
        if task is not self.task:
            return
        LOG.info("quicklook of %s: %s", product_id, why)
        self.unavailable.emit(product_id, why)
