"""Sentinel-2 tiles (MGRS ids such as 31TCJ) <-> exact UTM footprints, computed, with no grid file.

How ESA built the grid (derived from, and tested against, the official tiling-grid KML; see
tests/unit/test_tiles.py, which matches all 20,430 land tiles to the metre):

* Each tile is an MGRS 100 km square of its UTM zone, grown to 109,800 m so that neighbours overlap
  by 9,780 m: the tile keeps the square's west and north edges and extends east and south.
* Its upper-left corner is snapped OUTWARDS (west, north) onto the 60 m pixel grid of the coarsest
  bands. That grid starts at the UTM origin: easting 0 and the equator (not the 10,000 km false
  northing of the south), hence ulx = 99960 / 199980 / 300000 / 399960 / 499980 for squares at 100 /
  200 / 300 / 400 / 500 km, and northern ulys of ...000 / ...020 / ...040 repeating every 300 km.
* A square straddling a latitude-band boundary exists once, labelled with the band of its centre.
* A square is part of zone Z when the western half of its southern or northern edge meets Z's
  longitudes there (Norway 31V/32V and Svalbard 31X-37X limits included): west end <= east limit and
  midpoint >= west limit. Asymmetric on purpose: squares poking over the east edge of a zone are
  kept, squares whose western half lies in the previous zone are left to that zone (whose tiles,
  109.8 km wide, cover it). ESA's generator normalises the midpoint's longitude to [-180, 180), so at
  the antimeridian zone 1 keeps squares whose midpoint is past -180 (if they reach into the zone)
  and zone 60 drops squares whose midpoint is past +180: the land tiles and the total prove both.
* Rows run from the one whose southern edge is north of 84 S to the one whose southern edge is
  south of 84 N (the grid covers Antarctica down to about 84 S, in band C).
This rule yields 56,695 tiles; ESA's KML has 56,686. The difference lies among 11 sea squares at the
steps of the Norway/Svalbard limits (56, 64, 72 N; listed in the tests) that the land-only truth
cannot settle; every land tile is reproduced exactly.

UTM <-> lon/lat is Krueger's series to n^6 (Karney 2011), the algorithm PROJ uses: nanometre agreement.
"""
import functools
import math
from dataclasses import dataclass

from .errors import InvalidInputError
from .models import normalize_tile_id
from .i18n import tr

TILE_SIZE = 109800
SQUARE = 100000
_SNAP = 60
_BANDS = "CDEFGHJKLMNPQRSTUVWX"
_COLUMN_SETS = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")  # zone % 3 == 1, 2, 0: eastings 100..800 km
_ROWS = "ABCDEFGHJKLMNPQRSTUV"                         # 20 rows = one 2,000 km cycle of northings
_ROW_CYCLE = 2000000
_FALSE_NORTHING = 10000000
_LAT_LIMIT = 84.0
_VALID_FORM = tr("a Sentinel-2 tile is zone 01-60, a latitude band C-X (no I, O) and a 100 km square "
                 "that exists in that zone and band, for example 31TCJ (Toulouse) or 33UVP")

# --- WGS84 transverse Mercator (Krueger/Karney series) -------------------------------------------
_A = 6378137.0
_F = 1 / 298.257223563
_K0 = 0.9996
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)
_n = _F / (2 - _F)
_RECT = _A / (1 + _n) * (1 + _n ** 2 / 4 + _n ** 4 / 64 + _n ** 6 / 256)  # rectifying radius
_ALPHA = (
    _n / 2 - 2 * _n ** 2 / 3 + 5 * _n ** 3 / 16 + 41 * _n ** 4 / 180 - 127 * _n ** 5 / 288 + 7891 * _n ** 6 / 37800,
    13 * _n ** 2 / 48 - 3 * _n ** 3 / 5 + 557 * _n ** 4 / 1440 + 281 * _n ** 5 / 630 - 1983433 * _n ** 6 / 1935360,
    61 * _n ** 3 / 240 - 103 * _n ** 4 / 140 + 15061 * _n ** 5 / 26880 + 167603 * _n ** 6 / 181440,
    49561 * _n ** 4 / 161280 - 179 * _n ** 5 / 168 + 6601661 * _n ** 6 / 7257600,
    34729 * _n ** 5 / 80640 - 3418889 * _n ** 6 / 1995840,
    212378941 * _n ** 6 / 319334400,
)
_BETA = (
    _n / 2 - 2 * _n ** 2 / 3 + 37 * _n ** 3 / 96 - _n ** 4 / 360 - 81 * _n ** 5 / 512 + 96199 * _n ** 6 / 604800,
    _n ** 2 / 48 + _n ** 3 / 15 - 437 * _n ** 4 / 1440 + 46 * _n ** 5 / 105 - 1118711 * _n ** 6 / 3870720,
    17 * _n ** 3 / 480 - 37 * _n ** 4 / 840 - 209 * _n ** 5 / 4480 + 5569 * _n ** 6 / 90720,
    4397 * _n ** 4 / 161280 - 11 * _n ** 5 / 504 - 830251 * _n ** 6 / 7257600,
    4583 * _n ** 5 / 161280 - 108847 * _n ** 6 / 3991680,
    20648693 * _n ** 6 / 638668800,
)


def _conformal_tan(tau):
    """tan(latitude) -> tan(conformal latitude)."""
    s = math.sinh(_E * math.atanh(_E * tau / math.hypot(1, tau)))
    return tau * math.hypot(1, s) - s * math.hypot(1, tau)


def _geographic_tan(taup):
    """Inverse of _conformal_tan by Newton's method (Karney 2011, eq. 19-21): converges in 2-3 steps."""
    tau = taup
    for _ in range(8):
        tp = _conformal_tan(tau)
        step = (taup - tp) / math.hypot(1, tp) * (1 + (1 - _E2) * tau * tau) / ((1 - _E2) * math.hypot(1, tau))
        tau += step
        if abs(step) < 1e-15 * max(1.0, abs(tau)):
            break
    return tau


def central_meridian(zone):
    return zone * 6 - 183


def utm_zone(lon, lat):
    """Standard UTM/MGRS zone of a point, with the Norway (32V) and Svalbard (31X-37X) exceptions."""
    lon = (lon + 180) % 360 - 180
    if 56 <= lat < 64 and 3 <= lon < 12:
        return 32
    if lat >= 72 and 0 <= lon < 42:
        return 31 if lon < 9 else 33 if lon < 21 else 35 if lon < 33 else 37
    return min(int((lon + 180) // 6) + 1, 60)


def lonlat_to_utm(lon, lat, zone=None, north=None):
    """lon/lat (WGS84) -> (zone, north, easting, northing); zone/hemisphere forced when given.

    Points outside the zone (tiles reach up to ~110 km past it) are fine: the series stays
    sub-millimetre far beyond that.
    """
    if zone is None:
        zone = utm_zone(lon, lat)
    if north is None:
        north = lat >= 0
    lam = math.radians(lon - central_meridian(zone))
    lam = (lam + math.pi) % (2 * math.pi) - math.pi   # accept 179 E for zone 1, -179 for zone 60
    tp = _conformal_tan(math.tan(math.radians(lat)))
    xip = math.atan2(tp, math.cos(lam))
    etap = math.asinh(math.sin(lam) / math.hypot(tp, math.cos(lam)))
    xi, eta = xip, etap
    for j, a in enumerate(_ALPHA, 1):
        xi += a * math.sin(2 * j * xip) * math.cosh(2 * j * etap)
        eta += a * math.cos(2 * j * xip) * math.sinh(2 * j * etap)
    x = 500000.0 + _K0 * _RECT * eta
    y = _K0 * _RECT * xi + (0.0 if north else _FALSE_NORTHING)
    return zone, north, x, y


def utm_to_lonlat(zone, north, x, y):
    """(zone, north, easting, northing) -> (lon, lat). lon is continuous around the zone's central
    meridian: points past the antimeridian come out below -180 (zone 1) or above 180 (zone 60)."""
    xi = (y - (0.0 if north else _FALSE_NORTHING)) / (_K0 * _RECT)
    eta = (x - 500000.0) / (_K0 * _RECT)
    xip, etap = xi, eta
    for j, b in enumerate(_BETA, 1):
        xip -= b * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        etap -= b * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
    s, c = math.sinh(etap), math.cos(xip)
    lat = math.degrees(math.atan(_geographic_tan(math.sin(xip) / math.hypot(s, c))))
    lon = central_meridian(zone) + math.degrees(math.atan2(s, c))
    return lon, lat


# --- the grid ---------------------------------------------------------------------------------------
def _band_of(lat):
    """MGRS band; C and X are stretched to the grid's rows beyond 80 S / 84 N."""
    if lat >= 72:
        return "X"
    if lat < -72:
        return "C"
    return _BANDS[int((lat + 80) // 8)]


def _zone_lons(zone, band):
    """Longitudes of a grid-zone designation, or None when it does not exist (32X, 34X, 36X)."""
    if band == "V" and zone in (31, 32):
        return (0, 3) if zone == 31 else (3, 12)
    if band == "X" and 31 <= zone <= 37:
        return {31: (0, 9), 33: (9, 21), 35: (21, 33), 37: (33, 42)}.get(zone)
    cm = central_meridian(zone)
    return cm - 3, cm + 3


def _snap_ul(e0, n0, north):
    """Upper-left corner of the tile of square (e0, n0): the square's NW corner moved outwards onto
    the 60 m grid counted from easting 0 and from the equator (true northing, false northing removed)."""
    offset = 0 if north else _FALSE_NORTHING
    top = n0 + SQUARE - offset
    return e0 // _SNAP * _SNAP, -(-top // _SNAP) * _SNAP + offset


@functools.lru_cache(maxsize=None)
def _square_band(zone, north, e0, n0):
    """Band letter of the S2 tile made from 100 km square (e0, n0) of zone/hemisphere, or None if ESA's
    grid has no tile there. Cached: at most ~57k squares, and map tools ask for the same ones."""
    def lonlat(x, y):
        return utm_to_lonlat(zone, north, x, y)

    _, lat_c = lonlat(e0 + SQUARE / 2, n0 + SQUARE / 2)
    band = _band_of(lat_c)
    if _zone_lons(zone, band) is None or (lat_c >= 0) != north:
        return None
    if abs(lonlat(e0, n0)[1]) > _LAT_LIMIT:     # rows: southern edge within 84 S..84 N
        return None
    for y in (n0, n0 + SQUARE):                 # the step of the Norway/Svalbard zones can lie in a square
        lon_w, lat = lonlat(e0, y)
        lons = _zone_lons(zone, _band_of(lat))
        if lons is None:
            continue
        lon_mid = lonlat(e0 + SQUARE / 2, y)[0]
        lon_e = lonlat(e0 + SQUARE, y)[0]
        wrapped_mid = (lon_mid + 180) % 360 - 180   # ESA's normalisation (see module doc)
        if lon_w <= lons[1] and lon_e >= lons[0] and wrapped_mid >= lons[0]:
            return band
    return None


def _parse(tile):
    """'31TCJ' -> (zone, band, north, e0, n0) of its 100 km square; raises naming the valid form when
    the id is well formed but the grid has no such tile."""
    zone, band, col, row = int(tile[:2]), tile[2], tile[3], tile[4]
    if not 1 <= zone <= 60:
        raise InvalidInputError(tr("{tile!r}: zone {zone:02d} does not exist (zones are 01-60); {valid_form}.",
                                   tile=tile, zone=zone, valid_form=_VALID_FORM))
    columns = _COLUMN_SETS[(zone - 1) % 3]
    if col not in columns or row not in _ROWS:
        raise InvalidInputError(
            tr("{tile!r}: zone {zone:02d} has no 100 km square {col}{row} (its columns are {value}-{value2}, rows "
               "A-V); {valid_form}.",
               tile=tile, zone=zone, col=col, row=row, value=columns[0], value2=columns[-1], valid_form=_VALID_FORM))
    north = band >= "N"
    e0 = (columns.index(col) + 1) * SQUARE
    # Row letters repeat every 2,000 km (shifted by 5 letters in even zones). Bands are < 1,400 km
    # high, so only one repetition can carry this band's label: try those near the band.
    base = (_ROWS.index(row) - (5 if zone % 2 == 0 else 0)) % 20 * SQUARE
    south = -84 if band == "C" else -80 + 8 * _BANDS.index(band)
    top = 84 if band == "X" else -72 if band == "C" else south + 8
    mid_y = lonlat_to_utm(central_meridian(zone), (south + top) / 2, zone, north)[3]
    k = round((mid_y - base - SQUARE / 2) / _ROW_CYCLE)
    for n0 in (base + (k + d) * _ROW_CYCLE for d in (0, -1, 1)):
        if _square_in_frame(e0, n0, north) and _square_band(zone, north, e0, n0) == band:
            return zone, band, north, e0, n0
    raise InvalidInputError(tr("{tile!r} is not in the Sentinel-2 grid (no square {col}{row} in zone {zone:02d}, "
                               "band {band}); {valid_form}.",
                               tile=tile, col=col, row=row, zone=zone, band=band, valid_form=_VALID_FORM))


def validate_tile(text):
    """Normalise a tile id ('t31tcj', 'T31TCJ' -> '31TCJ') and check the tile exists in ESA's grid."""
    tile = normalize_tile_id(text)
    _parse(tile)
    return tile


def _tile_id(zone, band, e0, n0):
    column = _COLUMN_SETS[(zone - 1) % 3][e0 // SQUARE - 1]
    row = _ROWS[(n0 // SQUARE + (5 if zone % 2 == 0 else 0)) % 20]
    return f"{zone:02d}{band}{column}{row}"


@dataclass(frozen=True)
class TileFootprint:
    """A tile's official footprint: a 109,800 m square in its UTM zone, upper-left corner (ulx, uly)."""
    tile: str
    epsg: int            # 326zz north, 327zz south
    ulx: int
    uly: int
    size: int = TILE_SIZE

    @property
    def zone(self):
        return self.epsg % 100

    @property
    def north(self):
        return self.epsg // 100 == 326

    def utm_bounds(self):
        return self.ulx, self.uly - self.size, self.ulx + self.size, self.uly

    def utm_polygon(self):
        """Closed ring, clockwise from the upper-left corner, in the tile's EPSG."""
        xmin, ymin, xmax, ymax = self.utm_bounds()
        return [(xmin, ymax), (xmax, ymax), (xmax, ymin), (xmin, ymin), (xmin, ymax)]

    def contains_utm(self, x, y):
        xmin, ymin, xmax, ymax = self.utm_bounds()
        return xmin <= x <= xmax and ymin <= y <= ymax

    def lonlat_polygon(self, points_per_side=10):
        """Closed lon/lat ring following the UTM edges (which are curves in lon/lat).

        Longitudes are continuous along the ring (never jump by 360): a tile crossing the
        antimeridian has some longitudes beyond +-180 (e.g. 180.4 for a zone 60 tile); the ring is
        shifted by 360 when needed so that its mean longitude lies in [-180, 180]. Split it yourself
        if a consumer needs [-180, 180].
        """
        n = max(1, int(points_per_side))
        ring = []
        corners = self.utm_polygon()
        for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
            for i in range(n):
                ring.append(utm_to_lonlat(self.zone, self.north, x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n))
        ring.append(ring[0])
        mean = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        shift = 360 if mean < -180 else -360 if mean > 180 else 0
        return [(lon + shift, lat) for lon, lat in ring] if shift else ring

    def lonlat_bounds(self):
        """(west, south, east, north) in degrees, like models.BBox: west > east when the tile crosses the
        antimeridian. Longitude extremes are at corners; latitude extremes at corners or where the
        top/bottom edge crosses the central meridian (parallels bow away from the equator)."""
        xmin, ymin, xmax, ymax = self.utm_bounds()
        xs = [xmin, xmax] + ([500000] if xmin < 500000 < xmax else [])
        pts = [utm_to_lonlat(self.zone, self.north, x, y) for x in xs for y in (ymin, ymax)]
        lons = [p[0] for p in pts]
        lats = [p[1] for p in pts]
        west, east = min(lons), max(lons)
        wrap = lambda v: (v + 180) % 360 - 180  # noqa: E731
        if west < -180 or east > 180:
            west, east = wrap(west), wrap(east)
        return west, min(lats), east, max(lats)


def tile_footprint(tile_id):
    """The exact footprint ESA publishes for a tile id ('31TCJ' or 'T31TCJ')."""
    tile = normalize_tile_id(tile_id)
    zone, _, north, e0, n0 = _parse(tile)
    ulx, uly = _snap_ul(e0, n0, north)
    return TileFootprint(tile, (32600 if north else 32700) + zone, ulx, uly)


def _footprint_of_square(zone, north, e0, n0):
    band = _square_band(zone, north, e0, n0)
    if band is None:
        return None
    ulx, uly = _snap_ul(e0, n0, north)
    return TileFootprint(_tile_id(zone, band, e0, n0), (32600 if north else 32700) + zone, ulx, uly)


def _reach_deg(lat):
    """How far (degrees of longitude) a zone's tiles can reach past its edges at this latitude:
    110 km east (kept squares may start at the edge) + a safety margin, measured where the tile is
    nearest the pole (up to ~1 degree of latitude further)."""
    lat = min(abs(lat) + 1.2, 89.0)
    return min(180.0, 125.0 / (111.32 * math.cos(math.radians(lat))))


_WIDE_ZONES = {31: (0, 9), 32: (3, 12), 33: (9, 21), 35: (21, 33), 37: (33, 42)}  # 31V..37X


def _candidate_zones(west, east, lat_lo, lat_hi):
    """Zones whose tiles can touch longitudes [west, east] (west <= east, may exceed +-180) between
    the given latitudes. The Norway/Svalbard zones are wider, so they get their widest extents."""
    reach = max(_reach_deg(lat_lo), _reach_deg(lat_hi))
    zones = []
    for zone in range(1, 61):
        lo, hi = central_meridian(zone) - 3, central_meridian(zone) + 3
        if lat_hi >= 55 and zone in _WIDE_ZONES:
            lo, hi = min(lo, _WIDE_ZONES[zone][0]), max(hi, _WIDE_ZONES[zone][1])
        lo, hi = lo - reach, hi + reach
        if any(lo + shift <= east and hi + shift >= west for shift in (-360, 0, 360)):
            zones.append(zone)
    return zones


def _frames(lat_lo, lat_hi):
    """UTM hemispheres whose tiles can reach these latitudes (northern tiles reach ~10 km south of the
    equator: their squares start at the equator and tiles extend 9,780 m south)."""
    frames = []
    if lat_hi >= -0.2:
        frames.append(True)
    if lat_lo < 0:
        frames.append(False)
    return frames


def tiles_at(lon, lat):
    """Every Sentinel-2 tile whose official footprint contains the point (overlaps give several),
    including tiles of neighbouring zones. A few 100 km squares per nearby zone are checked: no scan."""
    if not (-90 <= lat <= 90) or not math.isfinite(lon):
        raise InvalidInputError(tr("Point ({lon}, {lat}) is not a longitude/latitude in degrees.", lon=lon, lat=lat))
    if abs(lat) > 85.5:
        return []
    found = []
    for zone in _candidate_zones(lon, lon, lat, lat):
        for north in _frames(lat, lat):
            _, _, x, y = lonlat_to_utm(lon, lat, zone, north)
            for e0 in _multiples(x - TILE_SIZE, x + _SNAP):
                for n0 in _multiples(y - SQUARE - _SNAP, y + TILE_SIZE - SQUARE):
                    if not _square_in_frame(e0, n0, north):
                        continue
                    fp = _footprint_of_square(zone, north, e0, n0)
                    if fp is not None and fp.contains_utm(x, y):
                        found.append(fp.tile)
    return sorted(set(found))


def _multiples(lo, hi):
    """Multiples of 100 km in [lo, hi]."""
    return range(int(math.ceil(lo / SQUARE)) * SQUARE, int(math.floor(hi / SQUARE)) * SQUARE + 1, SQUARE)


def _square_in_frame(e0, n0, north):
    if not SQUARE <= e0 <= 8 * SQUARE:
        return False
    return 0 <= n0 if north else n0 + SQUARE <= _FALSE_NORTHING and n0 >= 0


def tiles_in_bbox(bbox, limit=500):
    """Tiles whose footprint intersects a lon/lat box (models.BBox; west > east crosses the antimeridian).

    Raises InvalidInputError when more than `limit` tiles intersect, rather than returning thousands.
    """
    west, south, east, north_lat = bbox.west, bbox.south, bbox.east, bbox.north
    if west > east:
        east += 360
    too_many = InvalidInputError(
        tr("The extent covers more than {limit} Sentinel-2 tiles: zoom in, draw a smaller extent, or pick tiles "
           "by id.",
           limit=limit))
    # Cheap early refusal for huge extents: a tile adds at most ~100 km x 100 km of new ground.
    area_km2 = (6371.0 ** 2 * math.radians(east - west)
                * abs(math.sin(math.radians(north_lat)) - math.sin(math.radians(south))))
    if area_km2 / 10000.0 > 2 * limit + 50:
        raise too_many
    south, north_lat = max(south, -85.5), min(north_lat, 85.5)
    if south >= north_lat:
        return []
    found = set()
    box = (west, south, east, north_lat)
    margin = 20000  # the densified box outline may miss the bulge of a parallel between samples
    for zone in _candidate_zones(west, east, south, north_lat):
        for north in _frames(south, north_lat):
            xs, ys = [], []
            for lon, lat in _box_ring(box, 16):
                lat = max(lat, -0.2) if north else min(lat, 0.0)
                _, _, x, y = lonlat_to_utm(lon, lat, zone, north)
                xs.append(x)
                ys.append(y)
            for e0 in _multiples(min(xs) - margin - TILE_SIZE, max(xs) + margin):
                for n0 in _multiples(min(ys) - margin - SQUARE, max(ys) + margin + TILE_SIZE - SQUARE):
                    if not _square_in_frame(e0, n0, north):
                        continue
                    fp = _footprint_of_square(zone, north, e0, n0)
                    if fp is not None and fp.tile not in found and _intersects_box(fp, box):
                        found.add(fp.tile)
                        if len(found) > limit:
                            raise too_many
    return sorted(found)


def _box_ring(box, n):
    west, south, east, north = box
    pts = []
    for i in range(n):
        f = i / n
        pts += [(west + (east - west) * f, south), (east, south + (north - south) * f),
                (east - (east - west) * f, north), (west, north - (north - south) * f)]
    return pts


def _intersects_box(fp, box):
    """Does the footprint (densified lon/lat ring) intersect the box? Tested with the ring shifted by
    -360/0/+360 so boxes and tiles on either side of the antimeridian meet."""
    ring = fp.lonlat_polygon(24)
    west, south, east, north = box
    for shift in (-360, 0, 360):
        pts = [(lon + shift, lat) for lon, lat in ring]
        if _polygon_meets_rect(pts, west, south, east, north):
            return True
    return False


def _polygon_meets_rect(ring, west, south, east, north):
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
        return False
    if any(west <= lon <= east and south <= lat <= north for lon, lat in ring):
        return True
    if any(_point_in_ring(cx, cy, ring) for cx in (west, east) for cy in (south, north)):
        return True
    edges = [((west, south), (east, south)), ((east, south), (east, north)),
             ((east, north), (west, north)), ((west, north), (west, south))]
    return any(_segments_cross(a, b, c, d) for a, b in zip(ring, ring[1:]) for c, d in edges)


def _point_in_ring(x, y, ring):
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _segments_cross(p, q, r, s):
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2, d3, d4 = orient(r, s, p), orient(r, s, q), orient(p, q, r), orient(p, q, s)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0)


def iter_tiles():
    """Every tile of the grid as a TileFootprint (about 57k; takes a few seconds)."""
    for zone in range(1, 61):
        for north in (True, False):
            rows = range(0, 9400001, SQUARE) if north else range(500000, _FALSE_NORTHING, SQUARE)
            for n0 in rows:
                for e0 in range(SQUARE, 8 * SQUARE + 1, SQUARE):
                    fp = _footprint_of_square(zone, north, e0, n0)
                    if fp is not None:
                        yield fp
