"""How long operations in core report progress and notice cancellation, without knowing about QGIS.

Adapters (plugin/qgis/feedback.py) wrap a QgsTask or a QgsProcessingFeedback in this protocol.
"""
from typing import Protocol

from .errors import Cancelled
from .i18n import tr


class Progress(Protocol):
    def set(self, percent: float) -> None: ...
    def message(self, text: str) -> None: ...
    def cancelled(self) -> bool: ...


class NullProgress:
    def set(self, percent):
        pass

    def message(self, text):
        pass

    def cancelled(self):
        return False


class CallbackProgress:
    """Progress from plain callables (tests, scripts, benchmarks)."""

    def __init__(self, on_set=None, on_message=None, is_cancelled=None):
        self._on_set, self._on_message, self._is_cancelled = on_set, on_message, is_cancelled

    def set(self, percent):
        if self._on_set:
            self._on_set(percent)

    def message(self, text):
        if self._on_message:
            self._on_message(text)

    def cancelled(self):
        return bool(self._is_cancelled and self._is_cancelled())


def check_cancelled(progress):
    if progress.cancelled():
        raise Cancelled(tr("Cancelled by the user."))


NULL_PROGRESS = NullProgress()
