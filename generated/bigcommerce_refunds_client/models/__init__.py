"""Contains all the data models used in inputs/outputs"""

from .amount_bound_item import AmountBoundItem
from .amount_bound_item_item_type import AmountBoundItemItemType
from .error_base import ErrorBase
from .error_response import ErrorResponse
from .error_response_detailed_errors import ErrorResponseDetailedErrors
from .failed_quote_error import FailedQuoteError
from .fee_item import FeeItem
from .fee_item_item_type import FeeItemItemType
from .items_refund_quote_request import ItemsRefundQuoteRequest
from .items_refund_request import ItemsRefundRequest
from .merchant_calculated_override import MerchantCalculatedOverride
from .payment_option import PaymentOption
from .payment_request import PaymentRequest
from .quantity_bound_item import QuantityBoundItem
from .quantity_bound_item_item_type import QuantityBoundItemItemType
from .refund import Refund
from .refund_collection_response import RefundCollectionResponse
from .refund_errors_response import RefundErrorsResponse
from .refund_item import RefundItem
from .refund_item_adjustment import RefundItemAdjustment
from .refund_item_item_type import RefundItemItemType
from .refund_payment import RefundPayment
from .refund_quote_full import RefundQuoteFull
from .refund_quote_response import RefundQuoteResponse
from .refund_response import RefundResponse
from .response_meta import ResponseMeta
from .tax_adjustment_refund_quote_request import TaxAdjustmentRefundQuoteRequest
from .tax_adjustment_refund_request import TaxAdjustmentRefundRequest
from .tax_exempt_item import TaxExemptItem
from .tax_exempt_item_item_type import TaxExemptItemItemType
from .tax_service_error_response import TaxServiceErrorResponse

__all__ = (
    "AmountBoundItem",
    "AmountBoundItemItemType",
    "ErrorBase",
    "ErrorResponse",
    "ErrorResponseDetailedErrors",
    "FailedQuoteError",
    "FeeItem",
    "FeeItemItemType",
    "ItemsRefundQuoteRequest",
    "ItemsRefundRequest",
    "MerchantCalculatedOverride",
    "PaymentOption",
    "PaymentRequest",
    "QuantityBoundItem",
    "QuantityBoundItemItemType",
    "Refund",
    "RefundCollectionResponse",
    "RefundErrorsResponse",
    "RefundItem",
    "RefundItemAdjustment",
    "RefundItemItemType",
    "RefundPayment",
    "RefundQuoteFull",
    "RefundQuoteResponse",
    "RefundResponse",
    "ResponseMeta",
    "TaxAdjustmentRefundQuoteRequest",
    "TaxAdjustmentRefundRequest",
    "TaxExemptItem",
    "TaxExemptItemItemType",
    "TaxServiceErrorResponse",
)
