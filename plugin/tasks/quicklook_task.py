"""QuicklookTask: fetch one product's quicklook image in the background, through the provider's session.

Signals (main thread): resultsReady(list) with one item, the image bytes; failed(str); cancelledByUser().
The dock turns the bytes into a pixmap on the main thread (QPixmap is not thread-safe).
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..core.errors import RemoteError
from .base import CoreTask
from ..qgis.i18n import tr

MAX_BYTES = 8 * 2**20   # a quicklook is a few hundred kB; never read an unbounded body into memory


class QuicklookTask(CoreTask):
    resultsReady = pyqtSignal(list)

    def __init__(self, session, url, product_id, timeout_s=20.0):
        super().__init__(tr("Sentinel Mirror: quicklook of {product_id}", product_id=product_id))
        self.session, self.url, self.product_id, self.timeout_s = session, url, product_id, timeout_s

    def work(self, progress):
        import requests

        try:
            with self.session.get(self.url, stream=True, timeout=self.timeout_s) as response:
                if response.status_code != 200:
                    raise RemoteError(tr("The quicklook could not be fetched (HTTP {status_code}).",
                                         status_code=response.status_code))
                data = bytearray()
                for chunk in response.iter_content(64 * 1024):
                    if progress.cancelled():
                        return []
                    data += chunk
                    if len(data) > MAX_BYTES:
                        raise RemoteError(tr("The quicklook is larger than 8 MB: not shown."))
        except requests.RequestException as e:
            raise RemoteError(tr("The quicklook could not be fetched ({name}).", name=type(e).__name__)) from e
        return [bytes(data)]
