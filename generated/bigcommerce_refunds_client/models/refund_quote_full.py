from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.payment_option import PaymentOption


T = TypeVar("T", bound="RefundQuoteFull")


@_attrs_define
class RefundQuoteFull:
    """
    Attributes:
        order_id (int): ID of the order to be refunded.
        total_refund_amount (float): A non-negative 2 decimal place rounded value that represents the amount that can be
            charged/refunded with payment providers. When creating refunds and refund quotes, this field becomes irrelevant
            when you select PRODUCT or GIFT_WRAPPING for `item_type`. Example: 1.99.
        total_refund_tax_amount (float):  Example: 1.95.
        order_level_refund_amount (float):  Example: 1.99.
        rounding (float): Indicates rounding value to bring `refund_total` to an amount refundable with payment
            providers (in this case to 2 decimal places).
        adjustment (float): A negative or positive 2 decimal place rounded value that represents the difference between
            the refund amount requested in the refund quote and the actual amount that is refundable on the order. This
            value is negative when the refund amount requested in the refund quote is more than the total refundable amount.
            This value is positive when the total refundable amount has increased, e.g. as a result of rounding. Example:
            -10.2.
        refund_methods (list[list[PaymentOption]]): An array of available refund methods.

            Note that `refund_methods` is an array of refund methods, with each refund method being an array of payment
            options.

            For example, if the order was placed by a combination of store credit and bank deposit the refund methods would
            be:

            ```json
            {
              "refund_methods": [
                [
                  {
                    "provider_id": "storecredit",
                    "provider_description": "Store Credit",
                    "amount": 119.35,
                    "offline": false,
                    "offline_provider": false,
                    "offline_reason": ""
                  }
                ],
                [
                  {
                    "provider_id": "custom",
                    "provider_description": "Custom",
                    "amount": 119.35,
                    "offline": true,
                    "offline_provider": true,
                    "offline_reason": "This is an offline payment provider."
                  }
                ],
                [
                  {
                    "provider_id": "bankdeposit",
                    "provider_description": "Bank Deposit",
                    "amount": 80.35,
                    "offline": true,
                    "offline_provider": true,
                    "offline_reason": "This is an offline payment provider."
                  },
                  {
                    "provider_id": "storecredit",
                    "provider_description": "Store Credit",
                    "amount": 39,
                    "offline": false,
                    "offline_provider": false,
                    "offline_reason": ""
                  }
                ]
              ]
            }
            ```

            In this case there are three refund methods available to the merchant:
            1. Refund up to the entire order amount to store credit.
            2. Mark an amount up to the full order amount as refunded externally, through a provider or means not
            represented directly in BC ("custom").
            3. Refund the amount paid by store credit to store credit, and the amount paid by bank deposit with a manual
            refund, which will be recorded as being refunded against the bank deposit.
        tax_inclusive (bool | Unset): Indicate if `total_refund_amount` includes tax amount.
    """

    order_id: int
    total_refund_amount: float
    total_refund_tax_amount: float
    order_level_refund_amount: float
    rounding: float
    adjustment: float
    refund_methods: list[list[PaymentOption]]
    tax_inclusive: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        total_refund_amount = self.total_refund_amount

        total_refund_tax_amount = self.total_refund_tax_amount

        order_level_refund_amount = self.order_level_refund_amount

        rounding = self.rounding

        adjustment = self.adjustment

        refund_methods = []
        for refund_methods_item_data in self.refund_methods:
            refund_methods_item = []
            for componentsschemas_refund_method_item_data in refund_methods_item_data:
                componentsschemas_refund_method_item = componentsschemas_refund_method_item_data.to_dict()
                refund_methods_item.append(componentsschemas_refund_method_item)

            refund_methods.append(refund_methods_item)

        tax_inclusive = self.tax_inclusive

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order_id": order_id,
                "total_refund_amount": total_refund_amount,
                "total_refund_tax_amount": total_refund_tax_amount,
                "order_level_refund_amount": order_level_refund_amount,
                "rounding": rounding,
                "adjustment": adjustment,
                "refund_methods": refund_methods,
            }
        )
        if tax_inclusive is not UNSET:
            field_dict["tax_inclusive"] = tax_inclusive

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payment_option import PaymentOption  # noqa: PLC0415

        d = dict(src_dict)
        order_id = d.pop("order_id")

        total_refund_amount = d.pop("total_refund_amount")

        total_refund_tax_amount = d.pop("total_refund_tax_amount")

        order_level_refund_amount = d.pop("order_level_refund_amount")

        rounding = d.pop("rounding")

        adjustment = d.pop("adjustment")

        refund_methods = []
        _refund_methods = d.pop("refund_methods")
        for refund_methods_item_data in _refund_methods:
            refund_methods_item = []
            _refund_methods_item = refund_methods_item_data
            for componentsschemas_refund_method_item_data in _refund_methods_item:
                componentsschemas_refund_method_item = PaymentOption.from_dict(
                    componentsschemas_refund_method_item_data
                )

                refund_methods_item.append(componentsschemas_refund_method_item)

            refund_methods.append(refund_methods_item)

        tax_inclusive = d.pop("tax_inclusive", UNSET)

        refund_quote_full = cls(
            order_id=order_id,
            total_refund_amount=total_refund_amount,
            total_refund_tax_amount=total_refund_tax_amount,
            order_level_refund_amount=order_level_refund_amount,
            rounding=rounding,
            adjustment=adjustment,
            refund_methods=refund_methods,
            tax_inclusive=tax_inclusive,
        )

        refund_quote_full.additional_properties = d
        return refund_quote_full

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
