"""Names that differ between QGIS 3.22 (Qt5) and QGIS >= 3.38 / QGIS 4 (Qt6), resolved in one place.

Field types: QgsField takes QVariant.Type up to 3.36 and QMetaType.Type from 3.38 on; Qt6 has only the latter,
so QVariant.String & co. would break the plugin on QGIS 4.
"""
from qgis.core import Qgis
from qgis.PyQt.QtCore import QMetaType, QVariant

_QMETATYPE_FIELDS = Qgis.QGIS_VERSION_INT >= 33800


def _field_type(qmetatype_name, qvariant_name):
    return getattr(QMetaType.Type, qmetatype_name) if _QMETATYPE_FIELDS else getattr(QVariant, qvariant_name)


STRING = _field_type("QString", "String")
INT = _field_type("Int", "Int")
LONG_LONG = _field_type("LongLong", "LongLong")
DOUBLE = _field_type("Double", "Double")
BOOL = _field_type("Bool", "Bool")
DATETIME = _field_type("QDateTime", "DateTime")
