"""sentinelmirror:parcel_statistics — polygons + a series of products/NDVI rasters -> a table per parcel and date."""
from qgis.core import (QgsFeature, QgsFeatureSink, QgsFields, QgsField, QgsProcessingException,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFileDestination)
from qgis.PyQt.QtCore import QDate

from ..core.i18n import tr_noop
from ..qgis import compat
from ..qgis.feedback import FeedbackProgress
from ..qgis.i18n import tr
from . import series_inputs
from .base import SentinelMirrorAlgorithm, processing_error

COLUMNS = ("mean", "median", "std", "p10", "p90")


def table_fields(id_field=None):
    fields = QgsFields()
    fields.append(id_field if id_field is not None else QgsField("parcel_id", compat.LONG_LONG))
    fields.append(QgsField("date", compat.DATE))
    for name in COLUMNS:
        fields.append(QgsField(name, compat.DOUBLE))
    fields.append(QgsField("valid_count", compat.INT))
    fields.append(QgsField("valid_fraction", compat.DOUBLE))
    fields.append(QgsField("masked_fraction", compat.DOUBLE))
    fields.append(QgsField("pixel_count", compat.INT))
    fields.append(QgsField("products", compat.STRING))
    return fields


class ParcelStatisticsAlgorithm(SentinelMirrorAlgorithm):
    GROUP, GROUP_ID = tr_noop("Time series"), "timeseries"
    PARCELS, ID_FIELD, ALL_TOUCHED, OUTPUT, WIDE_CSV = "PARCELS", "ID_FIELD", "ALL_TOUCHED", "OUTPUT", "WIDE_CSV"

    def name(self):
        return "parcel_statistics"

    def displayName(self):  # noqa: N802
        return tr("Parcel statistics over time")

    def shortHelpString(self):  # noqa: N802
        return tr("Statistics of an index (NDVI by default, or NDWI, MNDWI, NDMI, NBR, NDRE, EVI, SAVI) for every "
                  "parcel (polygon, any CRS) on every acquisition date: mean, median, standard deviation, 10th and "
                  "90th percentiles of the valid pixels, the number and share of valid pixels and the share of "
                  "pixels masked (clouds, shadows, edges). A parcel without any valid pixel on a date gets empty "
                  "statistics for that date, never a value from masked pixels.\n\n{inputs}\n\nPixels belong to a "
                  "parcel when their centre is inside it (or, with 'every pixel touched', when the polygon touches "
                  "them). A parcel over two tiles counts the pixels of both tiles acquired that day (each place "
                  "once). Optionally a wide CSV: one row per parcel, one column per date (mean index).",
                  inputs=series_inputs.HELP)

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.PARCELS, tr("Parcels (polygons)"),
                                                              [compat.SOURCE_POLYGONS]))
        self.addParameter(QgsProcessingParameterField(self.ID_FIELD, tr("Parcel id field (empty: feature id)"),
                                                      parentLayerParameterName=self.PARCELS, optional=True))
        series_inputs.add_series_parameters(self)
        self.addParameter(QgsProcessingParameterBoolean(self.ALL_TOUCHED, tr("Count every pixel touched"), False))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Parcel statistics"),
                                                            compat.SOURCE_VECTOR))
        self.addParameter(QgsProcessingParameterFileDestination(self.WIDE_CSV, tr("Wide CSV (one column per date)"),
                                                                tr("CSV files (*.csv)"), optional=True,
                                                                createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..core.timeseries.parcels import Parcels, parcel_statistics, write_wide_csv

        source = self.parameterAsSource(parameters, self.PARCELS, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PARCELS))
        id_name = self.parameterAsString(parameters, self.ID_FIELD, context)
        id_index = source.fields().lookupField(id_name) if id_name else -1
        id_field = source.fields().at(id_index) if id_index >= 0 else None
        fields = table_fields(QgsField(id_field) if id_field is not None else None)
        try:
            geometries, ids = [], []
            for f in source.getFeatures():
                if not f.hasGeometry():
                    feedback.pushWarning(tr("Parcel {id} has no geometry: skipped.", id=f.id()))
                    continue
                geometries.append(bytes(f.geometry().asWkb()))
                ids.append(f.attribute(id_index) if id_index >= 0 else f.id())
            crs = source.sourceCrs()
            parcels = Parcels(geometries, crs.authid() if crs.authid().startswith("EPSG:") else crs.toWkt(), ids)
            obs, masks, index = series_inputs.series_from_parameters(self, parameters, context, feedback)
            sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, compat.WKB_NO_GEOMETRY)
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
            wide = self.parameterAsFileOutput(parameters, self.WIDE_CSV, context)
            kept, first = [], True
            for s in parcel_statistics(parcels, obs, masks=masks, index=index,
                                       all_touched=self.parameterAsBoolean(parameters, self.ALL_TOUCHED, context),
                                       progress=FeedbackProgress(feedback)):
                if first and not s.pixels.all():
                    feedback.pushWarning(tr("{n} parcels lie outside every tile of the series (or are smaller "
                                            "than a pixel): no rows for them.", n=int((s.pixels == 0).sum())))
                first = False
                day = QDate(s.date.year, s.date.month, s.date.day)
                products = " ".join(s.labels)
                vf, mf = s.valid_fraction, s.masked_fraction
                for i, pid in enumerate(ids):
                    if s.pixels[i] == 0:
                        continue
                    feat = QgsFeature(fields)
                    feat.setAttributes([pid, day] + [_num(s.stats[k][i]) for k in COLUMNS]
                                       + [int(s.valid[i]), _num(vf[i]), _num(mf[i]), int(s.pixels[i]), products])
                    sink.addFeature(feat, QgsFeatureSink.FastInsert)
                if wide:
                    kept.append(s)
            if wide:
                write_wide_csv(wide, ids, kept)
        except QgsProcessingException:
            raise
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        feedback.pushInfo(tr("{parcels} parcels x {n} acquisitions.", parcels=len(ids), n=len(obs)))
        out = {self.OUTPUT: dest_id}
        if wide:
            out[self.WIDE_CSV] = wide
        return out


def _num(v):
    v = float(v)
    return None if v != v else v
