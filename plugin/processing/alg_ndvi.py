"""sentinelmirror:ndvi — downloaded product archives -> one NDVI GeoTIFF per product."""
from pathlib import Path

from qgis.core import (QgsProcessingException, QgsProcessingOutputMultipleLayers, QgsProcessingOutputNumber,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFile,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterMultipleLayers)

from ..core.errors import InvalidInputError
from ..core.ndvi_batch import compute_ndvi_batch, product_archives
from ..core.paths import writable_folder
from ..qgis import compat
from ..qgis.feedback import FeedbackProgress
from ..qgis.layers import display_name
from .base import SentinelMirrorAlgorithm, processing_error
from .postprocess import load_on_completion


def mask_policy(cloud_mask):
    """The engine's default masks (clouds, edges...) or none at all."""
    from ..core.ndvi import MaskPolicy

    return MaskPolicy() if cloud_mask else MaskPolicy.none()


class NdviAlgorithm(SentinelMirrorAlgorithm):
    GROUP, GROUP_ID = "Indices", "indices"
    INPUTS, FOLDER, CLOUD_MASK = "INPUTS", "FOLDER", "CLOUD_MASK"
    OUTPUT_FOLDER, OUTPUT_LAYERS, COMPUTED, FAILED = "OUTPUT_FOLDER", "OUTPUT_LAYERS", "COMPUTED", "FAILED"

    def name(self):
        return "ndvi"

    def displayName(self):  # noqa: N802
        return "NDVI of Sentinel-2 products"

    def shortHelpString(self):  # noqa: N802
        return ("Computes NDVI = (NIR - red) / (NIR + red) for each downloaded Sentinel-2 product, straight from "
                "its zip (no extraction): one float32 GeoTIFF per product, named <product>_NDVI.tif, on the "
                "product's 10 m grid, nodata where a band is missing or a mask flags the pixel.\n\nGive product "
                "zips, or a folder (every .zip in it), or both. Cloud masking (MAJA CLM/EDG, Sen2Cor SCL, L1C "
                "cloud mask) is on by default. L2A (surface reflectance) is what NDVI should use; from L1C the "
                "result is top-of-atmosphere NDVI and the log says so.\n\nA product that cannot be read is "
                "reported and skipped; the others are computed.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(self.INPUTS, "Product archives (.zip)",
                                                               compat.SOURCE_FILE, optional=True))
        self.addParameter(QgsProcessingParameterFile(self.FOLDER, "Or a folder of product archives",
                                                     compat.FILE_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterBoolean(self.CLOUD_MASK, "Mask clouds (and shadows, edges)", True))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "NDVI folder"))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, "NDVI rasters"))
        self.addOutput(QgsProcessingOutputNumber(self.COMPUTED, "Products computed"))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, "Products failed"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        try:
            archives = [str(p) for p in self.parameterAsFileList(parameters, self.INPUTS, context) or []]
            folder = self.parameterAsFile(parameters, self.FOLDER, context)
            if folder:
                archives += product_archives(folder)
            if not archives:
                raise InvalidInputError("No product archive given: choose downloaded product zips or the folder "
                                        "they were downloaded to.")
            out_folder = writable_folder(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context), "NDVI folder")
            results, errors = compute_ndvi_batch(
                archives, out_folder, masks=mask_policy(self.parameterAsBoolean(parameters, self.CLOUD_MASK, context)),
                progress=FeedbackProgress(feedback),
                on_error=lambda archive, message: feedback.reportError(f"{Path(archive).name}: {message}", False))
        except Exception as e:  # noqa: BLE001
            raise processing_error(e) from None
        if not results:
            raise QgsProcessingException(f"No NDVI could be computed. {Path(errors[0][0]).name}: {errors[0][1]}")
        paths = []
        for result in results:
            path = str(result.path)
            paths.append(path)
            if getattr(result, "top_of_atmosphere", False):
                feedback.pushWarning(f"{Path(path).name}: computed from L1C, this is top-of-atmosphere NDVI.")
            load_on_completion(context, path, display_name("NDVI", path, Path(path).stem), "ndvi")
        feedback.pushInfo(f"{len(results)} NDVI rasters written to {out_folder}"
                          + (f"; {len(errors)} products failed." if errors else "."))
        return {self.OUTPUT_FOLDER: out_folder, self.OUTPUT_LAYERS: paths, self.COMPUTED: len(results),
                self.FAILED: len(errors)}
