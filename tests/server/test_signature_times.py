"""The signed timestamp is read exactly as ``strptime`` reads the gateway's format, whether it
takes the fast path for the zero-padded form or not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ecs_keypair.server.signatures import TIMESTAMP_FORMAT, parse_timestamp
from hypothesis import given
from hypothesis import strategies as st

PADDED = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"


def strptime_reading(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def fast_reading(value: str) -> datetime | None:
    try:
        return parse_timestamp(value)
    except ValueError:
        return None


@given(
    st.from_regex(PADDED, fullmatch=True)
    | st.from_regex(r"[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}T[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}Z?")
    | st.text(max_size=24)
)
def test_every_timestamp_is_read_as_strptime_reads_it(value: str) -> None:
    assert fast_reading(value) == strptime_reading(value)


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01T12:00:00Z",
        "2026-1-1T1:2:3Z",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:60Z",
        "0000-01-01T00:00:00Z",
        "２０２６-01-01T00:00:00Z",
        "2026-01-01T00:00:00",
        "2026-01-01 00:00:00Z",
    ],
)
def test_edge_timestamps_are_read_as_strptime_reads_them(value: str) -> None:
    assert fast_reading(value) == strptime_reading(value)


def test_the_padded_form_is_read_in_utc() -> None:
    assert parse_timestamp("2026-03-04T05:06:07Z") == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
