"""sentinelmirror:search — catalogue search -> footprints layer (one feature per product)."""
import datetime as dt

from qgis.core import (QgsFeatureSink, QgsProcessingException, QgsProcessingParameterAuthConfig,
                       QgsProcessingParameterDateTime, QgsProcessingParameterEnum, QgsProcessingParameterExtent,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterNumber, QgsProcessingParameterString)

from ..core.errors import NotFoundError
from ..core.i18n import tr_noop
from ..core.models import PROVIDERS, COLLECTIONS, ProductKind, SearchQuery
from ..qgis import compat
from ..qgis.catalogue import open_catalogue
from ..qgis.geo import extent_to_bbox
from ..qgis.messages import empty_result_message
from ..qgis.settings import load_config
from . import footprints
from .base import SentinelMirrorAlgorithm, processing_error
from .postprocess import style_on_completion
from ..qgis.i18n import localize, tr

PROVIDER_LABELS = [p.upper() for p in PROVIDERS]            # GEODES, CDSE
# One product level choice that exists on both catalogues; the collection id depends on the catalogue.
LEVELS = ((tr_noop("Sentinel-2 L2A surface reflectance (for NDVI)"), (ProductKind.MAJA_L2A, ProductKind.SAFE_L2A)),
          (tr_noop("Sentinel-2 L1C top of atmosphere"), (ProductKind.SAFE_L1C,)),
          (tr_noop("Sentinel-1 radar (download only)"), (ProductKind.S1,)))
# Sentinel-1 product types on GEODES PEPS_S1_L1 (core: SearchQuery.product_type); CDSE's collection is GRD only
S1_TYPES = ((tr_noop("GRD (ground range, the usual choice)"), "GRD"),
            (tr_noop("SLC (single look complex, ~4x larger)"), "SLC"), (tr_noop("Both GRD and SLC"), "any"))


def collection_id(provider, level_index):
    kinds = LEVELS[level_index][1]
    for c in COLLECTIONS:
        if c.provider == provider and c.kind in kinds:
            return c.id
    raise QgsProcessingException(tr("{provider} has no {value} collection.",
                                    provider=provider.upper(), value=localize(LEVELS[level_index][0])))


def qdate(value):
    """QDate/QDateTime/str from a parameter -> datetime.date (None when unset)."""
    if value is None:
        return None
    if hasattr(value, "toPyDate"):
        return value.toPyDate() if value.isValid() else None
    if hasattr(value, "date"):
        d = value.date()
        return d.toPyDate() if d.isValid() else None
    return dt.date.fromisoformat(str(value)[:10])


class SearchAlgorithm(SentinelMirrorAlgorithm):
    PROVIDER, COLLECTION, TILE, EXTENT = "PROVIDER", "COLLECTION", "TILE", "EXTENT"
    START, END, MAX_CLOUD, AUTHCFG, OUTPUT = "START", "END", "MAX_CLOUD", "AUTHCFG", "OUTPUT"
    S1_TYPE = "S1_TYPE"

    def name(self):
        return "search"

    def displayName(self):  # noqa: N802
        return tr("Search Sentinel products")

    def shortHelpString(self):  # noqa: N802
        return tr("Searches CNES GEODES or Copernicus Data Space for the products of one Sentinel-2 tile (e.g. 31TCJ, "
                  "a leading T is fine) or of an extent in any CRS, between two dates (inclusive), under a cloud "
                  "limit.\n\nOutput: a footprints layer (EPSG:4326), one feature per product with id, title, "
                  "date, tile, orbit, cloud (%), size (bytes), md5, online (false = on tape: to order in the service's portal) and "
                  "download_url. Feed it to 'Download Sentinel products'.\n\nGive either a tile or an extent. "
                  "Searching needs no account; the authentication configuration is only used if the catalogue "
                  "asks for one (empty = the one chosen in Settings > Options > Sentinel Mirror).\n\nSentinel-1 "
                  "product type (GEODES radar only): GRD by default; SLC products are several times larger (see the "
                  "size field); CDSE's radar collection is GRD only.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterEnum(self.PROVIDER, tr("Catalogue"), PROVIDER_LABELS, defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(self.COLLECTION, tr("Product level"),
                                                     [localize(label) for label, _ in LEVELS], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(self.TILE, tr("Sentinel-2 tile (e.g. 31TCJ)"), optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Or an extent (any CRS)"), optional=True))
        self.addParameter(QgsProcessingParameterDateTime(self.START, tr("Start date"),
                                                         type=compat.DATETIME_DATE))
        self.addParameter(QgsProcessingParameterDateTime(self.END, tr("End date (inclusive)"),
                                                         type=compat.DATETIME_DATE))
        self.addParameter(QgsProcessingParameterNumber(self.MAX_CLOUD, tr("Maximum cloud cover (%)"),
                                                       compat.NUMBER_DOUBLE, 100.0, False, 0.0, 100.0))
        self.addParameter(QgsProcessingParameterAuthConfig(self.AUTHCFG, tr("Authentication configuration"),
                                                           optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.S1_TYPE, tr("Sentinel-1 product type (GEODES radar)"),
                                                     [localize(label) for label, _ in S1_TYPES], defaultValue=0,
                                                     optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Footprints"),
                                                            compat.SOURCE_POLYGONS))

    def prepare(self, parameters, context, feedback):
        """Resolves settings, credentials and the session before the work starts (main thread in the toolbox)."""
        provider = PROVIDERS[self.parameterAsEnum(parameters, self.PROVIDER, context)]
        tile = (self.parameterAsString(parameters, self.TILE, context) or "").strip() or None
        bbox = None
        if parameters.get(self.EXTENT) not in (None, ""):
            rect = self.parameterAsExtent(parameters, self.EXTENT, context)
            if not rect.isNull():   # a zero-width extent is refused as such (extent_to_bbox), not dropped
                bbox = extent_to_bbox(rect, self.parameterAsExtentCrs(parameters, self.EXTENT, context),
                                      context.transformContext())
        collection = collection_id(provider, self.parameterAsEnum(parameters, self.COLLECTION, context))
        s1_type = None
        if any(c.id == collection and c.kind is ProductKind.S1 and c.provider == "geodes" for c in COLLECTIONS):
            s1_type = S1_TYPES[self.parameterAsEnum(parameters, self.S1_TYPE, context)][1]
        self.query = SearchQuery(
            provider=provider, product_type=s1_type,
            collection=collection,
            start=qdate(self.parameterAsDateTime(parameters, self.START, context)),
            end=qdate(self.parameterAsDateTime(parameters, self.END, context)),
            tile=tile, bbox=bbox,
            max_cloud=self.parameterAsDouble(parameters, self.MAX_CLOUD, context))
        self.catalogue = open_catalogue(provider, self.parameterAsString(parameters, self.AUTHCFG, context),
                                        load_config())

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.raise_prepare_error()
        from ..qgis.feedback import FeedbackProgress

        try:
            products = self.catalogue.search(self.query, FeedbackProgress(feedback))
            if not products:
                raise NotFoundError(empty_result_message(self.query))
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        fields = footprints.footprint_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, compat.WKB_MULTIPOLYGON,
                                             footprints.CRS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for product in products:
            sink.addFeature(footprints.product_to_feature(product, fields), QgsFeatureSink.FastInsert)
        online = sum(p.online for p in products)
        feedback.pushInfo(tr("{n} products found: {online} online, {tape} on tape.", n=len(products), online=online,
                             tape=len(products) - online))
        q = self.query
        style_on_completion(context, dest_id, "footprints",
                            tr("Footprints {where} {start}…{end} ({service})",
                               where="T" + q.tile if q.tile else tr("extent"), start=q.start, end=q.end,
                               service=q.provider.upper()))
        return {self.OUTPUT: dest_id}
