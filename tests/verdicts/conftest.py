"""The built corpus copied into a store of its own, with two accounts' annotations published."""

from __future__ import annotations

import pytest
from verdict_data import Story, copy_store, tell


@pytest.fixture(scope="session")
def story(built, settings_for, tmp_path_factory: pytest.TempPathFactory) -> Story:
    settings, _ = built
    mine = settings_for()
    folder = tmp_path_factory.mktemp("annotations")
    return tell(copy_store(settings, mine, folder), folder)
