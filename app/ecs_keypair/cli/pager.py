"""``--pager``: every page of a command's answer, merged as the aliyun CLI merges them.

Page-number commands are called again with ``PageNumber`` + 1 until ``PageNumber * PageSize``
reaches ``TotalCount``; next-token commands with the answer's ``NextToken`` until it is empty. The
merged answer holds only the list, under its own path (``{"KeyPairs": {"KeyPair": [...]}}``), as
the aliyun CLI prints it. A bound on the number of pages keeps an endpoint whose pages never end
from making endless work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecs_keypair.cli.command_view import Paging
from ecs_keypair.contract.errors import ApiException, pages_cannot_merge

MAX_PAGES = 1000  # 1000 pages of the smallest page size still hold twice a region's quota

Body = dict[str, Any]
PageCall = Callable[[dict[str, str]], Body]
"""Calls the command with some of its parameters replaced (none: as the user gave them)."""


def every_page(paging: Paging, call: PageCall) -> Body:
    body = call({})
    outer, inner = _list_path(body)
    items = list(body[outer][inner])
    pages = 1
    while (following := _next(paging, body)) is not None:
        if pages == MAX_PAGES:
            raise ApiException(pages_cannot_merge(f"they did not end after {MAX_PAGES} pages"))
        body = call(following)
        pages += 1
        page = (body.get(outer) or {}).get(inner)
        if not isinstance(page, list):
            raise ApiException(pages_cannot_merge(f"a later page has no {outer}.{inner} list"))
        if not page and paging is Paging.PAGE_NUMBER:
            break
        items.extend(page)
    return {outer: {inner: items}}


def _list_path(body: Body) -> tuple[str, str]:
    """Where the answer keeps its list: the first member that is an object holding a list."""
    for outer, value in body.items():
        if isinstance(value, dict):
            for inner, items in value.items():
                if isinstance(items, list):
                    return outer, inner
    raise ApiException(pages_cannot_merge("the answer holds no list"))


def _next(paging: Paging, body: Body) -> dict[str, str] | None:
    """The parameters of the next page, or None after the last."""
    if paging is Paging.NEXT_TOKEN:
        token = body.get("NextToken")
        return {Paging.NEXT_TOKEN.value: token} if isinstance(token, str) and token else None
    try:
        number, size, total = (int(body[name]) for name in ("PageNumber", "PageSize", "TotalCount"))
    except (KeyError, TypeError, ValueError):
        raise ApiException(
            pages_cannot_merge("an answer lacks PageNumber, PageSize or TotalCount")
        ) from None
    if size < 1 or number * size >= total:
        return None
    return {Paging.PAGE_NUMBER.value: str(number + 1)}
