"""Runs INSIDE the real QGIS desktop (qgis --code grab_plugin.py), started by test_desktop_zip.py.

Waits for Sentinel Mirror to load, opens its dock through its toolbar action, checks the provider and the log
tab, saves a screenshot of the main window, reloads the plugin (qgis.utils.reloadPlugin, as Plugin Reloader
does) and counts what the plugin owns, then writes a JSON report and quits. Paths come from SM_GRAB_REPORT and
SM_GRAB_PNG. Any error ends up in the report, so the test never waits for a hung QGIS.
"""
import json
import logging
import os
import traceback

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

PLUGIN = "sentinel_mirror"
REPORT = os.environ["SM_GRAB_REPORT"]
PNG = os.environ["SM_GRAB_PNG"]


class Grabber:
    def __init__(self):
        self.report = {"steps": []}
        self.log_messages = []
        self.waited = 0

    # ---- helpers --------------------------------------------------------------------------------------------
    @property
    def window(self):
        return qgis.utils.iface.mainWindow()

    def toolbar(self):
        return self.window.findChild(QToolBar, "SentinelMirrorToolbar")

    def dock(self):
        return self.window.findChild(QDockWidget, "SentinelMirrorDock")

    def inventory(self):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        iface = qgis.utils.iface
        submenus = [a.menu() for a in iface.rasterMenu().actions() if a.menu() and a.menu().title() == "Sentinel Mirror"]
        return {
            "raster submenus": len(submenus),
            "raster menu actions": sum(len(m.actions()) for m in submenus),
            "help menu actions": len([a for a in iface.pluginHelpMenu().actions()
                                      if a.objectName() == "SentinelMirrorHelpAction"]),
            "toolbars": len(self.window.findChildren(QToolBar, "SentinelMirrorToolbar")),
            "docks": len(self.window.findChildren(QDockWidget, "SentinelMirrorDock")),
            "visible docks": len([d for d in self.window.findChildren(QDockWidget, "SentinelMirrorDock")
                                  if d.isVisible()]),
            "providers": len([p for p in QgsApplication.processingRegistry().providers()
                              if p.id() == "sentinelmirror"]),
            "log handlers": len([h for h in logging.getLogger("sentinel_mirror").handlers
                                 if getattr(h, "_sentinel_mirror_bridge", False)]),
        }

    def step(self, func, delay_ms=0):
        def run():
            try:
                self.report["steps"].append(func.__name__)
                func()
            except Exception:  # report, then quit: the test reads the traceback
                self.report["error"] = traceback.format_exc()
                self.finish()
        QTimer.singleShot(delay_ms, run)

    # ---- steps ----------------------------------------------------------------------------------------------
    def wait_for_plugin(self):
        if PLUGIN in qgis.utils.active_plugins and self.toolbar() is not None:
            self.report["seconds_until_loaded"] = self.waited / 1000
            self.window.move(0, 0)
            self.window.resize(1600, 1000)  # no window manager under Xvfb: size the window ourselves
            self.step(self.open_dock, 1000)
        elif getattr(qgis.utils, "sentinel_mirror_test_errors", None):
            raise RuntimeError("Python errors while QGIS started:\n" + "\n".join(qgis.utils.sentinel_mirror_test_errors))
        elif self.waited > 45000:
            raise RuntimeError(f"plugin not loaded after 45 s; active plugins: {qgis.utils.active_plugins}")
        else:
            self.waited += 250
            self.step(self.wait_for_plugin, 250)

    def open_dock(self):
        QgsApplication.messageLog().messageReceived.connect(
            lambda message, tag, level: self.log_messages.append({"message": message, "tag": tag}))
        logging.getLogger("sentinel_mirror").info("desktop test: Authorization: Bearer s3cr3t")
        [action] = self.toolbar().actions()
        action.trigger()
        self.report["action_checked"] = action.isChecked()
        self.step(self.screenshot, 1500)

    def screenshot(self):
        dock = self.dock()
        provider = QgsApplication.processingRegistry().providerById("sentinelmirror")
        self.report.update(
            dock_visible=bool(dock and dock.isVisible()),
            dock_title=dock.windowTitle() if dock else None,
            dock_in_panels_menu=bool(dock and dock.toggleViewAction().isChecked()),
            provider=provider.name() if provider else None,
            provider_version=provider.versionInfo() if provider else None,
            log_messages=self.log_messages,
            loaded=self.inventory(),
        )
        self.report["png_saved"] = self.window.grab().save(PNG)
        self.step(self.reload)

    def reload(self):
        qgis.utils.reloadPlugin(PLUGIN)
        self.report["after_reload"] = self.inventory()
        [action] = self.toolbar().actions()
        action.trigger()
        self.step(self.after_reopen, 1000)

    def after_reopen(self):
        self.report["after_reload_and_open"] = self.inventory()
        self.finish()

    def finish(self):
        errors = getattr(qgis.utils, "sentinel_mirror_test_errors", [])   # e.g. a deprecation while reloading
        if errors and "error" not in self.report:
            self.report["error"] = "Python errors in QGIS:\n" + "\n".join(errors)
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump(self.report, f, indent=2)
        QTimer.singleShot(200, QgsApplication.instance().quit)


# keep a reference for the lifetime of the application: the timers call back into it
qgis.utils.sentinel_mirror_grabber = Grabber()
qgis.utils.sentinel_mirror_grabber.step(qgis.utils.sentinel_mirror_grabber.wait_for_plugin, 500)
