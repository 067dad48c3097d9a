"""sentinelmirror:download — footprints -> verified products in a folder + a report of what arrived/failed."""
from qgis.core import (QgsFeature, QgsFeatureRequest, QgsFeatureSink, QgsField, QgsFields, QgsProcessingException,
                       QgsProcessingOutputMultipleLayers, QgsProcessingOutputNumber, QgsProcessingParameterAuthConfig,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterString)

from ..core.errors import InvalidInputError
from ..core.paths import writable_folder
from ..core.models import ProductKind, ProductState
from ..qgis import compat
from ..qgis.catalogue import open_catalogue, pipeline_options
from ..qgis.messages import state_label
from ..qgis.feedback import FeedbackProgress
from ..qgis.settings import load_config, read_settings
from . import footprints
from .base import SentinelMirrorAlgorithm, processing_error
from .postprocess import load_on_completion, style_on_completion
from ..qgis.i18n import localize, tr


def report_fields():
    fields = QgsFields()
    for name, kind in (("id", compat.STRING), ("title", compat.STRING), ("tile", compat.STRING),
                       ("date", compat.DATETIME), ("state", compat.STRING), ("reason", compat.STRING),
                       ("path", compat.STRING), ("size", compat.LONG_LONG)):
        fields.append(QgsField(name, kind))
    return fields


class DownloadAlgorithm(SentinelMirrorAlgorithm):
    INPUT, AUTHCFG, OUTPUT_FOLDER, LOAD_PRODUCTS = "INPUT", "AUTHCFG", "OUTPUT_FOLDER", "LOAD_PRODUCTS"
    WAIT_HOURS, OUTPUT, DOWNLOADED, FAILED = "WAIT_HOURS", "OUTPUT", "DOWNLOADED", "FAILED"
    PRODUCTS, ON_TAPE, CDSE_TOTP = "PRODUCTS", "ON_TAPE", "CDSE_TOTP"

    def name(self):
        return "download"

    def displayName(self):  # noqa: N802
        return tr("Download Sentinel products")

    def shortHelpString(self):  # noqa: N802
        return tr("Downloads the products of a footprints layer (from 'Search Sentinel products'; tick 'Selected "
                  "features only' to take a subset) into a folder. Online products download at once, in parallel; "
                  "each download resumes after a dropped connection and lands only once its size and MD5 are "
                  "verified. Running it again skips what is already there.\n\nProducts on tape cannot be "
                  "brought back by this algorithm: neither GEODES nor CDSE offers a way to order them except by "
                  "hand in their web portal (the GEODES explorer, the CDSE Data Workspace). They are listed in the "
                  "log, in the report (state 'order in the GEODES explorer') and in a text file in the folder. "
                  "'Wait for products on tape' keeps watching them that many hours after you have ordered them "
                  "(0: end once the online products are in); run the algorithm again later to fetch them.\n\n"
                  "Outputs: the folder, and a report (one row per product: done, on tape or failed, and why).\n\n"
                  "The authentication configuration holds the GEODES API key (Basic, key as password) or the CDSE "
                  "username/password; empty = the one chosen in Settings > Options > Sentinel Mirror, else the "
                  "SENTINEL_MIRROR_* environment variables. A CDSE account with two-factor login also needs the "
                  "current one-time code (or SENTINEL_MIRROR_CDSE_TOTP).")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, tr("Footprints (products to download)"),
                                                              [compat.SOURCE_POLYGONS]))
        self.addParameter(QgsProcessingParameterAuthConfig(self.AUTHCFG, tr("Authentication configuration"),
                                                           optional=True))
        self.addParameter(QgsProcessingParameterBoolean(self.LOAD_PRODUCTS,
                                                        tr("Load downloaded products (natural colour)"), True))
        self.addParameter(QgsProcessingParameterNumber(
            self.WAIT_HOURS, tr("Wait for products on tape (hours; 0 = do not wait)"), compat.NUMBER_DOUBLE, 0.0,
            False, 0.0, 24.0 * 30))
        totp = QgsProcessingParameterString(self.CDSE_TOTP, tr("CDSE one-time code (two-factor accounts only)"),
                                            optional=True)
        totp.setFlags(totp.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(totp)
        # the folder chosen in Settings > Options > Sentinel Mirror, when there is one
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Download folder"),
                                                                  read_settings().download_dir or None))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Download report"),
                                                            compat.SOURCE_POLYGONS))
        # the verified archives, as a list the modeler can hand to 'NDVI of Sentinel-2 products'
        self.addOutput(QgsProcessingOutputMultipleLayers(self.PRODUCTS, tr("Downloaded product archives")))
        self.addOutput(QgsProcessingOutputNumber(self.DOWNLOADED, tr("Products downloaded")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr("Products failed")))
        self.addOutput(QgsProcessingOutputNumber(self.ON_TAPE, tr("Products on tape (to order in the portal)")))

    def prepare(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        self.products = [footprints.feature_to_product(f) for f in source.getFeatures(QgsFeatureRequest())]
        if not self.products:
            raise InvalidInputError(tr("The footprints layer has no product (or no selected feature): run a "
                                       "search first, or select the products to download."))
        providers = sorted({p.provider for p in self.products})
        if len(providers) > 1:
            raise InvalidInputError(tr("The footprints mix catalogues ({items}): download each catalogue's "
                                       "products separately.",
                                       items=', '.join(providers)))
        config = load_config()
        wait_h = self.parameterAsDouble(parameters, self.WAIT_HOURS, context)
        self.options = pipeline_options(config, watch_s=max(0.0, wait_h) * 3600.0)
        self.catalogue = open_catalogue(providers[0], self.parameterAsString(parameters, self.AUTHCFG, context),
                                        config, totp=self.parameterAsString(parameters, self.CDSE_TOTP, context))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.raise_prepare_error()
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        try:
            writable_folder(folder)   # a file, a read-only mount: one sentence now, not a traceback or retries
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        last_state = {}
        titles = {p.id: p.title for p in self.products}
        progress = FeedbackProgress(feedback)

        def on_status(status):  # pipeline threads: only through the thread-safe progress adapter
            if last_state.get(status.product_id) is not status.state and status.state in (
                    ProductState.OFFLINE, ProductState.DOWNLOADING, ProductState.DONE):
                progress.message(f"{titles.get(status.product_id, status.product_id)}: {state_label(status.state)}")
            last_state[status.product_id] = status.state

        from ..core.pipeline import run_pipeline  # the pipeline's thread pool loads only when downloading

        stats = {}
        try:
            statuses = run_pipeline(self.catalogue, self.products, folder, options=self.options, progress=progress,
                                    on_status=on_status, stats=stats)
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None

        by_id = {s.product_id: s for s in statuses}
        fields = report_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, compat.WKB_MULTIPOLYGON,
                                             footprints.CRS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        done, failed, on_tape = [], [], []
        recall = self.catalogue.offline_recall
        for product in self.products:
            status = by_id.get(product.id)
            state = status.state if status else ProductState.FAILED
            reason = localize(status.reason) if status else tr("The pipeline did not report this product.")
            (done if state is ProductState.DONE else on_tape if state is ProductState.OFFLINE else failed).append(
                (product, status, reason))
            state_text = state.value
            if state is ProductState.OFFLINE:   # on tape: what to do, not a failure
                state_text = localize(recall.state)
                # a watch stopped by the service (refused credentials): the reason says so, the portal steps follow
                steps = (recall.instructions(len(stats.get("on_tape") or [1])) if stats.get("watch_stopped")
                         else stats.get("instructions", ""))
                reason = f"{reason} {localize(steps)}".strip()
            feature = QgsFeature(fields)
            geom = footprints.geometry_from_geojson(product.footprint)
            if not geom.isEmpty():
                feature.setGeometry(geom)
            feature.setAttributes([product.id, product.title, product.tile, footprints.to_qdatetime(product.acquired),
                                   state_text, reason or None, status.path if status else None, product.size])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        # Closed now, so the report is complete on disk even when the run ends with "no product could be
        # downloaded" below (the exception's traceback would otherwise keep the writer open).
        sink.flushBuffer()
        del sink
        style_on_completion(context, dest_id, "report", tr("Download report"))
        for product, _, reason in failed:
            feedback.reportError(f"{product.title}: {reason}", False)
        feedback.pushInfo(tr("{done} of {total} products downloaded and verified in {folder}.", done=len(done),
                             total=len(self.products), folder=folder))
        for product, status, _ in done:
            if status and status.reason:   # e.g. no checksum from the catalogue: checked as a zip only
                feedback.pushInfo(f"{product.title}: {localize(status.reason)}")
        if on_tape:
            feedback.pushWarning(tr("{instructions} Open {url}. The names are also in {listed}:",
                                    instructions=stats["instructions"], url=recall.portal_url,
                                    listed=stats.get("tape_list") or folder))
            for product, _, _ in on_tape:
                feedback.pushInfo(f"    {product.title}: {localize(recall.state)}")
        if failed and not done and not on_tape:
            raise QgsProcessingException(tr("No product could be downloaded. {title}: {value}",
                                            title=failed[0][0].title, value=failed[0][2]))

        if self.parameterAsBoolean(parameters, self.LOAD_PRODUCTS, context):
            self._load_natural_colour(done, folder, context, feedback)
        return {self.OUTPUT_FOLDER: folder, self.OUTPUT: dest_id, self.PRODUCTS: [s.path for _, s, _ in done],
                self.DOWNLOADED: len(done),
                self.FAILED: len(failed), self.ON_TAPE: len(on_tape)}

    def _load_natural_colour(self, done, folder, context, feedback):
        from ..core.products import natural_colour_vrt
        from ..core.product_names import natural_colour_path
        from ..qgis.layers import display_name

        for product, status, _ in done:
            if product.kind is ProductKind.S1 or not status or not status.path:
                continue
            vrt = natural_colour_path(status.path)
            try:
                natural_colour_vrt(status.path, vrt)
            except Exception as e:  # noqa: BLE001 - a view that cannot be built does not fail the download
                feedback.pushWarning(tr("{title}: no natural-colour view ({reason}).", title=product.title, reason=e))
                continue
            load_on_completion(context, vrt, display_name(tr("Natural colour"), status.path, product.title),
                               "natural_colour")
