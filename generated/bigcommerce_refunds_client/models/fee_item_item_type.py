from enum import StrEnum


class FeeItemItemType(StrEnum):
    FEE = "FEE"

    def __str__(self) -> str:
        return str(self.value)
