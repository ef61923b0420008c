"""The table vocabulary every loader shares: columns, cell parsers and limits, table reading.

Demand sets and scenario files are read with the same columns, parsers and limits as the
network's tables, so they import them from here, the public face of ``network._tables`` and
``network._load`` (STYLE.md: no package imports another package's private module;
``tests/test_architecture.py`` enforces it).
"""

from corridor.network._load import (
    CLOSURE_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    SERVICE_COLUMNS,
    SOURCE_COLUMNS,
    TARIFF_TABLE_COLUMNS,
    read_toml,
)
from corridor.network._load import _build as build_records
from corridor.network._tables import CellError, Column, Row, num, one_of, read_table
from corridor.network._tables import _check_limits as check_limits

__all__ = [
    "CLOSURE_COLUMNS",
    "LINK_COLUMNS",
    "NODE_COLUMNS",
    "SERVICE_COLUMNS",
    "SOURCE_COLUMNS",
    "TARIFF_TABLE_COLUMNS",
    "CellError",
    "Column",
    "Row",
    "build_records",
    "check_limits",
    "num",
    "one_of",
    "read_table",
    "read_toml",
]
