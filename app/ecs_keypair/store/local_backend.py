"""The API operations over the store: what CreateKeyPair and its neighbours answer.

Each operation takes its typed request (:mod:`requests`), validates with :mod:`rules`, raises
:class:`ApiException` with the API's error, or returns its typed result (:mod:`results`, a fresh
``RequestId`` every call). This class is the local
:class:`~ecs_keypair.contract.backend.KeyPairBackend`;
the TUI, the command line and ``serve`` are thin shells over it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ecs_keypair.contract import errors, rules
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    CreateResourceGroupRequest,
    DeleteKeyPairsRequest,
    DescribeKeyPairsRequest,
    DescribeRegionsRequest,
    ImportKeyPairRequest,
    JoinResourceGroupRequest,
    ListResourceGroupsRequest,
    ListTagResourcesRequest,
    TagFilter,
    TagResourcesRequest,
    UntagResourcesRequest,
)
from ecs_keypair.contract.backend import KeySpec
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import new_key_pair_id, new_request_id, utc_minute
from ecs_keypair.contract.key_values import GeneratedKey, PublicKey
from ecs_keypair.contract.page_tokens import Cursor, cursor_of, token_after
from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
from ecs_keypair.contract.regions import REGIONS, Region
from ecs_keypair.contract.results import (
    Acknowledged,
    CreatedKeyPair,
    CreatedResourceGroup,
    ImportedKeyPair,
    KeyPairPage,
    RegionList,
    ResourceGroupPage,
    TagResource,
    TagResourcePage,
)
from ecs_keypair.contract.rules import KEYPAIR_RESOURCE_TYPE, Tag
from ecs_keypair.keys.material import parse_public_key
from ecs_keypair.store.listing import matching, page_bounds
from ecs_keypair.store.local_instances import LocalInstanceActions
from ecs_keypair.store.store import KeyPairStore

MAX_PAGE_SIZE = 50
MAX_GROUP_PAGE_SIZE = 100
MAX_TAG_RESOURCES_RESULTS = 50


def _fail(problem: ApiError | None) -> None:
    if problem is not None:
        raise ApiException(problem)


def _generate_rsa_key() -> GeneratedKey:
    from ecs_keypair.keys.key_formats import (
        generate_rsa_key,  # cryptography, loaded when a key is first made
    )

    return generate_rsa_key()


class LocalBackend(LocalInstanceActions):
    """CreateKeyPair and its neighbours, over one store."""

    def __init__(
        self, store: KeyPairStore, generate: Callable[[], GeneratedKey] | None = None
    ) -> None:
        self.store = store
        self._generate = generate or _generate_rsa_key

    # -- what the screens show beside the API (a remote backend offers the same) --

    is_local = True
    """Calls read and write files on this machine: quick enough to make on a keystroke."""

    @property
    def backend_label(self) -> str:
        """Where the key pairs live, for the screens' header."""
        return f"local store {self.store.home}"

    header_names_region = False
    """The header names the store's folder; the form shows the region."""

    @property
    def quota(self) -> int:
        return self.store.quota

    def regions(self, refresh: bool = True) -> tuple[Region, ...]:
        """The built-in list: the regions the store keeps key pairs in (its rule for RegionId)."""
        return REGIONS

    proposed_key_type: KeySpec = ("ed25519", None)
    """The local store imports ed25519 as it imports the others (the README's decisions)."""

    def count_key_pairs(self, region_id: str) -> int:
        return self.store.count(region_id)

    def resource_groups(self) -> list[ResourceGroup]:
        return self.store.resource_groups()

    def stop_waiting(self) -> None:
        """``serve`` is stopping: a call waiting for the store's lock, now or later, answers
        ``ServiceUnavailable`` at once rather than holding the shutdown up. Only this backend's
        store stops waiting; another backend in this process goes on as before."""
        self.store.stop_waiting()

    # -- checks the form runs live --

    def check_name(self, region_id: str, name: str | None) -> ApiError | None:
        """The verdict on a name as typed: the rules, then whether the region already has it."""
        problem = rules.check_key_pair_name(name) or rules.check_region_id(region_id)
        if problem or name is None:
            return problem
        if self.store.name_exists(region_id, name):
            return self.store.admission_problem(region_id, name)
        return None

    def check_resource_group(self, resource_group_id: str | None) -> ApiError | None:
        if resource_group_id and self.store.resource_group(resource_group_id) is None:
            return errors.INVALID_RESOURCE_GROUP.at(
                "ResourceGroupId", f"there is no resource group {resource_group_id!r}"
            )
        return None

    def _admit(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        resource_group_id: str | None,
        tags: Sequence[Tag],
    ) -> None:
        _fail(rules.check_create_request(region_id, key_pair_name, tags))
        _fail(self.check_resource_group(resource_group_id))
        assert region_id and key_pair_name  # the rules above refused empty ones
        _fail(self.store.admission_problem(region_id, key_pair_name))

    def _record(
        self,
        region_id: str,
        key_pair_name: str,
        public_key: PublicKey,
        resource_group_id: str | None,
        tags: Sequence[Tag],
    ) -> KeyPairRecord:
        return KeyPairRecord(
            key_pair_id=new_key_pair_id(),
            key_pair_name=key_pair_name,
            region_id=region_id,
            fingerprint=public_key.md5_fingerprint,
            public_key=public_key.line,
            resource_group_id=resource_group_id or self.store.default_resource_group().id,
            creation_time=utc_minute(),
            tags=tuple(tags),
        )

    # -- the API: one method per action of ecs_keypair.contract.actions --

    def create_key_pair(self, request: CreateKeyPairRequest) -> CreatedKeyPair:
        """CreateKeyPair: check everything, generate (the slow part, outside the lock), store."""
        region_id, name = request.region_id, request.key_pair_name
        self._admit(region_id, name, request.resource_group_id, request.tags)
        assert region_id and name
        key = self._generate()
        record = self._record(
            region_id, name, key.public_key, request.resource_group_id, request.tags
        )
        self.store.add(record)  # checks name and quota again, under the lock
        return CreatedKeyPair(record, key, new_request_id())

    def import_key_pair(self, request: ImportKeyPairRequest) -> ImportedKeyPair:
        """ImportKeyPair: an OpenSSH public key line of a supported type."""
        region_id, name, tags = request.region_id, request.key_pair_name, request.tags
        _fail(rules.check_create_request(region_id, name, tags))
        _fail(rules.check_public_key_body(request.public_key_body))
        assert region_id and name and request.public_key_body
        parsed = parse_public_key(request.public_key_body)
        if isinstance(parsed, ApiError):
            raise ApiException(parsed)
        self._admit(region_id, name, request.resource_group_id, tags)
        record = self._record(region_id, name, parsed, request.resource_group_id, tags)
        self.store.add(record)
        return ImportedKeyPair(record.key_pair_name, record.fingerprint, new_request_id())

    def find_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[TagFilter] = (),
        include_public_key: bool = False,
    ) -> list[KeyPairRecord]:
        """The region's key pairs that pass every filter given (DescribeKeyPairs without paging;
        the records always carry the public key here, so ``include_public_key`` changes nothing)."""
        _fail(rules.check_region_id(region_id))
        assert region_id
        if key_pair_name and "*" not in key_pair_name:  # one name: looked up, not scanned
            records = self.store.key_pairs_named(region_id, key_pair_name)
        else:
            records = self.store.key_pairs(region_id)
        return matching(records, key_pair_name, fingerprint, resource_group_id, tags)

    def describe_key_pairs(self, request: DescribeKeyPairsRequest) -> KeyPairPage:
        """DescribeKeyPairs: filters, then one page of the matches."""
        _fail(rules.check_region_id(request.region_id))
        number, size = page_bounds(request.page_number, request.page_size, MAX_PAGE_SIZE)
        found = self.find_key_pairs(
            request.region_id,
            request.key_pair_name,
            request.fingerprint,
            request.resource_group_id,
            request.tags,
        )
        page = tuple(found[(number - 1) * size : number * size])
        return KeyPairPage(
            page, len(found), number, size, request.include_public_key, new_request_id()
        )

    def delete_key_pairs(self, request: DeleteKeyPairsRequest) -> Acknowledged:
        """DeleteKeyPairs: 1-100 names; names that are not there are ignored."""
        _fail(rules.check_region_id(request.region_id))
        _fail(rules.check_key_pair_names(request.key_pair_names))
        assert request.region_id and request.key_pair_names
        self.store.remove(request.region_id, request.key_pair_names)
        return Acknowledged(new_request_id())

    def describe_regions(self, request: DescribeRegionsRequest) -> RegionList:
        return RegionList(REGIONS, new_request_id())

    def create_resource_group(self, request: CreateResourceGroupRequest) -> CreatedResourceGroup:
        _fail(rules.check_resource_group_name(request.name))
        _fail(rules.check_resource_group_display_name(request.display_name))
        assert request.name and request.display_name
        group = self.store.add_resource_group(request.name, request.display_name)
        return CreatedResourceGroup(group, new_request_id())

    def list_resource_groups(self, request: ListResourceGroupsRequest) -> ResourceGroupPage:
        number, size = page_bounds(request.page_number, request.page_size, MAX_GROUP_PAGE_SIZE)
        groups = self.store.resource_groups()
        page = tuple(groups[(number - 1) * size : number * size])
        return ResourceGroupPage(page, len(groups), number, size, new_request_id())

    # -- tags and resource groups of key pairs (what Terraform's alicloud provider calls) --

    def tag_resources(self, request: TagResourcesRequest) -> Acknowledged:
        """TagResources: set tags on key pairs (a key they have gets the new value)."""
        region_id = _check_resources(request.region_id, request.resource_type, request.resource_ids)
        tags = request.tags
        if not tags:
            raise ApiException(errors.missing_parameter("Tag.1.Key"))
        _fail(rules.check_tag_number(len(tags)) or rules.check_tags(tags))

        def tagged(record: KeyPairRecord) -> KeyPairRecord:
            merged = {tag.key: tag for tag in record.tags} | {tag.key: tag for tag in tags}
            _fail(rules.check_tag_count(len(merged)))
            return _with_tags(record, tuple(merged.values()))

        self.store.update(region_id, request.resource_ids, tagged)
        return Acknowledged(new_request_id())

    def untag_resources(self, request: UntagResourcesRequest) -> Acknowledged:
        """UntagResources: remove the keys named (keys not there are ignored), or with ``All``
        and no key named, every tag. Neither removes nothing."""
        region_id = _check_resources(request.region_id, request.resource_type, request.resource_ids)
        _fail(rules.check_tag_number(len(request.tag_keys)))
        doomed = set(request.tag_keys)

        def untagged(record: KeyPairRecord) -> KeyPairRecord:
            if not doomed and request.all:
                return _with_tags(record, ())
            return _with_tags(record, tuple(t for t in record.tags if t.key not in doomed))

        self.store.update(region_id, request.resource_ids, untagged)
        return Acknowledged(new_request_id())

    def list_tag_resources(self, request: ListTagResourcesRequest) -> TagResourcePage:
        """ListTagResources: one entry per key pair and tag, in order of ``(ResourceId,
        TagKey)``, a page at a time; ``NextToken`` names the last entry given, and the next
        page starts after it (:mod:`page_tokens`)."""
        _fail(rules.check_region_id(request.region_id))
        _fail(_check_resource_type(request.resource_type))
        _fail(rules.check_resource_id_count(len(request.resource_ids)))
        _fail(rules.check_tag_number(len(request.tags)))
        size = MAX_TAG_RESOURCES_RESULTS if request.max_results is None else request.max_results
        if not 1 <= size <= MAX_TAG_RESOURCES_RESULTS:
            raise ApiException(
                errors.invalid_parameter("MaxResults", f"must be 1 to {MAX_TAG_RESOURCES_RESULTS}")
            )
        after = cursor_of(request.next_token) if request.next_token else None
        assert request.region_id
        wanted = set(request.resource_ids)
        entries = sorted(
            (
                TagResource(record.key_pair_name, KEYPAIR_RESOURCE_TYPE, tag.key, tag.value)
                for record in self.store.key_pairs(request.region_id)
                if (not wanted or record.key_pair_name in wanted)
                and all(f.matches(record.tags) for f in request.tags)
                for tag in record.tags
            ),
            key=_cursor,
        )
        if after is not None:
            entries = [entry for entry in entries if _cursor(entry) > after]
        page = tuple(entries[:size])
        token = token_after(_cursor(page[-1])) if len(entries) > size else None
        return TagResourcePage(page, token, new_request_id())

    def join_resource_group(self, request: JoinResourceGroupRequest) -> Acknowledged:
        """JoinResourceGroup: move a key pair to another resource group."""
        _fail(rules.check_region_id(request.region_id))
        _fail(_check_resource_type(request.resource_type))
        if not request.resource_id:
            raise ApiException(errors.missing_parameter("ResourceId"))
        group_id = request.resource_group_id
        if not group_id:
            raise ApiException(errors.missing_parameter("ResourceGroupId"))
        _fail(self.check_resource_group(group_id))
        assert request.region_id

        def moved(record: KeyPairRecord) -> KeyPairRecord:
            return replace(record, resource_group_id=group_id)

        self.store.update(request.region_id, [request.resource_id], moved)
        return Acknowledged(new_request_id())


def _check_resource_type(resource_type: str | None) -> ApiError | None:
    if not resource_type:
        return errors.missing_parameter("ResourceType")
    if resource_type != KEYPAIR_RESOURCE_TYPE:
        return errors.INVALID_RESOURCE_TYPE.at(
            "ResourceType", f"only {KEYPAIR_RESOURCE_TYPE} resources are kept here"
        )
    return None


def _check_resources(
    region_id: str | None, resource_type: str | None, resource_ids: Sequence[str]
) -> str:
    """The checks TagResources and UntagResources share; the region, once it passed."""
    _fail(rules.check_region_id(region_id))
    _fail(_check_resource_type(resource_type))
    if not resource_ids:
        raise ApiException(errors.missing_parameter("ResourceId.1"))
    _fail(rules.check_resource_id_count(len(resource_ids)))
    assert region_id
    return region_id


def _with_tags(record: KeyPairRecord, tags: tuple[Tag, ...]) -> KeyPairRecord:
    return replace(record, tags=tags)


def _cursor(entry: TagResource) -> Cursor:
    return entry.resource_id, entry.tag_key
