"""Products <-> footprint features: the one table format search writes and download reads back.

Attributes: id, title, provider, collection, platform, date (acquisition, UTC), tile, orbit, cloud, size,
md5, online, quicklook, download_url, extra (provider specifics as JSON, e.g. the GEODES endpoint_url that the
availability request needs). Geometry: the footprint in EPSG:4326.
"""
import datetime as dt
import json

from osgeo import ogr
from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsField, QgsFields, QgsGeometry)
from qgis.PyQt.QtCore import QDateTime, Qt, QVariant

from ..core.errors import InvalidInputError
from ..core.models import Availability, Product
from ..core.redact import one_line
from ..qgis import compat
from ..qgis.i18n import tr

CRS = QgsCoordinateReferenceSystem("EPSG:4326")
REQUIRED = ("id", "title", "provider", "collection")


def footprint_fields():
    fields = QgsFields()
    for name, kind in (("id", compat.STRING), ("title", compat.STRING), ("provider", compat.STRING),
                       ("collection", compat.STRING), ("platform", compat.STRING),
                       ("date", compat.DATETIME), ("tile", compat.STRING), ("orbit", compat.INT),
                       ("cloud", compat.DOUBLE), ("size", compat.LONG_LONG), ("md5", compat.STRING),
                       ("online", compat.BOOL), ("quicklook", compat.STRING),
                       ("download_url", compat.STRING), ("extra", compat.STRING)):
        fields.append(QgsField(name, kind))
    return fields


def to_qdatetime(when):
    if when is None:
        return QDateTime()
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return QDateTime.fromMSecsSinceEpoch(int(round(when.timestamp() * 1000)), Qt.TimeSpec.UTC)


def from_qdatetime(value):
    if isinstance(value, QDateTime) and value.isValid():
        return dt.datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000.0, tz=dt.timezone.utc)
    if isinstance(value, str) and value:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return None


def geometry_from_geojson(geojson):
    """The footprint as a multi-polygon (the type of both algorithms' sinks), or an empty geometry."""
    if not geojson:
        return QgsGeometry()
    ogr_geom = ogr.CreateGeometryFromJson(json.dumps(geojson))
    geom = QgsGeometry.fromWkt(ogr_geom.ExportToWkt()) if ogr_geom is not None else QgsGeometry()
    if not geom.isEmpty():
        geom.convertToMultiType()
    return geom


def product_to_feature(product, fields):
    f = QgsFeature(fields)
    f.setGeometry(geometry_from_geojson(product.footprint))
    f.setAttributes([
        product.id, product.title, product.provider, product.collection, product.platform,
        to_qdatetime(product.acquired), product.tile, product.relative_orbit, product.cloud_cover,
        product.size, product.checksum, product.online, product.quicklook_url, product.download_url,
        json.dumps(product.extra, default=str) if product.extra else None,
    ])
    return f


def _value(feature, name):
    idx = feature.fields().indexOf(name)
    if idx < 0:
        return None
    v = feature.attribute(idx)
    return None if v is None or (hasattr(v, "isNull") and v.isNull()) or v == QVariant() else v


def _converted(feature, name, convert):
    """A field's value through `convert`, or InvalidInputError naming the product, the field and the value: the
    layer is a file anyone can edit (a hand-typed date, a number field turned to text)."""
    value = _value(feature, name)
    if value is None:
        return None
    try:
        return convert(value)
    except (ValueError, TypeError, OverflowError, RecursionError):
        title = _value(feature, "title") or f"feature {feature.id()}"
        raise InvalidInputError(tr("The footprints layer has an invalid {name} for {title} ({value!r}): correct "
                                   "it, or run 'Search Sentinel products' again for a fresh layer.",
                                   name=name, title=title, value=str(value)[:60])) from None


def feature_to_product(feature):
    """Rebuild the Product a footprints feature stands for; a layer that is not a footprints table is refused."""
    missing = [n for n in REQUIRED if feature.fields().indexOf(n) < 0]
    if missing:
        raise InvalidInputError(tr("The layer is not a Sentinel Mirror footprints layer (no {items} field): use "
                                   "the output of 'Search Sentinel products'.",
                                   items=', '.join(missing)))
    geom = feature.geometry()
    online = _value(feature, "online")
    return Product(
        provider=str(_value(feature, "provider")).lower(), id=str(_value(feature, "id")),
        title=one_line(_value(feature, "title")), collection=str(_value(feature, "collection")),
        platform=str(_value(feature, "platform") or ""), acquired=_converted(feature, "date", from_qdatetime),
        tile=_value(feature, "tile"), relative_orbit=_converted(feature, "orbit", int),
        cloud_cover=_converted(feature, "cloud", float), size=_converted(feature, "size", int),
        checksum=_value(feature, "md5"),
        availability=Availability.ONLINE if online in (True, 1, "true", "True") else Availability.OFFLINE,
        footprint=json.loads(geom.asJson()) if geom is not None and not geom.isEmpty() else None,
        quicklook_url=_value(feature, "quicklook"), download_url=_value(feature, "download_url"),
        extra=_converted(feature, "extra", json.loads) or {},
    )
