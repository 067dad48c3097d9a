"""QGIS extent + CRS -> core BBox (EPSG:4326 lon/lat). Any source CRS; the antimeridian is handled."""
from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsCsException, QgsProject,
                       QgsRectangle)

from ..core.errors import InvalidInputError
from ..core.models import BBox
from .i18n import tr

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def extent_to_bbox(rect: QgsRectangle, crs: QgsCoordinateReferenceSystem, transform_context=None) -> BBox:
    """The lon/lat box covering `rect` (given in `crs`), using the project's datum transforms by default."""
    if rect is None or rect.isNull() or rect.isEmpty():
        raise InvalidInputError(tr("The extent is empty: draw or choose an area with a non-zero width and height."))
    if crs is None or not crs.isValid():
        raise InvalidInputError(tr("The extent has no valid coordinate reference system: set the layer or project "
                                   "CRS."))
    if crs.authid() == "EPSG:4326":
        out = QgsRectangle(rect)
    else:
        context = transform_context if transform_context is not None else QgsProject.instance().transformContext()
        transform = QgsCoordinateTransform(crs, WGS84, context)
        transform.setBallparkTransformsAreAppropriate(True)  # a search box does not need sub-metre datum shifts
        try:
            # densified edges + the 180° crossover: a UTM box near the antimeridian comes back with east > 180
            out = transform.transformBoundingBox(rect, handle180Crossover=True)
        except QgsCsException as e:
            raise InvalidInputError(tr("The extent cannot be expressed in longitude/latitude ({e}): choose an "
                                       "area inside the valid range of its CRS.",
                                       e=e)) from e
    west, east = out.xMinimum(), out.xMaximum()
    if east - west >= 360:
        west, east = -180.0, 180.0
    elif east > 180:  # crosses the antimeridian: BBox says so with west > east
        east -= 360
    elif west < -180:
        west += 360
    south, north = max(out.yMinimum(), -90.0), min(out.yMaximum(), 90.0)
    return BBox(west=max(min(west, 180.0), -180.0), south=south, east=max(min(east, 180.0), -180.0), north=north)
