from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.amount_bound_item import AmountBoundItem
    from ..models.fee_item import FeeItem
    from ..models.quantity_bound_item import QuantityBoundItem
    from ..models.tax_exempt_item import TaxExemptItem


T = TypeVar("T", bound="ItemsRefundQuoteRequest")


@_attrs_define
class ItemsRefundQuoteRequest:
    """
    Attributes:
        items (list[AmountBoundItem | FeeItem | QuantityBoundItem | TaxExemptItem]):
    """

    items: list[AmountBoundItem | FeeItem | QuantityBoundItem | TaxExemptItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_bound_item import AmountBoundItem  # noqa: PLC0415
        from ..models.quantity_bound_item import QuantityBoundItem  # noqa: PLC0415
        from ..models.tax_exempt_item import TaxExemptItem  # noqa: PLC0415

        items = []
        for items_item_data in self.items:
            items_item: dict[str, Any]
            if isinstance(items_item_data, QuantityBoundItem):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, AmountBoundItem):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, TaxExemptItem):
                items_item = items_item_data.to_dict()
            else:
                items_item = items_item_data.to_dict()

            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount_bound_item import AmountBoundItem  # noqa: PLC0415
        from ..models.fee_item import FeeItem  # noqa: PLC0415
        from ..models.quantity_bound_item import QuantityBoundItem  # noqa: PLC0415
        from ..models.tax_exempt_item import TaxExemptItem  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:

            def _parse_items_item(data: object) -> AmountBoundItem | FeeItem | QuantityBoundItem | TaxExemptItem:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_items_refund_type_0 = QuantityBoundItem.from_dict(data)

                    return componentsschemas_items_refund_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_items_refund_type_1 = AmountBoundItem.from_dict(data)

                    return componentsschemas_items_refund_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_items_refund_type_2 = TaxExemptItem.from_dict(data)

                    return componentsschemas_items_refund_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_items_refund_type_3 = FeeItem.from_dict(data)

                return componentsschemas_items_refund_type_3

            items_item = _parse_items_item(items_item_data)

            items.append(items_item)

        items_refund_quote_request = cls(
            items=items,
        )

        items_refund_quote_request.additional_properties = d
        return items_refund_quote_request

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
