"""One exception hierarchy for the whole plugin. Messages are written for the user: say what to fix."""


class SentinelMirrorError(Exception):
    """Base class; str(e) is shown to the user as is."""


class InvalidInputError(SentinelMirrorError, ValueError):
    """Bad user input, refused before anything is sent."""


class AuthError(SentinelMirrorError):
    """Missing, wrong or expired credentials."""


class OneTimeCodeNeeded(AuthError):
    """A two-factor account (CDSE) must log in again and its one-time code was used: only the user can give a new
    one. Raised before any login request is sent (a login without the code is refused anyway)."""


class QuotaError(SentinelMirrorError):
    """HTTP 429 (or 503 with Retry-After): come back later."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds, or None when the server did not say


class NotFoundError(SentinelMirrorError):
    pass


class RemoteError(SentinelMirrorError):
    """The service failed (5xx, timeout, unreachable) after our retries."""


class MalformedResponseError(RemoteError):
    """The service answered something that is not what the protocol says (quotes what came back)."""


class NotOnlineError(SentinelMirrorError):
    """A download was refused because the product is not on disk yet (being staged from tape)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class GoneError(NotOnlineError):
    """HTTP 410 to a download. On GEODES this is how a product on tape (Tier 3) answers (CS-SI/eodag #1776): the
    pipeline asks the availability endpoint before it calls the product anything but "on tape"."""


class ChecksumError(SentinelMirrorError):
    """A downloaded file does not match the catalogue's size/MD5 or is not a valid archive."""


class DiskFullError(SentinelMirrorError):
    pass


class FolderError(SentinelMirrorError):
    """The download or output folder cannot be written (read-only, a file, no permission): fails at once."""


class ProductBusyError(SentinelMirrorError):
    """Another run (another QGIS window, qgis_process) is downloading this product into the same folder now."""


class ProductFormatError(SentinelMirrorError):
    """A product archive is not recognised, truncated, or misses a band/mask."""


class Cancelled(SentinelMirrorError):
    """The user cancelled; not an error to report."""
