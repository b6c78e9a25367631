from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.refund_collection_response import RefundCollectionResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_id: int,
    *,
    transaction_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["transaction_id"] = transaction_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/orders/{order_id}/payment_actions/refunds".format(
            order_id=quote(str(order_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RefundCollectionResponse | None:
    if response.status_code == 200:
        response_200 = RefundCollectionResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | RefundCollectionResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    transaction_id: str | Unset = UNSET,
) -> Response[ErrorResponse | RefundCollectionResponse]:
    """Get Refunds for Order

     Returns a list of refunds ordered by refund ID in ascending order for the given order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_id (int):
        transaction_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundCollectionResponse]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        transaction_id=transaction_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    transaction_id: str | Unset = UNSET,
) -> ErrorResponse | RefundCollectionResponse | None:
    """Get Refunds for Order

     Returns a list of refunds ordered by refund ID in ascending order for the given order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_id (int):
        transaction_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundCollectionResponse
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        transaction_id=transaction_id,
    ).parsed


async def asyncio_detailed(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    transaction_id: str | Unset = UNSET,
) -> Response[ErrorResponse | RefundCollectionResponse]:
    """Get Refunds for Order

     Returns a list of refunds ordered by refund ID in ascending order for the given order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_id (int):
        transaction_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundCollectionResponse]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        transaction_id=transaction_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    transaction_id: str | Unset = UNSET,
) -> ErrorResponse | RefundCollectionResponse | None:
    """Get Refunds for Order

     Returns a list of refunds ordered by refund ID in ascending order for the given order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_id (int):
        transaction_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundCollectionResponse
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            transaction_id=transaction_id,
        )
    ).parsed
