"""Coordinates and polygons between the user's CRS and each tile grid (OGR/OSR, x/y order everywhere)."""
from osgeo import ogr, osr

from ..errors import InvalidInputError
from ..i18n import tr

ogr.UseExceptions()
osr.UseExceptions()


def srs_from(definition):
    """An OSR SpatialReference from WKT, 'EPSG:n', an int EPSG code or a PROJ string; traditional x/y order."""
    srs = osr.SpatialReference()
    try:
        if isinstance(definition, int):
            srs.ImportFromEPSG(definition)
        else:
            srs.SetFromUserInput(str(definition))
    except RuntimeError as e:
        raise InvalidInputError(tr("Unknown coordinate reference system {value!r}: {e}",
                                   value=str(definition)[:80], e=e)) from None
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


class Transforms:
    """Cached coordinate transformations from one source CRS to grids' CRSs (keyed by WKT)."""

    def __init__(self, source):
        self.source = source if isinstance(source, osr.SpatialReference) else srs_from(source)
        self._to, self._from = {}, {}

    def _pair(self, wkt):
        if wkt not in self._to:
            target = srs_from(wkt)
            self._to[wkt] = osr.CoordinateTransformation(self.source, target)
            self._from[wkt] = osr.CoordinateTransformation(target, self.source)
        return self._to[wkt], self._from[wkt]

    def point(self, x, y, wkt):
        tx, ty, _ = self._pair(wkt)[0].TransformPoint(x, y)
        return tx, ty

    def to_grid(self, geom, wkt):
        g = geom.Clone()
        g.Transform(self._pair(wkt)[0])
        return g

    def from_grid(self, geom, wkt):
        g = geom.Clone()
        g.Transform(self._pair(wkt)[1])
        return g


def geometry_from(text):
    """An OGR geometry from WKT or WKB (bytes); a polygon the user can fix when it is not one."""
    try:
        g = ogr.CreateGeometryFromWkb(bytes(text)) if isinstance(text, (bytes, bytearray, memoryview)) \
            else ogr.CreateGeometryFromWkt(str(text))
    except RuntimeError:
        g = None
    if g is None or g.IsEmpty():
        raise InvalidInputError(tr("A parcel has no geometry: give polygons."))
    if ogr.GT_Flatten(g.GetGeometryType()) not in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
        raise InvalidInputError(tr("A parcel is a {lower}, not a polygon: give polygons.",
                                   lower=g.GetGeometryName().lower()))
    if not g.IsValid():
        g = g.Buffer(0)          # self-intersecting rings drawn by hand: the usual repair
    return g


def box(bounds):
    x0, y0, x1, y1 = bounds
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly
