"""Names that differ between QGIS 3.22 (Qt5) and newer QGIS / QGIS 4 (Qt6), resolved in one place.

Field types: QgsField takes QVariant.Type up to 3.36 and QMetaType.Type from 3.38 on; Qt6 has only the latter,
so QVariant.String & co. would break the plugin on QGIS 4. Processing and layer enums moved into `Qgis`.
"""
from qgis.core import (Qgis, QgsProcessing, QgsProcessingParameterDateTime, QgsProcessingParameterDefinition,
                       QgsProcessingParameterFile, QgsProcessingParameterNumber, QgsVectorLayerTemporalProperties,
                       QgsWkbTypes)
from qgis.core import QgsProcessingAlgorithm
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
DATE = _field_type("QDate", "Date")


def _qgis_enum(path, legacy):
    """Qgis.<Enum>.<Value> where this QGIS has it (3.30 and 3.36 moved these enums there and QGIS 4 keeps only
    those), else the 3.22 name, looked up only when needed (it may be gone from newer versions)."""
    enum_name, value = path.split(".")
    enum = getattr(Qgis, enum_name, None)
    return getattr(enum, value) if enum is not None and hasattr(enum, value) else legacy()


def _legacy(owner, name):
    return lambda: getattr(owner, name)


SOURCE_POLYGONS = _qgis_enum("ProcessingSourceType.VectorPolygon", _legacy(QgsProcessing, "TypeVectorPolygon"))
SOURCE_VECTOR = _qgis_enum("ProcessingSourceType.Vector", _legacy(QgsProcessing, "TypeVector"))
SOURCE_FILE = _qgis_enum("ProcessingSourceType.File", _legacy(QgsProcessing, "TypeFile"))
NUMBER_INTEGER = _qgis_enum("ProcessingNumberParameterType.Integer",
                            _legacy(QgsProcessingParameterNumber, "Integer"))
NUMBER_DOUBLE = _qgis_enum("ProcessingNumberParameterType.Double", _legacy(QgsProcessingParameterNumber, "Double"))
DATETIME_DATE = _qgis_enum("ProcessingDateTimeParameterDataType.Date", _legacy(QgsProcessingParameterDateTime, "Date"))
FILE_FOLDER = _qgis_enum("ProcessingFileParameterBehavior.Folder", _legacy(QgsProcessingParameterFile, "Folder"))
PARAMETER_ADVANCED = _qgis_enum("ProcessingParameterFlag.Advanced",
                                _legacy(QgsProcessingParameterDefinition, "FlagAdvanced"))
# an algorithm kept under a former id (saved models keep working) but not listed in the toolbox or modeler palette
ALGORITHM_HIDDEN = (_qgis_enum("ProcessingAlgorithmFlag.HideFromToolbox",
                               _legacy(QgsProcessingAlgorithm, "FlagHideFromToolbox"))
                    | _qgis_enum("ProcessingAlgorithmFlag.HideFromModeler",
                                 _legacy(QgsProcessingAlgorithm, "FlagHideFromModeler")))
WKB_MULTIPOLYGON = _qgis_enum("WkbType.MultiPolygon", _legacy(QgsWkbTypes, "MultiPolygon"))
WKB_NO_GEOMETRY = _qgis_enum("WkbType.NoGeometry", _legacy(QgsWkbTypes, "NoGeometry"))
TEMPORAL_FROM_EXPRESSIONS = _qgis_enum("VectorTemporalMode.FeatureDateTimeStartAndEndFromExpressions",
                                       _legacy(QgsVectorLayerTemporalProperties,
                                               "ModeFeatureDateTimeStartAndEndFromExpressions"))
