"""sentinelmirror:composite and sentinelmirror:gap_filled_series — rasters built from a series of dates."""
from pathlib import Path

from qgis.core import (QgsProcessingOutputMultipleLayers, QgsProcessingParameterEnum,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber)

from ..core.i18n import tr_noop
from ..qgis.feedback import FeedbackProgress
from ..qgis.i18n import localize, tr
from ..qgis.layers import display_name
from . import series_inputs
from .base import SentinelMirrorAlgorithm, processing_error
from .postprocess import load_on_completion


class _SeriesRasterAlgorithm(SentinelMirrorAlgorithm):
    GROUP, GROUP_ID = tr_noop("Time series"), "timeseries"
    OUTPUT_FOLDER, OUTPUT_LAYERS = "OUTPUT_FOLDER", "OUTPUT_LAYERS"

    def add_outputs(self, folder_label, layers_label):
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, folder_label))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, layers_label))

    def finish(self, context, folder, paths, kind):
        for path in paths:
            load_on_completion(context, path, display_name(kind, path, Path(path).stem), "raster")
        return {self.OUTPUT_FOLDER: folder, self.OUTPUT_LAYERS: paths}


class CompositeAlgorithm(_SeriesRasterAlgorithm):
    PERIOD, DAYS = "PERIOD", "DAYS"
    PERIODS = (tr_noop("Calendar month"), tr_noop("Every N days (from 1 January)"))

    def name(self):
        return "composite"

    def displayName(self):  # noqa: N802
        return tr("Temporal composite")

    def shortHelpString(self):  # noqa: N802
        return tr("Maximum and median composites of an index (NDVI by default) per calendar month or per period of "
                  "N days (periods start on 1 January; the last one of a year is shorter). One GeoTIFF per period "
                  "and tile, 4 bands: 1 maximum, 2 median, 3 number of valid dates, 4 date of the maximum (day of "
                  "the year). Masked dates never count; a pixel valid on no date of the period is nodata "
                  "(-9999).\n\n{inputs}", inputs=series_inputs.HELP)

    def initAlgorithm(self, config=None):  # noqa: N802
        series_inputs.add_series_parameters(self)
        self.addParameter(QgsProcessingParameterEnum(self.PERIOD, tr("Period"), [localize(p) for p in self.PERIODS],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.DAYS, tr("N (days, for 'every N days')"),
                                                       defaultValue=10, minValue=1, maxValue=366))
        self.add_outputs(tr("Composites folder"), tr("Composites"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..core.timeseries.composites import composite

        try:
            obs, masks, index = series_inputs.series_from_parameters(self, parameters, context, feedback)
            days = (None if self.parameterAsEnum(parameters, self.PERIOD, context) == 0
                    else self.parameterAsInt(parameters, self.DAYS, context))
            folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
            paths = composite(obs, folder, days=days, index=index, masks=masks,
                              progress=FeedbackProgress(feedback))
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        feedback.pushInfo(tr("{n} composites written to {folder}.", n=len(paths), folder=folder))
        return self.finish(context, folder, paths, tr("Composite"))


class GapFilledSeriesAlgorithm(_SeriesRasterAlgorithm):
    EVERY = "EVERY"

    def name(self):
        return "gap_filled_series"

    def displayName(self):  # noqa: N802
        return tr("Gap-filled series")

    def shortHelpString(self):  # noqa: N802
        return tr("An index (NDVI by default) on a regular grid of dates (every N days from the first date, or "
                  "from 'From date'): masked dates are filled by linear interpolation between the pixel's valid "
                  "dates before and after (before the first / after the last valid date: the nearest valid value). "
                  "One multi-band GeoTIFF per tile, one band per date, band descriptions = the dates (YYYY-MM-DD), "
                  "the input iota2-style classifiers expect. A pixel never valid is nodata (-9999).\n\n{inputs}",
                  inputs=series_inputs.HELP)

    def initAlgorithm(self, config=None):  # noqa: N802
        series_inputs.add_series_parameters(self)
        self.addParameter(QgsProcessingParameterNumber(self.EVERY, tr("Every N days"), defaultValue=10, minValue=1,
                                                       maxValue=366))
        self.add_outputs(tr("Gap-filled series folder"), tr("Gap-filled series"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..core.timeseries.composites import gap_filled_series

        try:
            obs, masks, index = series_inputs.series_from_parameters(self, parameters, context, feedback)
            start = series_inputs.qdate(self.parameterAsDateTime(parameters, series_inputs.START, context)) \
                if parameters.get(series_inputs.START) else None
            end = series_inputs.qdate(self.parameterAsDateTime(parameters, series_inputs.END, context)) \
                if parameters.get(series_inputs.END) else None
            folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
            paths = gap_filled_series(obs, folder, every=self.parameterAsInt(parameters, self.EVERY, context),
                                      start=start, end=end, index=index, masks=masks,
                                      progress=FeedbackProgress(feedback))
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        feedback.pushInfo(tr("{n} gap-filled series written to {folder}.", n=len(paths), folder=folder))
        return self.finish(context, folder, paths, tr("Gap-filled {index}", index=index))
