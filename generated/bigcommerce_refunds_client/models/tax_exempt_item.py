from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tax_exempt_item_item_type import TaxExemptItemItemType
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaxExemptItem")


@_attrs_define
class TaxExemptItem:
    """Use this to refund a custom value at the order level. When `item_type` is set to `ORDER`, tax is not re-calculated.

    Attributes:
        item_type (TaxExemptItemItemType): The type of refund. When `item_type` is set to `ORDER`, tax is not re-
            calculated. Example: ORDER.
        item_id (int | Unset): The order ID (an ORDER refund is an order-level, tax-exempt amount). Example: 1.
        amount (float | Unset): A non-negative 2 decimal place rounded value that represents the amount that can be
            charged/refunded with payment providers. When creating refunds and refund quotes, this field becomes irrelevant
            when you select PRODUCT or GIFT_WRAPPING for `item_type`. Example: 1.99.
        reason (str | Unset): Reason for the refund.
    """

    item_type: TaxExemptItemItemType
    item_id: int | Unset = UNSET
    amount: float | Unset = UNSET
    reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_type = self.item_type.value

        item_id = self.item_id

        amount = self.amount

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_type": item_type,
            }
        )
        if item_id is not UNSET:
            field_dict["item_id"] = item_id
        if amount is not UNSET:
            field_dict["amount"] = amount
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        item_type = TaxExemptItemItemType(d.pop("item_type"))

        item_id = d.pop("item_id", UNSET)

        amount = d.pop("amount", UNSET)

        reason = d.pop("reason", UNSET)

        tax_exempt_item = cls(
            item_type=item_type,
            item_id=item_id,
            amount=amount,
            reason=reason,
        )

        tax_exempt_item.additional_properties = d
        return tax_exempt_item

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
