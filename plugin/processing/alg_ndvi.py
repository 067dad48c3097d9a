"""sentinelmirror:index — downloaded product archives -> one spectral-index GeoTIFF per product (NDVI by
default; NDWI, MNDWI, NDMI, NBR, NDRE, EVI, SAVI; float32 or compact Int16).

sentinelmirror:ndvi is the same algorithm under its first id, kept for saved models, scripts and the shipped
model (resources/models/tile_ndvi_time_series.model3); it is hidden from the toolbox and the modeler palette.
"""
from pathlib import Path

from qgis.core import (QgsProcessingException, QgsProcessingOutputMultipleLayers, QgsProcessingOutputNumber,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum, QgsProcessingParameterFile,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterMultipleLayers)

from ..core.errors import InvalidInputError
from ..core.i18n import tr_noop
from ..core.indices import ENCODINGS, INDEX_NAMES, INDICES
from ..core.ndvi_batch import compute_ndvi_batch, product_archives
from ..core.paths import writable_folder
from ..qgis import compat
from ..qgis.feedback import FeedbackProgress
from ..qgis.layers import display_name
from .base import SentinelMirrorAlgorithm, processing_error
from .postprocess import load_on_completion
from ..qgis.i18n import localize, tr


def mask_policy(cloud_mask):
    """The engine's default masks (clouds, edges...) or none at all."""
    from ..core.ndvi import MaskPolicy

    return MaskPolicy() if cloud_mask else MaskPolicy.none()


ENCODING_LABELS = (tr_noop("float32 (exact)"), tr_noop("Int16, compact (index x 10000, scale in the metadata)"))
RESOLUTION_LABELS = (tr_noop("10 m (20 m bands replicated 2 x 2)"), tr_noop("20 m (10 m bands averaged 2 x 2)"))


class IndexAlgorithm(SentinelMirrorAlgorithm):
    GROUP, GROUP_ID = tr_noop("Indices"), "indices"
    INPUTS, FOLDER, CLOUD_MASK = "INPUTS", "FOLDER", "CLOUD_MASK"
    INDEX, ENCODING, RESOLUTION = "INDEX", "ENCODING", "RESOLUTION"
    OUTPUT_FOLDER, OUTPUT_LAYERS, COMPUTED, FAILED = "OUTPUT_FOLDER", "OUTPUT_LAYERS", "COMPUTED", "FAILED"
    FOLDER_LABEL, LAYERS_LABEL = tr_noop("Index folder"), tr_noop("Index rasters")

    def name(self):
        return "index"

    def displayName(self):  # noqa: N802
        return tr("Spectral index (NDVI, NDWI, NBR...) of Sentinel-2 products")

    def shortHelpString(self):  # noqa: N802
        formulas = "\n".join(f"- {i.name}: {i.formula}" + (f" ({i.constants_text})" if i.constants else "")
                             for i in INDICES.values())
        return tr("Computes a spectral index for each downloaded Sentinel-2 product, straight from its zip (no "
                  "extraction): one GeoTIFF per product, named <product>_<INDEX>.tif (<product>_NDVI.tif for NDVI), "
                  "on the product's 10 m grid, nodata where a band is missing or a mask flags the pixel. On "
                  "reflectance in 0..1; 20 m bands (B5, B8A, B11, B12) are replicated 2 x 2 onto the 10 m grid "
                  "(exact nearest neighbour, stated in the raster's metadata), or, with the 20 m output grid, the "
                  "10 m bands are averaged 2 x 2 (<product>_<INDEX>_20m.tif):\n{formulas}\n\n"
                  "Output: float32 (exact), or Int16 (index x 10000, nodata -32768; the scale is in the file so QGIS "
                  "shows true values; a third of the size, rounding error at most 0.00005). With masks, "
                  "<product>_<INDEX>_masked.tif beside it (1 where a mask flagged the pixel) keeps masked pixels "
                  "apart from other no data for the time-series tools.\n\nGive product "
                  "zips, or a folder (every .zip in it), or both. Cloud masking (MAJA CLM/EDG, Sen2Cor SCL, L1C "
                  "cloud mask) is on by default. L2A (surface reflectance) is what indices should use; from L1C the "
                  "result is top of atmosphere and the log says so.\n\nA product that cannot be read is "
                  "reported and skipped; the others are computed. (sentinelmirror:ndvi is this algorithm under "
                  "its former id.)", formulas=formulas)

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(self.INPUTS, tr("Product archives (.zip)"),
                                                               compat.SOURCE_FILE, optional=True))
        self.addParameter(QgsProcessingParameterFile(self.FOLDER, tr("Or a folder of product archives"),
                                                     compat.FILE_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterBoolean(self.CLOUD_MASK, tr("Mask clouds (and shadows, edges)"), True))
        self.addParameter(QgsProcessingParameterEnum(self.INDEX, tr("Index"), options=list(INDEX_NAMES),
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(self.ENCODING, tr("Output encoding"),
                                                     options=[localize(label) for label in ENCODING_LABELS],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(self.RESOLUTION, tr("Output grid"),
                                                     options=[localize(label) for label in RESOLUTION_LABELS],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, localize(self.FOLDER_LABEL)))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, localize(self.LAYERS_LABEL)))
        self.addOutput(QgsProcessingOutputNumber(self.COMPUTED, tr("Products computed")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr("Products failed")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        try:
            archives = [str(p) for p in self.parameterAsFileList(parameters, self.INPUTS, context) or []]
            folder = self.parameterAsFile(parameters, self.FOLDER, context)
            if folder:
                archives += product_archives(folder)
            if not archives:
                raise InvalidInputError(tr("No product archive given: choose downloaded product zips or the "
                                           "folder they were downloaded to."))
            out_folder = writable_folder(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context),
                                         self.FOLDER_LABEL)
            index = INDEX_NAMES[self.parameterAsEnum(parameters, self.INDEX, context)]
            encoding = ENCODINGS[self.parameterAsEnum(parameters, self.ENCODING, context)]
            resolution = (10, 20)[self.parameterAsEnum(parameters, self.RESOLUTION, context)]
            results, errors = compute_ndvi_batch(
                archives, out_folder, masks=mask_policy(self.parameterAsBoolean(parameters, self.CLOUD_MASK, context)),
                progress=FeedbackProgress(feedback), index=index, encoding=encoding,
                resolution=resolution,
                on_error=lambda archive, message: feedback.reportError(f"{Path(archive).name}: {localize(message)}",
                                                                       False))
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        if not results:
            raise QgsProcessingException(tr("No {index} could be computed. {name}: {value}",
                                            index=index, name=Path(errors[0][0]).name, value=errors[0][1]))
        paths = []
        for result in results:
            path = str(result.path)
            paths.append(path)
            if getattr(result, "top_of_atmosphere", False):
                feedback.pushWarning(tr("{name}: computed from L1C, this is top-of-atmosphere {index}.",
                                        name=Path(path).name, index=index))
            load_on_completion(context, path, display_name(index, path, Path(path).stem), "ndvi")
        feedback.pushInfo(tr("{n} {index} rasters written to {folder}; {failed} products failed.", n=len(results),
                             index=index, folder=out_folder, failed=len(errors)) if errors else
                          tr("{n} {index} rasters written to {folder}.", n=len(results), index=index,
                             folder=out_folder))
        return {self.OUTPUT_FOLDER: out_folder, self.OUTPUT_LAYERS: paths, self.COMPUTED: len(results),
                self.FAILED: len(errors)}


class NdviAlgorithm(IndexAlgorithm):
    """The same algorithm under its first id (saved models, scripts, the shipped model), NDVI by default."""
    FOLDER_LABEL, LAYERS_LABEL = tr_noop("NDVI folder"), tr_noop("NDVI rasters")

    def name(self):
        return "ndvi"

    def displayName(self):  # noqa: N802
        return tr("NDVI of Sentinel-2 products")

    def flags(self):
        return super().flags() | compat.ALGORITHM_HIDDEN
