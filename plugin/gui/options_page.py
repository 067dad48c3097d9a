"""Settings > Options > Sentinel Mirror: accounts (authcfg ids only) with a "Test connection" per catalogue, download
folder, parallelism, the watch of ordered tape products, and (advanced) service URLs. Reads and writes through
plugin/qgis/settings.py.

"Test connection" runs a ConnectionCheckTask with what the page shows (not yet applied): its authcfg resolved here,
on the main thread, its addresses plus the environment overrides a download would also get. Closing the dialog
cancels a test still running; its verdict is then dropped.
"""
import os
from dataclasses import replace

from qgis.core import QgsApplication
from qgis.gui import QgsFileWidget, QgsOptionsPageWidget
from qgis.PyQt import uic

from .. import about
from ..core.config import ENV_URLS, with_env_overrides
from ..core.errors import SentinelMirrorError
from ..core.providers.base import Endpoints
from ..qgis.i18n import localize, tr
from ..qgis.settings import read_settings, save_settings
from ..tasks.base import cancel_task
from .options_factory import OBJECT_NAME

FORM_CLASS, _ = uic.loadUiType(str(about.UI_DIR / "options.ui"))
_URL_WIDGETS = {"geodes": "geodesUrl", "cdse": "cdseUrl", "cdse_auth": "cdseAuthUrl",
                "cdse_download": "cdseDownloadUrl"}
# Tests still running after their page closed: QGIS needs their Python wrappers until they end.
_ENDING_TESTS = set()


def _drop_tests(tests):
    """The page is going away: cancel its tests and cut them off from it (their verdicts have nowhere to go)."""
    for task in list(tests.values()):
        for signal in (task.resultsReady, task.failed, task.cancelledByUser):
            try:
                signal.disconnect()
            except (TypeError, RuntimeError):   # nothing connected any more, or the task is already gone
                pass
        _ENDING_TESTS.add(task)
        task.taskCompleted.connect(lambda t=task: _ENDING_TESTS.discard(t))
        task.taskTerminated.connect(lambda t=task: _ENDING_TESTS.discard(t))
        if not cancel_task(task):
            _ENDING_TESTS.discard(task)
    tests.clear()


class OptionsPage(QgsOptionsPageWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.form = FORM_CLASS()
        self.form.setupUi(self)  # QgsOptionsPageWidget is a QWidget: the form lays itself out on it
        self.setObjectName(OBJECT_NAME)  # after setupUi, which renames the widget after the .ui form
        self.form.downloadDir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.form.resetUrls.clicked.connect(lambda: self._show_urls(Endpoints()))
        self.tests = {}   # provider name -> running ConnectionCheckTask
        self.form.geodesTest.clicked.connect(lambda: self.test_connection("geodes"))
        self.form.cdseTest.clicked.connect(lambda: self.test_connection("cdse"))
        tests = self.tests   # not self: the slot runs while the page is being destroyed
        self.destroyed.connect(lambda: _drop_tests(tests))
        overridden = [var for var in ENV_URLS.values() if os.environ.get(var)]
        self.form.envHint.setText(
            tr("Overridden in this session by the environment: {names}.", names=", ".join(overridden)) if overridden
            else tr("Environment variables SENTINEL_MIRROR_GEODES_URL, _CDSE_URL, _CDSE_AUTH_URL, _CDSE_DOWNLOAD_URL "
                    "override these for headless runs."))
        self.load(read_settings())

    def helpKey(self):  # noqa: N802 (QGIS API name)
        return about.HOMEPAGE

    def _show_urls(self, endpoints):
        for field, widget in _URL_WIDGETS.items():
            getattr(self.form, widget).setText(getattr(endpoints, field))

    def load(self, config):
        f = self.form
        f.geodesAuth.setConfigId(config.geodes_authcfg)
        f.cdseAuth.setConfigId(config.cdse_authcfg)
        f.downloadDir.setFilePath(config.download_dir)
        f.parallelDownloads.setValue(config.parallel_downloads)
        f.geodesMaxConnections.setValue(config.geodes_max_connections)
        f.cdseKeepAllBaselines.setChecked(config.cdse_keep_all_baselines)
        f.pollInterval.setValue(config.poll_interval_s)
        f.pollIntervalMax.setValue(config.poll_interval_max_s)
        f.stagingTimeout.setValue(config.staging_timeout_s / 3600.0)
        self._show_urls(config.endpoints)

    def config(self):
        """The configuration the form shows (URLs left empty fall back to the official services)."""
        f = self.form
        defaults = Endpoints()
        urls = {field: getattr(f, widget).text().strip().rstrip("/") or getattr(defaults, field)
                for field, widget in _URL_WIDGETS.items()}
        return replace(read_settings(), endpoints=Endpoints(**urls), geodes_authcfg=f.geodesAuth.configId(),
                       cdse_authcfg=f.cdseAuth.configId(), download_dir=f.downloadDir.filePath(),
                       parallel_downloads=f.parallelDownloads.value(), poll_interval_s=f.pollInterval.value(),
                       geodes_max_connections=f.geodesMaxConnections.value(),
                       cdse_keep_all_baselines=f.cdseKeepAllBaselines.isChecked(),
                       poll_interval_max_s=max(f.pollIntervalMax.value(), f.pollInterval.value()),
                       staging_timeout_s=f.stagingTimeout.value() * 3600.0)

    def apply(self):
        save_settings(self.config())

    # --- Test connection -------------------------------------------------------------------------------------
    def _test_widgets(self, provider_name):
        return getattr(self.form, f"{provider_name}Test"), getattr(self.form, f"{provider_name}Verdict")

    def test_connection(self, provider_name):
        """Start the check of one catalogue with the page's current choices; the verdict replaces the label."""
        from ..qgis.auth import credentials_for
        from ..qgis.http import build_session
        from ..tasks.connection_task import ConnectionCheckTask

        button, label = self._test_widgets(provider_name)
        service = provider_name.upper()
        config = with_env_overrides(self.config())
        try:
            credentials = credentials_for(provider_name, getattr(config, f"{provider_name}_authcfg"))
        except SentinelMirrorError as e:
            label.setText(f"{service}: {localize(str(e))}")
            return
        task = ConnectionCheckTask(provider_name, config.endpoints, credentials, build_session())
        task.resultsReady.connect(lambda verdicts: self._tested(provider_name, localize(verdicts[0].text)))
        task.failed.connect(lambda message: self._tested(provider_name, f"{service}: {message}"))
        task.cancelledByUser.connect(lambda: self._tested(provider_name,
                                                          tr("{service}: test cancelled.", service=service)))
        self.tests[provider_name] = task
        button.setEnabled(False)
        label.setText(tr("{service}: testing…", service=service))
        QgsApplication.taskManager().addTask(task)

    def _tested(self, provider_name, text):
        self.tests.pop(provider_name, None)
        button, label = self._test_widgets(provider_name)
        button.setEnabled(True)
        label.setText(text)
