"""Figures: several runs of one measurement, each run paired with its baseline from the same run."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figure:
    """One measured quantity: a value per run and, optionally, the baseline measured in that run.

    ``ratio`` is the median over runs of value / baseline (each run against its own baseline), so
    a drift of the machine between runs cancels out.
    """

    section: str
    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    baseline: str | None = None
    baseline_values: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def ratios(self) -> list[float]:
        return [
            value / base
            for value, base in zip(self.values, self.baseline_values, strict=False)
            if base
        ]

    @property
    def ratio(self) -> float | None:
        ratios = self.ratios
        return statistics.median(ratios) if ratios else None

    def add(self, value: float, baseline: float | None = None) -> None:
        self.values.append(value)
        if baseline is not None:
            self.baseline_values.append(baseline)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["median"] = self.median
        data["ratio"] = self.ratio
        return data


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)
    #: "not measured: <reason>" and other remarks, printed and written to the README.
    notes: list[str] = field(default_factory=list)

    def figure(self, section: str, name: str, unit: str, baseline: str | None = None) -> Figure:
        for figure in self.figures:
            if figure.section == section and figure.name == name:
                return figure
        created = Figure(section, name, unit, baseline=baseline)
        self.figures.append(created)
        return created

    def note(self, text: str) -> None:
        print(text, flush=True)
        self.notes.append(text)
