from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant_calculated_override import MerchantCalculatedOverride


T = TypeVar("T", bound="TaxAdjustmentRefundRequest")


@_attrs_define
class TaxAdjustmentRefundRequest:
    """
    Attributes:
        tax_adjustment_amount (float): Amount to be used when tax may have been overcharged for an order, such as when
            the value for a partial refund is overridden. This amount should be equal to the calculated overcharged value,
            or should be used with `merchant_calculated_override` to override the value. If not, this will result in a `422`
            error. Example: 1.99.
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

    tax_adjustment_amount: float
    merchant_calculated_override: MerchantCalculatedOverride | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tax_adjustment_amount = self.tax_adjustment_amount

        merchant_calculated_override: dict[str, Any] | Unset = UNSET
        if not isinstance(self.merchant_calculated_override, Unset):
            merchant_calculated_override = self.merchant_calculated_override.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tax_adjustment_amount": tax_adjustment_amount,
            }
        )
        if merchant_calculated_override is not UNSET:
            field_dict["merchant_calculated_override"] = merchant_calculated_override

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.merchant_calculated_override import MerchantCalculatedOverride  # noqa: PLC0415

        d = dict(src_dict)
        tax_adjustment_amount = d.pop("tax_adjustment_amount")

        _merchant_calculated_override = d.pop("merchant_calculated_override", UNSET)
        merchant_calculated_override: MerchantCalculatedOverride | Unset
        if isinstance(_merchant_calculated_override, Unset):
            merchant_calculated_override = UNSET
        else:
            merchant_calculated_override = MerchantCalculatedOverride.from_dict(_merchant_calculated_override)

        tax_adjustment_refund_request = cls(
            tax_adjustment_amount=tax_adjustment_amount,
            merchant_calculated_override=merchant_calculated_override,
        )

        tax_adjustment_refund_request.additional_properties = d
        return tax_adjustment_refund_request

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
