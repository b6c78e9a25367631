from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MerchantCalculatedOverride")


@_attrs_define
class MerchantCalculatedOverride:
    """Merchant explicitly provided override based on their own calculation.

    This override gives merchants the flexibility to
    - bypass any tax correction due to tax rate/providers changes between when a customer places an order and a merchant
    initiates a refund
    - use explicit values calculated by external systems (e.g., merchants' own Extended Producer Responsibility or Order
    Management System)

    When using this when submitting refunds, please update the amount in payments section of the request payload to
    match the override value.

    Note: when using the override, BC internal tax based refund calculation is skipped and therefore order/taxes records
    are not updated.

        Attributes:
            total_amount (float): A non-negative 2 decimal place rounded value that represents the amount that to be used as
                override for the refund. Example: 9.99.
            total_tax (float): Total tax amount refunded back to the shopper. Use 0 value if there is no tax liability
                change for the refund or tax does not need to be recorded on the refund and would be handled externally.
    """

    total_amount: float
    total_tax: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_amount = self.total_amount

        total_tax = self.total_tax

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_amount": total_amount,
                "total_tax": total_tax,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_amount = d.pop("total_amount")

        total_tax = d.pop("total_tax")

        merchant_calculated_override = cls(
            total_amount=total_amount,
            total_tax=total_tax,
        )

        merchant_calculated_override.additional_properties = d
        return merchant_calculated_override

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
