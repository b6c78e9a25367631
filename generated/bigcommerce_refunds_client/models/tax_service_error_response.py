from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.failed_quote_error import FailedQuoteError
    from ..models.response_meta import ResponseMeta


T = TypeVar("T", bound="TaxServiceErrorResponse")


@_attrs_define
class TaxServiceErrorResponse:
    """The 503 body when the tax service is unavailable.

    Attributes:
        data (list[FailedQuoteError]):
        meta (ResponseMeta): Response metadata.
    """

    data: list[FailedQuoteError]
    meta: ResponseMeta
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        meta = self.meta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "meta": meta,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failed_quote_error import FailedQuoteError  # noqa: PLC0415
        from ..models.response_meta import ResponseMeta  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = FailedQuoteError.from_dict(data_item_data)

            data.append(data_item)

        meta = ResponseMeta.from_dict(d.pop("meta"))

        tax_service_error_response = cls(
            data=data,
            meta=meta,
        )

        tax_service_error_response.additional_properties = d
        return tax_service_error_response

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
