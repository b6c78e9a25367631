from enum import StrEnum


class RefundItemItemType(StrEnum):
    FEE = "FEE"
    GIFT_WRAPPING = "GIFT_WRAPPING"
    HANDLING = "HANDLING"
    ORDER = "ORDER"
    PRODUCT = "PRODUCT"
    SHIPPING = "SHIPPING"

    def __str__(self) -> str:
        return str(self.value)
