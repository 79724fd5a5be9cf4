"""The SSH wire encoding (RFC 4251 section 5): ``uint32``, ``string`` and ``mpint``.

PuTTY's key files, the ssh-agent protocol and the clear header of an OpenSSH private key all use
it; one encoder and one bounded reader serve the three.
"""

from __future__ import annotations

import struct


class WireError(ValueError):
    """The bytes end early or hold a length that does not fit: not the structure expected."""


def uint32(value: int) -> bytes:
    return struct.pack(">I", value)


def string(data: bytes) -> bytes:
    return uint32(len(data)) + data


def mpint(value: int) -> bytes:
    """A non-negative integer, big-endian, with a leading zero byte when the top bit is set."""
    if value < 0:
        raise ValueError("mpint: only non-negative values are used here")
    if value == 0:
        return string(b"")
    return string(value.to_bytes(value.bit_length() // 8 + 1, "big"))


class WireReader:
    """Reads the encoded values in order; every length is checked against what is left."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._position = 0

    def uint32(self) -> int:
        if self._position + 4 > len(self._data):
            raise WireError("the data ends early")
        (value,) = struct.unpack_from(">I", self._data, self._position)
        self._position += 4
        return int(value)

    def string(self) -> bytes:
        length = self.uint32()
        if length > len(self._data) - self._position:
            raise WireError("a length runs past the end of the data")
        value = bytes(self._data[self._position : self._position + length])
        self._position += length
        return value

    def mpint(self) -> int:
        data = self.string()
        if data and data[0] & 0x80:
            raise WireError("a negative integer where a key value belongs")
        return int.from_bytes(data, "big")

    def byte(self) -> int:
        if self._position >= len(self._data):
            raise WireError("the data ends early")
        value = self._data[self._position]
        self._position += 1
        return value

    def rest(self) -> bytes:
        value = bytes(self._data[self._position :])
        self._position = len(self._data)
        return value
