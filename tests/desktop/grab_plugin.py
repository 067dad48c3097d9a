"""Runs INSIDE the real QGIS desktop (qgis --code grab_plugin.py), started by test_desktop_zip.py.

Waits for Sentinel Mirror to load, opens its dock through its toolbar action, checks the provider and the log
tab, saves a screenshot of the main window, reloads the plugin (qgis.utils.reloadPlugin, as Plugin Reloader
does) and counts what the plugin owns, then writes a JSON report and quits. Paths come from SM_GRAB_REPORT and
SM_GRAB_PNG. Any error ends up in the report, so the test never waits for a hung QGIS.
"""
import logging
import os
import sys

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

sys.path.insert(0, os.environ["SM_ROOT"])   # the checkout (--code runs without __file__)
from tests.desktop.driver_base import PLUGIN, DesktopDriver, launch  # noqa: E402

REPORT = os.environ["SM_GRAB_REPORT"]
PNG = os.environ["SM_GRAB_PNG"]


class Grabber(DesktopDriver):
    def __init__(self):
        super().__init__(REPORT)
        self.log_messages = []

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

    # ---- steps ----------------------------------------------------------------------------------------------
    def ready(self):   # open the dock
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


launch(Grabber())
