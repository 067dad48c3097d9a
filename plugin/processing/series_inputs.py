"""What the time-series algorithms share: where the series comes from (a folder of product zips or NDVI
rasters, or such files given one by one), the date range, and the masks."""
from pathlib import Path

from qgis.core import (QgsProcessingParameterBoolean, QgsProcessingParameterDateTime, QgsProcessingParameterEnum,
                       QgsProcessingParameterFile, QgsProcessingParameterMultipleLayers)

from ..core.errors import InvalidInputError
from ..core.i18n import tr_noop
from ..core.indices import INDEX_NAMES
from ..qgis import compat
from ..qgis.i18n import tr
from .alg_search import qdate

FOLDER, INPUTS, START, END, CLOUD_MASK, INDEX = "FOLDER", "INPUTS", "START", "END", "CLOUD_MASK", "INDEX"

HELP = tr_noop("The series is read from a folder of downloaded product zips (the chosen index computed on the fly "
               "from the zips by the index engine, read in place, masks applied: clouds, cloud shadows, swath edges, "
               "saturation) or of index GeoTIFFs written by 'Spectral index of Sentinel-2 products' (float32 or "
               "Int16; only those of the chosen index are read; their nodata already holds the masks), or from such "
               "files given one by one. Products of several tiles may be mixed; dates are acquisition days (UTC).")


def add_series_parameters(alg):
    alg.addParameter(QgsProcessingParameterEnum(INDEX, tr("Index"), list(INDEX_NAMES), defaultValue=0))
    alg.addParameter(QgsProcessingParameterFile(FOLDER, tr("Folder of product zips or NDVI rasters"),
                                                compat.FILE_FOLDER, optional=True))
    alg.addParameter(QgsProcessingParameterMultipleLayers(INPUTS, tr("Or product zips / NDVI rasters"),
                                                          compat.SOURCE_FILE, optional=True))
    alg.addParameter(QgsProcessingParameterDateTime(START, tr("From date (inclusive)"), type=compat.DATETIME_DATE,
                                                    optional=True))
    alg.addParameter(QgsProcessingParameterDateTime(END, tr("To date (inclusive)"), type=compat.DATETIME_DATE,
                                                    optional=True))
    alg.addParameter(QgsProcessingParameterBoolean(CLOUD_MASK, tr("Mask clouds, shadows and edges (product zips)"),
                                                   True))


def series_from_parameters(alg, parameters, context, feedback):
    """(observations, mask policy, index name) for the algorithm's inputs; skipped files are reported, not
    fatal."""
    from ..core.ndvi import MaskPolicy
    from ..core.timeseries.sources import find_observations

    paths = [str(p) for p in alg.parameterAsFileList(parameters, INPUTS, context) or [] if p]
    folder = alg.parameterAsFile(parameters, FOLDER, context)
    if folder:
        paths.append(folder)
    if not paths:
        raise InvalidInputError(tr("No series given: choose the folder of downloaded products (or of NDVI "
                                   "rasters)."))
    start = qdate(alg.parameterAsDateTime(parameters, START, context)) if parameters.get(START) else None
    end = qdate(alg.parameterAsDateTime(parameters, END, context)) if parameters.get(END) else None
    if start and end and end < start:
        raise InvalidInputError(tr("The end date {end} is before the start date {start}: swap them.",
                                   end=end, start=start))
    index = INDEX_NAMES[alg.parameterAsEnum(parameters, INDEX, context)]
    obs = find_observations(paths, start, end, index=index,
                            on_skip=lambda p, m: feedback.pushWarning(tr("{name} skipped: {reason}", name=Path(p).name,
                                                                                 reason=m)))
    masks = MaskPolicy() if alg.parameterAsBoolean(parameters, CLOUD_MASK, context) else MaskPolicy.none()
    feedback.pushInfo(tr("{index}: {n} acquisitions from {start} to {end}.", index=index, n=len(obs),
                         start=obs[0].date, end=obs[-1].date))
    return obs, masks, index
