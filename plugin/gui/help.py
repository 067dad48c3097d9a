"""Where "Help" leads (the dock's help button and the Help > Plugins entry): one answer for both."""
from qgis.PyQt.QtCore import QUrl

from .. import about


def help_url():
    """The documentation: the homepage once it is real, else the README shipped next to the plugin."""
    homepage = about.HOMEPAGE
    if ".invalid" not in homepage:
        return QUrl(homepage)
    for candidate in (about.PLUGIN_DIR / "README.md", about.RESOURCES_DIR / "help" / "index.html"):
        if candidate.exists():
            return QUrl.fromLocalFile(str(candidate))
    return QUrl(homepage)
