"""ConnectionCheckTask: the options page's "Test connection" for one catalogue, in the background.

Signals (main thread):
- resultsReady(list): [plugin.core.live_check.Verdict].
- failed(str), cancelledByUser(): see tasks/base.py.

Everything it needs (addresses, credentials, the proxy-aware session) is resolved on the main thread. A cancel
(the options dialog closing) also breaks the request in flight, so the task ends at once, not at its timeout.
"""
import threading

from qgis.PyQt.QtCore import pyqtSignal

from ..core.live_check import check_connection
from ..core.providers.http import abort_requests
from ..qgis.i18n import tr
from .base import CoreTask


class ConnectionCheckTask(CoreTask):
    resultsReady = pyqtSignal(list)

    def __init__(self, provider_name, endpoints, credentials, session):
        super().__init__(tr("Sentinel Mirror: test the {service} connection", service=provider_name.upper()))
        self.provider_name, self.endpoints, self.credentials, self.session = (provider_name, endpoints, credentials,
                                                                              session)
        self._worker = None

    def cancel(self):
        super().cancel()
        if self._worker is not None:
            abort_requests([self._worker])

    def work(self, progress):
        self._worker = threading.get_ident()
        try:
            return [check_connection(self.provider_name, self.endpoints, self.credentials, self.session, progress)]
        finally:
            self._worker = None   # the pool thread moves on to other tasks: a late cancel must not break theirs
