"""Adding a private key to the running ssh-agent, straight from memory (never through a file).

The agent protocol is spoken over ``SSH_AUTH_SOCK`` (draft-miller-ssh-agent): an
``SSH2_AGENTC_ADD_IDENTITY`` message, or ``ADD_ID_CONSTRAINED`` with a lifetime, then
``REQUEST_IDENTITIES`` to see the key listed. Speaking it here rather than feeding
``ssh-add -`` on stdin needs no ssh-add on PATH (nor one new enough to read stdin), gives each
failure its own clear error, and lets the answer say what the agent itself now lists.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.key_values import md5_fingerprint, sha256_fingerprint
from ecs_keypair.keys.key_formats import PrivateKey, public_key_of
from ecs_keypair.keys.ssh_wire import WireError, WireReader, mpint, string, uint32

AGENT_FAILURE = 5
AGENT_SUCCESS = 6
REQUEST_IDENTITIES = 11
IDENTITIES_ANSWER = 12
ADD_IDENTITY = 17
ADD_ID_CONSTRAINED = 25
CONSTRAIN_LIFETIME = 1
DEADLINE_SECONDS = 10.0  # for the whole exchange: an agent answering a byte at a time is cut off
MAX_ANSWER_BYTES = 1 << 20  # an agent listing thousands of keys still fits; a bound all the same
MAX_LIFETIME_SECONDS = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class AgentKey:
    """The key as the agent now lists it: which agent, its fingerprints, its lifetime."""

    socket_path: str
    md5_fingerprint: str
    sha256_fingerprint: str
    comment: str
    lifetime: int | None

    def body(self) -> dict[str, object]:
        """What the command line adds to its answer about the agent."""
        return {
            "SshAgent": self.socket_path,
            "MD5": f"MD5:{self.md5_fingerprint}",
            "SHA256": self.sha256_fingerprint,
            "LifetimeSeconds": self.lifetime,
        }


def check_lifetime(lifetime: int | None) -> None:
    """A lifetime is 1 second or more, and fits the protocol's 32 bits."""
    if lifetime is not None and not 1 <= lifetime <= MAX_LIFETIME_SECONDS:
        raise ApiException(
            errors.invalid_parameter("lifetime", f"must be 1 to {MAX_LIFETIME_SECONDS} seconds")
        )


def _identity(private_key: PrivateKey) -> bytes:
    """The key as ADD_IDENTITY carries it (the draft's per-type private key encodings): for
    ed25519 and ecdsa the public blob and then the private part, for RSA its own order."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        numbers = private_key.private_numbers()
        public_numbers = numbers.public_numbers
        return string(b"ssh-rsa") + b"".join(
            mpint(value)
            for value in (
                public_numbers.n, public_numbers.e, numbers.d, numbers.iqmp, numbers.p, numbers.q
            )
        )
    public_blob = public_key_of(private_key).blob
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        seed = private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        reader = WireReader(public_blob)
        reader.string()  # the key type
        return public_blob + string(seed + reader.string())
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return public_blob + mpint(private_key.private_numbers().private_value)
    raise TypeError(f"no agent encoding for {type(private_key).__name__}")


class _Connection:
    """One request-answer exchange after another on the agent's socket, all of them (the
    connection included) within ``deadline`` seconds from now."""

    def __init__(self, path: str, deadline: float) -> None:
        self.path = path
        self._ends = time.monotonic() + deadline
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._socket.settimeout(self._time_left())
            self._socket.connect(path)
        except OSError as exc:
            self._socket.close()
            raise ApiException(
                errors.ssh_agent_unavailable(f"nothing answers on {path} ({exc.strerror or exc})")
            ) from None

    def ask(self, message: bytes) -> bytes:
        try:
            self._socket.settimeout(self._time_left())
            self._socket.sendall(uint32(len(message)) + message)
            length = int.from_bytes(self._read(4), "big")
            if not 1 <= length <= MAX_ANSWER_BYTES:
                raise ApiException(errors.ssh_agent_refused(self.path, "its answer is malformed"))
            return self._read(length)
        except OSError as exc:
            reason = "it did not answer in time" if isinstance(exc, TimeoutError) else str(exc)
            raise ApiException(errors.ssh_agent_refused(self.path, reason)) from None

    def _read(self, count: int) -> bytes:
        chunks = bytearray()
        while len(chunks) < count:
            self._socket.settimeout(self._time_left())
            chunk = self._socket.recv(count - len(chunks))
            if not chunk:
                raise ApiException(errors.ssh_agent_refused(self.path, "it closed the connection"))
            chunks += chunk
        return bytes(chunks)

    def _time_left(self) -> float:
        """Seconds left before the deadline; ``TimeoutError`` once it has passed."""
        left = self._ends - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline has passed")
        return left

    def close(self) -> None:
        self._socket.close()


def agent_socket() -> str:
    """The running agent's socket from ``SSH_AUTH_SOCK``; a clear error when there is none."""
    path = os.environ.get("SSH_AUTH_SOCK", "")
    if not path:
        raise ApiException(
            errors.ssh_agent_unavailable("SSH_AUTH_SOCK is not set (start one with ssh-agent)")
        )
    return path


def listed_blobs(connection: _Connection) -> dict[bytes, str]:
    """The agent's keys: public blob → comment."""
    answer = connection.ask(bytes([REQUEST_IDENTITIES]))
    reader = WireReader(answer)
    try:
        if reader.byte() != IDENTITIES_ANSWER:
            raise WireError("not a list of identities")
        return {reader.string(): reader.string().decode("utf-8", "replace")
                for _ in range(reader.uint32())}
    except WireError as exc:
        raise ApiException(errors.ssh_agent_refused(connection.path, str(exc))) from None


def add_to_agent(
    private_key: PrivateKey,
    comment: str,
    lifetime: int | None = None,
    socket_path: str | None = None,
    timeout: float = DEADLINE_SECONDS,
) -> AgentKey:
    """Add the key (with ``comment``, removed by the agent after ``lifetime`` seconds if given)
    to the agent at ``socket_path`` (default ``SSH_AUTH_SOCK``); what it now lists. The whole
    exchange (connecting, adding, listing) ends within ``timeout`` seconds, whatever the agent
    does.

    Raises ApiException: ``SshAgent.Unavailable`` (no agent), ``SshAgent.Refused`` (it said no,
    or the key is not listed afterwards), ``InvalidParameter`` (a bad lifetime).
    """
    check_lifetime(lifetime)
    path = socket_path or agent_socket()
    blob = public_key_of(private_key).blob
    message = _identity(private_key) + string(comment.encode("utf-8"))
    if lifetime is None:
        message = bytes([ADD_IDENTITY]) + message
    else:
        message = bytes([ADD_ID_CONSTRAINED]) + message + bytes([CONSTRAIN_LIFETIME])
        message += uint32(lifetime)
    connection = _Connection(path, timeout)
    try:
        answer = connection.ask(message)
        if answer[:1] != bytes([AGENT_SUCCESS]):
            raise ApiException(errors.ssh_agent_refused(path, "it answered with a failure"))
        listed = listed_blobs(connection)
    finally:
        connection.close()
    if blob not in listed:
        raise ApiException(errors.ssh_agent_refused(path, "the key is not in its list afterwards"))
    return AgentKey(path, md5_fingerprint(blob), sha256_fingerprint(blob), listed[blob], lifetime)
