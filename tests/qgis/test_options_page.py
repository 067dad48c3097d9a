"""Settings > Options > Sentinel Mirror: shows the stored settings, writes back what the user edits (ids only)."""
from dataclasses import replace

from plugin.core.config import PluginConfig
from plugin.core.providers.base import Endpoints
from plugin.qgis import settings

from .sm_support import clean_settings  # noqa: F401


def test_page_round_trip(clean_settings):  # noqa: F811
    from plugin.gui.options_factory import OptionsFactory
    from plugin.gui.options_page import OptionsPage

    stored = replace(PluginConfig(), download_dir="/data/s2", parallel_downloads=2, poll_interval_s=30.0,
                     staging_timeout_s=7200.0, geodes_authcfg="geo1234", cdse_authcfg="cds5678",
                     endpoints=Endpoints(geodes="https://mirror.example.org"))
    settings.save_settings(stored)
    page = OptionsPage()
    f = page.form
    assert (f.downloadDir.filePath(), f.parallelDownloads.value(), f.geodesUrl.text()) == \
        ("/data/s2", 2, "https://mirror.example.org")
    assert f.stagingTimeout.value() == 2.0  # shown in hours
    f.parallelDownloads.setValue(6)
    f.stagingTimeout.setValue(0.5)
    f.cdseUrl.setText("")                    # emptied: back to the official service
    f.resetUrls.click()
    page.apply()
    saved = settings.read_settings()
    # ids of configurations missing from the auth DB are not kept: the selector shows "No authentication"
    assert saved == replace(stored, parallel_downloads=6, staging_timeout_s=1800.0, endpoints=Endpoints(),
                            geodes_authcfg="", cdse_authcfg="")
    assert OptionsFactory().title() == "Sentinel Mirror"
