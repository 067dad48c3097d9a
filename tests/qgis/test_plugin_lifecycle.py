"""The plugin loads into a QGIS interface, its action toggles the dock, its provider is registered, and
load -> unload -> load leaves exactly one of everything (action, toolbar, dock, provider, log handler).

pytest-qgis's QgisInterface stubs the menu/dock methods (they do nothing), so `iface` below gives those methods
the behaviour of QgisApp on pytest-qgis's real QMainWindow: a Raster menu with one submenu per plugin (removed
when empty), a Help > Plugins menu, docks and toolbars added to the window. The real desktop is covered by
tests/desktop/test_desktop_zip.py.
"""
import importlib
import logging
import sys
import time
from pathlib import Path

import pytest
from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QObject, QUrl, pyqtSlot
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

from plugin import about

PACKAGE = "sentinel_mirror"  # QGIS imports the plugin under its folder name
TOOLBAR = "SentinelMirrorToolbar"
DOCK = "SentinelMirrorDock"
DOCK_ACTION = "SentinelMirrorDockAction"
HELP_ACTION = "SentinelMirrorHelpAction"


def _purge_package():
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory):
    """A folder on sys.path holding the checkout as sentinel_mirror/, like QGIS's plugins folder."""
    folder = tmp_path_factory.mktemp("plugins")
    (folder / PACKAGE).symlink_to(about.PLUGIN_DIR, target_is_directory=True)
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))
    _purge_package()


def flush_deletes():
    """Run pending deleteLater() calls, as the QGIS event loop would."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _menu(parent, object_name, title):
    found = parent.findChild(QMenu, object_name)
    if found is None:
        found = QMenu(title, parent)
        found.setObjectName(object_name)
        parent.addMenu(found)
    return found


@pytest.fixture
def iface(qgis_iface, monkeypatch):
    window = qgis_iface.mainWindow()
    window.show()  # docks only become visible in a shown window (offscreen platform: nothing is drawn)
    bar = window.menuBar()
    raster = _menu(bar, "mRasterMenu", "&Raster")
    plugin_help = _menu(_menu(bar, "mHelpMenu", "&Help"), "mPluginHelpMenu", "Plugins")
    factories = []

    def raster_submenu(name):
        return next((a.menu() for a in raster.actions() if a.menu() and a.menu().title() == name), None)

    def add_plugin_to_raster_menu(name, action):
        (raster_submenu(name) or raster.addMenu(name)).addAction(action)

    def remove_plugin_raster_menu(name, action):
        submenu = raster_submenu(name)
        if submenu is not None:
            submenu.removeAction(action)
            if not submenu.actions():  # QgisApp drops the plugin's submenu when it is empty
                raster.removeAction(submenu.menuAction())
                submenu.deleteLater()

    def add_toolbar(name):
        return window.addToolBar(name)

    monkeypatch.setattr(qgis_iface, "addPluginToRasterMenu", add_plugin_to_raster_menu, raising=False)
    monkeypatch.setattr(qgis_iface, "removePluginRasterMenu", remove_plugin_raster_menu, raising=False)
    monkeypatch.setattr(qgis_iface, "pluginHelpMenu", lambda: plugin_help, raising=False)
    monkeypatch.setattr(qgis_iface, "addToolBar", add_toolbar)
    monkeypatch.setattr(qgis_iface, "addDockWidget", lambda area, dock: window.addDockWidget(area, dock))
    monkeypatch.setattr(qgis_iface, "removeDockWidget", window.removeDockWidget)
    monkeypatch.setattr(qgis_iface, "registerOptionsWidgetFactory", factories.append, raising=False)
    monkeypatch.setattr(qgis_iface, "unregisterOptionsWidgetFactory", factories.remove, raising=False)
    qgis_iface.test_raster_submenu = raster_submenu
    qgis_iface.test_plugin_help_menu = plugin_help
    qgis_iface.test_options_factories = factories
    yield qgis_iface
    del qgis_iface.test_raster_submenu, qgis_iface.test_plugin_help_menu, qgis_iface.test_options_factories


@pytest.fixture
def load(package_dir, iface, qgis_processing):
    """load() does what QGIS does when it starts a plugin: import, classFactory, initGui. No watch of products on
    tape registered by another test (or session) is resumed: each test registers its own."""
    from qgis.core import QgsSettings
    settings, key = QgsSettings(), "sentinel_mirror/watches"
    registered = settings.value(key)
    settings.remove(key)
    loaded = []

    def _load(fresh_import=False):
        if fresh_import:  # a plugin reload re-imports every module of the package
            _purge_package()
        plugin = importlib.import_module(PACKAGE).classFactory(iface)
        plugin.initGui()
        loaded.append(plugin)
        return plugin

    yield _load
    for plugin in loaded:
        plugin.unload()  # unload is idempotent: tests that already unloaded are not affected
    flush_deletes()
    settings.setValue(key, registered) if registered is not None else settings.remove(key)


def inventory(iface):
    """How many of each plugin-owned thing QGIS holds right now."""
    flush_deletes()
    window = iface.mainWindow()
    submenu = iface.test_raster_submenu(about.NAME)
    providers = [p for p in QgsApplication.processingRegistry().providers() if p.id() == about.PROVIDER_ID]
    bridge = importlib.import_module(f"{PACKAGE}.plugin.qgis.logging_bridge")
    return {
        "raster menu actions": len(submenu.actions()) if submenu else 0,
        "help menu actions": len([a for a in iface.test_plugin_help_menu.actions()
                                  if a.objectName() == HELP_ACTION]),
        "toolbars": len(window.findChildren(QToolBar, TOOLBAR)),
        "toolbar actions": sum(len(t.actions()) for t in window.findChildren(QToolBar, TOOLBAR)),
        "docks": len(window.findChildren(QDockWidget, DOCK)),
        "providers": len(providers),
        "log handlers": len(bridge.bridge_handlers()),
        "options pages": len(iface.test_options_factories),
    }


NOTHING = {"raster menu actions": 0, "help menu actions": 0, "toolbars": 0, "toolbar actions": 0, "docks": 0,
           "providers": 0, "log handlers": 0, "options pages": 0}
ONE_EACH = {**NOTHING, "raster menu actions": 1, "help menu actions": 1, "toolbars": 1, "toolbar actions": 1,
            "docks": 1, "providers": 1, "log handlers": 1, "options pages": 1}


def test_plugin_loads_into_the_qgis_interface(load, iface, qtbot):
    plugin = load()
    assert type(plugin).__name__ == "SentinelMirrorPlugin"
    toolbar = iface.mainWindow().findChild(QToolBar, TOOLBAR)
    assert toolbar is not None
    qtbot.waitUntil(toolbar.isVisible, timeout=2000)
    [action] = toolbar.actions()
    assert action.objectName() == DOCK_ACTION
    assert action.isCheckable() and not action.isChecked()
    assert not action.icon().isNull() and action.toolTip()
    assert iface.test_raster_submenu(about.NAME).actions() == [action]
    assert [a.objectName() for a in iface.test_plugin_help_menu.actions()].count(HELP_ACTION) == 1
    # the dock is built on first show only
    assert iface.mainWindow().findChildren(QDockWidget, DOCK) == []


def test_action_toggles_the_dock(load, iface, qtbot):
    plugin = load()
    action = iface.mainWindow().findChild(QToolBar, TOOLBAR).actions()[0]

    action.trigger()
    dock = iface.mainWindow().findChild(QDockWidget, DOCK)
    assert dock is not None and dock.windowTitle() == about.NAME
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    assert action.isChecked() and dock.isUserVisible()

    action.trigger()
    qtbot.waitUntil(lambda: not dock.isVisible(), timeout=2000)
    assert not action.isChecked()

    action.trigger()  # the same dock comes back, not a second one
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    assert iface.mainWindow().findChildren(QDockWidget, DOCK) == [dock]

    dock.close()  # the user closes it from its title bar: the toolbar button follows
    qtbot.waitUntil(lambda: not action.isChecked(), timeout=2000)
    assert not dock.isVisible()
    assert plugin.dock is dock


class _UrlCatcher(QObject):
    def __init__(self):
        super().__init__()
        self.urls = []

    @pyqtSlot(QUrl)
    def open(self, url):
        self.urls.append(url.toString())


def test_help_entry_opens_the_documentation(load, iface):
    load()
    [help_action] = [a for a in iface.test_plugin_help_menu.actions() if a.objectName() == HELP_ACTION]
    assert about.NAME in help_action.text() and not help_action.icon().isNull()
    catcher = _UrlCatcher()
    schemes = ("file", "https", QUrl(about.HOMEPAGE).scheme())
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")  # instead of starting a browser
    try:
        help_action.trigger()
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
    [opened] = [QUrl(u) for u in catcher.urls]
    # while the homepage is a placeholder (.invalid) it would be a dead link: the shipped README instead
    assert ".invalid" not in opened.toString()
    assert (opened.isLocalFile() and Path(opened.toLocalFile()).is_file()) or opened.scheme() == "https"


def test_provider_is_registered_in_processing(load):
    load()
    provider = QgsApplication.processingRegistry().providerById(about.PROVIDER_ID)
    assert provider is not None
    assert provider.name() == "Sentinel Mirror"
    assert provider.versionInfo() == about.VERSION
    assert not provider.icon().isNull()


def test_load_unload_load_leaves_exactly_one_of_everything(load, iface):
    plugin = load()
    plugin.dock_action.trigger()
    assert inventory(iface) == ONE_EACH

    plugin.unload()
    assert inventory(iface) == NOTHING
    assert QgsApplication.processingRegistry().providerById(about.PROVIDER_ID) is None

    plugin = load(fresh_import=True)  # what "Plugin Reloader" / qgis.utils.reloadPlugin does
    assert inventory(iface) == {**ONE_EACH, "docks": 0}  # the dock comes on first show
    plugin.dock_action.trigger()
    assert inventory(iface) == ONE_EACH


def test_options_page_is_registered_and_unregistered(load, iface):
    plugin = load()
    [factory] = iface.test_options_factories
    assert factory.title() == about.NAME and not factory.icon().isNull()
    page = factory.createWidget(None)   # the real page, found by the dock's gear button through its objectName
    options_page = importlib.import_module(f"{PACKAGE}.plugin.gui.options_page")
    assert page.objectName() == options_page.OBJECT_NAME
    page.deleteLater()
    plugin.unload()
    assert iface.test_options_factories == []


def test_log_records_reach_the_log_panel_with_secrets_masked(load):
    load()
    received = []

    def on_message(message, tag, level):
        received.append((message, tag, level))

    QgsApplication.messageLog().messageReceived.connect(on_message)
    try:
        log = logging.getLogger("sentinel_mirror.download")
        log.warning("GET %s with headers %s", "https://geodes.example/item",
                    {"X-API-Key": "k3y-VALUE-123", "User-Agent": about.USER_AGENT})
        log.error("token request failed: refresh_token=r3fr3sh&password=hunter2")
        log.debug("debug is below the default INFO level")
        QCoreApplication.processEvents()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(on_message)
    ours = [r for r in received if r[1] == "Sentinel Mirror"]
    assert len(ours) == 2, received
    (warning, _, warning_level), (error, _, error_level) = ours
    assert warning_level == Qgis.MessageLevel.Warning and error_level == Qgis.MessageLevel.Critical
    assert "https://geodes.example/item" in warning and about.USER_AGENT in warning
    for secret in ("k3y-VALUE-123", "r3fr3sh", "hunter2"):
        assert secret not in warning + error
    assert "'X-API-Key': '***'" in warning and "password=***" in error


def test_bridge_installs_once_even_from_two_module_copies(load, package_dir):
    load()
    fresh = importlib.import_module(f"{PACKAGE}.plugin.qgis.logging_bridge")
    _purge_package()
    other_copy = importlib.import_module(f"{PACKAGE}.plugin.qgis.logging_bridge")
    assert other_copy is not fresh
    other_copy.install()
    other_copy.install()
    assert len(other_copy.bridge_handlers()) == 1
    other_copy.remove()
    assert other_copy.bridge_handlers() == [] == fresh.bridge_handlers()


def _slow_task_class(module):
    class Slow(QgsTask):
        def __init__(self):
            super().__init__("slow test task", QgsTask.Flag.CanCancel)

        def run(self):
            deadline = time.monotonic() + 20
            while not self.isCanceled() and time.monotonic() < deadline:
                time.sleep(0.02)
            return not self.isCanceled()

    Slow.__module__ = module
    return Slow


def test_unload_cancels_the_tasks_the_plugin_started_and_only_those(load, qtbot):
    plugin = load()
    ours = _slow_task_class(f"{PACKAGE}.plugin.tasks.slow")()
    foreign = _slow_task_class("another_plugin.tasks")()
    manager = QgsApplication.taskManager()
    ended = []
    ours.taskTerminated.connect(lambda: ended.append("ours"))
    foreign.taskTerminated.connect(lambda: ended.append("foreign"))
    manager.addTask(ours)
    manager.addTask(foreign)
    qtbot.waitUntil(lambda: ours.status() == QgsTask.TaskStatus.Running
                    and foreign.status() == QgsTask.TaskStatus.Running, timeout=5000)
    plugin.unload()
    qtbot.waitUntil(lambda: ended == ["ours"], timeout=5000)  # the task manager deletes it once ended
    assert foreign.status() == QgsTask.TaskStatus.Running
    foreign.cancel()
    qtbot.waitUntil(lambda: ended == ["ours", "foreign"], timeout=5000)


def test_plugin_speaks_the_qgis_locale_and_unload_takes_the_translation_away(load, iface, qgis_processing):
    """QGIS set to French (Settings > Options > General, override the system locale): the plugin installs its
    translation when QGIS creates it, before Processing and the GUI are built, and removes it on unload."""
    from qgis.core import QgsSettings

    from tests.i18n_texts import ensure_qm

    ensure_qm()
    settings = QgsSettings()
    saved = {k: settings.value(k) for k in ("locale/overrideFlag", "locale/userLocale")}
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "fr_FR")
    try:
        plugin = load(fresh_import=True)
        assert QCoreApplication.translate("@default", "Search cancelled.") == "Recherche annulée."
        [action] = iface.mainWindow().findChild(QToolBar, TOOLBAR).actions()
        assert action.toolTip().startswith("Afficher ou masquer le panneau Sentinel Mirror")
        algorithm = QgsApplication.processingRegistry().algorithmById(f"{about.PROVIDER_ID}:search")
        assert algorithm.displayName() == "Rechercher des produits Sentinel"
        plugin.unload()
        assert QCoreApplication.translate("@default", "Search cancelled.") == "Search cancelled."
    finally:
        for key, value in saved.items():
            settings.remove(key) if value is None else settings.setValue(key, value)
