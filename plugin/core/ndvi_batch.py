"""NDVI (or another spectral index) for several product archives: one GeoTIFF per product, and no failure of
one product, whatever it is, stops the others.

Shared by the NDVI task and the `sentinelmirror:index` / `sentinelmirror:ndvi` algorithms, so all name and
compute outputs the same way: <product>_NDVI.tif, <product>_NDWI.tif...
"""
import logging
import os
from pathlib import Path

from .errors import Cancelled, InvalidInputError, SentinelMirrorError
from .paths import inside, safe_filename
from .product_names import NDVI_SUFFIX
from .progress import NULL_PROGRESS, check_cancelled
from .i18n import tr


class _Slice:
    """0..100 of one product mapped onto its share of the batch."""

    def __init__(self, parent, start, end):
        self._parent, self._start, self._span = parent, start, end - start

    def set(self, percent):
        self._parent.set(self._start + self._span * max(0.0, min(100.0, float(percent))) / 100.0)

    def message(self, text):
        self._parent.message(text)

    def cancelled(self):
        return self._parent.cancelled()


def product_archives(folder):
    """The verified product archives in a download folder (never the .part files still being written)."""
    if not folder or not os.path.isdir(folder):
        raise InvalidInputError(tr("{folder!r} is not a folder: choose the folder the products were downloaded to.",
                                   folder=folder))
    return sorted(str(p) for p in Path(folder).glob("*.zip") if p.is_file())


LOG = logging.getLogger("sentinel_mirror.ndvi")


def ndvi_output_path(folder, archive, index="NDVI", resolution=10):
    """<product>_NDVI.tif, <product>_NBR.tif...; a 20 m output adds _20m (<product>_NBR_20m.tif)."""
    stem = Path(archive).name
    stem = stem[:-4] if stem.lower().endswith(".zip") else stem
    suffix = (NDVI_SUFFIX if index == "NDVI" else "_" + index) + ("_20m" if resolution == 20 else "")
    return inside(folder, safe_filename(stem, suffix + ".tif"))


def _radar_message(archive):
    """The plain-words refusal for a Sentinel-1 archive (asked only after NDVI failed), else None."""
    from .models import ProductKind
    from .products import open_product
    try:
        reader = open_product(archive)
    except SentinelMirrorError:
        return None
    if reader.kind is not ProductKind.S1:
        return None
    return tr("{product_id} is a Sentinel-1 radar product: radar has no red or near-infrared band, so no NDVI "
              "(Sentinel-1 is download only). Compute NDVI from a Sentinel-2 product of the same area.",
              product_id=reader.product_id)


def compute_ndvi_batch(archives, folder, *, masks=None, progress=NULL_PROGRESS, on_result=None, on_error=None,
                       index="NDVI", encoding="float32", resolution=10):
    """Returns (results, errors): NdviResult per product that worked, (archive, message) per one that did not.
    index: NDVI (default) or another of plugin/core/indices.py; encoding: float32 or int16; resolution: 10 or
    20 (m).
    Raises Cancelled when cancelled, InvalidInputError when there is nothing to do."""
    from .indices import check_encoding, get_index
    from .ndvi import compute_index  # numpy + GDAL: loaded when an index is actually computed

    spec, encoding = get_index(index), check_encoding(encoding)
    archives = list(dict.fromkeys(str(a) for a in archives if a))
    if not archives:
        raise InvalidInputError(tr("No product archive to compute {name} from: give downloaded product zips or "
                                   "their folder.",
                                   name=spec.name))
    os.makedirs(folder, exist_ok=True)
    results, errors = [], []
    if resolution not in (10, 20):
        raise InvalidInputError(tr("The output resolution is 10 or 20 m, not {resolution!r}.", resolution=resolution))
    kwargs = {"index": spec.name, "encoding": encoding, "resolution": resolution}
    if masks is not None:
        kwargs["masks"] = masks

    def fail(archive, message):
        errors.append((archive, message))
        if on_error:
            on_error(archive, message)

    for i, archive in enumerate(archives):
        check_cancelled(progress)
        progress.message(tr("{index} {n}/{total}: {name}", index=spec.name, n=i + 1, total=len(archives),
                            name=Path(archive).name))
        sub = _Slice(progress, 100.0 * i / len(archives), 100.0 * (i + 1) / len(archives))
        if not os.path.isfile(archive):
            fail(archive, tr("{archive} does not exist: give the path of a downloaded product archive.",
                             archive=archive))
            continue
        try:
            result = compute_index(archive, ndvi_output_path(folder, archive, spec.name, resolution), progress=sub,
                                   **kwargs)
        except Cancelled:
            raise
        except (SentinelMirrorError, OSError, RuntimeError) as e:   # RuntimeError: GDAL exceptions
            fail(archive, _radar_message(archive) or (
                str(e) if isinstance(e, SentinelMirrorError) else tr("{index} could not be written or read ({e}).",
                                                                      index=spec.name, e=e)))
            continue
        except Exception as e:  # noqa: BLE001 - whatever one product does (MemoryError...), the others go on
            LOG.debug("%s failed on %s", spec.name, archive, exc_info=True)
            fail(archive, tr("{name}: {index} failed ({kind}: {e}); the other products are computed.",
                             name=Path(archive).name, index=spec.name, kind=type(e).__name__, e=e))
            continue
        results.append(result)
        if on_result:
            on_result(result)
    progress.set(100.0)
    return results, errors
