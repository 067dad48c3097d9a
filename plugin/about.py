"""The plugin's identity, read once from ../metadata.txt (the single source of truth). Stdlib only."""
import configparser
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent
METADATA_PATH = PLUGIN_DIR / "metadata.txt"
REQUIRED_FIELDS = (
    "name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
    "repository", "tracker", "homepage", "category", "icon", "tags", "changelog", "hasProcessingProvider",
)


def read_metadata(path=METADATA_PATH):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep camelCase keys such as qgisMinimumVersion
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    return dict(parser["general"])


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
