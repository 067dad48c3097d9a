"""The plugin in QGIS's language: the Qt translator (i18n/sentinel_mirror_<lang>.qm) and the functions that
translate our text with it.

- tr("Search cancelled.") / tr("{n} products", n=3): translate now (widgets, Processing, layer names...).
- localize(text): a Message from plugin/core (plugin/core/i18n.py) translated and formatted with its values
  (values that are Messages themselves are localized too); any other text is returned unchanged.
Both use one translation context, CONTEXT ("@default", where pylupdate5 files a plain tr() call). Strings of the
.ui forms keep the form's own context (uic translates them). A translation whose placeholders do not match its
template falls back to English rather than fail (tests/unit/test_i18n.py keeps them matching).

The translator follows the QGIS locale: Settings > Options > General "Override system locale" (QgsSettings
locale/overrideFlag + locale/userLocale), else the system locale. It is installed when the plugin is created
(before Processing and the GUI are built: qgis_process too) and removed on unload.
"""
import logging

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..about import PLUGIN_DIR
from ..core.i18n import Message

CONTEXT = "@default"
I18N_DIR = PLUGIN_DIR / "i18n"
QM_PREFIX = "sentinel_mirror_"
LOG = logging.getLogger("sentinel_mirror")
_translator = None


def translate(text):
    return QCoreApplication.translate(CONTEXT, text)


def _format(template, english, values):
    if not values:
        return template
    values = {k: localize(str(v) if isinstance(v, BaseException) else v) for k, v in values.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):   # a broken translation must never hide the message
        return english.format(**values)


def tr(template, **values):
    """`template` translated into the QGIS language, formatted with `values`."""
    return _format(translate(template), template, values)


def localize(text):
    """A core Message in the QGIS language; other text unchanged."""
    if isinstance(text, Message):
        out = _format(translate(text.template), text.template, text.values)
        strip = getattr(text, "strip_chars", None)
        return out.rstrip(strip) if strip else out
    return text


def qgis_locale(settings=None):
    """The locale QGIS uses for its interface ('fr_FR', 'fr', 'en_US'...)."""
    settings = settings or QgsSettings()
    override = str(settings.value("locale/overrideFlag", False)).lower() in ("true", "1")
    user_locale = settings.value("locale/userLocale", "") or ""
    return user_locale if override and user_locale else QLocale.system().name()


def qm_path(locale):
    """The .qm file for a locale ('fr_FR' -> i18n/sentinel_mirror_fr.qm), or None when we have none."""
    language = (locale or "").split("_")[0].split("-")[0].lower()
    path = I18N_DIR / f"{QM_PREFIX}{language}.qm"
    return path if language and path.is_file() else None


def install_translator(locale=None):
    """Install the translation for the QGIS locale (once); returns the QTranslator, or None (English)."""
    global _translator
    if _translator is not None:
        return _translator
    locale = locale or qgis_locale()
    path = qm_path(locale)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        LOG.warning("The translation %s could not be loaded: the interface stays in English.", path)
        return None
    QCoreApplication.installTranslator(translator)
    _translator = translator
    return translator


def remove_translator():
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None


def installed_translator():
    return _translator
