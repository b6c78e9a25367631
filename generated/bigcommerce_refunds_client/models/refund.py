from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.refund_item import RefundItem
    from ..models.refund_payment import RefundPayment


T = TypeVar("T", bound="Refund")


@_attrs_define
class Refund:
    """
    Attributes:
        id (int): Refund resource ID.
        order_id (int): Reference to order ID.
        user_id (int): Reference to the userʼs ID who create this refund. This is automatically populated by
            BigCommerce.
        created (datetime.datetime): Timestamp of when this refund was created.
        reason (str): Reason for refund.
        total_amount (float): A non-negative 2 decimal place rounded value that represents the amount that can be
            charged/refunded with payment providers. When creating refunds and refund quotes, this field becomes irrelevant
            when you select PRODUCT or GIFT_WRAPPING for `item_type`. Example: 1.99.
        total_tax (float): Total tax amount refunded back to the shopper. Note: `order_level_amount` does not affect tax
            liability. This can be a negative amount indicating we have collected tax by refunding less to the customer.
        uses_merchant_override_values (bool): Whether refund amount and tax are provided explicitly by merchant
            override.
        items (list[RefundItem]): Array of items refunded. In cases when `tax_refund_adjustment` was used to create the
            refund, this array will be empty.
        payments (list[RefundPayment]): An array of refund payments made to payment providers.
    """

    id: int
    order_id: int
    user_id: int
    created: datetime.datetime
    reason: str
    total_amount: float
    total_tax: float
    uses_merchant_override_values: bool
    items: list[RefundItem]
    payments: list[RefundPayment]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        order_id = self.order_id

        user_id = self.user_id

        created = self.created.isoformat()

        reason = self.reason

        total_amount = self.total_amount

        total_tax = self.total_tax

        uses_merchant_override_values = self.uses_merchant_override_values

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "order_id": order_id,
                "user_id": user_id,
                "created": created,
                "reason": reason,
                "total_amount": total_amount,
                "total_tax": total_tax,
                "uses_merchant_override_values": uses_merchant_override_values,
                "items": items,
                "payments": payments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refund_item import RefundItem  # noqa: PLC0415
        from ..models.refund_payment import RefundPayment  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        order_id = d.pop("order_id")

        user_id = d.pop("user_id")

        created = datetime.datetime.fromisoformat(d.pop("created"))

        reason = d.pop("reason")

        total_amount = d.pop("total_amount")

        total_tax = d.pop("total_tax")

        uses_merchant_override_values = d.pop("uses_merchant_override_values")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RefundItem.from_dict(items_item_data)

            items.append(items_item)

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = RefundPayment.from_dict(payments_item_data)

            payments.append(payments_item)

        refund = cls(
            id=id,
            order_id=order_id,
            user_id=user_id,
            created=created,
            reason=reason,
            total_amount=total_amount,
            total_tax=total_tax,
            uses_merchant_override_values=uses_merchant_override_values,
            items=items,
            payments=payments,
        )

        refund.additional_properties = d
        return refund

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
