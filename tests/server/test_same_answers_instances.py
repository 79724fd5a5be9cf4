"""One request, one answer for the instance actions: the command line, serve through the SDK's
signing and the table over the local backend agree, code for code and body for body (see
tests/server/test_same_answers.py). Only requests whose answer does not change the next door's
are asked: refusals, reads, and attachments that are already so."""

from __future__ import annotations

import json

import pytest

from tests.support.door_answers import assert_same_answers
from tests.support.instances import api, imported, run
from tests.support.serve import RunningServe

REGION = "cn-qingdao"


@pytest.fixture(scope="module")
def instances(serve: RunningServe) -> list[str]:
    """Two instances bound to web-1, the second stopped."""
    backend = serve.backend()
    imported(backend, REGION, "web-1")
    ids = run(backend, REGION, 2, KeyPairName="web-1", InstanceName="same")
    api(backend, "StopInstance", InstanceId=ids[1])
    return ids


def test_an_attachment_with_a_failed_instance_is_the_same_answer(
    serve: RunningServe, instances: list[str]
) -> None:
    flat = {
        "RegionId": REGION,
        "KeyPairName": "web-1",
        "InstanceIds": json.dumps([*instances, "i-gone"]),
    }
    answer = assert_same_answers(serve, "AttachKeyPair", flat)
    assert (answer.code, answer.body["FailCount"]) == ("OK", 1)


@pytest.mark.parametrize(
    "flat",
    [
        {"KeyPairName": "web-1"},
        {"Status": "Stopped"},
        {"InstanceName": "sa*", "PageSize": "1", "PageNumber": "2"},
        {"MaxResults": "1"},
    ],
)
def test_describe_instances_is_the_same_answer(
    serve: RunningServe, instances: list[str], flat: dict[str, str]
) -> None:
    answer = assert_same_answers(serve, "DescribeInstances", {"RegionId": REGION, **flat})
    assert answer.code == "OK"
    assert answer.body["Instances"]["Instance"]


REFUSALS = [
    (
        "AttachKeyPair",
        {"KeyPairName": "nobody", "InstanceIds": '["i-1"]'},
        "InvalidKeyPairName.NotFound",
    ),
    (
        "AttachKeyPair",
        {"KeyPairName": "web-1", "InstanceIds": "i-1"},
        "InvalidInstanceIds.ValueNotSupported",
    ),
    (
        "DetachKeyPair",
        {"KeyPairName": "web-1", "InstanceIds": json.dumps([f"i-{n}" for n in range(51)])},
        "InvalidInstanceIds.ValueNotSupported",
    ),
    ("DetachKeyPair", {"KeyPairName": "web-1"}, "MissingParameter"),
    (
        "DeleteKeyPairs",
        {"KeyPairNames": '["web-1"]'},
        "InvalidParameter.KeypairAlreadyAttachedInstance",
    ),
    ("DescribeInstances", {"Status": "Asleep"}, "InvalidParameter"),
    ("DescribeInstances", {"NextToken": "forged"}, "InvalidNextToken"),
    ("DescribeInstances", {"MaxResults": "101"}, "InvalidParameter"),
    ("DescribeInstances", {"InstanceIds": "[1]"}, "InvalidInstanceIds.ValueNotSupported"),
    (
        "RunInstances",
        {"ImageId": "i", "InstanceType": "t", "Amount": "2", "DryRun": "true"},
        "DryRunOperation",
    ),
    (
        "RunInstances",
        {"ImageId": "i", "InstanceType": "t", "Amount": "0"},
        "InvalidAmount.ValueNotSupported",
    ),
    (
        "RunInstances",
        {"ImageId": "i", "InstanceType": "t", "KeyPairName": "nobody"},
        "InvalidKeyPairName.NotFound",
    ),
    (
        "RunInstances",
        {"ImageId": "i", "InstanceType": "t", "InstanceName": "-x"},
        "InvalidInstanceName.Malformed",
    ),
    ("RunInstances", {"InstanceType": "t"}, "MissingParameter"),
    ("RunInstances", {"ImageId": "m" * 129, "InstanceType": "t"}, "InvalidImageId.NotFound"),
    (
        "RunInstances",
        {"ImageId": "i", "InstanceType": "t" * 65},
        "InvalidInstanceType.ValueNotSupported",
    ),
]


@pytest.mark.parametrize(("action", "flat", "code"), REFUSALS)
def test_refusals_are_the_same_answer(
    serve: RunningServe, instances: list[str], action: str, flat: dict[str, str], code: str
) -> None:
    answer = assert_same_answers(serve, action, {"RegionId": REGION, **flat})
    assert answer.code == code


@pytest.mark.parametrize(
    ("action", "which", "code"),
    [
        ("StartInstance", 0, "IncorrectInstanceStatus"),
        ("StopInstance", 1, "IncorrectInstanceStatus"),
        ("RebootInstance", 1, "IncorrectInstanceStatus"),
        ("DeleteInstance", 0, "IncorrectInstanceStatus"),
        ("StartInstance", None, "InvalidInstanceId.NotFound"),
    ],
)
def test_status_refusals_are_the_same_answer(
    serve: RunningServe, instances: list[str], action: str, which: int | None, code: str
) -> None:
    instance = "i-gone" if which is None else instances[which]
    answer = assert_same_answers(serve, action, {"InstanceId": instance})
    assert answer.code == code


def test_instance_ids_in_single_quotes_are_read_on_every_door(
    serve: RunningServe, instances: list[str]
) -> None:
    """A Python list's text, as footmark writes JSON arrays, read as the gateway reads it."""
    flat = {"RegionId": REGION, "InstanceIds": str(instances[:1])}
    answer = assert_same_answers(serve, "DescribeInstances", flat)
    assert [i["InstanceId"] for i in answer.body["Instances"]["Instance"]] == instances[:1]
    looser = {"RegionId": REGION, "InstanceIds": f"['{instances[0]}',]"}
    refused = assert_same_answers(serve, "DescribeInstances", looser)
    assert refused.code == "InvalidInstanceIds.ValueNotSupported"
