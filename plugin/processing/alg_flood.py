"""sentinelmirror:flood_map — Sentinel-1 GRD products before and after a flood -> flood raster and polygons."""
from pathlib import Path

from qgis.core import (QgsProcessingOutputNumber, QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterExtent, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterVectorLayer)

from ..core.errors import InvalidInputError
from ..core.i18n import tr_noop
from ..qgis import compat
from ..qgis.feedback import FeedbackProgress
from ..qgis.i18n import localize, tr
from .base import SentinelMirrorAlgorithm, processing_error
from .postprocess import load_on_completion, style_on_completion

METHODS = (("ratio", tr_noop("UN-SPIDER: VH, after / before (dB) above the threshold (1.25)")),
           ("difference", tr_noop("Earth Engine demo: VV, after - before below the threshold (-3 dB)")))
FILTERS = (("lee", "Lee"), ("boxcar", tr_noop("Boxcar (mean)")), ("none", tr_noop("None")))
RESAMPLINGS = (("nearest", tr_noop("Nearest neighbour (fast)")), ("bilinear", tr_noop("Bilinear")))


class FloodMapAlgorithm(SentinelMirrorAlgorithm):
    GROUP, GROUP_ID = tr_noop("Radar"), "radar"
    BEFORE, AFTER, AREA, METHOD, THRESHOLD = "BEFORE", "AFTER", "AREA", "METHOD", "THRESHOLD"
    FILTER, WINDOW, NOISE, RESOLUTION, RESAMPLING = "FILTER", "WINDOW", "NOISE_REMOVAL", "RESOLUTION", "RESAMPLING"
    WATER_DB, WATER_LAYER, DEM, MAX_SLOPE, MIN_AREA = "WATER_DB", "WATER_LAYER", "DEM", "MAX_SLOPE", "MIN_AREA"
    OUTPUT, POLYGONS, FLOODED_HA, AREAS = "OUTPUT", "POLYGONS", "FLOODED_HA", "AREAS"

    def name(self):
        return "flood_map"

    def displayName(self):  # noqa: N802
        return tr("Flood map from Sentinel-1 (before / after)")

    def shortHelpString(self):  # noqa: N802
        return tr("Maps the flooded area between Sentinel-1 GRD products acquired before and after a flood, by change "
                  "detection, read straight from the downloaded zips (no SNAP): calibration to sigma0 (ESA's LUTs, "
                  "thermal noise removed), geocoding onto one UTM grid of the area (20 m) through the products' "
                  "ground control points, speckle filter, then UN-SPIDER's ratio on VH or the Earth Engine demo's "
                  "difference on VV. Permanent water (already dark before, or a water layer you give), slopes "
                  "above a limit (with a DEM) and flooded areas smaller than a minimum are left out.\n\n"
                  "Give the products of one relative orbit (same track), before and after; several per date are "
                  "consecutive slices of one pass. If you give more passes, the first pass after and the last pass "
                  "before it on the same relative orbit are used.\n\nOutputs: a raster (1 flooded, 0 not, no "
                  "data outside the images and where masked), flood polygons with their area in hectares, and "
                  "the flooded area. No terrain correction: in hilly areas the map is misplaced; use it on "
                  "floodplains.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(self.BEFORE,
                                                               tr("Sentinel-1 GRD before the flood (.zip)"),
                                                               compat.SOURCE_FILE))
        self.addParameter(QgsProcessingParameterMultipleLayers(self.AFTER,
                                                               tr("Sentinel-1 GRD after the flood (.zip)"),
                                                               compat.SOURCE_FILE))
        self.addParameter(QgsProcessingParameterExtent(self.AREA, tr("Area of interest")))
        self.addParameter(QgsProcessingParameterEnum(self.METHOD, tr("Method"),
                                                     [localize(label) for _, label in METHODS], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.THRESHOLD, tr("Threshold (empty: the method's own)"),
                                                       compat.NUMBER_DOUBLE, optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(self.WATER_LAYER, tr("Permanent water layer (optional)"),
                                                            [compat.SOURCE_POLYGONS], optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(self.DEM, tr("Elevation (DEM, optional)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(self.MAX_SLOPE, tr("Maximum slope (degrees, with a DEM)"),
                                                       compat.NUMBER_DOUBLE, 5.0, False, 0.0, 90.0))
        self.addParameter(QgsProcessingParameterNumber(self.MIN_AREA, tr("Minimum flooded area (ha)"),
                                                       compat.NUMBER_DOUBLE, 1.0, False, 0.0))
        advanced = [
            QgsProcessingParameterEnum(self.FILTER, tr("Speckle filter"), [localize(label) for _, label in FILTERS],
                                       defaultValue=0),
            QgsProcessingParameterNumber(self.WINDOW, tr("Filter window (pixels, odd)"), compat.NUMBER_INTEGER, 5,
                                         False, 1, 51),
            QgsProcessingParameterNumber(self.RESOLUTION, tr("Resolution (m)"), compat.NUMBER_DOUBLE, 20.0, False, 10.0,
                                         1000.0),
            QgsProcessingParameterEnum(self.RESAMPLING, tr("Geocoding resampling"),
                                       [localize(label) for _, label in RESAMPLINGS], defaultValue=0),
            QgsProcessingParameterBoolean(self.NOISE, tr("Remove thermal noise"), True),
            QgsProcessingParameterNumber(self.WATER_DB,
                                         tr("Permanent water: before below (dB; empty: -22 VH / -16 VV)"),
                                         compat.NUMBER_DOUBLE, optional=True),
        ]
        for p in advanced:
            p.setFlags(p.flags() | compat.PARAMETER_ADVANCED)
            self.addParameter(p)
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Flood raster")))
        self.addParameter(QgsProcessingParameterFileDestination(self.POLYGONS, tr("Flood polygons"),
                                                                tr("GeoPackage (*.gpkg)"), optional=True))
        self.addOutput(QgsProcessingOutputNumber(self.FLOODED_HA, tr("Flooded area (ha)")))
        self.addOutput(QgsProcessingOutputNumber(self.AREAS, tr("Flooded areas (polygons)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..core.s1.flood import FloodParams, flood_map

        try:
            before = [str(p) for p in self.parameterAsFileList(parameters, self.BEFORE, context) or []]
            after = [str(p) for p in self.parameterAsFileList(parameters, self.AFTER, context) or []]
            extent = self.parameterAsExtent(parameters, self.AREA, context)
            crs = self.parameterAsExtentCrs(parameters, self.AREA, context)
            if extent.isEmpty() or not crs.isValid():
                raise InvalidInputError(tr("The area of interest is empty: draw or choose an area."))
            threshold = parameters.get(self.THRESHOLD)
            water_db = parameters.get(self.WATER_DB)
            params = FloodParams(
                method=METHODS[self.parameterAsEnum(parameters, self.METHOD, context)][0],
                threshold=None if threshold in (None, "") else self.parameterAsDouble(parameters, self.THRESHOLD,
                                                                                      context),
                speckle_filter=FILTERS[self.parameterAsEnum(parameters, self.FILTER, context)][0],
                window=self.parameterAsInt(parameters, self.WINDOW, context),
                resolution=self.parameterAsDouble(parameters, self.RESOLUTION, context),
                resampling=RESAMPLINGS[self.parameterAsEnum(parameters, self.RESAMPLING, context)][0],
                noise_removal=self.parameterAsBoolean(parameters, self.NOISE, context),
                water_db=None if water_db in (None, "") else self.parameterAsDouble(parameters, self.WATER_DB, context),
                max_slope=self.parameterAsDouble(parameters, self.MAX_SLOPE, context),
                min_area_ha=self.parameterAsDouble(parameters, self.MIN_AREA, context))
            water = None
            if parameters.get(self.WATER_LAYER):
                water = self.parameterAsCompatibleSourceLayerPath(parameters, self.WATER_LAYER, context,
                                                                  ["gpkg", "shp", "geojson"], "gpkg", feedback)
            dem_layer = self.parameterAsRasterLayer(parameters, self.DEM, context)
            dem = dem_layer.source() if dem_layer is not None else None
            raster = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
            polygons = self.parameterAsFileOutput(parameters, self.POLYGONS, context) or None
            result = flood_map(before, after, (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(),
                                               extent.yMaximum()), raster, polygons, params,
                               area_crs=crs.toWkt(), dem=dem, water_layer=water,
                               progress=FeedbackProgress(feedback))
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        group = _group_name(result.after)
        style_on_completion(context, raster, f"flood:raster:{group}", tr("Flooded (1)"))
        if polygons:
            load_on_completion(context, polygons, tr("Flood polygons"), f"flood:polygons:{group}", "Vector")
        feedback.pushInfo(localize(result.summary()))
        return {self.OUTPUT: raster, self.POLYGONS: polygons, self.FLOODED_HA: result.flooded_ha,
                self.AREAS: result.polygon_count}


def _group_name(after_paths):
    from ..core.product_names import parse_title
    from ..qgis.flood_layers import group_name

    try:
        return group_name(parse_title(Path(after_paths[0]).name).acquired)
    except Exception:  # noqa: BLE001 (a renamed zip: a plain group name)
        return group_name()
