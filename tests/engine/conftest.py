"""Fixtures of the engine tests: one real key made once, and a backend that hands it out fast."""

from __future__ import annotations

import pytest
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.keys.key_formats import generate_rsa_key
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore


@pytest.fixture(scope="session")
def ready_key() -> GeneratedKey:
    """A real RSA key generated once for the session.

    Tests about rules, bodies and the store do not need a new key per call, and generation is
    the one slow step (~40 ms); the generator itself is tested on its own and by OpenSSH.
    """
    return generate_rsa_key()


@pytest.fixture
def fast_service(store: KeyPairStore, ready_key: GeneratedKey) -> LocalBackend:
    """The backend over the test's store, with the session's key instead of a new one per call."""
    return LocalBackend(store, generate=lambda: ready_key)
