from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaxAdjustmentRefundQuoteRequest")


@_attrs_define
class TaxAdjustmentRefundQuoteRequest:
    """
    Attributes:
        tax_adjustment_amount (float): Amount to be used when tax may have been overcharged for an order, such as when
            the value for a partial refund is overridden. This amount should be equal to the calculated overcharged value,
            or should be used with `merchant_calculated_override` to override the value. If not, this will result in a `422`
            error. Example: 1.99.
    """

    tax_adjustment_amount: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tax_adjustment_amount = self.tax_adjustment_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tax_adjustment_amount": tax_adjustment_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tax_adjustment_amount = d.pop("tax_adjustment_amount")

        tax_adjustment_refund_quote_request = cls(
            tax_adjustment_amount=tax_adjustment_amount,
        )

        tax_adjustment_refund_quote_request.additional_properties = d
        return tax_adjustment_refund_quote_request

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
