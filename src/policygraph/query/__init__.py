"""Query execution for the SPARQL endpoint, without HTTP: worker processes, policy, caching.

``QueryPool`` runs ``QueryJob``s in killable worker processes that stream their serialized
answers back; ``InlineLane`` answers those that are a single index scan in the web process;
``inspect_query`` reads what the policy needs from a query text; ``AnswerCache`` keeps whole
answers per dataset version. The web layer (``policygraph.web``) is the only caller.
"""

from __future__ import annotations

from policygraph.query.cache import AnswerCache, CachedAnswer
from policygraph.query.dataset import (
    DatasetSource,
    DatasetVersion,
    FixedStore,
    InMemoryDataset,
    PublishedStore,
    VersionOpener,
    VersionTracker,
    source_for,
)
from policygraph.query.inline import InlineLane
from policygraph.query.messages import Complete, Limits, QueryJob, ResultKind
from policygraph.query.pool import Hangup, QueryPool, StreamedResult
from policygraph.sparql.inspection import QueryText, inspect_query
from policygraph.sparql.single_scan import is_single_scan

__all__ = [
    "AnswerCache",
    "CachedAnswer",
    "Complete",
    "DatasetSource",
    "DatasetVersion",
    "FixedStore",
    "Hangup",
    "InMemoryDataset",
    "InlineLane",
    "Limits",
    "PublishedStore",
    "QueryJob",
    "QueryPool",
    "QueryText",
    "ResultKind",
    "StreamedResult",
    "VersionOpener",
    "VersionTracker",
    "inspect_query",
    "is_single_scan",
    "source_for",
]
