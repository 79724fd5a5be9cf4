"""A lock the store could not get, as the API answers it: ``ServiceUnavailable`` (503).

:mod:`~ecs_keypair.store.storage` says so in the store's own terms (:class:`StoreBusy`); what
takes one of the store's locks for a request (the key pair store, serve's nonces and access keys)
takes it inside :func:`busy_as_unavailable`, so that every door gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ecs_keypair.contract.errors import ApiException, service_unavailable
from ecs_keypair.store.store_paths import StoreBusy


@contextmanager
def busy_as_unavailable() -> Iterator[None]:
    """Run the block; a lock it could not get raises ``ServiceUnavailable`` naming the lock file
    (nothing ran: the lock is taken before anything is read or written)."""
    try:
        yield
    except StoreBusy as busy:
        raise ApiException(service_unavailable(str(busy))) from None
