"""Runs INSIDE the real QGIS desktop (qgis --code bench/dock_driver.py), started by bench/bench_dock.py.

The seed's job, as a user does it in the dock: an extent search over two years (two tiles, ~290 products), a
download of every row at a slow rate, then again (into a fresh folder) at a fast rate with NDVI and the layers
loaded. A 10 ms main-thread heartbeat measures the longest gap of each phase (how long QGIS did not answer).
The per-connection bandwidth is the simulator's: the driver asks bench_dock.py for it through files in
SM_BENCH_CTL. Writes a JSON report (SM_BENCH_REPORT) and quits; any error ends up in the report.
"""
import os
import sys
import time

import qgis.utils
from qgis.core import QgsCoordinateReferenceSystem, QgsLayerTree, QgsProject, QgsRectangle, QgsSettings
from qgis.PyQt.QtCore import QDate, Qt, QTimer

sys.path.insert(0, os.environ["SM_ROOT"])   # the checkout (--code runs without __file__)
from tests.desktop.driver_base import PLUGIN, DesktopDriver, launch  # noqa: E402

REPORT = os.environ["SM_BENCH_REPORT"]
CTL = os.environ["SM_BENCH_CTL"]
DOWNLOADS = os.environ["SM_BENCH_DOWNLOADS"]
START, END = os.environ["SM_BENCH_START"], os.environ["SM_BENCH_END"]
BBOX = [float(v) for v in os.environ["SM_BENCH_BBOX"].split(",")]     # lon/lat west, south, east, north
SLOW, FAST = float(os.environ["SM_BENCH_SLOW_BPS"]), float(os.environ["SM_BENCH_FAST_BPS"])
SETTLE_MS = 1500     # after each phase's last signal: what QGIS still does once the dock says "finished"


class Heartbeat:
    """A 10 ms main-thread timer; the longest gap between two ticks is the longest stall of the phase."""

    def __init__(self):
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.phase, self.last, self.phases, self.started = None, None, {}, {}

    def tick(self):
        now = time.perf_counter()
        if self.phase is not None and self.last is not None:
            gap = now - self.last
            p = self.phases[self.phase]
            p["max_ms"] = max(p["max_ms"], gap * 1000)
            p["ticks"] += 1
            if gap > 0.1:
                p["over_100ms"] += 1
            if gap > 0.05:   # when, in the phase, QGIS did not answer (diagnosis)
                p["gaps"].append((round(self.last - self.started[self.phase], 2), round(gap * 1000)))
        self.last = now

    def begin(self, phase):
        self.tick()
        self.started[phase] = time.perf_counter()
        self.phases[phase] = {"max_ms": 0.0, "ticks": 0, "over_100ms": 0, "gaps": []}
        self.phase = phase
        if not self.timer.isActive():
            self.timer.start()

    def end(self):
        self.tick()
        p = self.phases[self.phase]
        p["seconds"] = round(time.perf_counter() - self.started[self.phase], 2)
        p["gaps"] = sorted(p["gaps"], key=lambda g: -g[1])[:40]
        p["max_ms"] = round(p["max_ms"], 1)
        self.phase = None


class Driver(DesktopDriver):
    wait_timeout_s, wait_poll_ms = 600, 100

    def __init__(self):
        super().__init__(REPORT)
        self.beat = Heartbeat()

    def set_bandwidth(self, bps, then):
        """Ask bench_dock.py (which runs the simulator) for a per-connection rate; go on once it is set."""
        ack = os.path.join(CTL, f"ack-{bps:.0f}")
        with open(os.path.join(CTL, f"want-{bps:.0f}"), "w", encoding="utf-8") as f:
            f.write(str(bps))
        self.wait(lambda: os.path.exists(ack), then, "the simulator's bandwidth", timeout_s=30)

    # ---- steps ----------------------------------------------------------------------------------------------
    def ready(self):
        s = QgsSettings()
        s.setValue("sentinel_mirror/poll_interval_s", 0.5)
        s.setValue("sentinel_mirror/poll_interval_max_s", 2.0)
        crs = QgsCoordinateReferenceSystem("EPSG:4326")
        QgsProject.instance().setCrs(crs)
        canvas = qgis.utils.iface.mapCanvas()
        canvas.setDestinationCrs(crs)
        canvas.setExtent(QgsRectangle(BBOX[0] - 1, BBOX[1] - 1, BBOX[2] + 1, BBOX[3] + 1))
        canvas.refresh()
        [action] = self.toolbar().actions()
        action.trigger()
        self.window.resizeDocks([self.dock()], [560], Qt.Orientation.Horizontal)
        self.step(self.search, 1500)

    def trace(self, obj, names, unbound=False):
        """Time these methods of the dock on the main thread, relative to the phase start (diagnosis)."""
        calls = self.report.setdefault("trace", [])
        for name in names:
            method = getattr(obj, name)

            def timed(*args, _m=method, _n=name, **kwargs):
                t = time.perf_counter()
                try:
                    return _m(*args, **kwargs)
                finally:
                    t0 = self.beat.started.get(self.beat.phase, t)
                    calls.append((self.beat.phase, _n, round(t - t0, 2), round((time.perf_counter() - t) * 1000)))
            if unbound:    # a class's method: the wrapper gets self first
                def timed_method(self_, *args, _t=timed, **kwargs):
                    return _t(self_, *args, **kwargs)
                setattr(obj, name, timed_method)
            else:
                setattr(obj, name, timed)

    def search(self):
        dock = self.dock()
        if os.environ.get("SM_BENCH_TRACE"):
            self.trace(dock, ["search", "_search_results", "_current_changed", "_quicklook_ready", "_checked_changed",
                              "_show_footprints", "_run_progress", "_run_finished", "_run_done"])
            self.trace(dock.footprints, ["set_products", "set_ticked", "highlight"])
            self.trace(dock.model, ["set_products", "apply_statuses"])
            import importlib
            for module, cls, names in (("layer_loader", "LayerLoader", ["_slice"]),
                                       ("download_run", "DownloadRun", ["_downloaded", "_step_done", "_next"])):
                try:
                    klass = getattr(importlib.import_module(f"{PLUGIN}.plugin.gui.{module}"), cls)
                except (ImportError, AttributeError):
                    continue
                self.trace(klass, names, unbound=True)
        ui = dock.ui
        ui.extentRadio.setChecked(True)
        ui.extentBox.setOutputExtentFromUser(QgsRectangle(*BBOX), QgsCoordinateReferenceSystem("EPSG:4326"))
        ui.startDate.setDate(QDate.fromString(START, Qt.DateFormat.ISODate))
        ui.endDate.setDate(QDate.fromString(END, Qt.DateFormat.ISODate))
        ui.cloudSpin.setValue(100)
        self.searched = None
        dock.searchFinished.connect(lambda ok: setattr(self, "searched", ok))
        if getattr(dock, "warm_up", None) is not None:
            dock.warm_up.join(10)
        self.beat.begin("search")
        ui.searchButton.click()
        self.wait(lambda: self.searched is not None, self.after_search, "the search", timeout_s=300, poll_ms=50)

    def after_search(self):
        if not self.searched:
            raise RuntimeError("the search failed")
        self.report["products"] = self.dock().model.rowCount()
        self.step(self.end_search, SETTLE_MS)

    def end_search(self):
        self.beat.end()
        self.set_bandwidth(SLOW, lambda: self.download("download-slow", "slow", layers=False))

    def download(self, phase, folder, layers):
        dock = self.dock()
        QgsSettings().setValue("sentinel_mirror/download_dir", os.path.join(DOWNLOADS, folder))
        dock.ui.ndviCheck.setChecked(layers)
        dock.ui.loadCheck.setChecked(layers)
        self.finished, self.layers, self.loading = None, None, False
        dock.runFinished.connect(self._run_finished)
        dock.layersAdded.connect(self._layers_added)
        self.beat.begin(phase)
        dock.ui.downloadButton.click()
        if dock.run is None:
            raise RuntimeError("the download did not start")
        if layers:   # the pipeline is over when the run moves on to its NDVI step: from then on it is "load"
            dock.run.progressChanged.connect(self._run_progress)
        self.wait(lambda: self.finished is not None and (not layers or self.layers is not None
                                                         or self.finished != "done"),
                  lambda: self.after_download(phase, layers), phase, timeout_s=900)

    def _run_finished(self, outcome):
        self.finished = outcome

    def _layers_added(self, layers):
        self.layers = len(layers)

    def _run_progress(self, _pct, label):
        if not self.loading and not label.startswith("%"):
            self.loading = True
            self.beat.end()
            self.beat.begin("load")

    def after_download(self, phase, layers):
        dock = self.dock()
        dock.runFinished.disconnect(self._run_finished)
        dock.layersAdded.disconnect(self._layers_added)
        done = sum(1 for r in range(dock.model.rowCount())
                   if dock.model.status(dock.model.product(r).id) is not None
                   and dock.model.status(dock.model.product(r).id).state.value == "done")
        self.report[phase] = {"outcome": self.finished, "rows_done": done}
        if self.finished != "done":
            raise RuntimeError(f"{phase}: the run ended {self.finished}")
        self.step(lambda: self.end_download(phase, layers), SETTLE_MS)

    def end_download(self, phase, layers):
        self.beat.end()
        if not layers:
            self.set_bandwidth(FAST, lambda: self.download("download-fast", "fast", layers=True))
            return
        root = QgsProject.instance().layerTreeRoot()
        groups = [g for g in root.children() if QgsLayerTree.isGroup(g) and g.name().startswith("Sentinel-2 T")]
        layers = [n.layer() for g in groups for n in g.findLayers()]
        dates = {c.name() for g in groups for c in g.children() if QgsLayerTree.isGroup(c)}
        self.report["load"] = {"layers_added": self.layers, "ndvi_layers": sum("NDVI" in lyr.name() for lyr in layers),
                               "colour_layers": sum("Natural colour" in lyr.name() for lyr in layers),
                               "dates": len(dates), "temporal": sum(lyr.temporalProperties().isActive()
                                                                    for lyr in layers)}
        self.finish()

    def finish(self):
        if self.beat.phase is not None:
            self.beat.end()
        self.report["phases"] = self.beat.phases
        super().finish()


launch(Driver())
