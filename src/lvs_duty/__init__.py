"""lvs_duty: import duty and tax on low-value shipments, and the GEA policy options compared.

Load a regime, assess a parcel, explain it, and compare the three options of the Global Express
Association's 2021 proposal over a population of parcels, exact to the cent.

>>> import lvs_duty
>>> parcel = lvs_duty.Shipment("AU", "2026-05-01", "AUD", [lvs_duty.Item("6109", "999.99")])
>>> lvs_duty.assess(parcel, lvs_duty.load_rules("AU")).tax_collection
'sale'
"""

from __future__ import annotations

from . import options, simulate
from .analysis import notches, split_incentive, threshold_sweep
from .assess import assess
from .compare import compare, summarize
from .errors import (
    AmountTypeError,
    ArgumentError,
    CurrencyError,
    FrameError,
    LvsDutyError,
    NotInForceError,
    RateUnavailableError,
    RuleFileError,
    ShipmentError,
    UnknownCategoryError,
    UnknownRulesError,
)
from .explain import Assessment, LineAssessment, Step
from .frame import assess_frame, to_decimal_frame
from .loading import available_rules, load_rules, loads_rules
from .rules import Category, RuleSet, RuleVersion, Source, Threshold
from .shipment import Item, Shipment
from .tabular import frame_to_shipments, read_shipments_csv, shipments_to_frame
from .testing import check_rules

__version__ = "0.1.0"

__all__ = [
    "AmountTypeError",
    "ArgumentError",
    "Assessment",
    "Category",
    "CurrencyError",
    "FrameError",
    "Item",
    "LineAssessment",
    "LvsDutyError",
    "NotInForceError",
    "RateUnavailableError",
    "RuleFileError",
    "RuleSet",
    "RuleVersion",
    "Shipment",
    "ShipmentError",
    "Source",
    "Step",
    "Threshold",
    "UnknownCategoryError",
    "UnknownRulesError",
    "__version__",
    "assess",
    "assess_frame",
    "available_rules",
    "check_rules",
    "compare",
    "frame_to_shipments",
    "load_rules",
    "loads_rules",
    "notches",
    "options",
    "read_shipments_csv",
    "shipments_to_frame",
    "simulate",
    "split_incentive",
    "summarize",
    "threshold_sweep",
    "to_decimal_frame",
]
