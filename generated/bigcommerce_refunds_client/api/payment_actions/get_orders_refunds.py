import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.refund_collection_response import RefundCollectionResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    order_idin: list[int] | Unset = UNSET,
    idin: list[int] | Unset = UNSET,
    createdmin: datetime.datetime | Unset = UNSET,
    createdmax: datetime.datetime | Unset = UNSET,
    transaction_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_order_idin: list[int] | Unset = UNSET
    if not isinstance(order_idin, Unset):
        json_order_idin = order_idin

    params["order_id:in"] = json_order_idin

    json_idin: list[int] | Unset = UNSET
    if not isinstance(idin, Unset):
        json_idin = idin

    params["id:in"] = json_idin

    json_createdmin: str | Unset = UNSET
    if not isinstance(createdmin, Unset):
        json_createdmin = createdmin.isoformat()
    params["created:min"] = json_createdmin

    json_createdmax: str | Unset = UNSET
    if not isinstance(createdmax, Unset):
        json_createdmax = createdmax.isoformat()
    params["created:max"] = json_createdmax

    params["transaction_id"] = transaction_id

    params["page"] = page

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/orders/payment_actions/refunds",
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
    *,
    client: AuthenticatedClient | Client,
    order_idin: list[int] | Unset = UNSET,
    idin: list[int] | Unset = UNSET,
    createdmin: datetime.datetime | Unset = UNSET,
    createdmax: datetime.datetime | Unset = UNSET,
    transaction_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[ErrorResponse | RefundCollectionResponse]:
    """Get All Refunds

     Returns a list of refunds ordered by refund ID in ascending order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_idin (list[int] | Unset):
        idin (list[int] | Unset):
        createdmin (datetime.datetime | Unset):
        createdmax (datetime.datetime | Unset):
        transaction_id (str | Unset):
        page (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundCollectionResponse]
    """

    kwargs = _get_kwargs(
        order_idin=order_idin,
        idin=idin,
        createdmin=createdmin,
        createdmax=createdmax,
        transaction_id=transaction_id,
        page=page,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    order_idin: list[int] | Unset = UNSET,
    idin: list[int] | Unset = UNSET,
    createdmin: datetime.datetime | Unset = UNSET,
    createdmax: datetime.datetime | Unset = UNSET,
    transaction_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> ErrorResponse | RefundCollectionResponse | None:
    """Get All Refunds

     Returns a list of refunds ordered by refund ID in ascending order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_idin (list[int] | Unset):
        idin (list[int] | Unset):
        createdmin (datetime.datetime | Unset):
        createdmax (datetime.datetime | Unset):
        transaction_id (str | Unset):
        page (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundCollectionResponse
    """

    return sync_detailed(
        client=client,
        order_idin=order_idin,
        idin=idin,
        createdmin=createdmin,
        createdmax=createdmax,
        transaction_id=transaction_id,
        page=page,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    order_idin: list[int] | Unset = UNSET,
    idin: list[int] | Unset = UNSET,
    createdmin: datetime.datetime | Unset = UNSET,
    createdmax: datetime.datetime | Unset = UNSET,
    transaction_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[ErrorResponse | RefundCollectionResponse]:
    """Get All Refunds

     Returns a list of refunds ordered by refund ID in ascending order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_idin (list[int] | Unset):
        idin (list[int] | Unset):
        createdmin (datetime.datetime | Unset):
        createdmax (datetime.datetime | Unset):
        transaction_id (str | Unset):
        page (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundCollectionResponse]
    """

    kwargs = _get_kwargs(
        order_idin=order_idin,
        idin=idin,
        createdmin=createdmin,
        createdmax=createdmax,
        transaction_id=transaction_id,
        page=page,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    order_idin: list[int] | Unset = UNSET,
    idin: list[int] | Unset = UNSET,
    createdmin: datetime.datetime | Unset = UNSET,
    createdmax: datetime.datetime | Unset = UNSET,
    transaction_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> ErrorResponse | RefundCollectionResponse | None:
    """Get All Refunds

     Returns a list of refunds ordered by refund ID in ascending order.

    Requires at least one of the following scopes:
    * `store_v2_transactions_read_only`
    * `store_v2_transactions`
    * `store_v2_orders_read_only`
    * `store_v2_orders`

    Args:
        order_idin (list[int] | Unset):
        idin (list[int] | Unset):
        createdmin (datetime.datetime | Unset):
        createdmax (datetime.datetime | Unset):
        transaction_id (str | Unset):
        page (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundCollectionResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            order_idin=order_idin,
            idin=idin,
            createdmin=createdmin,
            createdmax=createdmax,
            transaction_id=transaction_id,
            page=page,
            limit=limit,
        )
    ).parsed
