from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PaymentOption")


@_attrs_define
class PaymentOption:
    """
    Example:
        {'provider_id': 'checkout_paypalexpress', 'provider_description': 'Paypal Express', 'amount': 9.99, 'offline':
            True, 'offline_provider': True, 'offline_reason': 'Multiple online refunds are not available.'}

    Attributes:
        provider_id (str): Name of the payment method. Example: checkout_paypalexpress.
        provider_description (str): Description for payment provider. Example: Paypal Express.
        amount (float): Amount to be refunded with this payment provider. Example: 9.99.
        offline (bool): Indicates the payment must be done offline due to constraints of the payment provider, such as
            partial refunds not being supported, or it being offline only such as cash on delivery of bank deposit. Example:
            True.
        offline_provider (bool): Indicates if the payment provider is a strictly offline provider, such as cash on
            delivery or bank deposit. Example: True.
        offline_reason (str): Reason the payment option is offline only, if applicable. Example: Multiple online refunds
            are not available.
    """

    provider_id: str
    provider_description: str
    amount: float
    offline: bool
    offline_provider: bool
    offline_reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider_id = self.provider_id

        provider_description = self.provider_description

        amount = self.amount

        offline = self.offline

        offline_provider = self.offline_provider

        offline_reason = self.offline_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider_id": provider_id,
                "provider_description": provider_description,
                "amount": amount,
                "offline": offline,
                "offline_provider": offline_provider,
                "offline_reason": offline_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider_id = d.pop("provider_id")

        provider_description = d.pop("provider_description")

        amount = d.pop("amount")

        offline = d.pop("offline")

        offline_provider = d.pop("offline_provider")

        offline_reason = d.pop("offline_reason")

        payment_option = cls(
            provider_id=provider_id,
            provider_description=provider_description,
            amount=amount,
            offline=offline,
            offline_provider=offline_provider,
            offline_reason=offline_reason,
        )

        payment_option.additional_properties = d
        return payment_option

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
