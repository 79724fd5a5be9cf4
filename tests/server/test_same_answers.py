"""One request, one answer: the command line, serve and the engine's table agree, code for code.

Each flat ``{name: value}`` request goes to three doors over one store: the command line run in
this process (``--Name=value`` for each entry), serve through a request the official SDK signs,
and the engine's table reader with the local backend. They must give the same Code, Message and
HTTP status, or the same body (RequestId aside). The command line answers a shape problem (a
missing parameter, a number that is not one, an option no action takes) with a usage error
(exit 2) where the others answer the API's error.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from ecs_keypair.contract.actions import ACTIONS
from ecs_keypair.contract.api_requests import CreateResourceGroupRequest, ImportKeyPairRequest
from ecs_keypair.contract.params import Kind
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.door_answers import USAGE, assert_same_answers, by_cli, by_serve
from tests.support.engine import PUBLIC_LINE, REGION
from tests.support.serve import RunningServe


@pytest.fixture(scope="module")
def stored(serve: RunningServe) -> dict[str, str]:
    """Two tagged key pairs in the region (imported: no RSA generation) and a second group."""
    backend = serve.backend()
    group = backend.create_resource_group(CreateResourceGroupRequest("second", "Second")).group
    for name in ("web-1", "web-2"):
        backend.import_key_pair(ImportKeyPairRequest(REGION, name, PUBLIC_LINE))
    return {"group": group.id, "default": backend.store.default_resource_group().id}


# -- the answers that used to differ (issue 8, item 5) --


@pytest.mark.parametrize("number", ["21", "9999", "10000", "9" * 40])
def test_a_tag_number_over_twenty_is_quota_exceed_everywhere(
    serve: RunningServe, stored: dict[str, str], number: str
) -> None:
    flat = {"RegionId": REGION, "KeyPairName": "never-made", f"Tag.{number}.Key": "env"}
    answer = assert_same_answers(serve, "CreateKeyPair", flat)
    assert (answer.code, answer.status) == ("QuotaExceed.Tags", 403)
    assert not serve.backend().store.name_exists(REGION, "never-made")


@pytest.mark.parametrize("name", ["Tag.01.Key", "Tag.0.Key", "Tag.007.Value"])
def test_a_tag_number_not_written_from_one_is_refused_everywhere(
    serve: RunningServe, stored: dict[str, str], name: str
) -> None:
    flat = {"RegionId": REGION, "KeyPairName": "never-made", name: "env"}
    answer = assert_same_answers(serve, "CreateKeyPair", flat)
    assert (answer.code, answer.status) == ("InvalidParameter", 400)
    assert f'"{name}"' in answer.body["Message"]
    usage = by_cli(serve, "CreateKeyPair", flat).body["usage"]
    assert "is a whole number from 1, without leading zeros" in usage
    assert not serve.backend().store.name_exists(REGION, "never-made")


HOSTILE_TAG_TEXT = [
    "x\x1b]0;title\x07", "csi\x9b2J", "exe.\u202etxt", "two\nlines", "zero\u200bwidth"
]


@pytest.mark.parametrize("text", HOSTILE_TAG_TEXT)
@pytest.mark.parametrize(
    ("field", "code"),
    [("Tag.1.Key", "InvalidTagKey.Malformed"), ("Tag.1.Value", "InvalidTagValue.Malformed")],
)
def test_a_tag_holding_a_control_bidi_or_invisible_character_is_refused_everywhere(
    serve: RunningServe, stored: dict[str, str], text: str, field: str, code: str
) -> None:
    tag = {"Tag.1.Key": "k", "Tag.1.Value": "v", field: text}
    created = {"RegionId": REGION, "KeyPairName": "never-made", **tag}
    tagged = {"RegionId": REGION, "ResourceType": "keypair", "ResourceId.1": "web-1", **tag}
    for action, flat in (("CreateKeyPair", created), ("TagResources", tagged)):
        answer = assert_same_answers(serve, action, flat)
        assert (answer.code, answer.status) == (code, 400)
    backend = serve.backend()
    assert not backend.store.name_exists(REGION, "never-made")
    assert [r.tags for r in backend.find_key_pairs(REGION, "web-1")] == [()]


def test_a_tag_filter_value_without_its_key_is_missing_parameter(
    serve: RunningServe, stored: dict[str, str]
) -> None:
    answer = assert_same_answers(
        serve, "DescribeKeyPairs", {"RegionId": REGION, "Tag.1.Value": "x"}
    )
    assert (answer.code, answer.status) == ("MissingParameter", 400)
    assert '"Tag.1.Key"' in answer.body["Message"]


@pytest.mark.parametrize("value", ["--5", "ten", "1.5", "+2", " 3", "9" * 19, "٣"])
def test_a_page_size_that_is_not_a_whole_number_is_invalid_parameter(
    serve: RunningServe, stored: dict[str, str], value: str
) -> None:
    flat = {"RegionId": REGION, "PageSize": value}
    answer = assert_same_answers(serve, "DescribeKeyPairs", flat)
    assert (answer.code, answer.status) == ("InvalidParameter", 400)
    assert "InternalError" not in serve.output.getvalue()


@pytest.mark.parametrize("token", ["nope", "15", "W10", "WyJ3ZWItMSIsImsxIl0="])
def test_a_forged_next_token_is_invalid_next_token_everywhere(
    serve: RunningServe, stored: dict[str, str], token: str
) -> None:
    flat = {"RegionId": REGION, "ResourceType": "keypair", "NextToken": token}
    answer = assert_same_answers(serve, "ListTagResources", flat)
    assert (answer.code, answer.status) == ("InvalidNextToken", 400)


@pytest.mark.parametrize("names", ["['gone-1', 'gone-2']", "[\"gone-1\", 'it\\'s']"])
def test_names_in_single_quotes_are_read_on_every_door(
    serve: RunningServe, stored: dict[str, str], names: str
) -> None:
    """footmark's ``['fm-1', 'fm-2']``, read as the gateway reads it, by every door alike."""
    flat = {"RegionId": REGION, "KeyPairNames": names}
    assert assert_same_answers(serve, "DeleteKeyPairs", flat).code == "OK"


@pytest.mark.parametrize("names", ["['gone-1',]", "[gone-1]", "['\\x41']", "['gone-1'"])
def test_a_json_array_looser_than_the_gateways_is_refused_on_every_door(
    serve: RunningServe, stored: dict[str, str], names: str
) -> None:
    flat = {"RegionId": REGION, "KeyPairNames": names}
    answer = assert_same_answers(serve, "DeleteKeyPairs", flat)
    assert (answer.code, answer.status) == ("InvalidKeyPairNames.ValueNotSupported", 400)


# -- parameter names no action declares --

MALFORMED_ENTRIES = [
    ("CreateKeyPair", "Tag.x.Key"),
    ("CreateKeyPair", "Tag.1.Name"),
    ("CreateKeyPair", "Tag.1.key"),
    ("CreateKeyPair", "Tag.1"),
    ("DescribeKeyPairs", "Tag.1.Key.x"),
    ("TagResources", "ResourceId.a"),
    ("TagResources", "ResourceId.1.Key"),
    ("UntagResources", "TagKey.x"),
]
FLATS = {
    "CreateKeyPair": {"RegionId": REGION, "KeyPairName": "never-made"},
    "DescribeKeyPairs": {"RegionId": REGION},
    "TagResources": {
        "RegionId": REGION, "ResourceType": "keypair", "ResourceId.1": "web-1",
        "Tag.1.Key": "never", "Tag.1.Value": "set",
    },
    "UntagResources": {
        "RegionId": REGION, "ResourceType": "keypair", "ResourceId.1": "web-1", "TagKey.1": "x",
    },
}


@pytest.mark.parametrize(("action", "name"), MALFORMED_ENTRIES)
def test_a_malformed_entry_of_a_declared_list_is_refused_on_every_door(
    serve: RunningServe, stored: dict[str, str], action: str, name: str
) -> None:
    """``Tag.x.Key`` is no name the gateway ignores: it is a tag written wrong, and a tag filter
    dropped in silence would widen what a call touches."""
    answer = assert_same_answers(serve, action, {**FLATS[action], name: "v"})
    assert (answer.code, answer.status) == ("InvalidParameter", 400)
    assert f'"{name}"' in answer.body["Message"]
    family = name.partition(".")[0]
    usage = by_cli(serve, action, {**FLATS[action], name: "v"}).body["usage"]
    assert f"--{name}: not an entry of {family}" in usage
    backend = serve.backend()
    assert not backend.store.name_exists(REGION, "never-made")
    assert [r.tags for r in backend.find_key_pairs(REGION, "web-1")] == [()]


UNDECLARED = [
    "Foo", "OwnerId", "ResourceOwnerAccount", "Tags.1.Key", "tag.1.key", "TagFilter.1.TagKey"
]


@pytest.mark.parametrize("name", UNDECLARED)
@pytest.mark.parametrize("action", ["CreateKeyPair", "DescribeKeyPairs", "TagResources"])
def test_a_name_no_action_declares_is_ignored_by_serve_and_refused_by_the_command_line(
    serve: RunningServe, stored: dict[str, str], action: str, name: str
) -> None:
    """serve ignores it, as the gateway ignores what an action does not take (the SDKs send
    OwnerId and more); the command line refuses an option it does not know, as aliyun does."""
    flat = {**FLATS[action], "KeyPairName": "web-1"} if action == "CreateKeyPair" else FLATS[action]
    without = by_serve(serve, action, flat)
    answer = assert_same_answers(serve, action, {**flat, name: "v"})
    assert (answer.code, answer.status) == (without.code, without.status)
    assert by_cli(serve, action, {**flat, name: "v"}).code == USAGE


# -- the property: random flat requests --

NUMBERS = ["0", "01", "1", "2", "20", "21", "51", "10000"]
VALUES = [
    "", REGION, "cn-nowhere", "web-1", "web-2", "1bad", "keypair", "disk", "true", "false",
    "yes", "0", "5", "-1", "--5", "51", "9" * 20, '["web-gone"]', "[", "[]", "env", "acs:x",
]
EXTRA_NAMES = ["OwnerId", "Bogus", "Tag.x.Key", "tag.1.key", "ResourceId.a"]
# serve answers the ECS actions; RunInstances is left to its own tests: a success makes new
# instances, with new ids, at each door
SAFE_ACTIONS = [
    name for name, action in ACTIONS.items() if action.ecs and name != "RunInstances"
]


def _names(action: str) -> list[str]:
    names = []
    for param in ACTIONS[action].params:
        if param.kind is Kind.TAGS:
            names += [f"{param.name}.{n}.{part}" for n in NUMBERS for part in ("Key", "Value")]
        elif param.kind is Kind.LIST:
            names += [f"{param.name}.{n}" for n in NUMBERS]
        else:
            names.append(param.name)
    return names + EXTRA_NAMES


LIKELY = {
    "RegionId": REGION,
    "ResourceType": "keypair",
    "KeyPairNames": '["web-gone"]',
    "InstanceIds": '["i-gone"]',
    "InstanceId": "i-gone",
}
LIKELY_BY_KIND = {Kind.INTEGER: "5", Kind.BOOLEAN: "true"}
LIST_NUMBERS = ["1", "2", "3", "1", "2", "21", "01", "10000"]  # mostly fine, some odd


@st.composite
def requests(draw: st.DrawFn, stored: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """An action and a flat request for it: each parameter present or not (mostly with a value
    that passes, or one that does not), then a few odd names and numbers on top."""
    action = draw(st.sampled_from(SAFE_ACTIONS))
    values = st.sampled_from([*VALUES, stored["group"], stored["default"]])
    flat: dict[str, str] = {}
    for param in ACTIONS[action].params:
        if not draw(st.integers(0, 9)):  # one in ten: absent
            continue
        likely = st.just(LIKELY.get(param.name, LIKELY_BY_KIND.get(param.kind, "web-1")))
        value = st.one_of(likely, values)
        if param.kind is Kind.TAGS:
            for number in draw(st.lists(st.sampled_from(LIST_NUMBERS), max_size=3, unique=True)):
                flat[f"{param.name}.{number}.Key"] = draw(value)
                if draw(st.booleans()):
                    flat[f"{param.name}.{number}.Value"] = draw(value)
        elif param.kind is Kind.LIST:
            for number in draw(st.lists(st.sampled_from(LIST_NUMBERS), max_size=3, unique=True)):
                flat[f"{param.name}.{number}"] = draw(value)
        else:
            flat[param.name] = draw(value)
    flat.update(draw(st.dictionaries(st.sampled_from(_names(action)), values, max_size=3)))
    if action in ("CreateKeyPair", "ImportKeyPair") and flat.get("KeyPairName") not in (
        None, "", "1bad", "--5", "9" * 20, "0", "5", "-1",
    ):
        # never a name the region could take: a success would make (or import) a key pair at
        # the first door and be KeyPair.AlreadyExist at the next
        flat["KeyPairName"] = "web-1"
    if action == "ImportKeyPair" and "PublicKeyBody" in flat and draw(st.booleans()):
        flat["PublicKeyBody"] = PUBLIC_LINE
    return action, flat


def test_random_requests_get_the_same_answer_from_every_door(
    serve: RunningServe, stored: dict[str, str]
) -> None:
    @settings(
        max_examples=150,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(requests(stored))
    def same(request: tuple[str, dict[str, str]]) -> None:
        assert_same_answers(serve, *request)

    same()
