"""Watches of products on tape, in background tasks that outlive the dock's run and resume at the next start.

A watch is the pipeline task (the one Processing runs) over the products a folder's journal lists as on tape,
told to wait for them (settings: how often, when to stop). Each product it brings in gets what the run that
started the watch asked for (the index, the layers: gui/watch_follow_up.py; the choices are kept with the watch's
registration, so a resumed watch does the same). The user sees the watches in the dock's Watches list
(gui/watch_list.py) and in the QGIS task manager ("Sentinel Mirror: watching 7 products on tape at GEODES") and
stops them there: a watch stopped and forgotten is not resumed; one merely stopped, or ended by unloading the
plugin or closing QGIS, is resumed at the next start. A watch the service stopped by refusing the credentials (the
GEODES key revoked, a CDSE two-factor session expired: core/pipeline.py) stays registered, its products on tape
in the journal, and says why (authStopped): the next start, or a download run once the user has fixed the key or
given a fresh code, resumes it.
"""
import logging

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.models import ProductState
from ..core.providers.base import recall_text
from ..qgis import watches
from ..qgis.i18n import localize, tr
from ..tasks.base import cancel_task

LOG = logging.getLogger("sentinel_mirror")


class WatchManager(QObject):
    fetched = pyqtSignal(str, int, int)    # folder, products downloaded by the watch, products still on tape
    stopped = pyqtSignal(str)              # folder: the user stopped its watch
    failed = pyqtSignal(str, str)          # folder, plain message
    changed = pyqtSignal()                 # a watch started or ended, or its count of products on tape changed
    layersAdded = pyqtSignal(str, list)    # folder, layers put on the map for products the watch brought in
    stepFailed = pyqtSignal(str, str)      # folder, plain message: the index or a layer failed (downloads count)
    authStopped = pyqtSignal(str, str)     # folder, what to do: the service refused the credentials (still registered)

    def __init__(self, open_catalogue=None, options=None, parent=None):
        super().__init__(parent)
        self._open = open_catalogue   # (provider name) -> provider; main thread (credentials from the auth db)
        self._options = options       # () -> PipelineOptions
        self.tasks = {}               # (folder, provider name) -> running PipelineTask
        self.on_tape = {}             # (folder, provider name) -> ids of the products still on tape
        self.follow_ups = {}          # (folder, provider name) -> WatchFollowUp (index, layers) while it has work
        self._stopping = {}           # key -> True: stop and forget; False: stop, resume at the next start
        self._shutting_down = False

    # ---- what the user (or the plugin) asks ----------------------------------------------------------------
    def watch(self, folder, provider_name, choices=None, provider=None):
        """Start watching the products on tape in `folder` (no-op if already watched or none is on tape);
        returns how many products are watched. `choices` (the run's: ndvi, index, encoding, resolution, views,
        load) are kept with the watch; None keeps the registered ones (a resumed watch). `provider`: the client of
        the run that started the watch (its login goes on: a CDSE two-factor account cannot log in again without a
        new code); None opens one from the settings."""
        from ..core.pipeline import pending_products
        key = (str(folder), provider_name)
        if key in self.tasks:
            if choices is not None:   # a new run into a watched folder: its choices from now on
                watches.register(*key, choices=choices)
                if key in self.follow_ups:
                    self.follow_ups[key].choices = dict(choices)
            return len(self.tasks[key].products)
        products = pending_products(key[0], provider_name)
        if not products:
            watches.forget(*key)
            return 0
        watches.register(*key, choices=choices)
        try:
            if provider is None:
                provider = self._provider(provider_name)
                if watches.choices(*key).get("two_factor") and hasattr(provider, "two_factor"):
                    provider.two_factor = True   # no code at a resumed start: say so rather than send a bad login
        except Exception as e:  # noqa: BLE001 - a missing key: said once, the watch stays registered
            from ..qgis.messages import user_message
            self.failed.emit(key[0], user_message(e))
            return 0
        from ..tasks.pipeline_task import PipelineTask
        recall = provider.offline_recall
        n = len(products)
        task = PipelineTask(provider, products, key[0], options=self._pipeline_options(),
                            description=tr("Sentinel Mirror: watching {products} {where} at {service} ({state})",
                                           products=tr("1 product") if n == 1 else tr("{n} products", n=n),
                                           where=recall_text(recall.where), service=recall.service,
                                           state=recall.state))
        follow_up = self._follow_up(key, provider)
        self.on_tape[key] = {p.id for p in products}
        task.statusChanged.connect(lambda status, k=key, f=follow_up: self._status(k, f, status))
        task.resultsReady.connect(lambda statuses, k=key: self._ended(k, statuses))
        task.cancelledByUser.connect(lambda k=key: self._cancelled(k))
        task.failed.connect(lambda message, k=key: self._failed(k, message))
        self.tasks[key] = task
        from qgis.core import QgsApplication
        QgsApplication.taskManager().addTask(task)
        LOG.info("Watching %d product(s) on tape in %s (%s)", n, key[0], recall.service)
        self.changed.emit()
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

    def details(self):
        """One dict per running watch, for the Watches list: folder, provider, service, on_tape (still on tape),
        next_check (clock time of the next availability request, or None)."""
        return [{"folder": folder, "provider": name, "service": task.provider.offline_recall.service,
                 "on_tape": len(self.on_tape.get((folder, name), ())), "next_check": task.stats.get("next_check")}
                for (folder, name), task in self.tasks.items()]

    def stop(self, folder, provider_name, forget=True):
        """Stop a watch; forget=False keeps it registered, so the next start of QGIS resumes it."""
        key = (str(folder), provider_name)
        task = self.tasks.get(key)
        if task is not None:
            self._stopping[key] = forget
            cancel_task(task)

    def shutdown(self):
        """Unload / QGIS closing: end the tasks but keep the watches registered (resumed at the next start)."""
        self._shutting_down = True
        for task in list(self.tasks.values()):
            cancel_task(task)
        for follow_up in list(self.follow_ups.values()):
            follow_up.cancel()

    # ---- what the watch brings in ----------------------------------------------------------------------------
    def _follow_up(self, key, provider):
        """The index and layers for the products this watch brings in, as the run that started it asked."""
        from .watch_follow_up import WatchFollowUp
        follow_up = WatchFollowUp(provider, key[0], watches.choices(*key), parent=self)
        follow_up.layersAdded.connect(lambda layers, k=key: self.layersAdded.emit(k[0], layers))
        follow_up.stepFailed.connect(lambda message, k=key: self.stepFailed.emit(k[0], message))
        follow_up.idle.connect(lambda k=key, f=follow_up: self._follow_up_idle(k, f))
        self.follow_ups[key] = follow_up
        return follow_up

    def _follow_up_idle(self, key, follow_up):
        if key not in self.tasks and self.follow_ups.get(key) is follow_up:
            self.follow_ups.pop(key)

    def _status(self, key, follow_up, status):
        waiting = self.on_tape.get(key, set())
        before = len(waiting)
        if status.state is ProductState.OFFLINE:
            waiting.add(status.product_id)
        elif status.state in (ProductState.DONE, ProductState.FAILED, ProductState.CANCELLED):
            waiting.discard(status.product_id)
        follow_up.add(status)
        if len(waiting) != before:   # not at every progress report of a download
            self.changed.emit()

    # ---- task outcomes -------------------------------------------------------------------------------------
    def _ended(self, key, statuses):
        task = self.tasks.get(key)
        stopped = task.stats.get("watch_stopped") if task is not None else None
        self._drop(key)
        done = sum(1 for s in statuses if s.state is ProductState.DONE)
        left = sum(1 for s in statuses if s.state is ProductState.OFFLINE)
        if not left:
            watches.forget(*key)
        self.fetched.emit(key[0], done, left)
        if stopped and left:   # registered still: resumed at the next start or by a download run
            LOG.warning("Watch of %s stopped: %s", key[0], stopped)
            self.authStopped.emit(key[0], localize(stopped))

    def _cancelled(self, key):
        self._drop(key)
        forget = self._stopping.pop(key, True)
        if not self._shutting_down:   # the user stopped it: forgotten unless asked to resume it at the next start
            if forget:
                watches.forget(*key)
            self.stopped.emit(key[0])

    def _failed(self, key, message):
        self._drop(key)
        self.failed.emit(key[0], message)

    def _drop(self, key):
        self.tasks.pop(key, None)
        self.on_tape.pop(key, None)
        follow_up = self.follow_ups.get(key)
        if follow_up is not None and not follow_up.busy():
            self.follow_ups.pop(key)
        self.changed.emit()

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
