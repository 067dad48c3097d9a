"""The plugin in French inside a real (headless) QGIS with the .qm built from i18n/sentinel_mirror_fr.ts: the
translator follows the QGIS locale; the dock, the options page, the Processing algorithms and the messages that
come from plugin/core read French; back to English once the translator is removed.
The real desktop started in French is tests/desktop/test_desktop_french.py."""
import datetime as dt
from pathlib import Path

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, Qt

from plugin.core.errors import AuthError, InvalidInputError
from plugin.core.i18n import tr as core_tr
from plugin.core.models import SearchQuery
from plugin.qgis import i18n
from plugin.qgis.messages import user_message
from tests.i18n_texts import EnglishDetector, english_left, ensure_qm, widget_texts

ROOT = Path(__file__).resolve().parents[2]
QM = ROOT / "i18n" / "sentinel_mirror_fr.qm"


@pytest.fixture(scope="module", autouse=True)
def built_translation():
    ensure_qm()


@pytest.fixture
def french():
    i18n.remove_translator()
    translator = i18n.install_translator("fr_FR")
    assert translator is not None, "the French .qm did not load"
    yield translator
    i18n.remove_translator()


@pytest.fixture
def locale_settings():
    s = QgsSettings()
    saved = {k: s.value(k) for k in ("locale/overrideFlag", "locale/userLocale")}
    yield s
    for key, value in saved.items():
        if value is None:
            s.remove(key)
        else:
            s.setValue(key, value)


def test_the_locale_is_qgis_override_else_the_system_one(locale_settings):
    locale_settings.setValue("locale/overrideFlag", True)
    locale_settings.setValue("locale/userLocale", "fr_FR")
    assert i18n.qgis_locale() == "fr_FR"
    assert i18n.qm_path(i18n.qgis_locale()) == QM
    locale_settings.setValue("locale/overrideFlag", False)
    assert i18n.qgis_locale() == QLocale.system().name()
    assert i18n.qm_path("en_US") is None and i18n.qm_path("de_DE") is None   # no file: English


def test_installed_translator_speaks_french_and_removal_restores_english(french):
    assert i18n.tr("Search cancelled.") == "Recherche annulée."
    assert i18n.tr("Results: {n} products", n=12) == "Résultats\u00a0: 12 produits"
    i18n.remove_translator()
    assert i18n.tr("Search cancelled.") == "Search cancelled."
    assert QCoreApplication.translate(i18n.CONTEXT, "Search cancelled.") == "Search cancelled."


def test_core_errors_are_translated_with_their_values(french):
    error = AuthError(core_tr("{service} refused the API key. {auth_hint}", service="GEODES",
                              auth_hint=core_tr("Use https in the CDSE token address under Advanced below.")))
    assert str(error).startswith("GEODES refused the API key.")        # core and the log stay English
    text = user_message(error)
    assert text.startswith("GEODES a refusé la clé d’API.") and "Utilisez https" in text, text
    with pytest.raises(InvalidInputError) as refused:   # a real raise site of plugin/core
        SearchQuery(provider="geodes", collection="PEPS_S2_L1C", start=dt.date(2023, 6, 2), end=dt.date(2023, 6, 1),
                    tile="31TCJ")
    assert user_message(refused.value) == "La date de fin 2023-06-01 précède la date de début 2023-06-02."


def test_an_http_error_reads_as_one_french_sentence(french):
    """A message built from fragments (what was asked, of which service) is French all through."""
    from plugin.core.providers.http import tls_failure_message
    message = tls_failure_message("https://geodes.example/x", core_tr("the {service} {what}", service="GEODES",
                                                                      what=core_tr("search")),
                                  Exception("CERTIFICATE_VERIFY_FAILED"))
    text = i18n.localize(message)
    assert text.startswith("La connexion sécurisée à geodes.example pour la recherche GEODES a échoué\u00a0: son "
                           "certificat n’a pas pu être vérifié."), text


def test_processing_algorithms_read_french(french, qgis_processing):
    from plugin.processing.alg_download import DownloadAlgorithm
    from plugin.processing.alg_ndvi import IndexAlgorithm, NdviAlgorithm
    from plugin.processing.alg_parcel_statistics import ParcelStatisticsAlgorithm
    from plugin.processing.alg_search import SearchAlgorithm
    from plugin.processing.models import MODELS_DIR, ShippedModel

    search = SearchAlgorithm()
    search.initAlgorithm()
    assert (search.displayName(), search.group()) == ("Rechercher des produits Sentinel", "Catalogue")
    assert search.parameterDefinition("START").description() == "Date de début"
    assert search.parameterDefinition("COLLECTION").options()[0] == \
        "Sentinel-2 L2A, réflectance de surface (pour le NDVI)"
    assert search.shortHelpString().startswith("Cherche dans CNES GEODES")
    download = DownloadAlgorithm()
    download.initAlgorithm()
    assert download.displayName() == "Télécharger des produits Sentinel"
    assert download.parameterDefinition("OUTPUT_FOLDER").description() == "Dossier de téléchargement"
    ndvi = NdviAlgorithm()
    assert (ndvi.displayName(), ndvi.group()) == ("NDVI de produits Sentinel-2", "Indices")
    index = IndexAlgorithm()
    index.initAlgorithm()
    assert index.displayName() == "Indice spectral (NDVI, NDWI, NBR…) de produits Sentinel-2"
    assert index.parameterDefinition("ENCODING").options()[0] == "float32 (exact)"
    assert "{formulas}" not in index.shortHelpString() and "- NDVI:" in index.shortHelpString()
    parcels = ParcelStatisticsAlgorithm()
    parcels.initAlgorithm()
    assert (parcels.displayName(), parcels.group()) == ("Statistiques des parcelles dans le temps",
                                                        "Séries temporelles")
    assert parcels.parameterDefinition("START").description() == "À partir du (inclus)"
    assert "La série est lue dans un dossier" in parcels.shortHelpString()
    model = ShippedModel(MODELS_DIR / "tile_ndvi_time_series.model3")   # (shipped_models() waits for the provider)
    assert (model.displayName(), model.group()) == ("Série temporelle NDVI d’une tuile", "Modèles")
    assert model.parameterDefinition("START").description() == "Date de début"


def test_the_dock_reads_french_with_no_english_left(french, qgis_iface, qgis_new_project, qtbot):
    from plugin.gui.dock import SentinelMirrorDock

    qgis_iface.mainWindow().show()   # widgets are only visible in a shown window (offscreen: nothing drawn)
    dock = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
    dock.show()
    try:
        ui = dock.ui
        assert (ui.searchButton.text(), ui.downloadButton.text(), ui.resultsGroup.title()) == \
            ("Rechercher", "Télécharger", "Résultats")
        assert dock.model.headerData(1, Qt.Orientation.Horizontal) == "Tuile"
        assert ui.summaryLabel.text().startswith("Pas encore de résultats")
        texts = widget_texts(dock)
        assert len(texts) > 40     # the check looked at the whole dock
        assert english_left(dock) == []
    finally:
        dock.cleanup()
        dock.hide()
        dock.setParent(None)


def test_the_english_check_can_fail(qgis_iface, qgis_new_project):
    """Without the translator the same dock is English, and the check says so."""
    from plugin.gui.dock import SentinelMirrorDock

    i18n.remove_translator()
    qgis_iface.mainWindow().show()
    dock = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
    dock.show()
    try:
        found = {source for _, _, source in english_left(dock)}
        assert {"Search", "Download", "Results", "No results yet: choose where and what, then Search."} <= found
    finally:
        dock.cleanup()
        dock.hide()
        dock.setParent(None)
    assert EnglishDetector().english("Results: 7 products") == "Results: {n} products"


def test_the_options_page_reads_french(french):
    from plugin.gui.options_page import OptionsPage

    page = OptionsPage()
    page.show()
    try:
        assert page.form.geodesTest.text() == "Tester la connexion"
        assert english_left(page) == []
    finally:
        page.hide()
        page.deleteLater()
