"""The key types the app offers for a key made here, as the create form and the rotate dialog
list them, and the one proposed first."""

from __future__ import annotations

from ecs_keypair.contract.backend import KeyPairBackend, KeySpec
from ecs_keypair.keys.key_specs import (
    DEFAULT_RSA_BITS,
    ECDSA_BITS,
    KEY_TYPES,
    RSA_BITS_RANGE,
    check_key_spec,
)

# ed25519 first, then the usual sizes of the others; each one check_key_spec takes.
KEY_SPECS: tuple[KeySpec, ...] = tuple(
    spec
    for spec in (
        ("ed25519", None),
        *(("rsa", bits) for bits in sorted({DEFAULT_RSA_BITS, RSA_BITS_RANGE[1]})),
        *(("ecdsa", bits) for bits in ECDSA_BITS),
    )
    if spec[0] in KEY_TYPES and check_key_spec(*spec) is None
)


def spec_label(spec: KeySpec) -> str:
    """``ed25519``, ``rsa 3072``."""
    key_type, bits = spec
    return key_type if bits is None else f"{key_type} {bits}"


def proposed_key_spec(backend: KeyPairBackend) -> KeySpec:
    """The backend's proposal when the list holds it (the cloud's RSA), else the first."""
    proposed = backend.proposed_key_type
    return proposed if proposed in KEY_SPECS else KEY_SPECS[0]
