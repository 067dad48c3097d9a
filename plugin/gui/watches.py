"""Watches of products on tape, in background tasks that outlive the dock's run and resume at the next start.

A watch is the pipeline task (the one Processing runs) over the products a folder's journal lists as on tape,
told to wait for them (settings: how often, when to stop). The user sees each one in the QGIS task manager
("Sentinel Mirror: watching 7 products on tape at GEODES") and stops it there (or with stop()); a stopped watch is
forgotten, one ended by unloading the plugin or closing QGIS is resumed at the next start.
"""
import logging

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.models import ProductState
from ..qgis import watches
from ..tasks.base import cancel_task

LOG = logging.getLogger("sentinel_mirror")


class WatchManager(QObject):
    fetched = pyqtSignal(str, int, int)    # folder, products downloaded by the watch, products still on tape
    stopped = pyqtSignal(str)              # folder: the user stopped its watch
    failed = pyqtSignal(str, str)          # folder, plain message

    def __init__(self, open_catalogue=None, options=None, parent=None):
        super().__init__(parent)
        self._open = open_catalogue   # (provider name) -> provider; main thread (credentials from the auth db)
        self._options = options       # () -> PipelineOptions
        self.tasks = {}               # (folder, provider name) -> running PipelineTask
        self._shutting_down = False

    # ---- what the user (or the plugin) asks ----------------------------------------------------------------
    def watch(self, folder, provider_name):
        """Start watching the products on tape in `folder` (no-op if already watched or none is on tape);
        returns how many products are watched."""
        from ..core.pipeline import pending_products
        key = (str(folder), provider_name)
        if key in self.tasks:
            return len(self.tasks[key].products)
        products = pending_products(key[0], provider_name)
        if not products:
            watches.forget(*key)
            return 0
        watches.register(*key)
        try:
            provider = self._provider(provider_name)
        except Exception as e:  # noqa: BLE001 - a missing key: said once, the watch stays registered
            from ..qgis.messages import user_message
            self.failed.emit(key[0], user_message(e))
            return 0
        from ..tasks.pipeline_task import PipelineTask
        recall = provider.offline_recall
        n = len(products)
        task = PipelineTask(provider, products, key[0], options=self._pipeline_options(),
                            description=f"Sentinel Mirror: watching {n} product{'s' * (n != 1)} {recall.where} at "
                                        f"{recall.service} ({recall.state})")
        task.resultsReady.connect(lambda statuses, k=key: self._ended(k, statuses))
        task.cancelledByUser.connect(lambda k=key: self._cancelled(k))
        task.failed.connect(lambda message, k=key: self._failed(k, message))
        self.tasks[key] = task
        from qgis.core import QgsApplication
        QgsApplication.taskManager().addTask(task)
        LOG.info("Watching %d product(s) on tape in %s (%s)", n, key[0], recall.service)
        return n

    def resume_all(self):
        """The watches registered by earlier sessions: [(folder, provider name, products watched)]."""
        started = []
        for folder, provider_name in watches.registered():
            n = self.watch(folder, provider_name)
            if n:
                started.append((folder, provider_name, n))
        return started

    def active(self):
        return [(folder, name, len(task.products)) for (folder, name), task in self.tasks.items()]

    def stop(self, folder, provider_name):
        task = self.tasks.get((str(folder), provider_name))
        if task is not None:
            cancel_task(task)

    def shutdown(self):
        """Unload / QGIS closing: end the tasks but keep the watches registered (resumed at the next start)."""
        self._shutting_down = True
        for task in list(self.tasks.values()):
            cancel_task(task)

    # ---- task outcomes -------------------------------------------------------------------------------------
    def _ended(self, key, statuses):
        self.tasks.pop(key, None)
        done = sum(1 for s in statuses if s.state is ProductState.DONE)
        left = sum(1 for s in statuses if s.state is ProductState.OFFLINE)
        if not left:
            watches.forget(*key)
        self.fetched.emit(key[0], done, left)

    def _cancelled(self, key):
        self.tasks.pop(key, None)
        if not self._shutting_down:   # the user stopped it: do not resume it at the next start
            watches.forget(*key)
            self.stopped.emit(key[0])

    def _failed(self, key, message):
        self.tasks.pop(key, None)
        self.failed.emit(key[0], message)

    def _provider(self, name):
        if self._open is not None:
            return self._open(name)
        from ..qgis.catalogue import open_catalogue
        return open_catalogue(name)

    def _pipeline_options(self):
        if self._options is not None:
            return self._options()
        from ..qgis.catalogue import pipeline_options
        from ..qgis.settings import load_config
        return pipeline_options(load_config())
