"""What every Sentinel Mirror task shares: CanCancel, progress through the core Progress protocol, typed error
kept for finished(), and signals that carry the outcome to the main thread.

Signals common to every task (all delivered on the main thread):
- failed(str): a plain-language message (wrong key, unreachable service, nothing found...). `task.error` holds
  the typed exception.
- cancelledByUser(): the user (or the task manager) cancelled the task.
- messageChanged(str): a progress message from the core ("Staging 3 products...").
Each task adds resultsReady(list) for its own results.

Rules: run() only calls core with what the constructor received (resolved on the main thread: config snapshot,
credentials, session); it never touches widgets, iface or the project. Keep a Python reference to the task until
it has finished (QgsTaskManager does not own the Python wrapper).
"""
from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..core.errors import Cancelled
from ..qgis.feedback import TaskProgress
from ..qgis.messages import log_unexpected, user_message


class CoreTask(QgsTask):
    failed = pyqtSignal(str)
    cancelledByUser = pyqtSignal()
    messageChanged = pyqtSignal(str)

    def __init__(self, description):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.error = None
        self.results = []

    def work(self, progress):
        """Do the job on the worker thread; return the results list."""
        raise NotImplementedError

    def emit_results(self):
        self.resultsReady.emit(self.results)

    def run(self):
        try:
            self.results = list(self.work(TaskProgress(self, self.messageChanged.emit)) or [])
            return not self.isCanceled()
        except Cancelled:
            return False
        except Exception as e:  # noqa: BLE001 - stored and reported in finished(), never raised into QGIS
            log_unexpected(e)
            self.error = e
            return False

    def finished(self, ok):
        if ok:
            self.emit_results()
        elif self.error is not None:
            self.failed.emit(user_message(self.error))
        else:
            self.cancelledByUser.emit()


def cancel_task(task):
    """Cancel `task` unless the task manager has already ended and deleted it; True if it was cancelled."""
    try:
        task.cancel()
    except RuntimeError:   # the C++ task is gone: it finished meanwhile
        return False
    return True
