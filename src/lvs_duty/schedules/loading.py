"""Read schedule files: the only code that opens ``data/schedules/*.toml``.

``load_schedule("CA")`` loads a bundled schedule, ``load_schedule("my_tariff.toml")`` a user's
own file through exactly the same validation. TOML is parsed with ``parse_float=Decimal``, so a
rate is never a float, even for an instant; the file meets the guards of every data file first
(:mod:`lvs_duty.toml_files`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal

from ..toml_files import bundled_names, parse, read_source
from .model import Schedule, ScheduleFileError, UnknownScheduleError

_FOLDER = "schedules"


def available_schedules() -> list[str]:
    """Codes of the bundled schedules, sorted (``["AU", "CA", ...]``)."""
    return [name.upper() for name in bundled_names(_FOLDER)]


def load_schedule(source: str | os.PathLike[str]) -> Schedule:
    """Load a schedule from a bundled code (``"CA"``) or the path of a schedule file.

    Raises ScheduleFileError listing every problem of a bad file (file, row, field, expected,
    got), and UnknownScheduleError when ``source`` is neither a bundled code nor a file.
    """
    found = read_source(source, _FOLDER, ScheduleFileError)
    if found is None:
        raise UnknownScheduleError(str(source), available_schedules())
    return Schedule.build(found[0], file=found[1])


def loads_schedule(text: str, *, file: str = "<string>") -> Schedule:
    """Load a schedule from TOML text (handy in notebooks and tests)."""
    return Schedule.build(
        parse(text.encode("utf-8", "surrogatepass"), file, ScheduleFileError), file=file
    )


def dumps_schedule(schedule: Schedule) -> str:
    """The schedule as TOML text in the format of ``data/schedules/`` (loads back equal).

    Handy to turn a download read by :mod:`lvs_duty.schedules.readers` into a file of your own;
    rates and amounts are written as strings, so nothing passes through a float.
    """
    out = [
        f"code = {_string(schedule.code)}",
        f"name = {_string(schedule.name)}",
        f"currency = {_string(schedule.currency)}",
    ]
    if schedule.nomenclature:
        out.append(f"nomenclature = {_string(schedule.nomenclature)}")
    if schedule.coverage:
        out.append(f"coverage = {_string(schedule.coverage)}")
    out += ["", "[sources]"]
    for key, source in schedule.sources.items():
        out.append(f"{_string(key)} = {_inline(source.model_dump(exclude_defaults=True))}")
    for version in schedule.versions:
        out += ["", "[[versions]]", f"valid_from = {version.valid_from.isoformat()}"]
        if version.valid_to is not None:
            out.append(f"valid_to = {version.valid_to.isoformat()}")
        if version.note:
            out.append(f"note = {_string(version.note)}")
        out.append("lines = [")
        for line in version.lines:
            fields = line.model_dump(exclude_defaults=True)
            source = fields["source"]
            fields["source"] = source[0] if len(source) == 1 else list(source)
            out.append(f"  {_inline(fields)},")
        out.append("]")
    return "\n".join(out) + "\n"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _value(value: object) -> str:
    if isinstance(value, dict):
        return _inline(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _string(format(value, "f"))
    return _string(str(value))


def _inline(fields: dict[str, object]) -> str:
    return "{ " + ", ".join(f"{key} = {_value(v)}" for key, v in fields.items()) + " }"


__all__ = ["available_schedules", "dumps_schedule", "load_schedule", "loads_schedule"]
