"""The mirror simulator: a real HTTP server on 127.0.0.1 speaking GEODES and CDSE (see README.md)."""
from .catalogue import md5_file
from .config import OFFLINE_RESPONSES, S2_COLLECTIONS, SimConfig
from .server import MirrorSimulator

__all__ = ["MirrorSimulator", "SimConfig", "OFFLINE_RESPONSES", "S2_COLLECTIONS", "md5_file"]
