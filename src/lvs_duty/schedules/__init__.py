"""Tariff schedules: a regime's duty rates by HS code, dated and sourced, so lines need no rate.

A :class:`Schedule` holds dated versions of lines keyed by HS prefix; the longest prefix that
matches an item's HS code wins, as tariffs inherit from parent headings. Each line charges an ad
valorem rate, a specific amount per kg, litre, item or pair, or both (compound, the greater or
the lesser), and cites its source. Bundled schedules live in ``data/schedules/``; a user's own
file, or a download read by :func:`read_hts`, :func:`read_wits` or :func:`read_uk_tariff`,
goes through the same validation.

>>> import datetime as dt
>>> from decimal import Decimal
>>> s = loads_schedule('''
... code = "XX"
... name = "Example"
... currency = "USD"
... [sources]
... t = { title = "Example tariff" }
... [[versions]]
... valid_from = 2024-01-01
... lines = [{ hs = "610910", ad_valorem = "0.165", source = "t" }]
... ''')
>>> line = s.line_for("6109.10.0012", dt.date(2025, 3, 1))
>>> line_duty(line, customs_value=Decimal("40.00")).amount  # 16.5% x 40.00
Decimal('6.60000')
"""

from .duty import (
    MEASURE_BITS,
    Column,
    DutyColumns,
    ExactColumn,
    LineDuty,
    Measure,
    duty_places,
    line_duties,
    line_duty,
    measure_names,
)
from .loading import available_schedules, dumps_schedule, load_schedule, loads_schedule
from .model import (
    Combine,
    Schedule,
    ScheduleFileError,
    ScheduleLine,
    ScheduleNotInForceError,
    ScheduleSource,
    ScheduleVersion,
    Specific,
    Unit,
    UnknownScheduleError,
)
from .readers import Reading, read_hts, read_uk_tariff, read_wits

__all__ = [
    "MEASURE_BITS",
    "Column",
    "Combine",
    "DutyColumns",
    "ExactColumn",
    "LineDuty",
    "Measure",
    "Reading",
    "Schedule",
    "ScheduleFileError",
    "ScheduleLine",
    "ScheduleNotInForceError",
    "ScheduleSource",
    "ScheduleVersion",
    "Specific",
    "Unit",
    "UnknownScheduleError",
    "available_schedules",
    "dumps_schedule",
    "duty_places",
    "line_duties",
    "line_duty",
    "load_schedule",
    "loads_schedule",
    "measure_names",
    "read_hts",
    "read_uk_tariff",
    "read_wits",
]
