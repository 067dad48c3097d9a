"""Settings > Options > Sentinel Mirror: accounts (authcfg ids only), download folder, parallelism, polling,
staging timeout, and (advanced) service URLs. Reads and writes through plugin/qgis/settings.py."""
import os
from dataclasses import replace

from qgis.gui import QgsFileWidget, QgsOptionsPageWidget
from qgis.PyQt import uic

from .. import about
from ..core.config import ENV_URLS
from ..core.providers.base import Endpoints
from ..qgis.settings import read_settings, save_settings
from .options_factory import OBJECT_NAME

FORM_CLASS, _ = uic.loadUiType(str(about.UI_DIR / "options.ui"))
_URL_WIDGETS = {"geodes": "geodesUrl", "cdse": "cdseUrl", "cdse_auth": "cdseAuthUrl",
                "cdse_download": "cdseDownloadUrl"}


class OptionsPage(QgsOptionsPageWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.form = FORM_CLASS()
        self.form.setupUi(self)  # QgsOptionsPageWidget is a QWidget: the form lays itself out on it
        self.setObjectName(OBJECT_NAME)  # after setupUi, which renames the widget after the .ui form
        self.form.downloadDir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.form.resetUrls.clicked.connect(lambda: self._show_urls(Endpoints()))
        overridden = [var for var in ENV_URLS.values() if os.environ.get(var)]
        self.form.envHint.setText(
            f"Overridden in this session by the environment: {', '.join(overridden)}." if overridden else
            "Environment variables SENTINEL_MIRROR_GEODES_URL, _CDSE_URL, _CDSE_AUTH_URL, _CDSE_DOWNLOAD_URL "
            "override these for headless runs.")
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
                       poll_interval_max_s=max(f.pollIntervalMax.value(), f.pollInterval.value()),
                       staging_timeout_s=f.stagingTimeout.value() * 3600.0)

    def apply(self):
        save_settings(self.config())
