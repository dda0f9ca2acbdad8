"""The ``lvs-duty`` command: compare the GEA options, assess one parcel, read the rule tables.

``lvs-duty compare`` runs a baseline regime and its three GEA options over sample shipments and
prints the summary; ``lvs-duty assess`` explains one parcel given by flags; ``lvs-duty rules``
lists the bundled regimes and shows one as a customs officer would read it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, TextIO

import pandas as pd

from . import __version__
from . import options as gea
from .assess import assess
from .behaviour import Response
from .compare import summarize
from .costs import CBP_POSTAL_2025, NO_COSTS, CollectionCosts
from .errors import ArgumentError, LvsDutyError
from .frame import to_decimal_frame
from .labels import caption, option_names
from .loading import available_rules, load_rules
from .money import CURRENCIES
from .progress import compare_with_progress
from .regime_population import population_for
from .rules import RuleSet, RuleVersion, Sourced, covered_destinations, rule_file_schema
from .schedules import Schedule, available_schedules, load_schedule
from .shipment import Item, Shipment
from .show import field_lines
from .simulate import Layout
from .tabular import read_shipments_csv, shipments_to_frame


class UsageError(Exception):
    """A user error of the command line: printed as one message, exit status 2."""


BYTES_PER_SHIPMENT = 2048
"""Memory a synthetic shipment takes through compare (about 1.6 KB measured at 20,000)."""

COST_PRESETS: dict[str, CollectionCosts] = {"cbp-postal-2025": CBP_POSTAL_2025}
"""Named sets of published unit costs for --cost-preset (lvs_duty.costs)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _printable(text: str, limit: int | None = None) -> str:
    """Text with control characters escaped (newlines kept), cut to ``limit`` characters."""
    clean = "".join(ch if ch == "\n" or ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if limit is not None and len(clean) > limit:
        clean = clean[: limit - 3] + "..."
    return clean


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells a spreadsheet would run as a formula start with a quote."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_object_dtype(dtype) or isinstance(
            dtype, (pd.CategoricalDtype, pd.StringDtype)
        ):
            out[column] = [
                "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
                for v in out[column]
            ]
    return out


def _writable(flag: str, name: str | None) -> None:
    """Refuse, before any work, an output path that cannot be written."""
    if name is None:
        return
    path = Path(name)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not parent.is_dir() or not os.access(parent, os.W_OK):
        raise UsageError(
            f"{flag}: expected a file path in an existing, writable directory, "
            f"got {_printable(repr(name), 80)}"
        )


def _shipments_file(name: str) -> list[Shipment]:
    """Read --shipments, turning every way the file can be unusable into one message."""
    path = Path(name)
    shown = _printable(repr(name), 80)
    if not path.is_file():
        raise UsageError(f"--shipments: expected an existing CSV file, got {shown}")
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"--shipments: expected UTF-8 text, {shown} is not ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise UsageError(f"--shipments: cannot read {shown}: {exc.strerror}") from None
    try:
        shipments = read_shipments_csv(path)
    except pd.errors.EmptyDataError:
        shipments = []
    except pd.errors.ParserError as exc:
        raise UsageError(
            f"--shipments: expected a CSV file, {shown}: {_printable(str(exc), 200)}"
        ) from None
    if not shipments:
        raise UsageError(f"--shipments: expected a header and at least one shipment row in {shown}")
    return shipments


def _sample_path(code: str) -> Path | None:
    name = f"{code.lower()}_shipments.csv"
    packaged = resources.files("lvs_duty").joinpath("_data", "samples", name)
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "data" / "samples" / name
    return checkout if checkout.is_file() else None


def _population(
    rules: RuleSet,
    args: argparse.Namespace,
    fx: dict[str, Decimal] | None,
    layout: Layout = "minor",
) -> tuple[pd.DataFrame, str, dt.date | None]:
    """The parcels to compare as a table, a line saying what they are, and their date."""
    if args.shipments:
        parcels = _shipments_file(args.shipments)
        return (
            shipments_to_frame(parcels),
            f"{len(parcels)} shipments from {args.shipments}",
            args.date,
        )
    if args.n is not None or args.profile is not None:
        n = 20_000 if args.n is None else args.n
        need = n * BYTES_PER_SHIPMENT
        if need > _memory():
            raise UsageError(
                f"--n: {n} shipments need about {need / 1e9:,.1f} GB of memory; this "
                f"machine has {_memory() / 1e9:,.1f} GB: expected a smaller --n"
            )
        if args.profile is not None:
            frame, on = _profile_population(args, n, layout)
            what = f"profile {args.profile}, seed {args.seed}, dated {on}"
            return frame, what, on
        try:
            frame, chosen = population_for(
                rules,
                n,
                seed=args.seed,
                destination=args.destination.upper() if args.destination else None,
                on=args.date,
                fx=fx,
                layout=layout,
            )
        except ArgumentError as exc:
            flag = {"on": "--date", "destination": "--destination"}.get(exc.argument)
            if flag is None:
                raise
            raise UsageError(
                f"{flag}: expected {exc.expected}, got {_printable(str(exc.got), 40)}"
            ) from None
        said = "; ".join(chosen.notes)
        what = f"synthetic, seed {args.seed}, {chosen.describe()}" + (f" ({said})" if said else "")
        return frame, what, chosen.date
    sample = _sample_path(rules.code.split("+")[0])
    if sample is None:
        raise UsageError(
            f"compare: no bundled sample shipments for {rules.code}; "
            "pass --shipments FILE.csv (or --n N for a synthetic population)"
        )
    parcels = read_shipments_csv(sample)
    return shipments_to_frame(parcels), f"{len(parcels)} bundled sample shipments", args.date


def _profile_population(
    args: argparse.Namespace, n: int, layout: Layout
) -> tuple[pd.DataFrame, dt.date]:
    """A calibrated profile's parcels and their date: ``--date``, else today.

    The market as the profile measured it, under the rules and rates in force on that date.
    """
    from .simulate import available_profiles, load_profile, population

    known = available_profiles()
    if args.profile not in known and not Path(args.profile).is_file():
        raise UsageError(
            f"--profile: expected one of {', '.join(known)} or a profile file, "
            f"got {_printable(repr(args.profile), 80)}"
        )
    profile = load_profile(args.profile)
    on = args.date if args.date is not None else dt.date.today()
    frame: pd.DataFrame = population(
        n, profile.market, seed=args.seed, date=on, layout=layout, profile=profile
    )
    return frame, on


def _schedule(args: argparse.Namespace, rules: RuleSet) -> Schedule | None:
    """``--schedule``, or with ``--profile`` the bundled schedule of the rules' code."""
    chosen = getattr(args, "schedule", None)
    if chosen is None and getattr(args, "profile", None) is not None:
        code = rules.code.split("+")[0]
        if code not in available_schedules():
            raise UsageError(
                f"--profile: the parcels carry no MFN rates and there is no bundled schedule "
                f"for {code}: expected --schedule FILE"
            )
        chosen = code
    if chosen is None:
        return None
    if chosen not in available_schedules() and not Path(chosen).is_file():
        raise UsageError(
            f"--schedule: expected one of {', '.join(available_schedules())} or a schedule "
            f"file, got {_printable(repr(chosen), 80)}"
        )
    return load_schedule(chosen)


def _memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 2**40


def _destination(rules: RuleSet, on: dt.date) -> str:
    """The one country a rule set covers, or a UsageError asking for --destination."""
    covered = covered_destinations(rules, rules.at(on))
    if covered is None:
        return rules.code
    if len(covered) == 1:
        return next(iter(covered))
    raise UsageError(
        f"--destination: expected one of {', '.join(sorted(covered))} "
        f"({rules.code} rules cover several countries: say which)"
    )


def _fx(values: list[str] | None) -> dict[str, Decimal] | None:
    """``--fx CUR=RATE`` (repeatable): regime-currency units per unit of CUR, exact."""
    if not values:
        return None
    rates: dict[str, Decimal] = {}
    for text in values:
        cur, sep, rate = text.partition("=")
        cur = cur.strip().upper()
        shown = _printable(repr(text), 60)
        if not sep or cur not in CURRENCIES:
            raise UsageError(f"--fx: expected CUR=RATE with an ISO 4217 code as CUR, got {shown}")
        try:
            value = Decimal(rate.strip())
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value <= 0:
            raise UsageError(f"--fx: expected a positive decimal rate for {cur}, got {shown}")
        if cur in rates:
            raise UsageError(f"--fx: {cur} given twice")
        rates[cur] = value
    return rates


def _options(baseline: RuleSet, args: argparse.Namespace) -> tuple[dict[str, RuleSet], str]:
    """The GEA options, with the defaults a regime without a threshold or a tax needs."""
    said = []
    ceiling = args.ceiling
    if ceiling is None:
        ceiling, assumed = _default_ceiling(baseline)
        said += [assumed] if assumed else []
    vat_rate = args.vat_rate
    if vat_rate is None and any(v.tax is None for v in baseline.versions):
        vat_rate = "0"
        said.append("option 3 VAT/GST rate 0: the baseline collects no tax (--vat-rate)")
    opts = gea.gea_options(baseline, ceiling=ceiling, flat=args.flat_rate, vat_rate=vat_rate)
    return opts, "; ".join(said)


def _default_ceiling(baseline: RuleSet) -> tuple[str | None, str]:
    """The options' ceiling without --ceiling (None: gea_options' own), and what it assumes.

    The latest version's duty ceiling, as :func:`lvs_duty.options.default_ceiling`, unless it
    has none or a token one of a single currency unit (TH's THB 1, where every option would
    equal the baseline): then the lowest special-duty ceiling (BR), else the ceiling of the
    latest earlier version above it (TR before 2026-02-06, TH's THB 1,500 before 2026).
    """
    try:
        current: Decimal | None = gea.default_ceiling(baseline)
    except LvsDutyError:
        current = None
    if current is not None and current > 1:
        return None, ""
    latest = baseline.versions[-1]
    specials = [s.ceiling for s in latest.duty.special if s.ceiling is not None]
    if current is None and specials:
        ceiling = min(specials)
        return str(ceiling), f"ceiling {ceiling}: the lowest special-duty ceiling (no threshold)"
    now = "none" if current is None else f"{baseline.currency} {current} only"
    for k in range(len(baseline.versions) - 2, -1, -1):
        old = baseline.versions[k]
        amount = _ceiling_of(old)
        if amount is not None and (current is None or amount > current):
            return str(amount), (
                f"ceiling {amount}: the last threshold or ceiling of the rules, versions[{k}] "
                f"({old.valid_from} to {old.valid_to}); {now} from {latest.valid_from}"
            )
    if current is not None:
        return None, ""
    raise UsageError(
        f"--ceiling: {baseline.code} has no threshold or ceiling to default to: "
        "expected --ceiling AMOUNT"
    )


def _ceiling_of(version: RuleVersion) -> Decimal | None:
    """A version's highest duty threshold or ceiling (any threshold if it has none), or None."""
    amounts = [t.amount for t in version.thresholds if t.applies_to == "duty"]
    amounts += [s.ceiling for s in version.duty.special if s.ceiling is not None]
    if version.duty.low_value is not None:
        amounts.append(version.duty.low_value.ceiling)
    amounts = amounts or [t.amount for t in version.thresholds]
    return max(amounts) if amounts else None


def _costs(args: argparse.Namespace, currency: str) -> CollectionCosts:
    """--cost-preset, then --cost-border/--cost-classification/--cost-parcel over it."""
    base = NO_COSTS
    if args.cost_preset is not None:
        base = COST_PRESETS[args.cost_preset]
        if base.currency is not None and base.currency != currency:
            raise UsageError(
                f"--cost-preset: {args.cost_preset} is in {base.currency}, the rules in "
                f"{currency}: expected a {base.currency} regime or --cost-* amounts"
            )
    flags = {
        "border": "per_border_collection",
        "classification": "per_classification",
        "parcel": "per_parcel",
    }
    amounts = {}
    for flag, field in flags.items():
        text = getattr(args, f"cost_{flag}")
        if text is None:
            continue
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            raise UsageError(
                f"--cost-{flag}: expected a non-negative amount in {currency}, "
                f"got {_printable(repr(text), 40)}"
            )
        amounts[field] = value
    if not amounts:
        return base
    return CollectionCosts(
        per_border_collection=amounts.get("per_border_collection", base.per_border_collection),
        per_classification=amounts.get("per_classification", base.per_classification),
        per_parcel=amounts.get("per_parcel", base.per_parcel),
        currency=currency,
        sources=base.sources,
        note="Unit costs set on the command line"
        + (f" (over {args.cost_preset})" if args.cost_preset else "")
        + ".",
    )


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    _writable("--out", args.out)
    _writable("--plot", args.plot)
    fx = _fx(args.fx)
    baseline = load_rules(args.rules)
    costs = _costs(args, baseline.currency)
    opts, assumed = _options(baseline, args)
    population, what, on = _population(baseline, args, fx)
    schedule = _schedule(args, baseline)
    comparison = compare_with_progress(
        population, opts, fx=fx, amounts="minor", progress=args.progress, schedule=schedule
    )
    summary = summarize(comparison, costs=costs)
    ceiling = opts["flat_rate"].versions[-1].duty.low_value
    limit = f"{baseline.currency} {ceiling.ceiling}" if ceiling else "?"
    print(
        f"GEA options for {baseline.name} ({baseline.code}), ceiling {limit}, "
        f"{summary['shipments'].iloc[0]} shipments; amounts in {baseline.currency}",
        file=out,
    )
    print(f"Parcels: {what}", file=out)
    if schedule is not None:
        print(f"MFN rates: schedule {schedule.code} ({schedule.name})", file=out)
    if assumed:
        print(f"Assumed: {assumed}", file=out)
    if not costs.is_zero:
        print(f"Collection costs: {costs.describe()}", file=out)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.to_string(index=False), file=out)
    if args.out:
        _neutralised(to_decimal_frame(comparison)).to_csv(args.out, index=False)
        print(f"wrote {len(comparison)} rows to {args.out}", file=out)
    if args.plot:
        try:
            from .plot import summary_dashboard
        except ImportError as exc:
            raise UsageError(f"compare --plot: {exc}") from None
        low = ceiling.ceiling if ceiling else None
        text = caption(
            population=what,
            n=int(summary["shipments"].iloc[0]),
            on=on,
            ceiling=low,
            currency=baseline.currency,
        )
        figure = summary_dashboard(
            comparison, costs=costs, names=option_names(opts), ceiling=low, caption=text
        )
        figure.savefig(args.plot)
        print(f"wrote {args.plot}", file=out)
    return 0


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """``lvs-duty report``: a thin wrapper over lvs_duty.report.build_report."""
    _writable("--out", args.out)
    fx = _fx(args.fx)
    response = _response(args)
    edges = _amounts("--bands", args.bands) if args.bands else None
    by = _breakdowns(args.by) if args.by else _BREAKDOWNS
    sweep = _amounts("--sweep", args.sweep) if args.sweep else None
    baseline = load_rules(args.rules)
    costs = _costs(args, baseline.currency)
    opts, assumed = _options(baseline, args)
    if args.n is None and args.shipments is None and args.profile is None:
        args.n = 2000
    parcels, what, on = _population(baseline, args, fx, layout="canonical")
    schedule = _schedule(args, baseline)
    try:
        from .report import build_report
    except ImportError as exc:  # pragma: no cover - matplotlib is the plot extra
        raise UsageError(f"report: {exc}: pip install 'lvs_duty[plot]'") from None
    low = opts["flat_rate"].versions[-1].duty.low_value
    spread = _spread(args, baseline, opts, parcels, costs, fx, on, schedule)
    text = build_report(
        baseline,
        parcels,
        options=opts,
        population=what + (f"; assumed: {assumed}" if assumed else ""),
        seed=args.seed if args.shipments is None else None,
        on=on,
        ceiling=low.ceiling if low is not None else None,
        costs=costs,
        title=args.title,
        fx=fx,
        intervals=spread,
        response=response,
        bands=edges,
        by=by,
        sweep=sweep,
        schedule=schedule,
    )
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode('utf-8')) // 1024} KB)", file=out)
    return 0


def _spread(
    args: argparse.Namespace,
    baseline: RuleSet,
    opts: dict[str, RuleSet],
    parcels: Any,
    costs: CollectionCosts,
    fx: dict[str, Decimal] | None,
    on: dt.date | None,
    schedule: Schedule | None,
) -> pd.DataFrame | None:
    """The report's intervals: across ``--seeds`` populations or ``--bootstrap`` resamples."""
    level = args.level if args.level is not None else "0.9"
    if args.seeds is not None and args.bootstrap is not None:
        raise UsageError("--seeds and --bootstrap: expected one of them, not both")
    if args.level is not None and args.seeds is None and args.bootstrap is None:
        raise UsageError("--level: expected with --seeds or --bootstrap")
    if args.bootstrap is not None:
        from .compare import compare
        from .uncertainty import bootstrap

        table = compare(parcels, opts, fx=fx, schedule=schedule)
        return bootstrap(table, draws=args.bootstrap, seed=args.seed, costs=costs, level=level)
    if args.seeds is None:
        return None
    if args.shipments is not None or args.profile is not None:
        raise UsageError("--seeds: expected synthetic parcels (not --shipments or --profile)")
    from .uncertainty import across_seeds

    def draw(seed: int) -> pd.DataFrame:
        frame, _ = population_for(
            baseline, args.n, seed=seed, destination=args.destination, on=on, fx=fx, layout="minor"
        )
        return frame

    seeds = range(args.seed, args.seed + args.seeds)
    return across_seeds(draw, opts, seeds, costs=costs, fx=fx, level=level)


def _amounts(flag: str, text: str) -> list[Decimal]:
    """A comma-separated list of exact, increasing, non-negative amounts."""
    try:
        values = [Decimal(part.strip()) for part in text.split(",")]
    except InvalidOperation:
        values = []
    good = values and all(v.is_finite() and v >= 0 for v in values)
    if not good or values != sorted(set(values)):
        raise UsageError(
            f"{flag}: expected increasing amounts separated by commas, e.g. 20,40,150, "
            f"got {_printable(repr(text), 60)}"
        )
    return values


_BREAKDOWNS = ("value_band", "ship_from", "mode", "hs_chapter")


def _breakdowns(text: str) -> tuple[str, ...]:
    keys = tuple(part.strip() for part in text.split(","))
    if not keys or any(k not in _BREAKDOWNS for k in keys):
        raise UsageError(
            f"--by: expected keys from {', '.join(_BREAKDOWNS)} separated by commas, "
            f"got {_printable(repr(text), 60)}"
        )
    return keys


def _response(args: argparse.Namespace) -> Response | None:
    """The behavioural response the flags state, or None for a static report."""
    shares = {
        name: getattr(args, name)
        for name in ("bunching", "undervaluation", "declared_fraction", "splitting")
        if getattr(args, name) is not None
    }
    if not shares:
        return None
    try:
        return Response(**{k: v.strip() for k, v in shares.items()}, seed=args.seed)
    except ArgumentError as exc:
        flag = "--" + exc.argument.replace("_", "-")
        raise UsageError(
            f"{flag}: expected {exc.expected}, got {_printable(repr(exc.got), 40)}"
        ) from None


def _parse_item(text: str) -> Item:
    parts = [p.strip() for p in text.split(",")]
    if not 2 <= len(parts) <= 4:
        raise ArgumentError("lvs-duty assess", "--item", "HS,VALUE[,DUTY_RATE[,QUANTITY]]", text)
    hs, value = parts[0] or None, parts[1]
    rate = parts[2] if len(parts) > 2 and parts[2] else None
    quantity = parts[3] if len(parts) > 3 and parts[3] else "1"
    if not (quantity.isascii() and quantity.isdigit()):
        raise ArgumentError("lvs-duty assess", "--item", "a whole number as QUANTITY", quantity)
    return Item(hs, value, quantity=int(quantity), duty_rate=rate)


def _cmd_assess(args: argparse.Namespace, out: TextIO) -> int:
    rules = load_rules(args.rules)
    items = [_parse_item(text) for text in args.item or []]
    if args.value is not None:
        items.append(Item(args.hs, args.value, duty_rate=args.duty_rate))
    if not items:
        raise ArgumentError("lvs-duty assess", "--value/--item", "at least one item", "none")
    shipment = Shipment(
        args.destination or _destination(rules, args.date),
        args.date,
        args.currency or rules.currency,
        items,
        ship_from=args.ship_from,
        origin=args.origin,
        shipping=args.shipping,
        insurance=args.insurance,
        mode=args.mode,
        region=args.region,
        gift=args.gift,
        id=args.id,
    )
    fx = {shipment.currency: args.fx} if args.fx else None
    print(assess(shipment, rules, fx=fx).explain(), file=out)
    return 0


def _flag(value: Sourced, rules: RuleSet) -> str:
    refs = ", ".join(value.source)
    return f"[{refs}]" + (" UNCONFIRMED" if value.unconfirmed else "")


def show_rules(rules: RuleSet, on: dt.date | None = None) -> str:
    """A regime as a page of text: versions, then thresholds, rates and sources on one date."""
    lines = [f"{rules.name} ({rules.code}), amounts in {rules.currency}"]
    if rules.description:
        lines.append(rules.description)
    lines.append("Versions:")
    for v in rules.versions:
        lines.append(f"  {v.period}: {v.label}")
    version = rules.at(on) if on else rules.versions[-1]
    lines.append(
        f"\nIn force {'on ' + on.isoformat() if on else 'in the latest version'}: {version.period}"
    )
    lines += _version_lines(version, rules)
    lines += ["\nEvery field set in the rule file (this version):", *field_lines(rules, version)]
    lines.append("\nSources:")
    for key, source in rules.sources.items():
        lines.append(f"  [{key}] {source.title}" + (f" <{source.url}>" if source.url else ""))
    return "\n".join(lines)


def _version_lines(v: RuleVersion, rules: RuleSet) -> list[str]:
    cur = rules.currency
    out = [
        f"  Valuation: {v.valuation.basis}"
        + (f" x {v.valuation.factor}" if v.valuation.factor != 1 else "")
        + f" {_flag(v.valuation, rules)}",
        "  Thresholds (first match of each kind applies):",
    ]
    for t in v.thresholds:
        out.append(
            f"    {t.applies_to:<4} {t.comparison} {cur} {t.amount} on {t.measure}, per "
            f"{t.scope}, {t.relief}; when {t.when.describe()}: {t.name} {_flag(t, rules)}"
        )
    if not v.thresholds:
        out.append("    none: duty and tax from the first cent")
    out += _duty_lines(v, rules)
    out += _tax_lines(v, rules)
    for e in v.exclusions:
        out.append(
            f"  Excluded ({', '.join(e.excluded_from)}): {e.name}, HS "
            f"{', '.join(e.hs_prefixes)} {_flag(e, rules)}"
        )
    for f in v.fees:
        out.append(f"  Fee {f.name}: {cur} {f.amount} per {f.per} {_flag(f, rules)}")
    for label, minimum in (
        ("duty", v.duty.min_collectable),
        ("tax", v.tax.min_collectable if v.tax else None),
        ("duty and tax", v.min_collectable),
    ):
        if minimum is not None:
            sign = "<=" if minimum.inclusive else "<"
            out.append(
                f"  Not collected: {label} {sign} {cur} {minimum.amount} {_flag(minimum, rules)}"
            )
    r = v.rounding
    out.append(
        f"  Rounding: {r.mode} to {r.quantum or rules.minor_unit} per {r.per}"
        + (" UNCONFIRMED" if r.unconfirmed else "")
    )
    return out


def _duty_lines(v: RuleVersion, rules: RuleSet) -> list[str]:
    """The duty methods of a version: general, low value, special, and their tables."""
    cur = rules.currency
    out: list[str] = []
    general = v.duty.general
    out.append(f"  Duty, general: {general.kind} {_flag(general, rules)}")
    low = v.duty.low_value
    if low is not None:
        sign = "<=" if low.inclusive else "<"
        out.append(
            f"  Duty, low value ({low.measure} {sign} {cur} {low.ceiling}): "
            f"{low.method.kind} {_flag(low, rules)}"
        )
    for special in v.duty.special:
        limit = ""
        if special.ceiling is not None:
            sign = "<=" if special.inclusive else "<"
            limit = f" ({special.measure} {sign} {cur} {special.ceiling})"
        out.append(
            f"  Duty, special {special.name}{limit}; when {special.when.describe()}: "
            f"{_method_words(special.method, cur)} {_flag(special, rules)}"
        )
    for method in (general, low.method if low else None):
        if method is not None and method.kind == "categories":
            for c in method.categories:
                charge = (
                    f"{c.rate}"
                    if c.rate is not None
                    else "item MFN rate"
                    if c.item_rate
                    else f"{cur} {c.amount} per {c.per}"
                )
                prefixes = ", ".join(c.hs_prefixes) or "-"
                out.append(
                    f"      category {c.name}: {charge}; HS {prefixes}"
                    + (" UNCONFIRMED" if c.unconfirmed else "")
                )
        if method is not None and method.kind == "flat":
            rate, amount, per = method.rate, method.amount, method.per
            out.append(f"      flat: {rate if rate is not None else f'{cur} {amount} per {per}'}")
    return out


def _tax_lines(v: RuleVersion, rules: RuleSet) -> list[str]:
    """The import tax of a version: rate, bases, regional rates, categories, components."""
    out: list[str] = []
    if v.tax is not None:
        tax = v.tax
        tax_rate = tax.rate if tax.rate is not None else f"by {tax.rate_key} (no default)"
        out.append(
            f"  Tax {tax.name}: rate {tax_rate}; border base {' + '.join(tax.base)}; "
            f"sale base {' + '.join(tax.sale_base)} {_flag(tax, rules)}"
        )
        for regional in tax.rates:
            out.append(
                f"      {tax.rate_key} {regional.key}: {regional.rate} {_flag(regional, rules)}"
            )
        for tc in tax.categories:
            out.append(
                f"      {tc.name} (HS {', '.join(tc.hs_prefixes)}): {tc.rate} {_flag(tc, rules)}"
            )
        for comp in tax.components:
            share = (
                comp.rate if comp.ratio is None else f"{comp.ratio[0]}/{comp.ratio[1]} of {comp.of}"
            )
            out.append(f"      component {comp.name}: {share} {_flag(comp, rules)}")
    else:
        out.append("  Tax: none collected at import")
    return out


def _method_words(method: object, cur: str) -> str:
    """A duty method in a few words: its kind, and its rate or amount when flat."""
    kind = str(getattr(method, "kind", "?"))
    if kind != "flat":
        return kind
    rate, amount, per = (getattr(method, k, None) for k in ("rate", "amount", "per"))
    words = f"flat {rate}" if rate is not None else f"flat {cur} {amount} per {per}"
    deduction = getattr(method, "deduction", None)
    return words + (f" less {cur} {deduction}" if deduction else "")


def _cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "schema":
        print(json.dumps(rule_file_schema(), indent=2), file=out)
        return 0
    if args.action == "check":
        return _check(args, out)
    if args.action == "list" or args.code is None:
        for code in available_rules():
            rules = load_rules(code)
            periods = ", ".join(str(v.valid_from) for v in rules.versions)
            line = f"{code:<4} {rules.name:<28} {rules.currency}  versions from {periods}"
            print(_printable(line), file=out)
        return 0
    print(_printable(show_rules(load_rules(args.code), args.date)), file=out)
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    """``rules check FILE``: the loader's validation, then check_rules; status 1 if it fails."""
    if args.code is None:
        raise UsageError("rules check: expected a rule file (or bundled code) to check")
    rules = load_rules(args.code)
    print(
        _printable(f"{args.code}: loads and validates ({len(rules.versions)} versions)"), file=out
    )
    try:
        from .testing import check_rules
    except ImportError:  # pragma: no cover - hypothesis is a test extra
        raise UsageError("rules check: needs hypothesis: pip install 'lvs_duty[testing]'") from None
    report = check_rules(rules, examples=args.examples, seed=0, on=args.date)
    print(_printable(str(report)), file=out)
    return 0 if report.ok else 1


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _count(least: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or int(text) < least:
            raise argparse.ArgumentTypeError(
                f"expected a whole number >= {least}, got {_printable(repr(text), 40)}"
            )
        return int(text)

    return parse


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad flag is a UsageError (one line, status 2) rather than an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(_printable(message, 300))


def _population_flags(p: argparse.ArgumentParser, default_n: str, *, progress: bool) -> None:
    """The flags that choose the parcels, shared by compare and report."""
    p.add_argument("--rules", default="CA", help="bundled regime code or rule file (default CA)")
    p.add_argument(
        "--shipments", metavar="FILE", help="canonical shipments CSV instead of synthetic parcels"
    )
    p.add_argument("--n", type=_count(1), metavar="N", help=default_n)
    p.add_argument(
        "--seed", type=_count(0), default=0, help="seed of the synthetic parcels (default 0)"
    )
    p.add_argument(
        "--schedule",
        metavar="CODE|FILE",
        help="MFN rates by HS code for lines without a duty rate: a bundled schedule code "
        "(CA, US, EU, ...) or a schedule file (default: none; with --profile, the bundled "
        "schedule of the rules' code)",
    )
    p.add_argument(
        "--profile",
        metavar="P",
        help="draw the parcels from a calibrated market profile (eu_2024, ca_2024, ... or a "
        "file); its lines take their MFN rates from --schedule",
    )
    p.add_argument(
        "--destination",
        metavar="XX",
        help="ISO country of the synthetic parcels (default: the country the rules cover; "
        "for EU rules, the first member state alphabetically)",
    )
    p.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date of the synthetic parcels (default: today if a version of the rules is in "
        "force today, else the start of the last version)",
    )
    p.add_argument(
        "--fx",
        action="append",
        metavar="CUR=RATE",
        help="exchange rate: units of the rules' currency per unit of CUR, exact decimal "
        "(repeatable); synthetic parcels are then priced in the destination's own currency",
    )
    p.add_argument(
        "--ceiling",
        metavar="AMOUNT",
        help="value at or below which the GEA options apply "
        "(default: the baseline's highest duty threshold)",
    )
    p.add_argument(
        "--flat-rate",
        default=str(gea.DEFAULT_FLAT_RATE),
        metavar="RATE",
        help=f"option 1 flat duty rate (default {gea.DEFAULT_FLAT_RATE})",
    )
    p.add_argument(
        "--vat-rate",
        metavar="RATE",
        help="option 3 VAT/GST rate (default: the baseline's; 0 when it has no tax)",
    )
    for flag, what in (
        (
            "border",
            "border collection event (a parcel whose duty or tax is collected at the border)",
        ),
        ("classification", "classification decision (a line classified to charge it)"),
        ("parcel", "parcel processed, charged or not"),
    ):
        p.add_argument(
            f"--cost-{flag}",
            metavar="AMOUNT",
            help=f"collection cost per {what}, in the rules' currency (default 0)",
        )
    p.add_argument(
        "--cost-preset",
        choices=sorted(COST_PRESETS),
        help="published unit costs: cbp-postal-2025 is CBP's USD 8.55 per postal shipment, "
        "per border collection event (US regimes)",
    )
    if progress:
        p.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="progress bar on stderr (default: only when stderr is a terminal)",
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``lvs-duty`` (exposed for documentation and tests)."""
    parser = _Parser(prog="lvs-duty", description=__doc__.replace("``", ""))
    parser.add_argument("--version", action="version", version=f"lvs-duty {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    _add_compare(sub)
    _add_report(sub)
    _add_assess(sub)
    _add_rules(sub)
    return parser


def _add_compare(sub: Any) -> None:
    """``lvs-duty compare``: the baseline and the three GEA options over parcels."""
    c = sub.add_parser(
        "compare",
        help="baseline vs the three GEA options over shipments",
        description="Compare a regime (the baseline) with the three GEA options over parcels "
        "and print revenue, net revenue, burden and workload per option.",
    )
    _population_flags(
        c, "use N synthetic parcels fitted to the rules instead of the sample", progress=True
    )
    c.add_argument("--out", metavar="FILE", help="write the per-shipment comparison to this CSV")
    c.add_argument(
        "--plot", metavar="FILE", help="write a summary figure to this PNG (needs lvs_duty[plot])"
    )
    c.set_defaults(run=_cmd_compare)


def _add_report(sub: Any) -> None:
    """``lvs-duty report``: the comparison as one self-contained HTML file."""
    rep = sub.add_parser(
        "report",
        help="write a self-contained HTML report of the GEA options",
        description="Compare a regime with the three GEA options and write one HTML file: "
        "options, net revenue, breakdowns, classification burden, dashboard, threshold sweep, "
        "notches, assumptions and sources (needs lvs_duty[plot]).",
    )
    _population_flags(rep, "number of synthetic parcels (default 2000)", progress=False)
    rep.add_argument(
        "--seeds",
        type=_count(2),
        metavar="K",
        help="add intervals: the figures across K synthetic populations (seeds SEED to "
        "SEED+K-1), median and central 90%% (see --level)",
    )
    rep.add_argument(
        "--bootstrap",
        type=_count(2),
        metavar="K",
        help="add intervals: the figures over K resamples of the parcels (any parcels, "
        "--shipments and --profile too; resampled with SEED), median and central 90%% (see "
        "--level)",
    )
    rep.add_argument(
        "--level",
        metavar="SHARE",
        help="the central share of the draws an interval holds, e.g. 0.8 (default 0.9)",
    )
    rep.add_argument(
        "--bands",
        metavar="A,B,...",
        help="value band edges, e.g. 20,40,150,500 (default: a fifth, two fifths, one, two and "
        "four times the ceiling)",
    )
    rep.add_argument(
        "--sweep",
        metavar="A,B,...",
        help="duty thresholds of the sweep, e.g. 0,50,100,150 (default: 0 to twice the "
        "ceiling in eighths)",
    )
    rep.add_argument(
        "--by",
        metavar="KEY,...",
        help="breakdowns, from value_band, ship_from, mode, hs_chapter (default: all four)",
    )
    for flag, what in (
        ("bunching", "share of parcels in a dominated band that bunch at the notch"),
        ("undervaluation", "share of parcels declared below their value"),
        ("declared-fraction", "fraction of value the undervalued parcels declare (default 1)"),
        ("splitting", "share of the parcels a split makes cheaper that are split"),
    ):
        rep.add_argument(
            f"--{flag}",
            metavar="SHARE",
            help=f"behavioural response, an assumption: {what}, in [0, 1] (default 0)",
        )
    rep.add_argument(
        "--title", metavar="TEXT", help="title of the report (default: the regime's name)"
    )
    rep.add_argument("--out", metavar="FILE", required=True, help="the HTML file to write")
    rep.set_defaults(run=_cmd_report)


def _add_assess(sub: Any) -> None:
    """``lvs-duty assess``: one parcel from flags, explained."""
    a = sub.add_parser(
        "assess",
        help="assess one shipment given by flags and explain it",
        description="Assess one parcel under a regime and print the explanation: threshold, "
        "category, rate and legal source of every amount.",
    )
    a.add_argument("--rules", default="CA", help="bundled regime code or rule file (default CA)")
    a.add_argument(
        "--date", type=_date, default=dt.date(2026, 1, 15), help="YYYY-MM-DD (default 2026-01-15)"
    )
    a.add_argument("--destination", help="ISO country (default: the country the rules cover)")
    a.add_argument("--currency", help="shipment currency (default: the regime's)")
    a.add_argument("--fx", help="regime-currency units per unit of --currency, exact decimal")
    a.add_argument("--hs", help="HS code of a single item")
    a.add_argument("--value", help="value of a single item")
    a.add_argument("--duty-rate", help="MFN rate of the single item, e.g. 0.18")
    a.add_argument("--item", action="append", help="HS,VALUE[,DUTY_RATE[,QUANTITY]]; repeatable")
    a.add_argument("--ship-from", help="ISO country the parcel is shipped from")
    a.add_argument("--origin", help="ISO country of origin of the goods")
    a.add_argument(
        "--mode", choices=("courier", "post"), default="courier", help="carrier (default courier)"
    )
    a.add_argument("--region", help="region of the destination, e.g. ON for Ontario")
    a.add_argument("--shipping", default="0", help="shipping charge (default 0)")
    a.add_argument("--insurance", default="0", help="insurance charge (default 0)")
    a.add_argument("--gift", action="store_true", help="the parcel is a private gift")
    a.add_argument("--id", help="an identifier printed with the explanation")
    a.set_defaults(run=_cmd_assess)


def _add_rules(sub: Any) -> None:
    """``lvs-duty rules``: list, show, check or print the format of rule files."""
    r = sub.add_parser(
        "rules",
        help="list bundled regimes, show one, check a rule file, or print the file format",
        description="list: the bundled regimes; show CODE: one regime as a page of text; "
        "check FILE: validate a rule file and test its invariants; schema: the JSON Schema.",
    )
    r.add_argument("action", choices=("list", "show", "check", "schema"), help="what to do")
    r.add_argument("code", nargs="?", help="bundled regime code or rule file")
    r.add_argument(
        "--examples",
        type=_count(1),
        default=100,
        help="check: shipments drawn per invariant (default 100)",
    )
    r.add_argument("--date", type=_date, help="show the version in force on this date")
    r.set_defaults(run=_cmd_rules)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run ``lvs-duty``; every user error prints as one clear message and exits with status 2."""
    try:
        args = build_parser().parse_args(argv)
        status: int = args.run(args, out or sys.stdout)
    except (LvsDutyError, UsageError) as exc:
        print(f"lvs-duty: error: {_printable(str(exc), 2000)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file that vanished or filled the disk while writing
        where = f" {_printable(repr(exc.filename), 80)}" if exc.filename else ""
        print(f"lvs-duty: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
