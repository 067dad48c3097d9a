"""Sentinel-2 tile grid: computed footprints against ESA's official grid (land tiles), point and extent
lookups checked by brute force against that truth, and the awkward places (antimeridian, Norway,
Svalbard, band edges, poles, equator)."""
import csv
import gzip
import math
import random
from collections import defaultdict
from pathlib import Path

import pytest

from plugin.core import tiles
from plugin.core.errors import InvalidInputError
from plugin.core.models import BBox

# Test data only (tests/ is not part of the plugin zip); see tests/fixtures/s2grid/SOURCES.md.
TRUTH_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "s2grid" / "s2_grid_land.csv.gz"


@pytest.fixture(scope="module")
def truth():
    """tile -> (epsg, ulx, uly) for the 20,430 land tiles of ESA's grid."""
    with gzip.open(TRUTH_FILE, "rt") as f:
        return {r["tile"]: (int(r["epsg"]), int(r["ulx"]), int(r["uly"])) for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def truth_by_epsg(truth):
    by = defaultdict(list)
    for tile, (epsg, ulx, uly) in truth.items():
        by[epsg].append((tile, ulx, uly))
    return by


def truth_tiles_containing(truth_by_epsg, lon, lat):
    """Brute force: every truth tile whose 109,800 m square contains the point in the tile's own UTM."""
    found = set()
    for epsg, rows in truth_by_epsg.items():
        zone, north = epsg % 100, epsg // 100 == 326
        _, _, x, y = tiles.lonlat_to_utm(lon, lat, zone, north)
        for tile, ulx, uly in rows:
            if ulx <= x <= ulx + 109800 and uly - 109800 <= y <= uly:
                found.add(tile)
    return found


def contains(tile, lon, lat):
    fp = tiles.tile_footprint(tile)
    _, _, x, y = tiles.lonlat_to_utm(lon, lat, fp.zone, fp.north)
    return fp.contains_utm(x, y)


# --- ids -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["31TCJ", "T31TCJ", " t31tcj ", "31tcj"])
def test_tile_ids_are_normalised(text):
    assert tiles.validate_tile(text) == "31TCJ"


@pytest.mark.parametrize("text, why", [
    ("hello", "not a tile id"),
    ("31TZZ", "square letters outside zone 31's columns A-H"),
    ("99XAA", "zone 99"),
    ("00TCJ", "zone 00"),
    ("31TCW", "row letters stop at V"),
    ("31TAA", "column A lies wholly in zone 30 at 44 N"),
    ("31TCA", "row A is 2,000 km away from band T"),
    ("32XNJ", "32X does not exist (Svalbard)"),
    ("34XEJ", "34X does not exist (Svalbard)"),
    ("36XVJ", "36X does not exist (Svalbard)"),
    ("31VFF", "31V stops at 3 E (Norway belongs to 32V)"),
    ("01CEG", "below the grid's last row near 84 S"),
    ("24XWV", "above the grid's last row near 84 N"),
    ("31ACJ", "band A"),
])
def test_invalid_tile_ids_name_the_valid_form(text, why):
    with pytest.raises(InvalidInputError) as e:
        tiles.validate_tile(text)
    assert "31TCJ" in str(e.value), why


def test_every_land_tile_of_the_official_grid_is_valid_and_exact_to_the_metre(truth):
    mismatches = []
    for tile, expected in truth.items():
        try:
            fp = tiles.tile_footprint(tile)
            got = (fp.epsg, fp.ulx, fp.uly)
        except InvalidInputError as e:
            got = str(e)
        if got != expected:
            mismatches.append((tile, expected, got))
    print(f"{len(truth) - len(mismatches)}/{len(truth)} tiles exact")
    assert not mismatches, f"{len(mismatches)} tiles differ, e.g. {mismatches[:20]}"


def test_footprint_geometry():
    fp = tiles.tile_footprint("T31TCJ")
    assert (fp.tile, fp.epsg, fp.ulx, fp.uly, fp.size) == ("31TCJ", 32631, 300000, 4900020, 109800)
    assert fp.utm_bounds() == (300000, 4790220, 409800, 4900020)
    ring = fp.utm_polygon()
    assert ring[0] == ring[-1] and len(ring) == 5
    ll = fp.lonlat_polygon(points_per_side=10)
    assert len(ll) == 41 and ll[0] == ll[-1]
    assert any(abs(lon - 1.44) < 0.8 and abs(lat - 43.6) < 0.6 for lon, lat in ll)
    west, south, east, north = fp.lonlat_bounds()
    assert west < 1.44 < east and south < 43.6 < north
    # every densified vertex lies on the UTM square's outline
    for lon, lat in ll:
        _, _, x, y = tiles.lonlat_to_utm(lon, lat, 31, True)
        assert min(abs(x - 300000), abs(x - 409800), abs(y - 4790220), abs(y - 4900020)) < 1e-3


def test_zone_1_keeps_squares_centred_past_the_antimeridian():
    # 01CCV (Ross Sea, not in the land truth) is in ESA's KML as 300000 2000020 / 409800 1890220 and has
    # products (e.g. S2A_MSIL1C_20151221T205519_N0201_R028_T01CCV_...); zone 60's mirror square does not exist.
    fp = tiles.tile_footprint("01CCV")
    assert (fp.epsg, fp.ulx, fp.uly) == (32701, 300000, 2000020)
    with pytest.raises(InvalidInputError):
        tiles.validate_tile("60CXE")   # the mirror square, centre line past 180 E


def test_southern_tile_footprint_snaps_from_the_equator():
    fp = tiles.tile_footprint("01CEH")
    assert (fp.epsg, fp.ulx, fp.uly) == (32701, 499980, 800020)
    assert not fp.north and fp.zone == 1


# --- the whole grid ------------------------------------------------------------------------------
# Sea squares at the steps of the Norway/Svalbard zone limits (56, 64, 72 N) that the rule keeps but
# that ESA's rule may not: the land-only truth cannot tell; ESA's published count says 2 of them exist.
STEP_SEA_SQUARES = {"31VFC", "31WGV", "32VJH", "32VKH", "32WKS", "32WLS", "33WUV", "33WYV", "35WLV", "35WQV",
                    "37WCV"}
ESA_TILE_COUNT = 56686   # features in S2A_OPER_GIP_TILPAR_MPC__20151209T095117_..._B00.kml


def test_full_grid_contains_every_land_tile_and_matches_esas_count(truth):
    grid = {fp.tile: fp for fp in tiles.iter_tiles()}
    assert set(truth) <= set(grid)
    assert STEP_SEA_SQUARES <= set(grid) and not STEP_SEA_SQUARES & set(truth)
    assert len(set(grid) - STEP_SEA_SQUARES) <= ESA_TILE_COUNT <= len(grid)
    print(f"grid: {len(grid)} tiles (ESA: {ESA_TILE_COUNT})")
    assert not any(t[:3] in ("32X", "34X", "36X") for t in grid)
    for tile in list(grid)[::97]:   # ids and footprints agree both ways
        assert tiles.tile_footprint(tile) == grid[tile]


# --- UTM <-> lon/lat -----------------------------------------------------------------------------
def test_utm_transform_matches_gdal_to_sub_millimetre():
    osr = pytest.importorskip("osgeo.osr")
    rng = random.Random(3)
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    worst = 0.0
    for _ in range(400):
        zone, north = rng.randint(1, 60), rng.random() < 0.5
        lat = rng.uniform(0, 84) if north else rng.uniform(-84, 0)
        lon = tiles.central_meridian(zone) + rng.uniform(-8, 8)   # tiles reach past the zone edge
        utm = osr.SpatialReference()
        utm.ImportFromEPSG((32600 if north else 32700) + zone)
        ref_x, ref_y, _ = osr.CoordinateTransformation(wgs, utm).TransformPoint(lon, lat)
        _, _, x, y = tiles.lonlat_to_utm(lon, lat, zone, north)
        back_lon, back_lat = tiles.utm_to_lonlat(zone, north, ref_x, ref_y)
        worst = max(worst, abs(x - ref_x), abs(y - ref_y),
                    abs(back_lat - lat) * 111e3, abs(back_lon - lon) * 111e3 * math.cos(math.radians(lat)))
    assert worst < 1e-4, f"worst difference {worst} m"


def test_utm_zone_exceptions():
    assert tiles.lonlat_to_utm(1.44, 43.6)[:2] == (31, True)
    assert tiles.lonlat_to_utm(5.3, 60.4)[0] == 32      # Bergen: Norway's wide 32V
    assert tiles.lonlat_to_utm(8.0, 78.5)[0] == 31      # Svalbard 31X: 0-9 E
    assert tiles.lonlat_to_utm(15.6, 78.2)[0] == 33     # Longyearbyen
    assert tiles.lonlat_to_utm(-70.0, -33.0)[:2] == (19, False)
    assert tiles.lonlat_to_utm(180.0, 10.0)[0] == 1


# --- point -> tiles ------------------------------------------------------------------------------
def test_toulouse_returns_exactly_the_tiles_that_contain_it(truth_by_epsg):
    expected = truth_tiles_containing(truth_by_epsg, 1.44, 43.60)
    assert tiles.tiles_at(1.44, 43.60) == sorted(expected) == ["31TCJ"]


def _check_point(truth_by_epsg, lon, lat):
    got = tiles.tiles_at(lon, lat)
    expected = truth_tiles_containing(truth_by_epsg, lon, lat)
    assert expected <= set(got), (lon, lat, sorted(expected - set(got)))
    for tile in got:   # sea tiles are not in the truth: they must still exist and contain the point
        assert tiles.validate_tile(tile) == tile and contains(tile, lon, lat), (lon, lat, tile)
    return got


PLACES = {
    "Fiji east of 180": (-179.9, -16.8), "Fiji west of 180": (179.9, -16.8), "Taveuni": (-179.97, -16.85),
    "Chukotka": (-175.0, 65.0), "Chukotka west": (177.5, 64.7), "Wrangel Island": (-179.5, 71.2),
    "Aleutians Adak": (-176.6, 51.9), "Aleutians Amchitka": (179.2, 51.5), "Attu": (173.2, 52.9),
    "Bergen (32V)": (5.3, 60.4), "Utsira (32V west of 6E)": (4.88, 59.31), "Shetland": (-1.2, 60.3),
    "Norway 64N step": (10.4, 64.0), "Svalbard 31X": (11.9, 78.9), "Longyearbyen 33X": (15.6, 78.2),
    "Nordaustlandet 35X": (24.0, 79.8), "Franz Josef 37X/39X": (55.0, 80.6), "Kvitoya": (33.0, 80.1),
    "72N in Norway zone 35": (25.7, 71.1), "72N Taimyr": (100.0, 72.0), "Greenland 84N": (-33.0, 83.6),
    "Ellesmere": (-75.0, 82.5), "Antarctica -80": (0.0, -80.0), "Antarctica -83.5": (-150.0, -83.5),
    "Antarctica Ross": (170.0, -77.8), "equator Kenya south": (37.0, -0.05), "equator Kenya north": (37.0, 0.05),
    "Patagonia": (-69.0, -50.0), "zone edge 43.6N": (6.0, 43.7), "zone edge south": (-66.0, -23.0),
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_points_in_awkward_places_match_the_official_grid(truth_by_epsg, place):
    lon, lat = PLACES[place]
    assert _check_point(truth_by_epsg, lon, lat), f"{place}: no tile at all"


def test_random_points_worldwide_match_the_official_grid(truth_by_epsg):
    rng = random.Random(20261126)
    with_tiles = 0
    for _ in range(300):
        lon, lat = rng.uniform(-180, 180), math.degrees(math.asin(rng.uniform(-0.99, 0.995)))
        got = _check_point(truth_by_epsg, lon, lat)
        with_tiles += bool(got)
    assert with_tiles > 250   # the grid covers 84 S - 84 N: almost every point has a tile


def test_tiles_at_the_antimeridian_come_from_both_zones():
    got = tiles.tiles_at(179.9, -17.5)
    assert any(t.startswith("60") for t in got) and any(t.startswith("01") for t in got)
    assert tiles.tiles_at(-180.0, -17.5) == tiles.tiles_at(180.0, -17.5)


def test_no_tiles_beyond_the_grid():
    assert tiles.tiles_at(0.0, 89.0) == [] and tiles.tiles_at(0.0, -89.0) == []
    with pytest.raises(InvalidInputError):
        tiles.tiles_at(0.0, 95.0)


def test_band_edges():
    # 84 N: the top row of band X starts below 84 N and reaches 84.6 N
    assert "24XWU" in tiles.tiles_at(-39.0, 84.3)
    # 72 N: squares straddling the W/X limit exist once, labelled with the band of their centre
    got = tiles.tiles_at(25.0, 72.0)
    assert got and all(t[2] in "WX" for t in got)
    # below 80 S band C continues down to about 84 S (only the squares at the central meridian,
    # which reach 5-6 degrees into the neighbouring zones there)
    assert tiles.tiles_at(3.0, -83.5) == ["30CWN", "31CEH"]
    assert tiles.tiles_at(3.0, -84.5) == [] and tiles.tiles_at(-177.0, -84.5) == []


# --- antimeridian-aware geometry -----------------------------------------------------------------
@pytest.mark.parametrize("tile", ["01KAA", "60KYF", "01WCV", "60WWS"])
def test_antimeridian_tiles_have_continuous_rings_and_crossing_bounds(tile):
    fp = tiles.tile_footprint(tile)
    ring = fp.lonlat_polygon()
    assert all(abs(a[0] - b[0]) < 5 for a, b in zip(ring, ring[1:])), "longitude jumps by 360"
    mean = sum(lon for lon, _ in ring[:-1]) / (len(ring) - 1)
    assert -180 <= mean <= 180
    west, south, east, north = fp.lonlat_bounds()
    crosses = min(lon for lon, _ in ring) < -180 or max(lon for lon, _ in ring) > 180
    assert (west > east) == crosses
    BBox(west, south, east, north)   # usable as an extent as is


# --- extent -> tiles -----------------------------------------------------------------------------
def _grid_points(box, step):
    west, south, east, north = box
    if east < west:
        east += 360
    lat = south
    while lat <= north + 1e-9:
        lon = west
        while lon <= east + 1e-9:
            yield (lon + 180) % 360 - 180, lat
            lon += step
        lat += step


@pytest.mark.parametrize("box", [(1.0, 43.0, 2.0, 44.0), (179.5, -18.5, -179.5, -16.0), (3.5, 59.0, 6.5, 64.5),
                                 (14.0, 76.0, 20.0, 80.0), (-0.5, -0.5, 0.5, 0.5)])
def test_tiles_in_bbox_finds_every_tile_touching_the_extent(box):
    got = set(tiles.tiles_in_bbox(BBox(*box)))
    seen = set()
    for lon, lat in _grid_points(box, 0.1):
        seen.update(tiles.tiles_at(lon, lat))
    assert seen <= got, sorted(seen - got)
    for lon, lat in _grid_points(box, 0.05):
        seen.update(tiles.tiles_at(lon, lat))
    # what the points did not hit can only be slivers: tiles whose footprint barely touches the box
    for tile in got - seen:
        west, south, east, north = tiles.tile_footprint(tile).lonlat_bounds()
        assert south <= box[3] and north >= box[1], tile


def test_tiles_in_bbox_over_the_antimeridian_has_both_zones():
    got = tiles.tiles_in_bbox(BBox(179.5, -18.5, -179.5, -17.5))
    assert {"01KAA", "60KYF"} <= set(got)


def test_tiles_in_bbox_refuses_huge_extents_and_says_how_to_narrow():
    with pytest.raises(InvalidInputError, match="smaller extent"):
        tiles.tiles_in_bbox(BBox(-10.0, 35.0, 30.0, 70.0))
    with pytest.raises(InvalidInputError, match="more than 3"):
        tiles.tiles_in_bbox(BBox(0.5, 43.0, 3.5, 45.0), limit=3)
