"""The field oracle for reads and errors: lists hold exactly the refunds that exist, pages and
`meta.pagination` describe the page, reads equal the created refund, error bodies agree with their
status (see conformance/oracle.py and ORACLE.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any


def listed_ids_problems(label: str, data: Any, expected: Sequence[int]) -> list[str]:
    """A list read returns exactly the refunds it should, in ascending id order."""
    if not isinstance(data, list):
        return []
    ids = [r.get("id") for r in data if isinstance(r, Mapping)]
    if ids != list(expected):
        return [f"{label}: data lists refunds {ids}, expected exactly {list(expected)}"]
    return []


def pagination_problems(
    label: str, meta: Any, *, total: int, page: int, limit: int, returned: int
) -> list[str]:
    """``meta.pagination`` (when the server sends it) describes the page it came with."""
    if not isinstance(meta, Mapping) or not isinstance(meta.get("pagination"), Mapping):
        return []
    pagination = meta["pagination"]
    expected = {
        "total": total,
        "count": returned,
        "per_page": limit,
        "current_page": page,
        "total_pages": max(1, -(-total // limit)),
    }
    return [
        f"{label}: meta.pagination.{name} {pagination.get(name)!r} is not {value}"
        for name, value in expected.items()
        if name in pagination and pagination.get(name) != value
    ]


def field_differences(created: Any, read: Any, path: str = "") -> list[str]:
    """The field paths where two JSON values differ (``payments[0].amount``), for messages."""
    if isinstance(created, Mapping) and isinstance(read, Mapping):
        found = []
        for key in sorted(set(created) | set(read), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in read or key not in created:
                found.append(f"{where} {'missing' if key not in read else 'added'}")
            else:
                found += field_differences(created[key], read[key], where)
        return found
    if isinstance(created, list) and isinstance(read, list):
        if len(created) != len(read):
            return [f"{path or 'data'} has {len(read)} entries, not {len(created)}"]
        found = []
        for index, (a, b) in enumerate(zip(created, read, strict=True)):
            found += field_differences(a, b, f"{path}[{index}]")
        return found
    same = created == read and type(created) is type(read)
    if isinstance(created, int | Decimal) and isinstance(read, int | Decimal):
        same = not isinstance(created, bool) and not isinstance(read, bool) and created == read
    return [] if same else [f"{path} {created!r} then {read!r}"]


# ----------------------------------------------------------------------------- error bodies


def error_field_problems(
    label: str,
    body: Any,
    *,
    status: int,
    order_id: int | None = None,
    title: str | None = None,
) -> list[str]:
    """An error body says the status it was sent with, has a message (``title``: the documented
    one), names the order, and lists each error once."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), list):
        entries = [(f"data[{i}].", e) for i, e in enumerate(body["data"])]
    else:
        entries = [("", body)]
    problems = []
    listed = [entry for _, entry in entries if isinstance(entry, Mapping)]
    if len(entries) > 1 and any(listed.count(entry) > 1 for entry in listed):
        problems.append(f"{label}: data lists the same error twice: {listed!r}")
    for prefix, entry in entries:
        if not isinstance(entry, Mapping):
            continue
        if "status" in entry and entry.get("status") != status:
            problems.append(
                f"{label}: {prefix}status {entry.get('status')!r} is not the HTTP status {status}"
            )
        if title is not None and entry.get("title") != title:
            problems.append(
                f"{label}: {prefix}title {entry.get('title')!r} is not the documented {title!r}"
            )
        for name in ("title", "error"):
            if name in entry and not str(entry.get(name) or "").strip():
                problems.append(f"{label}: {prefix}{name} is empty")
        if "type" in entry and not str(entry.get("type")).startswith(("https://", "http://")):
            problems.append(f"{label}: {prefix}type {entry.get('type')!r} is not a URL")
        if order_id is not None and "order_id" in entry and entry.get("order_id") != order_id:
            problems.append(
                f"{label}: {prefix}order_id {entry.get('order_id')!r} is not the order {order_id}"
            )
    return problems


def same_user_problems(refunds: Iterable[Mapping[str, Any]]) -> list[str]:
    """Refunds created with one token were created by one API user."""
    users = sorted({r.get("user_id") for r in refunds}, key=str)
    if len(users) > 1:
        return [f"refunds created with one token carry different user_id values: {users}"]
    return []


__all__ = [
    "error_field_problems",
    "field_differences",
    "listed_ids_problems",
    "pagination_problems",
    "same_user_problems",
]
