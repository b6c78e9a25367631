from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RefundPayment")


@_attrs_define
class RefundPayment:
    """
    Attributes:
        id (int): Reference to refund payment ID.
        provider_id (str): Reference to payment provider. Example: storecredit.
        amount (float): A non-negative 2 decimal place rounded value that represents the amount that can be
            charged/refunded with payment providers. When creating refunds and refund quotes, this field becomes irrelevant
            when you select PRODUCT or GIFT_WRAPPING for `item_type`. Example: 1.99.
        offline (bool): Indicate whether payment was offline.
        is_declined (bool): Indicate if this payment has been declined by payment provider.
        declined_message (str): Message indicate why payment was declined.
        transaction_id (str | Unset): The BigCommerce `transaction_id`. Example: 1234.
    """

    id: int
    provider_id: str
    amount: float
    offline: bool
    is_declined: bool
    declined_message: str
    transaction_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        provider_id = self.provider_id

        amount = self.amount

        offline = self.offline

        is_declined = self.is_declined

        declined_message = self.declined_message

        transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "provider_id": provider_id,
                "amount": amount,
                "offline": offline,
                "is_declined": is_declined,
                "declined_message": declined_message,
            }
        )
        if transaction_id is not UNSET:
            field_dict["transaction_id"] = transaction_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        provider_id = d.pop("provider_id")

        amount = d.pop("amount")

        offline = d.pop("offline")

        is_declined = d.pop("is_declined")

        declined_message = d.pop("declined_message")

        transaction_id = d.pop("transaction_id", UNSET)

        refund_payment = cls(
            id=id,
            provider_id=provider_id,
            amount=amount,
            offline=offline,
            is_declined=is_declined,
            declined_message=declined_message,
            transaction_id=transaction_id,
        )

        refund_payment.additional_properties = d
        return refund_payment

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
