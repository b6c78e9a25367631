from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.amount_bound_item_item_type import AmountBoundItemItemType
from ..types import UNSET, Unset

T = TypeVar("T", bound="AmountBoundItem")


@_attrs_define
class AmountBoundItem:
    """Refund of an amount-bound part of the order: `SHIPPING` or `HANDLING` (item_id is the order address ID), or `TAX`.

    Attributes:
        item_type (AmountBoundItemItemType): Type of refund. Example: SHIPPING.
        item_id (int): Order address ID. Example: 1.
        amount (float): A non-negative 2 decimal place rounded value that represents the amount that can be
            charged/refunded with payment providers. When creating refunds and refund quotes, this field becomes irrelevant
            when you select PRODUCT or GIFT_WRAPPING for `item_type`. Example: 1.99.
        reason (str | Unset): Explanation of refund. Example: Customer requested refund.
    """

    item_type: AmountBoundItemItemType
    item_id: int
    amount: float
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
                "item_id": item_id,
                "amount": amount,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        item_type = AmountBoundItemItemType(d.pop("item_type"))

        item_id = d.pop("item_id")

        amount = d.pop("amount")

        reason = d.pop("reason", UNSET)

        amount_bound_item = cls(
            item_type=item_type,
            item_id=item_id,
            amount=amount,
            reason=reason,
        )

        amount_bound_item.additional_properties = d
        return amount_bound_item

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
