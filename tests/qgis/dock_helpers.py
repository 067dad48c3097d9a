"""Helpers shared by the dock tests: a dock pointed at the simulator, a main-thread gap meter."""
import gc
import time

from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QDate, QEvent, Qt, QTimer
from qgis.PyQt.QtWidgets import QLabel, QTextEdit

SETTINGS_KEYS = ("sentinel_mirror/download_dir", "sentinel_mirror/poll_interval_s",
                 "sentinel_mirror/poll_interval_max_s", "sentinel_mirror/parallel_downloads",
                 "sentinel_mirror/geodes_authcfg", "sentinel_mirror/cdse_authcfg")


class GapMeter:
    """Ticks every 10 ms on the main thread; the longest gap between ticks is how long QGIS froze."""

    def __init__(self, interval_ms=10):
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.max_gap = 0.0
        self.ticks = 0

    def _tick(self):
        now = time.perf_counter()
        if self.last is not None:
            self.max_gap = max(self.max_gap, now - self.last)
        self.last = now
        self.ticks += 1

    def start(self):
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def stop(self):
        self.timer.stop()
        self._tick()
        return self


def point_dock_at(sim, monkeypatch, folder, poll_s=0.2):
    """Environment (as a user would export it) and settings so the dock's catalogue is the simulator."""
    for key, value in sim.env().items():
        monkeypatch.setenv(key, value)
    s = QgsSettings()
    saved = {k: s.value(k) for k in SETTINGS_KEYS}
    s.remove("sentinel_mirror/dock")
    s.setValue("sentinel_mirror/download_dir", str(folder))
    s.setValue("sentinel_mirror/poll_interval_s", poll_s)
    s.setValue("sentinel_mirror/poll_interval_max_s", max(poll_s, 1.0))
    s.setValue("sentinel_mirror/geodes_authcfg", "")
    s.setValue("sentinel_mirror/cdse_authcfg", "")
    return saved


def restore_settings(saved):
    s = QgsSettings()
    for key, value in saved.items():
        if value is None:
            s.remove(key)
        else:
            s.setValue(key, value)
    s.remove("sentinel_mirror/dock")


def set_dates(dock, start, end):
    dock.ui.startDate.setDate(QDate(start.year, start.month, start.day))
    dock.ui.endDate.setDate(QDate(end.year, end.month, end.day))


def zoom_lonlat(canvas, west, south, east, north):
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas.setExtent(QgsRectangle(west, south, east, north))
    canvas.refresh()


def clear_project():
    project = QgsProject.instance()
    project.removeAllMapLayers()
    project.layerTreeRoot().removeAllChildren()


def left_button():
    return Qt.MouseButton.LeftButton


def dispose(widget):
    """Delete a test's dock or panel now. Left to Python, a widget in a reference cycle (closures over the dock)
    is freed by the cyclic collector at any later allocation: during another test, even inside one of its own
    timers' slots, which deletes the timer under its running slot (a segfault seen in CI)."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def bar_text(dock):
    """Everything the dock's message bar says now: its labels and its message texts, as one string."""
    return " ".join([w.text() for w in dock.bar.findChildren(QLabel)] +
                    [w.toPlainText() for w in dock.bar.findChildren(QTextEdit)])
