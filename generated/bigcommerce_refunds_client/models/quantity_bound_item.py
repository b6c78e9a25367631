from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quantity_bound_item_item_type import QuantityBoundItemItemType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.refund_item_adjustment import RefundItemAdjustment


T = TypeVar("T", bound="QuantityBoundItem")


@_attrs_define
class QuantityBoundItem:
    """Quantity Bound Item

    Type of refund item that capture refunding of items in the order that are of type quantity.
    * `PRODUCT`
    * `GIFT_WRAPPING`

        Attributes:
            item_type (QuantityBoundItemItemType): Type of refund. Example: PRODUCT.
            item_id (int): Order Product ID. Example: 1.
            quantity (int):  Example: 3.
            adjustments (list[RefundItemAdjustment] | Unset): Array of product refund deductions
            reason (str | Unset): Reason for refund. Example: Wrong size..
    """

    item_type: QuantityBoundItemItemType
    item_id: int
    quantity: int
    adjustments: list[RefundItemAdjustment] | Unset = UNSET
    reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_type = self.item_type.value

        item_id = self.item_id

        quantity = self.quantity

        adjustments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.adjustments, Unset):
            adjustments = []
            for adjustments_item_data in self.adjustments:
                adjustments_item = adjustments_item_data.to_dict()
                adjustments.append(adjustments_item)

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_type": item_type,
                "item_id": item_id,
                "quantity": quantity,
            }
        )
        if adjustments is not UNSET:
            field_dict["adjustments"] = adjustments
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refund_item_adjustment import RefundItemAdjustment  # noqa: PLC0415

        d = dict(src_dict)
        item_type = QuantityBoundItemItemType(d.pop("item_type"))

        item_id = d.pop("item_id")

        quantity = d.pop("quantity")

        _adjustments = d.pop("adjustments", UNSET)
        adjustments: list[RefundItemAdjustment] | Unset = UNSET
        if _adjustments is not UNSET:
            adjustments = []
            for adjustments_item_data in _adjustments:
                adjustments_item = RefundItemAdjustment.from_dict(adjustments_item_data)

                adjustments.append(adjustments_item)

        reason = d.pop("reason", UNSET)

        quantity_bound_item = cls(
            item_type=item_type,
            item_id=item_id,
            quantity=quantity,
            adjustments=adjustments,
            reason=reason,
        )

        quantity_bound_item.additional_properties = d
        return quantity_bound_item

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
