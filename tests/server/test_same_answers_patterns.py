"""DescribeKeyPairs' KeyPairName pattern over 128 characters (issue 8, item 6): the same 400
InvalidKeyPairName.Malformed from the command line, serve and the engine's table."""

from __future__ import annotations

import pytest

from tests.support.door_answers import assert_same_answers
from tests.support.engine import REGION
from tests.support.serve import RunningServe


@pytest.mark.parametrize("pattern", ["a" * 129, "*" * 129, "web*" * 5000])
def test_a_pattern_longer_than_a_name_is_malformed_everywhere(
    serve: RunningServe, pattern: str
) -> None:
    answer = assert_same_answers(
        serve, "DescribeKeyPairs", {"RegionId": REGION, "KeyPairName": pattern}
    )
    assert (answer.code, answer.status) == ("InvalidKeyPairName.Malformed", 400)


def test_a_pattern_of_128_characters_is_answered(serve: RunningServe) -> None:
    answer = assert_same_answers(
        serve, "DescribeKeyPairs", {"RegionId": REGION, "KeyPairName": "*" * 128}
    )
    assert answer.status == 200
