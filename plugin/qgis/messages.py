"""One place that turns an exception into the sentence a user sees, and logs the detail.

Core errors (SentinelMirrorError) already say what to fix: shown as is, in QGIS's language (plugin/qgis/i18n.py).
Anything else is a bug: the user gets a short sentence and the traceback goes to the log panel (tab "Sentinel
Mirror"), never to the message itself.
"""
import logging
import traceback

from qgis.core import Qgis, QgsMessageLog

from ..about import LOGGER_NAME, NAME
from ..core.errors import SentinelMirrorError
from ..core.i18n import tr_noop
from ..core.models import ProductState
from ..core.redact import redact
from .i18n import localize, tr


def log(text, level=Qgis.MessageLevel.Info):
    QgsMessageLog.logMessage(str(text), NAME, level)  # thread-safe


def user_message(error):
    # redact: a foreign exception's text may quote a URL with credentials (proxy) or a header
    if isinstance(error, SentinelMirrorError):
        return redact(localize(str(error)))
    if isinstance(error, OSError):
        return tr("File error: {reason} ({file}).", reason=error.strerror or error,
                  file=error.filename or tr("no file name"))
    return redact(tr("Unexpected error ({kind}: {error}). The details are in the log panel under {name}.",
                     kind=type(error).__name__, error=error, name=NAME))


def log_unexpected(error):
    """Write the traceback of an unexpected exception to the log (call inside the except block); an expected
    one (already a sentence for the user) keeps its traceback at debug level (SENTINEL_MIRROR_LOG_LEVEL=DEBUG)."""
    if not isinstance(error, SentinelMirrorError):
        log(redact("".join(traceback.format_exception(type(error), error, error.__traceback__))),
            Qgis.MessageLevel.Critical)
    else:
        logging.getLogger(LOGGER_NAME).debug("Details of: %s", error,
                                             exc_info=(type(error), error, error.__traceback__))


# a product's pipeline state as the dock's State column and the Processing log say it
_STATE_LABELS = {ProductState.OFFLINE: tr_noop("offline"), ProductState.STAGING: tr_noop("staging"),
                 ProductState.QUEUED: tr_noop("queued"), ProductState.DOWNLOADING: tr_noop("downloading"),
                 ProductState.VERIFYING: tr_noop("verifying"), ProductState.DONE: tr_noop("done"),
                 ProductState.FAILED: tr_noop("failed"), ProductState.CANCELLED: tr_noop("cancelled")}


def state_label(state):
    return localize(_STATE_LABELS.get(state, state.value))


def empty_result_message(query):
    where = tr("tile {tile}", tile=query.tile) if query.tile else tr("this extent")
    return tr("No product found in {collection} for {where} between {start} and {end} with at most {max_cloud:g} % "
              "cloud: widen the dates, raise the cloud limit or check the tile.",
              collection=query.collection, where=where, start=query.start, end=query.end, max_cloud=query.max_cloud)
