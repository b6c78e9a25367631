from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.items_refund_quote_request import ItemsRefundQuoteRequest
from ...models.refund_quote_response import RefundQuoteResponse
from ...models.tax_adjustment_refund_quote_request import TaxAdjustmentRefundQuoteRequest
from ...models.tax_service_error_response import TaxServiceErrorResponse
from ...types import Response


def _get_kwargs(
    order_id: int,
    *,
    body: ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/orders/{order_id}/payment_actions/refund_quotes".format(
            order_id=quote(str(order_id), safe=""),
        ),
    }

    if isinstance(body, ItemsRefundQuoteRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse | None:
    if response.status_code == 201:
        response_201 = RefundQuoteResponse.from_dict(response.json())

        return response_201

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

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = TaxServiceErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse]:
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
    body: ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest,
) -> Response[ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse]:
    """Create a Refund Quote

     Calculate the tax amount, total refund amount and get available payment options for an order refund
    by providing items and costs or quantities to refund.

    Requires at least one of the following scopes:
    * `store_v2_orders`
    * `store_v2_transactions`

    **Notes:**
    * Create a refund quote before performing a refund request to best avoid a `422` error. Check the
    refund quote's response body for the `refund_methods` array. The `amount` given in the array must
    match the `amount` used in the refund request body.
    * Order refunds should be processed sequentially. Processing multiple concurrent refunds on the same
    order is not yet supported.

    Args:
        order_id (int):
        body (ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest): Request body for refund
            quotes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest,
) -> ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse | None:
    """Create a Refund Quote

     Calculate the tax amount, total refund amount and get available payment options for an order refund
    by providing items and costs or quantities to refund.

    Requires at least one of the following scopes:
    * `store_v2_orders`
    * `store_v2_transactions`

    **Notes:**
    * Create a refund quote before performing a refund request to best avoid a `422` error. Check the
    refund quote's response body for the `refund_methods` array. The `amount` given in the array must
    match the `amount` used in the refund request body.
    * Order refunds should be processed sequentially. Processing multiple concurrent refunds on the same
    order is not yet supported.

    Args:
        order_id (int):
        body (ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest): Request body for refund
            quotes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest,
) -> Response[ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse]:
    """Create a Refund Quote

     Calculate the tax amount, total refund amount and get available payment options for an order refund
    by providing items and costs or quantities to refund.

    Requires at least one of the following scopes:
    * `store_v2_orders`
    * `store_v2_transactions`

    **Notes:**
    * Create a refund quote before performing a refund request to best avoid a `422` error. Check the
    refund quote's response body for the `refund_methods` array. The `amount` given in the array must
    match the `amount` used in the refund request body.
    * Order refunds should be processed sequentially. Processing multiple concurrent refunds on the same
    order is not yet supported.

    Args:
        order_id (int):
        body (ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest): Request body for refund
            quotes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest,
) -> ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse | None:
    """Create a Refund Quote

     Calculate the tax amount, total refund amount and get available payment options for an order refund
    by providing items and costs or quantities to refund.

    Requires at least one of the following scopes:
    * `store_v2_orders`
    * `store_v2_transactions`

    **Notes:**
    * Create a refund quote before performing a refund request to best avoid a `422` error. Check the
    refund quote's response body for the `refund_methods` array. The `amount` given in the array must
    match the `amount` used in the refund request body.
    * Order refunds should be processed sequentially. Processing multiple concurrent refunds on the same
    order is not yet supported.

    Args:
        order_id (int):
        body (ItemsRefundQuoteRequest | TaxAdjustmentRefundQuoteRequest): Request body for refund
            quotes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundQuoteResponse | TaxServiceErrorResponse
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            body=body,
        )
    ).parsed
