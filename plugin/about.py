"""The plugin's identity, read once from ../metadata.txt (the single source of truth). Stdlib only.

Nothing else in the plugin repeats the name or the version: import them from here.
"""
import configparser
import re
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent
METADATA_PATH = PLUGIN_DIR / "metadata.txt"
REQUIRED_FIELDS = (
    "name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
    "repository", "tracker", "homepage", "category", "icon", "tags", "changelog", "hasProcessingProvider",
)
CATEGORIES = ("Raster", "Vector", "Database", "Web", "Mesh", "Plugins")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
_QGIS_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")
_BOOLEAN_FIELDS = ("experimental", "deprecated", "server", "supportsQt6")


def read_metadata(path=METADATA_PATH):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep camelCase keys such as qgisMinimumVersion
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    return dict(parser["general"])


def _qgis_version_tuple(text):
    match = _QGIS_VERSION.match(text.strip())
    return tuple(int(part or 0) for part in match.groups()) if match else None


def validate_metadata(meta, plugin_dir=None):
    """Return the problems of a parsed metadata.txt, each one naming the field to fix ([] when fine).

    `plugin_dir`, when given, is where the icon path must resolve.
    """
    problems = []
    for field in REQUIRED_FIELDS:
        if not str(meta.get(field, "")).strip():
            problems.append(f"{field}: missing or empty (required by the QGIS plugin repository)")
    version = str(meta.get("version", "")).strip()
    if version and not _SEMVER.match(version):
        problems.append(f"version: {version!r} is not MAJOR.MINOR.PATCH (e.g. 0.1.0)")
    minimum = maximum = None
    if str(meta.get("qgisMinimumVersion", "")).strip():
        minimum = _qgis_version_tuple(meta["qgisMinimumVersion"])
        if minimum is None:
            problems.append(f"qgisMinimumVersion: {meta['qgisMinimumVersion']!r} is not like 3.22")
    if str(meta.get("qgisMaximumVersion", "")).strip():
        maximum = _qgis_version_tuple(meta["qgisMaximumVersion"])
        if maximum is None:
            problems.append(f"qgisMaximumVersion: {meta['qgisMaximumVersion']!r} is not like 3.99")
    if minimum and maximum and minimum > maximum:
        problems.append(
            f"qgisMaximumVersion: {meta['qgisMaximumVersion']} is lower than "
            f"qgisMinimumVersion {meta['qgisMinimumVersion']}")
    provider = str(meta.get("hasProcessingProvider", "")).strip()
    if provider and provider != "yes":
        problems.append(f"hasProcessingProvider: must be 'yes' (the plugin registers a Processing provider), "
                        f"not {provider!r}")
    category = str(meta.get("category", "")).strip()
    if category and category not in CATEGORIES:
        problems.append(f"category: {category!r} is not one of {', '.join(CATEGORIES)}")
    email = str(meta.get("email", "")).strip()
    if email and "@" not in email:
        problems.append(f"email: {email!r} is not an e-mail address")
    for field in _BOOLEAN_FIELDS:
        value = str(meta.get(field, "")).strip()
        if value and value.lower() not in ("true", "false"):
            problems.append(f"{field}: must be True or False, not {value!r}")
    icon = str(meta.get("icon", "")).strip()
    if icon and plugin_dir is not None and not (Path(plugin_dir) / icon).is_file():
        problems.append(f"icon: {icon!r} does not exist in the plugin folder")
    return problems


_META = read_metadata()
NAME = _META["name"]
VERSION = _META["version"]
HOMEPAGE = _META["homepage"].split()[0]
TRACKER = _META["tracker"].split()[0]
ICON_PATH = str(PLUGIN_DIR / _META["icon"])
PLUGIN_ID = "sentinel_mirror"
PROVIDER_ID = "sentinelmirror"
USER_AGENT = f"SentinelMirror/{VERSION}"
RESOURCES_DIR = PLUGIN_DIR / "resources"
UI_DIR = PLUGIN_DIR / "ui"
ICONS_DIR = RESOURCES_DIR / "icons"
# Every module logs under this logger (logging.getLogger(LOGGER_NAME) or a child "sentinel_mirror.<area>");
# plugin/qgis/logging_bridge.py forwards it to View > Panels > Log Messages, tab LOG_TAG.
LOGGER_NAME = "sentinel_mirror"
LOG_TAG = NAME
