from enum import StrEnum


class TaxExemptItemItemType(StrEnum):
    ORDER = "ORDER"

    def __str__(self) -> str:
        return str(self.value)
