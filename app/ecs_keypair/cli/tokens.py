"""A command line read left to right, once: the one loop every reader of options runs on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence


class Tokens:
    """Each token in turn; an option that takes a value asks for the token after it."""

    def __init__(self, args: Sequence[str]) -> None:
        self._args = list(args)
        self._next = 0

    def __iter__(self) -> Iterator[str]:
        while self._next < len(self._args):
            self._next += 1
            yield self._args[self._next - 1]

    def value_after(self, usable: Callable[[str], bool] = lambda token: True) -> str | None:
        """The next token, taken as the value of the option just read; None when there is none
        or ``usable`` refuses it (it is then read as a token of its own)."""
        if self._next < len(self._args) and usable(self._args[self._next]):
            self._next += 1
            return self._args[self._next - 1]
        return None
