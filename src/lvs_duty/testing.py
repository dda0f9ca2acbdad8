"""Property-test any rule set against the library's invariants, with shrunk counter-examples.

:func:`check_rules` draws shipments around every threshold and ceiling of a rule set (with
:func:`lvs_duty.strategies.shipments`), checks each invariant below, and reports every one that
fails with the smallest shipment hypothesis could shrink it to. It runs on the user's own rules
as well as the bundled ones: a customs authority drafting a de minimis, a platform checking its
duty engine against ours, a researcher checking that a table does what the law says.

The invariants (``INVARIANTS`` holds the same text):

``assessable``
    Every drawn shipment assesses without error (a rule that needs a value no line carries,
    a regional rate with no default and no key for the region, fails here).
``non_negative``
    No amount of an assessment or of its lines is negative.
``de_minimis``
    At or below the first matching duty (tax) threshold, relieved lines that are not excluded
    from the relief carry no duty (tax) when the relief is ``exempt``, and none collected at
    the border when it is ``sale``; when every line is relieved and exempt, the shipment's
    duty (tax), assessed and collected, is zero. Thresholds are measured independently of the
    engine (goods, customs value or CIF; per consignment or per item times quantity).
``total_is_sum``
    ``total = duty + tax + fees``, and border plus sale collections equal ``duty + tax``.
``monotone_in_value``
    For a fixed basket (every line scaled by the same factor), the total charge never falls
    as the goods value rises, except across a notch: a threshold or the low-value ceiling
    whose verdict changes between the two values. Notches are reported, not failed.
``adding_an_item``
    Adding a line never lowers the total charge, except across a notch (including a
    ``when.without_hs`` condition the new line turns false), or where transport
    and insurance, spread over the lines in proportion to value, move from lines charged at a
    higher rate to the new one (CIF valuation, or transport in the tax base): the freight
    dilution effect, reported beside the notches because it is the law's arithmetic, not a
    fault. It counts as such only when the same comparison without transport shows no fall.
``rounding``
    Duty and tax, as assessed, are within half a quantum (a whole quantum for the directed
    modes ROUND_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR) of the exact amounts per rounding
    step (per rounding group or line, and per tax component), the error of the rounded duty
    and tax base carried into the tax counted at the tax rate, and that of a component taken
    as a ratio of another at that ratio. Where rounding moves the duty across its own minimum
    collectable, the waived duty leaves the tax base, so the tax may differ by the rate on
    that duty as well. The exact amounts come from the same rules with a quantum of 1E-30 and
    no base or component quanta.
``frame_agrees``
    The vectorised path (:func:`lvs_duty.frame.assess_frame`) gives the per-shipment path's
    customs value, duty, tax, fees and total to the cent; skipped when that path is missing.
``json_round_trip``
    ``RuleSet.model_validate_json(rules.model_dump_json())`` equals the rules, a shipment
    survives the same round trip, and assessing the copies changes nothing.

>>> from lvs_duty import load_rules
>>> report = check_rules(load_rules("AU"), examples=10, invariants=["total_is_sum"])
>>> report.ok, [r.status for r in report.results]
(True, ['passed'])
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random
from typing import Any, Literal, TypeVar

from ._args import date_arg
from .analysis import Measures, admitted, applicable, exact_rules, holds, measures
from .assess import assess
from .errors import ArgumentError, LvsDutyError
from .explain import Assessment
from .money import CONTEXT, minor_unit, own_context, whole_units
from .rules import RuleSet, RuleVersion, Threshold
from .shipment import Shipment

T = TypeVar("T")

INVARIANTS: dict[str, str] = {
    "assessable": "every drawn shipment assesses without error",
    "non_negative": "no amount of an assessment or of its lines is negative",
    "de_minimis": "duty and tax are zero at or below their de minimis (exempt relief, goods "
    "not excluded), and nothing relieved 'at sale' is collected at the border",
    "total_is_sum": "total = duty + tax + fees; border + sale collections = duty + tax",
    "monotone_in_value": "the total never falls as a fixed basket's value rises, except at notches",
    "adding_an_item": "adding a line never lowers the total, except at notches and by freight "
    "dilution",
    "rounding": "duty and tax within half a quantum (a quantum for directed modes) of the exact "
    "amounts per rounding step",
    "frame_agrees": "the frame path gives the per-shipment amounts to the cent",
    "json_round_trip": "rules and shipments survive a JSON round trip unchanged",
}
"""Every invariant :func:`check_rules` knows, in the order it runs them, with a one-line gist."""

FREIGHT_DILUTION = "freight dilution: transport spread over the lines by value"
"""The label under which the freight dilution effect is reported beside the notches."""

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class InvariantResult:
    """The outcome of one invariant: passed, failed (with a shrunk counter-example) or skipped.

    ``counter_example`` is the smallest failing shipment found; for the comparative invariants
    ``compared_with`` is the shipment it was compared with (the same basket at a higher value,
    or with one more line). ``notches`` lists the documented exceptions met while checking.
    """

    name: str
    status: Status
    message: str = ""
    counter_example: Shipment | None = None
    compared_with: Shipment | None = None
    notches: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the invariant held on every example (a skipped one did not pass)."""
        return self.status == "passed"

    def __str__(self) -> str:
        flag = {"passed": "pass", "failed": "FAIL", "skipped": "skip"}[self.status]
        text = self.message or INVARIANTS.get(self.name, "")
        lines = [f"  [{flag}] {self.name}: {text}"]
        if self.counter_example is not None:
            lines.append(f"         counter-example: {describe(self.counter_example)}")
        if self.compared_with is not None:
            lines.append(f"         compared with:   {describe(self.compared_with)}")
        for notch in self.notches:
            lines.append(f"         notch: {notch}")
        return "\n".join(lines)


@dataclass(frozen=True)
class RulesReport:
    """What :func:`check_rules` found: one result per invariant, in the order they ran."""

    rules: str
    examples: int
    seed: int | None
    on: dt.date | None
    results: tuple[InvariantResult, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether no invariant failed (notches and skipped invariants do not count)."""
        return not self.failures

    @property
    def failures(self) -> tuple[InvariantResult, ...]:
        """The invariants that failed."""
        return tuple(r for r in self.results if r.status == "failed")

    @property
    def notches(self) -> tuple[str, ...]:
        """Every documented exception met while checking, each once."""
        return tuple(sorted({n for r in self.results for n in r.notches}))

    def __getitem__(self, name: str) -> InvariantResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(
            f"no invariant {name!r} in this report; ran {', '.join(r.name for r in self.results)}"
        )

    def __str__(self) -> str:
        date = f" on {self.on}" if self.on else ""
        verdict = "OK" if self.ok else f"{len(self.failures)} FAILED"
        head = (
            f"check_rules {self.rules}{date}: {len(self.results)} invariants, "
            f"{self.examples} examples each, seed {self.seed}: {verdict}"
        )
        return "\n".join([head, *(str(r) for r in self.results)])


def describe(shipment: Shipment) -> str:
    """A shipment on one line, as a counter-example is best read.

    >>> from lvs_duty import Item, Shipment
    >>> describe(Shipment("CA", "2026-01-01", "CAD", [Item("610910", "150.01", duty_rate="0.18")],
    ...                   ship_from="US", region="ON"))
    'to CA on 2026-01-01 by courier from US, region ON: 1 x 610910 worth CAD 150.01 (MFN 0.18)'
    """
    head = f"to {shipment.destination} on {shipment.date} by {shipment.mode}"
    if shipment.ship_from:
        head += f" from {shipment.ship_from}"
    if shipment.origin:
        head += f", origin {shipment.origin}"
    if shipment.region:
        head += f", region {shipment.region}"
    if shipment.gift:
        head += ", a gift"
    if shipment.shipping or shipment.insurance:
        head += f", shipping {shipment.shipping}, insurance {shipment.insurance}"
    lines = []
    for item in shipment.items:
        text = f"{item.quantity} x {item.hs_code} worth {shipment.currency} {item.value}"
        extras = [f"MFN {item.duty_rate}"] if item.duty_rate is not None else []
        if item.category:
            extras.append(f"category {item.category!r}")
        lines.append(text + (f" ({', '.join(extras)})" if extras else ""))
    return f"{head}: {'; '.join(lines)}"


# ---------------------------------------------------------------------------------------------
# Independent measures: what a threshold is tested on, computed from the rules, not the engine.


def _excluded(version: RuleVersion, shipment: Shipment) -> list[set[str]]:
    out: list[set[str]] = []
    for item in shipment.items:
        kept: set[str] = set()
        for exclusion in version.exclusions:
            code = item.hs_code or ""
            if any(code.startswith(p) for p in exclusion.hs_prefixes):
                kept.update(k for k in exclusion.excluded_from if not exclusion.thresholds)
                kept.update(
                    f"{k} {n}" for k in exclusion.excluded_from for n in exclusion.thresholds
                )
        out.append(kept)
    return out


def _reliefs(
    version: RuleVersion, shipment: Shipment, measured: Measures, kind: str
) -> tuple[Threshold | None, list[str | None]]:
    """The threshold of ``kind`` that applies and each line's relief under it (None: none)."""
    threshold = applicable(version, shipment, kind)
    if any(holds(a.when, shipment) for a in version.allowances):
        threshold = None  # an allowance applies in place of the thresholds
    if threshold is None:
        return None, [None] * len(shipment.items)
    verdicts = admitted(threshold, shipment, measured)
    excluded = _excluded(version, shipment)
    return threshold, [
        threshold.relief
        if ok and not {f"{kind}_relief", f"{kind}_relief {threshold.name}"} & out
        else None
        for ok, out in zip(verdicts, excluded, strict=True)
    ]


def _label(threshold: Threshold, currency: str) -> str:
    scope = "per item" if threshold.scope == "item" else "per consignment"
    return (
        f"{threshold.applies_to} threshold {threshold.name!r} "
        f"({threshold.measure} {threshold.comparison} {currency} {threshold.amount}, "
        f"{scope}, {threshold.relief})"
    )


def _verdicts(
    version: RuleVersion, shipment: Shipment, currency: str, lines: int | None = None
) -> dict[str, object]:
    """Every value-dependent verdict of the rules on a shipment: the notch detector's input."""
    measured = measures(shipment, version, currency)
    out: dict[str, object] = {}
    for kind in ("duty", "tax"):
        threshold = applicable(version, shipment, kind)
        if threshold is not None:
            verdicts = admitted(threshold, shipment, measured)
            out[_label(threshold, currency)] = tuple(verdicts[:lines])
    low = version.duty.low_value
    if low is not None:
        sign = "<=" if low.inclusive else "<"
        out[f"low-value duty ceiling ({low.measure} {sign} {currency} {low.ceiling})"] = low.admits(
            measured.consignment[low.measure]
        )
    for special in version.duty.special:
        if special.ceiling is not None and holds(special.when, shipment):
            sign = "<=" if special.inclusive else "<"
            out[
                f"special duty {special.name!r} ceiling ({special.measure} {sign} {currency} "
                f"{special.ceiling})"
            ] = special.admits(measured.consignment[special.measure])
    return out | _goods_conditions(version, shipment)


def _goods_conditions(version: RuleVersion, shipment: Shipment) -> dict[str, bool]:
    """The verdict of each condition on the goods of the parcel (``when.without_hs``).

    Adding a line can flip one (a fee, surcharge, allowance or special no longer applies): a
    notch of the law, like a threshold's.
    """
    rows: list[tuple[str, Any]] = [("fee", f) for f in version.fees]
    rows += [("surcharge", s) for s in version.duty.surcharges]
    rows += [("allowance", a) for a in version.allowances]
    rows += [("special duty", s) for s in version.duty.special]
    return {
        f"{kind} {row.name!r} condition ({row.when.describe()})": holds(row.when, shipment)
        for kind, row in rows
        if row.when.without_hs is not None
    }


def _crossed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return sorted(k for k in before if before[k] != after.get(k))


# ---------------------------------------------------------------------------------------------
# The checker.


_AMOUNTS = (
    "goods_value",
    "customs_value",
    "tax_base",
    "duty_assessed",
    "tax_assessed",
    "duty",
    "tax",
    "fees",
    "total",
    "collected_at_border",
    "collected_at_sale",
)
_LINE_AMOUNTS = ("value", "customs_value", "duty", "tax_rate", "tax_base", "tax")
_DIRECTED = ("ROUND_UP", "ROUND_DOWN", "ROUND_CEILING", "ROUND_FLOOR")


def _without_transport(shipment: Shipment) -> Shipment:
    return shipment.model_copy(update={"shipping": Decimal(0), "insurance": Decimal(0)})


def _with_values(shipment: Shipment, units: list[int], unit: Decimal) -> Shipment:
    lines = tuple(
        item.model_copy(update={"value": CONTEXT.multiply(Decimal(u), unit)})
        for item, u in zip(shipment.items, units, strict=True)
    )
    return shipment.model_copy(update={"items": lines})


class _Checker:
    """Runs the invariants of one rule set; holds the rules, the date and what was met."""

    def __init__(self, rules: RuleSet, on: dt.date | None, examples: int) -> None:
        from . import strategies

        self.rules = rules
        self.on = on
        self.examples = examples
        self.currency = rules.currency
        self.unit = minor_unit(rules.currency)
        self.shipments = strategies.shipments(rules, on=on)
        self.notches: set[str] = set()

    def assess(self, shipment: Shipment, rules: RuleSet | None = None) -> Assessment | None:
        try:
            return assess(shipment, rules or self.rules, on=self.on)
        except Exception:
            return None

    def version(self, shipment: Shipment) -> RuleVersion:
        return self.rules.at(self.on or shipment.date)

    def money(self, amount: Decimal) -> str:
        return f"{self.currency} {amount}"

    # -- invariants on one shipment -----------------------------------------------------------

    def assessable(self, shipment: Shipment) -> str | None:
        try:
            assess(shipment, self.rules, on=self.on)
        except LvsDutyError as exc:
            return f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            return f"unexpected {type(exc).__name__} (a fault in the engine): {exc}"
        return None

    def non_negative(self, shipment: Shipment) -> str | None:
        a = self.assess(shipment)
        if a is None:
            return None
        for name in _AMOUNTS:
            if getattr(a, name) < 0:
                return f"{name} is negative: {self.money(getattr(a, name))}"
        for line in a.lines:
            for name in _LINE_AMOUNTS:
                if getattr(line, name) < 0:
                    return f"line {line.index + 1} {name} is negative: {getattr(line, name)}"
        return None

    def de_minimis(self, shipment: Shipment) -> str | None:
        a = self.assess(shipment)
        if a is None:
            return None
        version = self.version(shipment)
        measured = measures(shipment, version, self.currency)
        for kind in ("duty", "tax"):
            threshold, reliefs = _reliefs(version, shipment, measured, kind)
            if threshold is None:
                continue
            name = _label(threshold, self.currency)
            for line, relief in zip(a.lines, reliefs, strict=True):
                amount = line.duty if kind == "duty" else line.tax
                where = line.duty_collection if kind == "duty" else line.tax_collection
                if relief == "exempt" and (amount != 0 or where is not None):
                    return (
                        f"line {line.index + 1} is within the {name} and not excluded, yet "
                        f"its {kind} is {amount} ({where or 'not collected'})"
                    )
                if relief == "sale" and where == "border":
                    return (
                        f"line {line.index + 1} is within the {name}, yet its {kind} is "
                        "collected at the border"
                    )
            if reliefs and all(r == "exempt" for r in reliefs):
                due = (a.duty, a.duty_assessed) if kind == "duty" else (a.tax, a.tax_assessed)
                if any(due):
                    return (
                        f"every line is within the {name}, yet {kind} is "
                        f"{self.money(due[0])} (assessed {self.money(due[1])})"
                    )
        return None

    def total_is_sum(self, shipment: Shipment) -> str | None:
        a = self.assess(shipment)
        if a is None:
            return None
        if a.total != a.duty + a.tax + a.fees:
            return (
                f"total {a.total} != duty {a.duty} + tax {a.tax} + fees {a.fees} "
                f"= {a.duty + a.tax + a.fees}"
            )
        if a.collected_at_border + a.collected_at_sale != a.duty + a.tax:
            return (
                f"collected at the border {a.collected_at_border} + at sale "
                f"{a.collected_at_sale} != duty {a.duty} + tax {a.tax}"
            )
        return None

    def rounding(self, shipment: Shipment) -> str | None:
        a = self.assess(shipment)
        x = self.assess(shipment, self.exact)
        if a is None or x is None:
            return None
        version = self.version(shipment)
        rounding = version.rounding
        quantum = rounding.quantum or self.unit
        duty_q = rounding.duty_quantum or quantum
        half = Decimal(1) if rounding.mode in _DIRECTED else Decimal("0.5")
        measured = measures(shipment, version, self.currency)
        duty_reliefs = _reliefs(version, shipment, measured, "duty")[1]
        tax_reliefs = _reliefs(version, shipment, measured, "tax")[1]
        keys: set[tuple[object, ...]] = set()
        for line, d, t in zip(a.lines, duty_reliefs, tax_reliefs, strict=True):
            duty_point = None if d == "exempt" else d or "border"
            tax_point = None if version.tax is None or t == "exempt" else t or "border"
            keys.add(
                (line.index,) if rounding.per == "line" else (duty_point, tax_point, line.tax_rate)
            )
        duty_steps = len(keys)
        tax_steps = len(keys)
        duty_bound = duty_steps * half * duty_q
        tax = version.tax
        tax_bound = Decimal(0)
        if tax is not None:
            rate = max((line.tax_rate for line in a.lines), default=Decimal(0))
            errors: dict[str, Decimal] = {}  # each component's own rounding, and what it
            for c in tax.components:  # inherits from the one it is a ratio of
                inherited = Decimal(0)
                if c.of is not None and c.ratio is not None:
                    inherited = CONTEXT.divide(
                        errors.get(c.of, Decimal(0)) * c.ratio[0], Decimal(c.ratio[1])
                    )
                errors[c.name] = half * (c.quantum or quantum) + inherited
            own = sum(errors.values(), Decimal(0)) if tax.components else half * quantum
            base_q = rounding.tax_base_quantum or Decimal(0)
            per_step = own + half * rate * (duty_q + base_q)
            tax_bound = tax_steps * per_step
            if version.duty.min_collectable is not None and (
                (a.duty != a.duty_assessed) != (x.duty != x.duty_assessed)
            ):
                # rounding moved the duty across its own minimum: a waived duty leaves the
                # tax base, so the taxes differ by up to the rate on the whole duty
                tax_bound += rate * max(a.duty_assessed, x.duty_assessed)
        duty_error = abs(a.duty_assessed - x.duty_assessed)
        tax_error = abs(a.tax_assessed - x.tax_assessed)
        if duty_error > duty_bound:
            return (
                f"duty {a.duty_assessed} is {duty_error} from the exact {x.duty_assessed}, "
                f"more than {duty_bound} ({duty_steps} rounding steps of {duty_q}, "
                f"{rounding.mode})"
            )
        if tax_error > tax_bound:
            return (
                f"tax {a.tax_assessed} is {tax_error} from the exact {x.tax_assessed}, "
                f"more than {tax_bound} ({tax_steps} rounding steps, {rounding.mode})"
            )
        return None

    def json_round_trip(self, shipment: Shipment) -> str | None:
        copy = Shipment.model_validate_json(shipment.model_dump_json())
        if copy != shipment:
            return f"the shipment changed in a JSON round trip: {describe(copy)}"
        a, b = self.assess(shipment), self.assess(copy, self.rules_copy)
        if a is None or b is None:
            return None
        if any(getattr(a, n) != getattr(b, n) for n in _AMOUNTS) or a.lines != b.lines:
            return (
                f"assessing the round-tripped rules and shipment gives total {b.total}, "
                f"not {a.total}"
            )
        return None

    # -- comparative invariants ---------------------------------------------------------------

    def scaled_pairs(self) -> Any:
        from hypothesis import strategies as st

        unit = self.unit

        @st.composite
        def pairs(draw: st.DrawFn) -> tuple[Shipment, Shipment]:
            shipment = draw(self.shipments)
            weights = [draw(st.integers(1, 4)) for _ in shipment.items]
            step = whole_units(shipment.goods_value, unit) // sum(weights)
            rise = draw(st.one_of(st.integers(1, 3), st.integers(1, max(3, step))))
            low = _with_values(shipment, [w * step for w in weights], unit)
            high = _with_values(shipment, [w * (step + rise) for w in weights], unit)
            return low, high

        return pairs()

    def added_pairs(self) -> Any:
        from hypothesis import strategies as st

        from .strategies import _lines_for

        lines = {id(v): _lines_for(self.rules, v) for v in self.rules.versions}

        @st.composite
        def pairs(draw: st.DrawFn) -> tuple[Shipment, Shipment]:
            shipment = draw(self.shipments)
            extra = draw(lines[id(self.version(shipment))])
            return shipment, shipment.model_copy(update={"items": (*shipment.items, extra)})

        return pairs()

    def _fall(self, low: Shipment, high: Shipment, what: str) -> str | None:
        """The violation when ``high`` is charged less than ``low`` with nothing to explain it.

        None when it is not charged less, or when a notch or freight dilution explains it.
        """
        a, b = self.assess(low), self.assess(high)
        if a is None or b is None or b.total >= a.total:
            return None
        version = self.version(low)
        crossed = _crossed(
            _verdicts(version, low, self.currency),
            _verdicts(version, high, self.currency, len(low.items)),
        )
        if crossed:
            self.notches.update(crossed)
            return None
        if low.shipping or low.insurance:
            a0, b0 = self.assess(_without_transport(low)), self.assess(_without_transport(high))
            if a0 is not None and b0 is not None and b0.total >= a0.total:
                self.notches.add(FREIGHT_DILUTION)
                return None
        return (
            f"{what}: the total fell from {self.money(a.total)} to {self.money(b.total)} "
            "with no threshold or ceiling crossed"
        )

    def monotone_in_value(self, pair: tuple[Shipment, Shipment]) -> str | None:
        low, high = pair
        return self._fall(
            low, high, f"goods value rose from {low.goods_value} to {high.goods_value}"
        )

    def adding_an_item(self, pair: tuple[Shipment, Shipment]) -> str | None:
        low, high = pair
        return self._fall(low, high, f"line {len(high.items)} added")

    # -- the frame path -----------------------------------------------------------------------

    def frame_agrees(self, population: list[Shipment]) -> str | None:
        from .tabular import shipments_to_frame

        named = [s.model_copy(update={"id": f"S{i}"}) for i, s in enumerate(population, 1)]
        expected = {s.id: self.assess(s) for s in named}
        if any(a is None for a in expected.values()):
            return None
        try:
            out = self.assess_frame(shipments_to_frame(named), self.rules)
        except Exception as exc:
            return f"assess_frame raised {type(exc).__name__}: {exc}"
        rows = {str(r["shipment_id"]): r for r in out.to_dict("records")}
        for shipment_id, a in expected.items():
            row = rows.get(str(shipment_id))
            if row is None or a is None:
                return f"shipment {shipment_id} is missing from the frame result"
            for name in ("customs_value", "duty", "tax", "fees", "total"):
                got = _frame_amount(row, name, self.currency)
                if got != getattr(a, name):
                    return (
                        f"shipment {shipment_id}: {name} is {got} on the frame path and "
                        f"{getattr(a, name)} per shipment"
                    )
        return None

    assess_frame: Callable[..., Any]
    exact: RuleSet
    rules_copy: RuleSet


def _frame_amount(row: dict[str, Any], name: str, currency: str) -> Decimal | None:
    """An amount of a frame result row as an exact Decimal, whichever exact form it comes in."""
    from .money import from_minor

    for key in (f"{name}_minor", f"{name}_units"):
        if key in row and row[key] is not None:
            return from_minor(int(row[key]), currency)
    value = row.get(name)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return Decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def _search(
    strategy: Any, violation: Callable[[T], str | None], examples: int, seed: int | None
) -> tuple[T, str] | None:
    """The smallest example hypothesis finds that violates, with its message; None if none."""
    from hypothesis import HealthCheck, Phase, Verbosity, find, settings
    from hypothesis.errors import NoSuchExample

    config = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )
    try:
        with _private_storage():
            found = find(
                strategy,
                lambda example: violation(example) is not None,
                settings=config,
                random=None if seed is None else Random(seed),
            )
    except NoSuchExample:
        return None
    return found, violation(found) or "violated"


@contextmanager
def _private_storage() -> Iterator[None]:
    """Point hypothesis's cache (by default ``<cwd>/.hypothesis``) at a temporary directory.

    A library writes nothing the caller did not ask for; the previous setting comes back after.
    """
    from hypothesis import configuration

    before = vars(configuration).get("__hypothesis_home_directory")
    with tempfile.TemporaryDirectory(prefix="lvs_duty-hypothesis-") as private:
        configuration.set_hypothesis_home_dir(private)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(before)


def _frame_path() -> Callable[..., Any] | None:
    try:
        from .frame import assess_frame  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return assess_frame  # type: ignore[no-any-return,unused-ignore]


@own_context
def check_rules(
    rules: RuleSet,
    *,
    examples: int = 100,
    seed: int | None = 0,
    on: dt.date | None = None,
    invariants: Sequence[str] | None = None,
) -> RulesReport:
    """Check a rule set against the library's invariants; report each with a shrunk example.

    ``examples`` shipments are drawn per invariant, around every threshold and ceiling of the
    version in force (``on``, or every version when None). ``seed`` makes the run repeatable
    (None draws a fresh one). ``invariants`` picks some of :data:`INVARIANTS` (default: all).
    Needs hypothesis (``pip install 'lvs_duty[testing]'``).

    >>> from lvs_duty import load_rules
    >>> print(check_rules(load_rules("CA"), examples=5, invariants=["non_negative"]))
    check_rules CA: 1 invariants, 5 examples each, seed 0: OK
      [pass] non_negative: no amount of an assessment or of its lines is negative
    """
    fn = "check_rules"
    if not isinstance(rules, RuleSet):
        raise ArgumentError(
            fn, "rules", "a lvs_duty.RuleSet (see load_rules)", type(rules).__name__
        )
    if isinstance(examples, bool) or not isinstance(examples, int) or not 1 <= examples <= 10**6:
        raise ArgumentError(fn, "examples", "an int from 1 to 1000000", examples)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ArgumentError(fn, "seed", "an int or None", seed)
    date_arg(fn, on, rules)
    if invariants is None:
        chosen = list(INVARIANTS)
    else:
        if isinstance(invariants, str) or not isinstance(invariants, (list, tuple)):
            raise ArgumentError(fn, "invariants", "a list of invariant names", invariants)
        for name in invariants:
            if name not in INVARIANTS:
                raise ArgumentError(fn, "invariants", f"names among {', '.join(INVARIANTS)}", name)
        chosen = [name for name in INVARIANTS if name in invariants]
    try:
        import hypothesis  # noqa: F401
    except ImportError:  # pragma: no cover - the testing extra is missing
        raise ImportError(
            "lvs_duty.testing.check_rules needs hypothesis: pip install 'lvs_duty[testing]'"
        ) from None
    checker = _Checker(rules, on, examples)
    results = [_run(checker, name, index, examples, seed) for index, name in enumerate(chosen)]
    return RulesReport(rules.code, examples, seed, on, tuple(results))


def _run(
    checker: _Checker, name: str, index: int, examples: int, seed: int | None
) -> InvariantResult:
    from hypothesis import strategies as st

    run_seed = None if seed is None else seed + index
    checker.notches = set()
    strategy: Any = checker.shipments
    if name == "json_round_trip":
        checker.rules_copy = RuleSet.model_validate_json(checker.rules.model_dump_json())
        if checker.rules_copy != checker.rules:
            return InvariantResult(name, "failed", "the rule set changed in a JSON round trip")
    elif name == "rounding":
        checker.exact = exact_rules(checker.rules)
    elif name == "frame_agrees":
        path = _frame_path()
        if path is None:
            return InvariantResult(name, "skipped", "skipped: frame path unavailable")
        checker.assess_frame = path
        strategy = st.lists(checker.shipments, min_size=1, max_size=4)
    elif name == "monotone_in_value":
        strategy = checker.scaled_pairs()
    elif name == "adding_an_item":
        strategy = checker.added_pairs()
    violation: Callable[[Any], str | None] = getattr(checker, name)
    found = _search(strategy, violation, examples, run_seed)
    notches = tuple(sorted(checker.notches))
    if found is None:
        return InvariantResult(name, "passed", notches=notches)
    example, message = found
    if isinstance(example, tuple):
        return InvariantResult(name, "failed", message, example[0], example[1], notches)
    if isinstance(example, list):
        alone = [s for s in example if violation([s]) is not None]
        if alone:  # one shipment fails on its own: it is the counter-example
            return InvariantResult(
                name, "failed", violation(alone[:1]) or message, alone[0], notches=notches
            )
        return InvariantResult(
            name,
            "failed",
            f"{message} (in a table of {len(example)} shipments that pass one by one)",
            example[0],
            notches=notches,
        )
    return InvariantResult(name, "failed", message, example, notches=notches)


__all__ = [
    "FREIGHT_DILUTION",
    "INVARIANTS",
    "InvariantResult",
    "RulesReport",
    "check_rules",
    "describe",
]
