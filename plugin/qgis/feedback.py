"""Adapters from the core Progress protocol (set / message / cancelled) to QgsTask and QgsProcessingFeedback.

Both are safe to call from the worker thread running the core code: QgsTask.setProgress and the feedback's
setProgress/pushInfo are thread-safe (they emit queued signals).
"""
import threading
import time

from .i18n import localize


class TaskProgress:
    """Progress for code running inside QgsTask.run(). `on_message(text)` is called from the worker thread
    (tasks pass a pyqtSignal.emit, which queues the text to the main thread)."""

    def __init__(self, task, on_message=None, min_interval_s=0.05):
        self._task, self._on_message, self._min_interval = task, on_message, min_interval_s
        self._last_pct, self._last_time = -1.0, 0.0

    def set(self, percent):
        pct = max(0.0, min(100.0, float(percent)))
        now = time.monotonic()
        # throttle: thousands of chunk callbacks would flood the main thread's event queue
        if pct >= 100.0 or abs(pct - self._last_pct) >= 0.5 or now - self._last_time >= self._min_interval:
            self._last_pct, self._last_time = pct, now
            self._task.setProgress(pct)

    def message(self, text):
        if self._on_message:
            self._on_message(localize(str(text)))

    def cancelled(self):
        return self._task.isCanceled()


class FeedbackProgress:
    """Progress for code running inside processAlgorithm(). The pipeline reports from several threads at once
    and QgsProcessingFeedback's log is not guarded: one lock serialises our calls."""

    def __init__(self, feedback):
        self._feedback = feedback
        self._lock = threading.Lock()

    def set(self, percent):
        with self._lock:
            self._feedback.setProgress(max(0.0, min(100.0, float(percent))))

    def message(self, text):
        with self._lock:
            self._feedback.pushInfo(localize(str(text)))

    def cancelled(self):
        return self._feedback.isCanceled()

