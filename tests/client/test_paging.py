"""Get All Refunds: filters sent the way the API expects, pages followed automatically."""

from __future__ import annotations

import asyncio
import datetime

import httpx
import pytest

from bigcommerce_refunds.client import PaginationError

from ._support import (
    FakeStore,
    envelope,
    json_response,
    make_async_client,
    make_client,
    refund_json,
)

ALL = "/orders/payment_actions/refunds"


def page_of(*ids: int) -> httpx.Response:
    return json_response(200, envelope([refund_json(i) for i in ids]))


def test_list_filters_are_comma_separated_in_one_parameter() -> None:
    store = FakeStore()
    store.script("GET", ALL, page_of())
    created = datetime.datetime(
        2020, 1, 15, 1, 2, 34, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    with make_client(store) as client:
        list(
            client.iter_refunds(
                order_ids=[100, 101, 102],
                refund_ids=[7, 8],
                created_min=created,
                created_max=created,
                transaction_id="tx 1",
                limit=2,
            )
        )
    (request,) = store.requests
    assert request.url.query == (
        b"order_id:in=100,101,102&id:in=7,8"
        b"&created:min=2020-01-15T01%3A02%3A34%2B01%3A00"
        b"&created:max=2020-01-15T01%3A02%3A34%2B01%3A00"
        b"&transaction_id=tx%201&page=1&limit=2"
    )


def test_pages_are_followed_until_a_short_page() -> None:
    store = FakeStore()
    store.script("GET", ALL, page_of(1, 2), page_of(3, 4), page_of(5))
    with make_client(store) as client:
        ids = [refund.id for refund in client.iter_refunds(order_ids=[100], limit=2)]
    assert ids == [1, 2, 3, 4, 5]
    assert [r.url.params["page"] for r in store.requests] == ["1", "2", "3"]


def test_a_full_last_page_ends_with_an_empty_page() -> None:
    store = FakeStore()
    store.script("GET", ALL, page_of(1, 2), page_of())
    with make_client(store) as client:
        assert [refund.id for refund in client.iter_refunds(limit=2)] == [1, 2]
    assert len(store.requests) == 2
    assert store.requests[0].url.query == b"page=1&limit=2"


def test_iteration_is_lazy_but_arguments_are_checked_at_once() -> None:
    store = FakeStore()
    store.script("GET", ALL, page_of(1, 2), page_of(3))
    with make_client(store) as client:
        refunds = client.iter_refunds(limit=2)
        assert store.requests == []
        assert next(refunds).id == 1
        assert len(store.requests) == 1
        with pytest.raises(ValueError, match="timezone-aware"):
            client.iter_refunds(created_min=datetime.datetime(2020, 1, 1))
        with pytest.raises(ValueError, match="limit"):
            client.iter_refunds(limit=0)
        with pytest.raises(TypeError, match="order id"):
            client.iter_refunds(order_ids=["100"])  # type: ignore[list-item]


def test_get_order_refunds_sends_the_transaction_filter() -> None:
    store = FakeStore()
    with make_client(store) as client:
        client.get_order_refunds(100, transaction_id="abc:1")
    assert store.requests[0].url.query == b"transaction_id=abc%3A1"


def test_async_iteration_pages_too() -> None:
    store = FakeStore()
    store.script("GET", ALL, page_of(1, 2), page_of(3))

    async def main() -> list[int]:
        async with make_async_client(store) as client:
            return [
                refund.id async for refund in client.iter_refunds(order_ids=[100, 101], limit=2)
            ]

    assert asyncio.run(main()) == [1, 2, 3]
    assert store.requests[1].url.query == b"order_id:in=100,101&page=2&limit=2"


def test_a_server_that_ignores_page_is_stopped_with_a_clear_error() -> None:
    # A stateless mock answers every page with the same full page: following "until a short
    # page" would request forever and yield the same refunds forever.
    store = FakeStore()
    store.script("GET", ALL, *[page_of(1, 2) for _ in range(500)])
    with make_client(store) as client:
        iterator = client.iter_refunds(limit=2)
        assert [next(iterator).id, next(iterator).id] == [1, 2]
        with pytest.raises(PaginationError) as caught:
            next(iterator)
    assert len(store.requests) == 2  # the second page, then no more
    error = caught.value
    assert (error.page, error.repeated_ids) == (2, (1, 2))
    assert "page 2 repeats 2 refund(s)" in str(error)
    assert "does not seem to honour the `page` parameter" in str(error)


def test_a_page_that_overlaps_the_previous_one_stops_before_yielding_duplicates() -> None:
    store = FakeStore()
    store.script("GET", ALL, page_of(1, 2), page_of(2, 3))
    seen: list[int] = []
    with make_client(store) as client, pytest.raises(PaginationError):
        seen.extend(refund.id for refund in client.iter_refunds(limit=2))
    assert seen == [1, 2]


def test_async_iteration_stops_on_a_repeated_page_too() -> None:
    store = FakeStore()
    store.script("GET", ALL, *[page_of(1, 2) for _ in range(500)])

    ids: list[int] = []

    async def main() -> None:
        async with make_async_client(store) as client:
            async for refund in client.iter_refunds(limit=2):
                ids.append(refund.id)

    with pytest.raises(PaginationError):
        asyncio.run(main())
    assert ids == [1, 2]
    assert len(store.requests) == 2


def test_an_offset_with_seconds_is_sent_as_the_same_instant_in_utc() -> None:
    # RFC 3339 offsets are hours and minutes; isoformat() would write "+00:00:30".
    store = FakeStore()
    store.script("GET", ALL, page_of())
    odd = datetime.timezone(datetime.timedelta(seconds=30))
    created = datetime.datetime(2020, 1, 15, 0, 0, 30, tzinfo=odd)
    with make_client(store) as client:
        list(client.iter_refunds(created_min=created))
    (request,) = store.requests
    assert request.url.params["created:min"] == "2020-01-15T00:00:00+00:00"
