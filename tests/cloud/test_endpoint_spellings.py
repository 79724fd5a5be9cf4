"""What ``--endpoint`` and ``ECS_KEYPAIR_ENDPOINTS`` accept: one spelling per endpoint. An
endpoint that could only fail when called (a port out of range or not in ASCII digits, a space,
a user name and password, a query or fragment) is refused before anything is called, as a
malformed one is; what is accepted is normalised, so that each endpoint has one mirror."""

from __future__ import annotations

import json

import pytest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.remote.endpoints import Endpoint

ENDPOINTS = "ECS_KEYPAIR_ENDPOINTS"

REFUSED = [
    "http://127.0.0.1:99999",
    "http://127.0.0.1:0",
    "http://127.0.0.1: 28473",
    "http://127.0.0.1:+28473",
    "http://127.0.0.1:\uff12\uff18\uff14\uff17\uff13",  # full-width digits
    "http://user:pw@127.0.0.1:28473",
    "http://127.0.0.1:28473?x=1",
    "http://127.0.0.1:28473#frag",
    "http://127.0.0.1:28473/path",
    "http://127.0.0.1\t:28473",
    " http://127.0.0.1:28473",
    "http://:28473",
    "http://127.0.0.1:",
    "ecs.cn-hangzhou.aliyuncs.com.",
]


@pytest.mark.parametrize("text", REFUSED)
def test_an_endpoint_that_could_only_fail_when_called_is_refused(text: str) -> None:
    with pytest.raises(ApiException) as refused:
        Endpoint.parse(text)
    assert refused.value.error.code == "InvalidParameter"
    assert refused.value.error.field == "--endpoint"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("http://127.0.0.1:28473", "http://127.0.0.1:28473"),
        ("http://127.0.0.1:28473/", "http://127.0.0.1:28473"),
        ("HTTP://127.0.0.1:28473", "http://127.0.0.1:28473"),
        ("http://LocalHost:28473", "http://localhost:28473"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("https://ecs.cn-hangzhou.aliyuncs.com:443/", "https://ecs.cn-hangzhou.aliyuncs.com"),
        ("ECS.cn-hangzhou.aliyuncs.com", "https://ecs.cn-hangzhou.aliyuncs.com"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_each_endpoint_has_one_spelling(text: str, url: str) -> None:
    assert Endpoint.parse(text).url == url


@pytest.mark.parametrize("text", ["http://127.0.0.1:99999", "http://user:pw@127.0.0.1:28473"])
def test_the_command_line_refuses_it_before_calling(cli, text: str) -> None:
    failed = cli("DescribeRegions", "--endpoint", text)
    assert failed.error["Code"] == "InvalidParameter"
    assert failed.reason.startswith("ecs-keypair: --endpoint: ")


@pytest.mark.parametrize(
    "value",
    [
        '{"*": "http://127.0.0.1:99999"}',
        '{"*": "http://user:pw@127.0.0.1:28473"}',
        '{"*": "http://127.0.0.1:+28473"}',
    ],
)
def test_the_variable_refuses_it_with_exit_2(
    cli, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    monkeypatch.setenv(ENDPOINTS, value)
    message = cli("DescribeKeyPairs", "--RegionId", "cn-hangzhou", "--cloud").usage
    assert message.startswith(f"ecs-keypair: {ENDPOINTS}: the endpoint of *")


def test_the_variable_refuses_a_region_given_twice(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    twice = '{"*": "http://127.0.0.1:1", "*": "http://127.0.0.1:2"}'
    assert json.loads(twice) == {"*": "http://127.0.0.1:2"}  # plain JSON keeps the last quietly
    monkeypatch.setenv(ENDPOINTS, twice)
    message = cli("DescribeKeyPairs", "--RegionId", "cn-hangzhou", "--cloud").usage
    assert "'*' is given twice" in message
