"""Forward Python `logging` to QGIS's Log Messages panel (View > Panels > Log Messages, tab "Sentinel Mirror").

The whole plugin logs through ONE logger tree named "sentinel_mirror" (about.LOGGER_NAME):
    log = logging.getLogger("sentinel_mirror")            # or a child: logging.getLogger("sentinel_mirror.download")
Core code stays free of QGIS: it only uses `logging`; this bridge is what makes the records visible in QGIS.
The plugin class calls install() in initGui and remove() in unload. install() is idempotent, also across a
plugin reload (where this module is a fresh copy), because handlers are recognised by a marker attribute,
not by class identity. Every message goes through core.redact so API keys, tokens and passwords never reach
the log (masked by pattern and by value), and values are kept on one line (a catalogue title with a line
break cannot forge log lines). QgsMessageLog is thread-safe, so tasks may log from their worker threads.
Under qgis_process (initProcessing without initGui) install_headless() puts the same filter on a stderr
handler: without one, Python's last-resort handler would print warnings unfiltered.
"""
import logging
import os
import sys

from qgis.core import Qgis, QgsMessageLog

from .. import about
from ..core.redact import RedactingLogFilter

_MARKER = "_sentinel_mirror_bridge"
_HEADLESS_MARKER = "_sentinel_mirror_headless"
LEVEL_ENV = "SENTINEL_MIRROR_LOG_LEVEL"  # e.g. DEBUG; default INFO


def qgis_level(levelno):
    """Map a logging level to the QGIS message level shown in the Log Messages panel."""
    if levelno >= logging.ERROR:
        return Qgis.MessageLevel.Critical
    if levelno >= logging.WARNING:
        return Qgis.MessageLevel.Warning
    return Qgis.MessageLevel.Info


class SecretsFilter(RedactingLogFilter):
    """Rewrite the record's message with secrets masked (applied to the arguments and the traceback too)."""


class QgsMessageLogHandler(logging.Handler):
    """logging.Handler writing to QgsMessageLog under the plugin's tab."""

    def __init__(self, tag=about.LOG_TAG):
        super().__init__()
        self.tag = tag
        setattr(self, _MARKER, True)
        self.addFilter(SecretsFilter())
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record):
        try:
            QgsMessageLog.logMessage(self.format(record), self.tag, qgis_level(record.levelno), False)
        except Exception:  # a log call must never break the caller
            self.handleError(record)


def bridge_handlers(logger=None):
    """The bridge handlers currently attached (0 or 1 in a healthy session)."""
    logger = logger or logging.getLogger(about.LOGGER_NAME)
    return [h for h in logger.handlers if getattr(h, _MARKER, False)]


def install():
    """Attach the bridge to the "sentinel_mirror" logger once; return the handler in place."""
    logger = logging.getLogger(about.LOGGER_NAME)
    _remove_headless(logger)
    existing = bridge_handlers(logger)
    for stale in existing[1:]:
        logger.removeHandler(stale)
    if existing:
        return existing[0]
    handler = QgsMessageLogHandler()
    logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        level = logging.getLevelName(os.environ.get(LEVEL_ENV, "INFO").upper())
        logger.setLevel(level if isinstance(level, int) else logging.INFO)
        handler._set_level_on_install = True
    return handler


def install_headless():
    """qgis_process: warnings to stderr (as Python's last-resort handler would print them), secrets masked."""
    logger = logging.getLogger(about.LOGGER_NAME)
    if bridge_handlers(logger) or any(getattr(h, _HEADLESS_MARKER, False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.addFilter(SecretsFilter())
    setattr(handler, _HEADLESS_MARKER, True)
    logger.addHandler(handler)


def _remove_headless(logger):
    for handler in [h for h in logger.handlers if getattr(h, _HEADLESS_MARKER, False)]:
        logger.removeHandler(handler)


def remove():
    """Detach every bridge handler (safe to call twice)."""
    logger = logging.getLogger(about.LOGGER_NAME)
    _remove_headless(logger)
    for handler in bridge_handlers(logger):
        logger.removeHandler(handler)
        if getattr(handler, "_set_level_on_install", False):
            logger.setLevel(logging.NOTSET)
        handler.close()
