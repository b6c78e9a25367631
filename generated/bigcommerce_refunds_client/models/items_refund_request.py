from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_bound_item import AmountBoundItem
    from ..models.fee_item import FeeItem
    from ..models.merchant_calculated_override import MerchantCalculatedOverride
    from ..models.payment_request import PaymentRequest
    from ..models.quantity_bound_item import QuantityBoundItem
    from ..models.tax_exempt_item import TaxExemptItem


T = TypeVar("T", bound="ItemsRefundRequest")


@_attrs_define
class ItemsRefundRequest:
    """
    Attributes:
        items (list[AmountBoundItem | FeeItem | QuantityBoundItem | TaxExemptItem]):
        payments (list[PaymentRequest]):
        merchant_calculated_override (MerchantCalculatedOverride | Unset): Merchant explicitly provided override based
            on their own calculation.

            This override gives merchants the flexibility to
            - bypass any tax correction due to tax rate/providers changes between when a customer places an order and a
            merchant initiates a refund
            - use explicit values calculated by external systems (e.g., merchants' own Extended Producer Responsibility or
            Order Management System)

            When using this when submitting refunds, please update the amount in payments section of the request payload to
            match the override value.

            Note: when using the override, BC internal tax based refund calculation is skipped and therefore order/taxes
            records are not updated.
    """

    items: list[AmountBoundItem | FeeItem | QuantityBoundItem | TaxExemptItem]
    payments: list[PaymentRequest]
    merchant_calculated_override: MerchantCalculatedOverride | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_bound_item import AmountBoundItem  # noqa: PLC0415
        from ..models.quantity_bound_item import QuantityBoundItem  # noqa: PLC0415
        from ..models.tax_exempt_item import TaxExemptItem  # noqa: PLC0415

        items = []
        for items_item_data in self.items:
            items_item: dict[str, Any]
            if isinstance(items_item_data, QuantityBoundItem):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, AmountBoundItem):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, TaxExemptItem):
                items_item = items_item_data.to_dict()
            else:
                items_item = items_item_data.to_dict()

            items.append(items_item)

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        merchant_calculated_override: dict[str, Any] | Unset = UNSET
        if not isinstance(self.merchant_calculated_override, Unset):
            merchant_calculated_override = self.merchant_calculated_override.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "payments": payments,
            }
        )
        if merchant_calculated_override is not UNSET:
            field_dict["merchant_calculated_override"] = merchant_calculated_override

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount_bound_item import AmountBoundItem  # noqa: PLC0415
        from ..models.fee_item import FeeItem  # noqa: PLC0415
        from ..models.merchant_calculated_override import MerchantCalculatedOverride  # noqa: PLC0415
        from ..models.payment_request import PaymentRequest  # noqa: PLC0415
        from ..models.quantity_bound_item import QuantityBoundItem  # noqa: PLC0415
        from ..models.tax_exempt_item import TaxExemptItem  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:

            def _parse_items_item(data: object) -> AmountBoundItem | FeeItem | QuantityBoundItem | TaxExemptItem:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_items_refund_type_0 = QuantityBoundItem.from_dict(data)

                    return componentsschemas_items_refund_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_items_refund_type_1 = AmountBoundItem.from_dict(data)

                    return componentsschemas_items_refund_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_items_refund_type_2 = TaxExemptItem.from_dict(data)

                    return componentsschemas_items_refund_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_items_refund_type_3 = FeeItem.from_dict(data)

                return componentsschemas_items_refund_type_3

            items_item = _parse_items_item(items_item_data)

            items.append(items_item)

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = PaymentRequest.from_dict(payments_item_data)

            payments.append(payments_item)

        _merchant_calculated_override = d.pop("merchant_calculated_override", UNSET)
        merchant_calculated_override: MerchantCalculatedOverride | Unset
        if isinstance(_merchant_calculated_override, Unset):
            merchant_calculated_override = UNSET
        else:
            merchant_calculated_override = MerchantCalculatedOverride.from_dict(_merchant_calculated_override)

        items_refund_request = cls(
            items=items,
            payments=payments,
            merchant_calculated_override=merchant_calculated_override,
        )

        items_refund_request.additional_properties = d
        return items_refund_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
