"""The supported client for BigCommerce's Orders V3 refund API.

Over the generated models (``bigcommerce_refunds_client``), it adds what moving money needs:
default timeouts, typed errors, Decimal amounts on the wire, retries that never pay twice,
per-order sequencing and a token that never shows up in reprs, logs or errors.
"""

from bigcommerce_refunds_client.models import PaymentOption, Refund, RefundQuoteFull

from ._config import DEFAULT_TIMEOUT, AccessToken
from ._engine import LOGGER_NAME
from .async_client import AsyncRefundsClient
from .errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    ConnectionFailedError,
    ErrorDetail,
    MalformedResponseError,
    MultipleRefundsMatchError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitedError,
    RefundOutcomeUnknownError,
    RefundsError,
    RequestTimeoutError,
    ServiceUnavailableError,
    TaxServiceFailure,
    UnexpectedStatusError,
    UnprocessableError,
)
from .items import (
    Adjustment,
    Item,
    MerchantOverride,
    Payment,
    adjustment,
    fee,
    gift_wrapping,
    handling,
    merchant_override,
    order_level,
    payment,
    payments_for,
    product,
    shipping,
)
from .money import method_total, quote_total, refund_tax, refund_total, to_decimal
from .retry import RetryPolicy
from .sync_client import RefundsClient

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOGGER_NAME",
    "AccessToken",
    "Adjustment",
    "ApiError",
    "AsyncRefundsClient",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionFailedError",
    "ErrorDetail",
    "Item",
    "MalformedResponseError",
    "MerchantOverride",
    "MultipleRefundsMatchError",
    "NotFoundError",
    "PaginationError",
    "Payment",
    "PaymentOption",
    "PermissionDeniedError",
    "RateLimitedError",
    "Refund",
    "RefundOutcomeUnknownError",
    "RefundQuoteFull",
    "RefundsClient",
    "RefundsError",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "TaxServiceFailure",
    "UnexpectedStatusError",
    "UnprocessableError",
    "adjustment",
    "fee",
    "gift_wrapping",
    "handling",
    "merchant_override",
    "method_total",
    "order_level",
    "payment",
    "payments_for",
    "product",
    "quote_total",
    "refund_tax",
    "refund_total",
    "shipping",
    "to_decimal",
]
