from enum import StrEnum


class QuantityBoundItemItemType(StrEnum):
    GIFT_WRAPPING = "GIFT_WRAPPING"
    PRODUCT = "PRODUCT"

    def __str__(self) -> str:
        return str(self.value)
