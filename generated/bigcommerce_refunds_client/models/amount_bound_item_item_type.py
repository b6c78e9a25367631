from enum import StrEnum


class AmountBoundItemItemType(StrEnum):
    HANDLING = "HANDLING"
    SHIPPING = "SHIPPING"
    TAX = "TAX"

    def __str__(self) -> str:
        return str(self.value)
