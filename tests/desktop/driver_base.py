"""What every desktop driver shares. Drivers run INSIDE the real QGIS desktop (`qgis --code <driver>.py`, under
Xvfb), started by a test or a benchmark that reads the JSON report they write.

A driver is a chain of steps on the Qt event loop (QTimer.singleShot), never a blocking loop: QGIS must go on
answering, or the run would measure nothing. Any exception in a step, and any Python error QGIS collected
(startup_hook.py), ends up in the report, then QGIS quits, so the test never waits for a hung desktop.
`--code` runs without __file__: a driver finds the checkout through SM_ROOT (set by tests/desktop/test_desktop_zip.py
_desktop_env and bench/bench_dock.py) before importing this module.
"""
import builtins
import json
import time
import traceback

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

PLUGIN = "sentinel_mirror"
PLUGIN_TIMEOUT_S = 45


def python_errors():
    """Python errors (and our DeprecationWarnings) QGIS met since it started, as collected by startup_hook.py."""
    return getattr(qgis.utils, "sentinel_mirror_test_errors", [])


class DesktopDriver:
    """Subclasses define ready(), the first step once the plugin is loaded and the window sized."""
    wait_timeout_s = 90   # what wait() allows by default
    wait_poll_ms = 200

    def __init__(self, report_path):
        self.report_path = report_path
        self.report = {"steps": []}
        self.t0 = time.monotonic()

    @property
    def window(self):
        return qgis.utils.iface.mainWindow()

    def dock(self):
        return self.window.findChild(QDockWidget, "SentinelMirrorDock")

    def toolbar(self):
        return self.window.findChild(QToolBar, "SentinelMirrorToolbar")

    def step(self, func, delay_ms=0):
        QTimer.singleShot(delay_ms, lambda: self._guard(func))

    def _guard(self, func):
        try:
            if not self.report["steps"] or self.report["steps"][-1] != func.__name__:
                self.report["steps"].append(func.__name__)
            func()
        except Exception:  # noqa: BLE001 (report, then quit: the test reads the traceback)
            self.report["error"] = traceback.format_exc()
            self.finish()

    def wait(self, predicate, then, what, timeout_s=None, poll_ms=None):
        """Run `then` once predicate() holds; fail the run after timeout_s or at the first Python error."""
        started = time.monotonic()
        timeout_s = self.wait_timeout_s if timeout_s is None else timeout_s
        poll_ms = self.wait_poll_ms if poll_ms is None else poll_ms

        def check():
            if python_errors():
                raise RuntimeError("Python errors in QGIS:\n" + "\n".join(python_errors()))
            if predicate():
                self.step(then)
            elif time.monotonic() - started > timeout_s:
                raise RuntimeError(f"timed out after {timeout_s} s waiting for {what}")
            else:
                self.step(check, poll_ms)
        self._guard(check)

    def wait_for_plugin(self):
        self.wait(lambda: PLUGIN in qgis.utils.active_plugins and self.toolbar() is not None, self._sized,
                  "the plugin to load", PLUGIN_TIMEOUT_S, 250)

    def _sized(self):
        self.report["seconds_until_loaded"] = round(time.monotonic() - self.t0, 1)
        self.window.move(0, 0)
        self.window.resize(1600, 1000)   # no window manager under Xvfb: size the window ourselves
        self.step(self.ready, 500)

    def ready(self):
        raise NotImplementedError

    def finish(self):
        if python_errors() and "error" not in self.report:
            self.report["error"] = "Python errors in QGIS:\n" + "\n".join(python_errors())
        with open(self.report_path, "w", encoding="utf-8") as f:
            json.dump(self.report, f, indent=2, default=str, ensure_ascii=False)
        QTimer.singleShot(300, QgsApplication.instance().quit)


def launch(driver):
    """Start `driver` once QGIS's event loop runs; it is kept alive for the whole session (timers call into it)."""
    builtins.sentinel_mirror_desktop_driver = driver
    driver.step(driver.wait_for_plugin, 500)
