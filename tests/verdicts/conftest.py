"""The built corpus copied into a store of its own, with two accounts' annotations published."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interfaces import LoopbackServer, app_on
from verdict_data import Story, copy_store, tell

from policygraph.query import source_for
from policygraph.store.local import LocalStore


@pytest.fixture(scope="session")
def story(built, settings_for, tmp_path_factory: pytest.TempPathFactory) -> Story:
    settings, _ = built
    mine = settings_for()
    folder = tmp_path_factory.mktemp("annotations")
    return tell(copy_store(settings, mine, folder), folder)


@pytest.fixture(scope="session")
def story_server(story: Story) -> Iterator[str]:
    """The annotated store served on loopback; two events per page of the change stream, so
    that following it crosses pages."""
    settings = story.settings.replace(max_concurrent_queries=1, feed_page_size=2)
    with app_on(settings, source_for(LocalStore.open(settings.store_dir))) as app:
        served = LoopbackServer(app)
        yield served.url
        served.stop()
