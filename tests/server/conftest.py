"""Fixtures for the serve tests: one ``serve`` per module on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.serve import RunningServe, running_serve


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServe]:
    with running_serve(tmp_path_factory.mktemp("serve") / "data", quota=100) as running:
        yield running
