"""The QGIS plugin class: the only module that receives `iface`.

initProcessing() registers the Processing provider; initGui() adds the toolbar, the checkable dock action, the
Raster menu and Help entries, the options page and the log bridge; unload() undoes exactly that, so
load -> unload -> load leaves one of everything. The dock is built on first show (nothing heavy at load).
Watches of products on tape (gui/watches.py) resume in background tasks once QGIS has started, with a notice in
the message bar; unload() ends them without forgetting them.
"""
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QAction

from . import about
from .processing.provider import SentinelMirrorProvider
from .qgis import i18n, logging_bridge
from .qgis.i18n import tr

TOOLBAR_OBJECT_NAME = "SentinelMirrorToolbar"
DOCK_ACTION_OBJECT_NAME = "SentinelMirrorDockAction"
HELP_ACTION_OBJECT_NAME = "SentinelMirrorHelpAction"
MENU_NAME = about.NAME  # the Raster > "Sentinel Mirror" submenu
# Tasks whose class lives in this package are ours: unload() cancels those still running.
_TASK_MODULE_PREFIX = __name__.rpartition(".")[0] + "."


# Tasks cancelled by unload() that are still running: QGIS needs their Python wrappers until they end, and the
# dock that held them is gone (a dropped wrapper makes the worker call a deleted run()).
_ENDING_TASKS = set()


def _keep_until_ended(task):
    _ENDING_TASKS.add(task)
    task.taskCompleted.connect(lambda: _ENDING_TASKS.discard(task))
    task.taskTerminated.connect(lambda: _ENDING_TASKS.discard(task))


def plugin_tasks():
    """Active tasks of the QGIS task manager that this plugin started (tasks defined in plugin/tasks)."""
    return [t for t in QgsApplication.taskManager().activeTasks()
            if type(t).__module__.startswith(_TASK_MODULE_PREFIX)]


class SentinelMirrorPlugin:

    def __init__(self, iface):
        self.iface = iface
        # before anything shows text: Processing (qgis_process too) and the GUI are built in QGIS's language
        i18n.install_translator()
        self.provider = None
        self.toolbar = None
        self.dock = None
        self.dock_action = None
        self.help_action = None
        self.options_factory = None
        self.watches = None

    # ---- Processing ---------------------------------------------------------------------------------------
    def initProcessing(self):  # noqa: N802 (QGIS API name)
        i18n.install_translator()   # again after an unload (no-op when installed)
        logging_bridge.install_headless()   # qgis_process: no initGui; a no-op once the log panel bridge is in
        if self.provider is None:
            self.provider = SentinelMirrorProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    # ---- GUI ----------------------------------------------------------------------------------------------
    def initGui(self):  # noqa: N802
        logging_bridge.install()
        self.initProcessing()
        icon = QIcon(about.ICON_PATH)

        self.toolbar = self.iface.addToolBar(about.NAME)
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.toolbar.setToolTip(about.NAME)

        self.dock_action = QAction(icon, about.NAME, self.iface.mainWindow())
        self.dock_action.setObjectName(DOCK_ACTION_OBJECT_NAME)
        self.dock_action.setToolTip(tr("Show or hide the Sentinel Mirror panel (search, download, indices)"))
        self.dock_action.setCheckable(True)
        self.dock_action.triggered.connect(self.set_dock_visible)
        self.toolbar.addAction(self.dock_action)
        self.iface.addPluginToRasterMenu(MENU_NAME, self.dock_action)

        self.help_action = QAction(icon, tr("{name} Help", name=about.NAME), self.iface.mainWindow())
        self.help_action.setObjectName(HELP_ACTION_OBJECT_NAME)
        self.help_action.setToolTip(tr("Open the {name} documentation", name=about.NAME))
        self.help_action.triggered.connect(self.open_help)
        self.iface.pluginHelpMenu().addAction(self.help_action)

        from .gui.options_factory import OptionsFactory   # the page itself loads when Options opens

        self.options_factory = OptionsFactory()
        self.iface.registerOptionsWidgetFactory(self.options_factory)

        from .gui.watches import WatchManager

        self.watches = WatchManager()   # no Qt parent: the tasks' connections keep it alive until they end
        self.watches.fetched.connect(self._watch_fetched)
        self.watches.failed.connect(lambda folder, message: self.iface.messageBar().pushMessage(
            about.NAME, tr("Watching the products on tape in {folder} stopped: {message}", folder=folder,
                           message=message), Qgis.MessageLevel.Warning, 0))
        self.watches.authStopped.connect(lambda folder, message: self.iface.messageBar().pushMessage(
            about.NAME, tr("Products on tape in {folder}: {message}", folder=folder, message=message),
            Qgis.MessageLevel.Warning, 0))
        self.watches.stepFailed.connect(lambda folder, message: self.iface.messageBar().pushMessage(
            about.NAME, tr("A product the watch brought to {folder} is downloaded, but: {message}", folder=folder,
                           message=message), Qgis.MessageLevel.Warning, 0))
        QTimer.singleShot(0, self.resume_watches)   # once QGIS is up: the load itself stays light

    def resume_watches(self):
        """The watches an earlier session left (products on tape the user may have ordered meanwhile)."""
        if self.watches is None:
            return []
        try:
            started = self.watches.resume_all()
        except Exception:  # noqa: BLE001 - a damaged journal or settings entry must not break QGIS' start
            import logging
            logging.getLogger("sentinel_mirror").exception("resuming the watches failed")
            return []
        if started:
            n = sum(count for _, _, count in started)
            self.iface.messageBar().pushMessage(
                about.NAME, tr("Watching {products} on tape again (in {folders}): each one is downloaded as soon as "
                               "it is online. See or stop the watch with the dock's Watches button.",
                               products=tr("1 product") if n == 1 else tr("{n} products", n=n),
                               folders=tr("1 folder") if len(started) == 1 else tr("{n} folders", n=len(started))),
                Qgis.MessageLevel.Info, 10)
        return started

    def _watch_fetched(self, folder, done, left):
        if done:
            self.iface.messageBar().pushMessage(
                about.NAME, (tr("1 product came back from tape and was downloaded to {folder}", folder=folder)
                             if done == 1 else
                             tr("{n} products came back from tape and were downloaded to {folder}", n=done,
                                folder=folder))
                + (tr("; {left} still on tape (run the download again to keep watching).", left=left) if left else "."),
                Qgis.MessageLevel.Success, 10)

    def set_dock_visible(self, visible):
        """Show (building it on first use) or hide the dock; the action's check state follows."""
        if visible and self.dock is None:
            self.dock = self._create_dock()
            self.dock.watches = self.watches
        if self.dock is not None:
            self.dock.setUserVisible(visible)
        self.dock_action.setChecked(visible)

    def _create_dock(self):
        from .gui.dock import SentinelMirrorDock  # the dock's widgets load only when the user opens it

        dock = SentinelMirrorDock(self.iface, self.iface.mainWindow())
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        # QGIS restored its window state before this dock existed: put it back where the user left it
        self.iface.mainWindow().restoreDockWidget(dock)
        # closed/opened by its title bar, View > Panels or a tab switch: keep the toolbar button in step
        dock.closedStateChanged.connect(self._dock_closed_changed)
        return dock

    def _dock_closed_changed(self, closed):
        if self.dock_action is not None:   # the dock can still report while unload() takes it down
            self.dock_action.setChecked(not closed)

    def open_help(self):
        from .gui.help import help_url   # the homepage while it is a placeholder would be a dead link

        QDesktopServices.openUrl(help_url())

    # ---- unload -------------------------------------------------------------------------------------------
    def unload(self):
        if self.watches is not None:
            self.watches.shutdown()   # ended, not forgotten: the next start resumes them
            self.watches = None
        for task in plugin_tasks():
            _keep_until_ended(task)
            task.cancel()
        if self.options_factory is not None:
            self.iface.unregisterOptionsWidgetFactory(self.options_factory)
            self.options_factory = None
        if self.dock is not None:
            self.dock.setUserVisible(False)
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.help_action is not None:
            self.iface.pluginHelpMenu().removeAction(self.help_action)
            self.help_action.deleteLater()
            self.help_action = None
        if self.dock_action is not None:
            self.iface.removePluginRasterMenu(MENU_NAME, self.dock_action)
            self.dock_action.deleteLater()
            self.dock_action = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        logging_bridge.remove()
        i18n.remove_translator()
