"""The matching engine (SPEC §7): explainable partner suggestions between organizations.

Plain Python with NumPy and SciPy, no Django: the cooperation app turns its models into
:class:`MatchOrganization` and :class:`MatchProject`, builds a :class:`MatchIndex` and renders
the :class:`Reason` codes as German sentences.
"""

from .index import MatchIndex
from .model import (
    IMPLEMENTED,
    OTHER,
    PLANNED,
    REASON_CODES,
    SIGNALS,
    MatchOrganization,
    MatchProject,
    ProjectMatch,
    Reason,
    Suggestion,
    UnknownOrganization,
    UnknownProject,
    Weights,
)

__all__ = [
    "IMPLEMENTED",
    "OTHER",
    "PLANNED",
    "REASON_CODES",
    "SIGNALS",
    "MatchIndex",
    "MatchOrganization",
    "MatchProject",
    "ProjectMatch",
    "Reason",
    "Suggestion",
    "UnknownOrganization",
    "UnknownProject",
    "Weights",
]
