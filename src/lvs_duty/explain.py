"""Assessments and their explanation: what is owed, and every step a customs officer would check.

An :class:`Assessment` carries the amounts (``duty``, ``tax``, ``fees``, ``total``, all Decimal
in the regime's currency), where they are collected, one :class:`LineAssessment` per item line,
and the :class:`Step` trail: which threshold was tested and how it came out, which category and
rate applied, on which base, how it was rounded, and the legal source of each applied value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .money import CONTEXT
from .rules import Source

Collection = Literal["border", "sale", "mixed"]
"""Where an amount is collected: by customs or the carrier at the border, by the seller at sale."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an assessment, in words, with the sources of the values it applied."""

    topic: str
    text: str
    sources: tuple[Source, ...] = ()
    unconfirmed: bool = False

    def render(self, number: int) -> str:
        """The step as numbered text, its sources indented below it."""
        flag = " [unconfirmed value]" if self.unconfirmed else ""
        lines = [f"{number:>2}. [{self.topic}] {self.text}{flag}"]
        for source in self.sources:
            url = f" <{source.url}>" if source.url else ""
            lines.append(f"      source: {source.title}{url}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class LineAssessment:
    """The duty and tax of one item line.

    With per-shipment rounding the line amounts are exact (unrounded) shares; the shipment's
    amounts are rounded once per tax group. With per-line rounding they are the rounded amounts.
    """

    index: int
    hs_code: str | None
    value: Decimal
    customs_value: Decimal
    duty: Decimal
    duty_basis: str
    duty_collection: Literal["border", "sale"] | None
    category: str | None
    classified: bool
    tax_rate: Decimal
    tax_base: Decimal
    tax: Decimal
    tax_collection: Literal["border", "sale"] | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """What one shipment owes under one rule set, and why.

    ``total = duty + tax + fees``. ``duty_assessed`` and ``tax_assessed`` are the amounts before
    a minimum collectable waived them; ``duty`` and ``tax`` are what is collected.
    """

    shipment_id: str | None
    rules: str
    version: str
    currency: str
    goods_value: Decimal
    customs_value: Decimal
    tax_base: Decimal
    duty_assessed: Decimal
    tax_assessed: Decimal
    duty: Decimal
    tax: Decimal
    fees: Decimal
    total: Decimal
    duty_collection: Collection | None
    tax_collection: Collection | None
    collected_at_border: Decimal
    collected_at_sale: Decimal
    classifications: int
    lines: tuple[LineAssessment, ...] = field(default=())
    steps: tuple[Step, ...] = field(default=(), repr=False)

    @property
    def border_collection(self) -> bool:
        """Whether customs or the carrier must collect duty or tax from the buyer at the border."""
        return self.collected_at_border > 0

    @property
    def effective_rate(self) -> Decimal:
        """Total charge as a share of the goods value, to 4 decimal places (0 for free goods)."""
        if self.goods_value == 0:
            return Decimal("0.0000")
        ratio = CONTEXT.divide(self.total, self.goods_value)
        return ratio.quantize(Decimal("0.0001"), rounding="ROUND_HALF_EVEN", context=CONTEXT)

    def explain(self) -> str:
        """The assessment as numbered steps, each with the legal sources of the values applied."""
        head = (
            f"Assessment of shipment {self.shipment_id or '(no id)'} under {self.rules}, "
            f"version {self.version}, in {self.currency}"
        )
        body = "\n".join(step.render(i) for i, step in enumerate(self.steps, start=1))
        tail = (
            f"Result: duty {self.duty} + tax {self.tax} + fees {self.fees} = total {self.total} "
            f"{self.currency} (border {self.collected_at_border}, sale {self.collected_at_sale})"
        )
        return f"{head}\n{body}\n{tail}"

    @property
    def unconfirmed(self) -> bool:
        """Whether any value applied in this assessment is flagged unconfirmed in its rule file."""
        return any(step.unconfirmed for step in self.steps)


__all__ = ["Assessment", "Collection", "LineAssessment", "Step"]
