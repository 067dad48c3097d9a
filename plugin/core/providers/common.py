"""What both catalogue clients check and parse the same way."""
import datetime as dt
import re

from ..errors import InvalidInputError, MalformedResponseError
from ..models import Availability, BBox, ProductKind
from .http import snippet
from ..i18n import tr

# Neither service documents a limit on the search area; beyond this a search returns thousands of products a
# year and the user almost certainly meant a smaller area (10° × 10° is about 100 Sentinel-2 tiles).
MAX_EXTENT_DEG2 = 100.0
MAX_RESULTS = 10000   # CDSE refuses $skip > 10000; GEODES paging that far is as unreasonable


def check_query(query, provider_name):
    """Refuse, before any request, what SearchQuery itself cannot know."""
    if query.provider != provider_name:
        raise InvalidInputError(tr("This is a {provider} search: it cannot be sent to {provider_name}.",
                                   provider=query.provider, provider_name=provider_name))
    if query.tile is not None:
        from ..tiles import validate_tile   # the grid check (plugin/core/tiles.py)
        validate_tile(query.tile)
    if query.bbox is not None:
        b = query.bbox
        width = (b.east - b.west) % 360 or 360.0
        area = width * (b.north - b.south)
        if area > MAX_EXTENT_DEG2:
            raise InvalidInputError(
                tr("The extent is {width:.1f}° × {value:.1f}° ({area:.0f} square degrees): searches are limited "
                   "to {max_extent_deg2:.0f} square degrees. Zoom in, or search tile by tile.",
                   width=width, value=b.north - b.south, area=area, max_extent_deg2=MAX_EXTENT_DEG2))


def search_extent(query):
    """The extent to send: the query's own, or for Sentinel-1 (not cut into Sentinel-2 tiles, no tile field in
    the catalogues) the lon/lat bounds of the tile asked for; None for an optical tile search."""
    if query.bbox is not None:
        return query.bbox
    if query.tile is not None and query.kind is ProductKind.S1:
        from ..tiles import tile_footprint
        return BBox(*tile_footprint(query.tile).lonlat_bounds())
    return None


def availability_from_flag(online):
    """The catalogue's online flag (True / False / None when it did not say) as an Availability."""
    if online is None:
        return Availability.UNKNOWN
    return Availability.ONLINE if online else Availability.OFFLINE


def add_unseen(products, seen, parsed):
    """Append the products of one search page not already seen; how many were new. Pages can overlap when the
    catalogue changes while we page, and a page with nothing new ends the paging."""
    new = 0
    for product in parsed:
        if product.id not in seen:
            seen.add(product.id)
            products.append(product)
            new += 1
    return new


def orbit_direction(value):
    """'Descending' / 'DESCENDING' -> 'descending'; None when absent or not a direction."""
    v = str(value or "").strip().lower()
    return v if v in ("ascending", "descending") else None


def polarisations(value):
    """['VV', 'VH'] / 'VV&VH' / 'VV VH' -> ('VV', 'VH'); () when absent."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[&,\s]+", str(value or ""))
    return tuple(str(v).strip().upper() for v in items if str(v).strip())


def boxes(bbox):
    """The extent as one or two (west, south, east, north) boxes: split at the antimeridian."""
    if bbox.crosses_antimeridian:
        return [(bbox.west, bbox.south, 180.0, bbox.north), (-180.0, bbox.south, bbox.east, bbox.north)]
    return [(bbox.west, bbox.south, bbox.east, bbox.north)]


def day_start(d):
    return dt.datetime.combine(d, dt.time(0, 0), dt.timezone.utc)


def day_end(d):
    return dt.datetime.combine(d, dt.time(23, 59, 59, 999000), dt.timezone.utc)


def iso_z(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def parse_time(value, service, what):
    try:
        t = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise MalformedResponseError(tr("{service} sent a date that is not ISO 8601 in the {what}: {value}",
                                        service=service, what=what, value=snippet(value))) from None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def platform_name(value):
    """'S2A' / 'SENTINEL2A' / 'sentinel-2a' -> 'S2A'."""
    v = str(value or "").upper().replace("-", "").replace("_", "")
    if v.startswith("SENTINEL"):
        v = "S" + v[len("SENTINEL"):]
    return v


def too_many(count, service):
    raise InvalidInputError(
        tr("This search matches {count} products on {service}, more than the {max_results} a search may return: "
           "narrow the dates, the extent or the cloud limit.",
           count=count, service=service, max_results=MAX_RESULTS))
