"""One place that turns an exception into the sentence a user sees, and logs the detail.

Core errors (SentinelMirrorError) already say what to fix: shown as is. Anything else is a bug: the user gets a
short sentence and the traceback goes to the log panel (tab "Sentinel Mirror"), never to the message itself.
"""
import logging
import traceback

from qgis.core import Qgis, QgsMessageLog

from ..about import LOGGER_NAME, NAME
from ..core.errors import SentinelMirrorError
from ..core.redact import redact


def log(text, level=Qgis.MessageLevel.Info):
    QgsMessageLog.logMessage(str(text), NAME, level)  # thread-safe


def user_message(error):
    # redact: a foreign exception's text may quote a URL with credentials (proxy) or a header
    if isinstance(error, SentinelMirrorError):
        return redact(str(error))
    if isinstance(error, OSError):
        return f"File error: {error.strerror or error} ({error.filename or 'no file name'})."
    return redact(f"Unexpected error ({type(error).__name__}: {error}). The details are in the log panel under {NAME}.")


def log_unexpected(error):
    """Write the traceback of an unexpected exception to the log (call inside the except block); an expected
    one (already a sentence for the user) keeps its traceback at debug level (SENTINEL_MIRROR_LOG_LEVEL=DEBUG)."""
    if not isinstance(error, SentinelMirrorError):
        log(redact("".join(traceback.format_exception(type(error), error, error.__traceback__))),
            Qgis.MessageLevel.Critical)
    else:
        logging.getLogger(LOGGER_NAME).debug("Details of: %s", error,
                                             exc_info=(type(error), error, error.__traceback__))


def empty_result_message(query):
    where = f"tile {query.tile}" if query.tile else "this extent"
    return (f"No product found in {query.collection} for {where} between {query.start} and {query.end} "
            f"with at most {query.max_cloud:g} % cloud: widen the dates, raise the cloud limit or check the tile.")
