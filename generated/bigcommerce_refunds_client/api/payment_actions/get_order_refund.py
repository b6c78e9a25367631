from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.refund_response import RefundResponse
from ...types import Response


def _get_kwargs(
    refund_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/orders/payment_actions/refunds/{refund_id}".format(
            refund_id=quote(str(refund_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RefundResponse | None:
    if response.status_code == 200:
        response_200 = RefundResponse.from_dict(response.json())

        return response_200

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
) -> Response[ErrorResponse | RefundResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    refund_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResponse | RefundResponse]:
    """Get a Refund

     Returns a refund by refund ID.

    Args:
        refund_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundResponse]
    """

    kwargs = _get_kwargs(
        refund_id=refund_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    refund_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResponse | RefundResponse | None:
    """Get a Refund

     Returns a refund by refund ID.

    Args:
        refund_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundResponse
    """

    return sync_detailed(
        refund_id=refund_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    refund_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResponse | RefundResponse]:
    """Get a Refund

     Returns a refund by refund ID.

    Args:
        refund_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RefundResponse]
    """

    kwargs = _get_kwargs(
        refund_id=refund_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    refund_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResponse | RefundResponse | None:
    """Get a Refund

     Returns a refund by refund ID.

    Args:
        refund_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RefundResponse
    """

    return (
        await asyncio_detailed(
            refund_id=refund_id,
            client=client,
        )
    ).parsed
