"""Harvesters: sources read from live endpoints rather than from files under ``data/``.

``harvest_themis`` reads the decisions Themis publishes, window by window of meeting dates,
compares each news item with what the last harvest saw (a content hash per uuid) and keeps its
progress in ``store_dir/harvest/themis.json``, so that an interrupted run resumes with the
first window it had not completed. It returns a ``Harvest``: the counts and the one named graph
``{base}/graph/themis`` made from every news item harvested so far. ``publish_harvest`` hands
that graph to ``publishing.publish_graphs``, which validates it with the rest of the published
store and publishes the result atomically.

Every run looks at every window of its range again: Themis gives no modification time, so the
only way to see a changed title is to read it. What a run reports as added, changed and
unchanged comes from the hashes; the graph published is always the whole harvest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from policygraph.build.publishing import PublishResult, publish
from policygraph.config import Settings, required_data_dir
from policygraph.errors import ConfigurationError, SourceError
from policygraph.harvest.mapping import THEMIS_GRAPH_SLUG, is_kaleidos_id, themis_graph
from policygraph.harvest.queries import Window, windows
from policygraph.harvest.state import (
    Counts,
    HarvestState,
    Run,
    load_state,
    save_state,
    state_lock,
    state_path,
    write_atomically,
)
from policygraph.harvest.themis import NewsItem, ThemisClient
from policygraph.httpclient import HttpClient, user_agent
from policygraph.namespaces import Minter
from policygraph.progress import Progress, SilentProgress
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.sources.agreement.declaration import read_agreements

THEMIS_LICENSE = "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0"
"""The Flemish model licence for free reuse, under which the Flemish Government opens its data."""


@dataclass(frozen=True)
class Harvest:
    """The outcome of one harvest run (a resumed run counts from its first part on)."""

    endpoint: str
    since: date
    until: date
    windows: int
    """Windows of the run's range; all of them are complete when a Harvest is returned."""
    windows_now: int
    """Windows read by this call: fewer than ``windows`` when it resumed an interrupted run."""
    resumed: bool
    counts: Counts
    graph: SourceGraph
    needs_publishing: bool
    finished: datetime
    """When the run read its last window: the moment the graph's source was read."""
    state_file: Path = field(compare=False)

    def summary(self) -> str:
        """One line: the range, the windows read, and what happened to the items seen."""
        c = self.counts
        resumed = f", resumed: {self.windows_now} read now" if self.resumed else ""
        return (
            f"harvested {self.since} .. {self.until}: {self.windows} windows{resumed}; "
            f"{c.seen} items seen, {c.added} added, {c.changed} changed, "
            f"{c.unchanged} unchanged, {c.removed} removed, {c.skipped} skipped; "
            f"{c.requests} requests, {c.retries} retries"
        )


def themis_http(settings: Settings) -> HttpClient:
    """The HTTP client a harvest uses, configured by the ``harvest_*`` settings."""
    return HttpClient(
        user_agent=user_agent(settings.user_agent_url),
        timeout=settings.harvest_timeout,
        retries=settings.harvest_retries,
        min_interval=settings.harvest_min_interval,
        pool_size=1,
        error=SourceError,
    )


def harvest_themis(
    settings: Settings,
    endpoint: str,
    *,
    since: date | None = None,
    until: date | None = None,
    progress: Progress | None = None,
    http: HttpClient | None = None,
) -> Harvest:
    """Harvest the decisions of the meetings from ``since`` to ``until`` (exclusive).

    Resumes the interrupted run when there is one for the same range (or no range is given).
    Raises ``SourceError`` when the endpoint fails past its retries; the windows completed
    before the failure stay saved.
    """
    progress = progress or SilentProgress()
    path = state_path(settings.store_dir)
    own_http = http is None
    http = http or themis_http(settings)
    try:
        with state_lock(path):
            return _harvest(settings, endpoint, since, until, progress, http, path)
    finally:
        if own_http:
            http.close()


def _harvest(
    settings: Settings,
    endpoint: str,
    since: date | None,
    until: date | None,
    progress: Progress,
    http: HttpClient,
    path: Path,
) -> Harvest:
    client = ThemisClient(
        endpoint,
        http,
        page_size=settings.harvest_page_size,
        max_answer_bytes=settings.harvest_max_answer_bytes,
        run_timeout=settings.harvest_run_timeout,
    )
    state = load_state(path, endpoint)
    run, resumed = _run_for(state, since, until, settings)
    state.run = run
    plan = windows(run.since, run.until, settings.harvest_window_days)
    pending = [w for w in plan if w not in set(run.completed)]
    progress.start("harvesting Themis", total=len(pending))
    for window in pending:
        before = (http.counters.requests, http.counters.retries)
        try:
            items = client.news_items(window)
        except SourceError as exc:
            raise SourceError(
                f"the harvest stopped in window {window}: {exc}. "
                f"{len(run.completed)} of {len(plan)} windows are saved in {path}; "
                "run the harvest again to resume"
            ) from exc
        _take(state, run, items)
        run.completed.append(window)
        run.counts.windows += 1
        run.counts.requests += http.counters.requests - before[0]
        run.counts.retries += http.counters.retries - before[1]
        save_state(state, path)
        progress.advance()
    _remove_withdrawn(state, run)
    counts = run.counts
    finished = datetime.now(UTC)
    state.last_run = {
        "since": run.since.isoformat(),
        "until": run.until.isoformat(),
        "finished": finished.isoformat(timespec="seconds"),
        "counts": counts.as_json(),
    }
    state.run = None
    save_state(state, path)
    document = _snapshot(settings, endpoint)
    agreements = read_agreements(required_data_dir(settings))
    graph = themis_graph(state.items.values(), Minter(settings.base_iri), document, agreements)
    write_atomically(Path(graph.document.path), _ntriples(graph))
    progress.finish(
        "harvesting Themis",
        f"{counts.seen} seen, {counts.added} added, {counts.changed} changed",
    )
    return Harvest(
        endpoint=endpoint,
        since=run.since,
        until=run.until,
        windows=len(plan),
        windows_now=len(pending),
        resumed=resumed,
        counts=counts,
        graph=graph,
        needs_publishing=not state.published,
        finished=finished,
        state_file=path,
    )


def publish_harvest(
    settings: Settings, harvest: Harvest, progress: Progress | None = None
) -> PublishResult:
    """Publish the harvest's graph in a new version of the published store; remember it was.

    The new version is the published one with ``{base}/graph/themis`` replaced (or added) and
    described in the sources graph; it is validated as a whole, and published only when it
    conforms (``ValidationFailed`` otherwise, the published version untouched).
    """
    read_at = {harvest.graph.document.slug: harvest.finished}
    with state_lock(harvest.state_file):
        result = publish(settings, [harvest.graph], read_at, replace_all=False, progress=progress)
        state = load_state(harvest.state_file, harvest.endpoint)
        state.published = True
        save_state(state, harvest.state_file)
    return result


def _run_for(
    state: HarvestState, since: date | None, until: date | None, settings: Settings
) -> tuple[Run, bool]:
    """The interrupted run when the range fits it, else a new run over the asked range."""
    run = state.run
    if run is not None and since in (None, run.since) and until in (None, run.until):
        return run, True
    if since is None:
        try:
            since = date.fromisoformat(settings.harvest_since)
        except ValueError as exc:
            raise ConfigurationError(f"setting harvest_since: {exc}") from exc
    until = until or datetime.now(UTC).date() + timedelta(days=1)
    if until <= since:
        raise ConfigurationError(f"nothing to harvest from {since} to {until}")
    return Run(since, until), False


def _take(state: HarvestState, run: Run, items: list[NewsItem]) -> None:
    """Count and keep the news items of one window."""
    for item in items:
        if item.uuid in run.seen:
            continue  # on the agenda of an earlier meeting of this run as well: counted there
        if not is_kaleidos_id(item.uuid):
            run.counts.skipped += 1
            continue
        run.seen.add(item.uuid)
        run.counts.seen += 1
        digest = item.content_hash()
        before = state.hashes.get(item.uuid)
        if before == digest:
            run.counts.unchanged += 1
            continue
        if before is None:
            run.counts.added += 1
        else:
            run.counts.changed += 1
        state.items[item.uuid] = item
        state.hashes[item.uuid] = digest
        state.published = False


def _remove_withdrawn(state: HarvestState, run: Run) -> None:
    """Items of the run's range that Themis no longer publishes leave the harvest."""
    gone = [
        uuid
        for uuid, item in state.items.items()
        if run.since <= item.date < run.until and uuid not in run.seen
    ]
    for uuid in gone:
        del state.items[uuid]
        del state.hashes[uuid]
    run.counts.removed += len(gone)
    if gone:
        state.published = False


def _snapshot(settings: Settings, endpoint: str) -> SourceDocument:
    """The harvested graph as a file: the document the graph's provenance points at."""
    path = Path(settings.store_dir) / "harvest" / f"{THEMIS_GRAPH_SLUG}.nt"
    return SourceDocument(
        slug=THEMIS_GRAPH_SLUG,
        title="Themis: beslissingen van de Vlaamse Regering (harvested)",
        path=path.resolve(),
        relative_path=f"harvest/{THEMIS_GRAPH_SLUG}.nt",
        origin=endpoint,
        license=THEMIS_LICENSE,
        media_type="application/n-triples",
    )


def _ntriples(graph: SourceGraph) -> str:
    return serialize(graph.triples, format=RdfFormat.N_TRIPLES).decode("utf-8")  # type: ignore[union-attr]


__all__ = ["Harvest", "Window", "harvest_themis", "publish_harvest", "themis_http"]
