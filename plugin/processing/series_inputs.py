"""What the time-series algorithms share: where the series comes from (a folder of product zips or NDVI
rasters, or such files given one by one), the date range, and the masks."""
from pathlib import Path

from qgis.core import (QgsProcessingParameterBoolean, QgsProcessingParameterDateTime, QgsProcessingParameterFile,
                       QgsProcessingParameterMultipleLayers)

from ..core.errors import InvalidInputError
from ..qgis import compat
from .alg_search import qdate

FOLDER, INPUTS, START, END, CLOUD_MASK = "FOLDER", "INPUTS", "START", "END", "CLOUD_MASK"

HELP = ("The series is read from a folder of downloaded product zips (NDVI computed on the fly from the zips, "
        "read in place, masks applied: clouds, cloud shadows, swath edges, saturation) or of NDVI GeoTIFFs "
        "written by 'NDVI of Sentinel-2 products' (their nodata already holds the masks), or from such files "
        "given one by one. Products of several tiles may be mixed; dates are acquisition days (UTC).")


def add_series_parameters(alg):
    alg.addParameter(QgsProcessingParameterFile(FOLDER, "Folder of product zips or NDVI rasters",
                                                compat.FILE_FOLDER, optional=True))
    alg.addParameter(QgsProcessingParameterMultipleLayers(INPUTS, "Or product zips / NDVI rasters",
                                                          compat.SOURCE_FILE, optional=True))
    alg.addParameter(QgsProcessingParameterDateTime(START, "From date (inclusive)", type=compat.DATETIME_DATE,
                                                    optional=True))
    alg.addParameter(QgsProcessingParameterDateTime(END, "To date (inclusive)", type=compat.DATETIME_DATE,
                                                    optional=True))
    alg.addParameter(QgsProcessingParameterBoolean(CLOUD_MASK, "Mask clouds, shadows and edges (product zips)",
                                                   True))


def series_from_parameters(alg, parameters, context, feedback):
    """(observations, mask policy) for the algorithm's inputs; skipped files are reported, not fatal."""
    from ..core.ndvi import MaskPolicy
    from ..core.timeseries.sources import find_observations

    paths = [str(p) for p in alg.parameterAsFileList(parameters, INPUTS, context) or [] if p]
    folder = alg.parameterAsFile(parameters, FOLDER, context)
    if folder:
        paths.append(folder)
    if not paths:
        raise InvalidInputError("No series given: choose the folder of downloaded products (or of NDVI rasters).")
    start = qdate(alg.parameterAsDateTime(parameters, START, context)) if parameters.get(START) else None
    end = qdate(alg.parameterAsDateTime(parameters, END, context)) if parameters.get(END) else None
    if start and end and end < start:
        raise InvalidInputError(f"The end date {end} is before the start date {start}: swap them.")
    obs = find_observations(paths, start, end,
                            on_skip=lambda p, m: feedback.pushWarning(f"{Path(p).name} skipped: {m}"))
    masks = MaskPolicy() if alg.parameterAsBoolean(parameters, CLOUD_MASK, context) else MaskPolicy.none()
    feedback.pushInfo(f"{len(obs)} acquisitions from {obs[0].date} to {obs[-1].date}.")
    return obs, masks
