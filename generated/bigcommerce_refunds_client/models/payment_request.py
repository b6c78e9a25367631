from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentRequest")


@_attrs_define
class PaymentRequest:
    """
    Attributes:
        provider_id (str | Unset): Reference to payment provider. Example: checkout_paypalexpress.
        amount (float | Unset): Amount refunded with this provider. Example: 9.99.
        offline (bool | Unset): Whether the payment was marked as offline or performed through an online payment
            service. Example: True.
    """

    provider_id: str | Unset = UNSET
    amount: float | Unset = UNSET
    offline: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider_id = self.provider_id

        amount = self.amount

        offline = self.offline

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if provider_id is not UNSET:
            field_dict["provider_id"] = provider_id
        if amount is not UNSET:
            field_dict["amount"] = amount
        if offline is not UNSET:
            field_dict["offline"] = offline

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider_id = d.pop("provider_id", UNSET)

        amount = d.pop("amount", UNSET)

        offline = d.pop("offline", UNSET)

        payment_request = cls(
            provider_id=provider_id,
            amount=amount,
            offline=offline,
        )

        payment_request.additional_properties = d
        return payment_request

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
