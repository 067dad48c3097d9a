"""What the Sentinel Mirror algorithms share: identity, help, icon, and turning core errors into the
QgsProcessingException a user reads in the Processing log (the message only, no traceback)."""
from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtGui import QIcon

from .. import about
from ..core.errors import Cancelled
from ..core.i18n import tr_noop
from ..qgis.messages import log_unexpected, user_message
from ..qgis.i18n import localize, tr


class SentinelMirrorAlgorithm(QgsProcessingAlgorithm):
    GROUP, GROUP_ID = tr_noop("Catalogue"), "catalogue"

    def createInstance(self):  # noqa: N802 (QGIS API name)
        return type(self)()

    def group(self):
        return localize(self.GROUP)

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def icon(self):
        return QIcon(about.ICON_PATH)

    def svgIconPath(self):  # noqa: N802
        return about.ICON_PATH

    def helpUrl(self):  # noqa: N802
        return about.HOMEPAGE

    def shortDescription(self):  # noqa: N802
        return self.shortHelpString().split("\n", 1)[0]

    # QGIS reports an exception raised in prepareAlgorithm only as "There were errors executing the algorithm"
    # to processing.run / qgis_process callers. So prepare() keeps the error and processAlgorithm raises it: the
    # user reads the real message everywhere.
    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.prepare_error = None
        try:
            self.prepare(parameters, context, feedback)
        except QgsProcessingException as e:
            self.prepare_error = e
        except Exception as e:  # noqa: BLE001
            self.prepare_error = processing_error(e)
        return True

    def prepare(self, parameters, context, feedback):
        """Resolve what the run needs on the thread QGIS prepares on (the main thread in the toolbox)."""

    def raise_prepare_error(self):
        if getattr(self, "prepare_error", None) is not None:
            raise self.prepare_error


def processing_error(error):
    """The QgsProcessingException to raise for any exception coming out of core (use `raise ... from None`)."""
    if isinstance(error, Cancelled):
        return QgsProcessingException(tr("Cancelled by the user."))
    log_unexpected(error)
    return QgsProcessingException(user_message(error))
