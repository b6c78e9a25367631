from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refund_item_item_type import RefundItemItemType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.refund_item_adjustment import RefundItemAdjustment


T = TypeVar("T", bound="RefundItem")


@_attrs_define
class RefundItem:
    """
    Attributes:
        item_type (RefundItemItemType): Type of item that was refunded.
        item_id (int): order_product.id corresponding to the item_types of PRODUCT, GIFT_WRAPPING. order_address.id
            corresponding to the item_types of SHIPPING, HANDLING. order.id corresponding to the item_type of ORDER.
        reason (str | Unset): Reason for refunding an item.
        quantity (int | Unset): Quantity of item refunded. Note: this will only be populated for item_type PRODUCT
        adjustments (list[RefundItemAdjustment] | Unset): Adjustments to apply to the refunded amount for an item. Only
            supported for item_type PRODUCT
        requested_amount (float | None | Unset): The amount requested for this item (2 decimal places); null when the
            item was refunded by quantity. Example: 10.5.
    """

    item_type: RefundItemItemType
    item_id: int
    reason: str | Unset = UNSET
    quantity: int | Unset = UNSET
    adjustments: list[RefundItemAdjustment] | Unset = UNSET
    requested_amount: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_type = self.item_type.value

        item_id = self.item_id

        reason = self.reason

        quantity = self.quantity

        adjustments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.adjustments, Unset):
            adjustments = []
            for adjustments_item_data in self.adjustments:
                adjustments_item = adjustments_item_data.to_dict()
                adjustments.append(adjustments_item)

        requested_amount: float | None | Unset
        if isinstance(self.requested_amount, Unset):
            requested_amount = UNSET
        else:
            requested_amount = self.requested_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_type": item_type,
                "item_id": item_id,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if adjustments is not UNSET:
            field_dict["adjustments"] = adjustments
        if requested_amount is not UNSET:
            field_dict["requested_amount"] = requested_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refund_item_adjustment import RefundItemAdjustment  # noqa: PLC0415

        d = dict(src_dict)
        item_type = RefundItemItemType(d.pop("item_type"))

        item_id = d.pop("item_id")

        reason = d.pop("reason", UNSET)

        quantity = d.pop("quantity", UNSET)

        _adjustments = d.pop("adjustments", UNSET)
        adjustments: list[RefundItemAdjustment] | Unset = UNSET
        if _adjustments is not UNSET:
            adjustments = []
            for adjustments_item_data in _adjustments:
                adjustments_item = RefundItemAdjustment.from_dict(adjustments_item_data)

                adjustments.append(adjustments_item)

        def _parse_requested_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        requested_amount = _parse_requested_amount(d.pop("requested_amount", UNSET))

        refund_item = cls(
            item_type=item_type,
            item_id=item_id,
            reason=reason,
            quantity=quantity,
            adjustments=adjustments,
            requested_amount=requested_amount,
        )

        refund_item.additional_properties = d
        return refund_item

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
