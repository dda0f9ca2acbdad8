"""The public surface: names importable, errors a small picklable family, no hidden state."""

from __future__ import annotations

import pickle

import pytest

import lvs_duty
from lvs_duty import errors


def test_all_names_import() -> None:
    for name in lvs_duty.__all__:
        assert getattr(lvs_duty, name) is not None, name
    assert lvs_duty.__version__


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (
            errors.ShipmentError(
                [errors.Problem("items[0]", "value", "an amount", "'x'")], shipment="S"
            ),
            ValueError,
        ),
        (errors.AmountTypeError([errors.Problem("", "value", "not a float", "1.5")]), TypeError),
        (
            errors.RuleFileError("f.toml", [errors.Problem("versions[0]", "rate", "a rate", "2")]),
            ValueError,
        ),
        (errors.UnknownRulesError("ZZ", ["CA"]), LookupError),
        (errors.NotInForceError("CA", "1999-01-01", ["2015-04-01 to open"]), LookupError),
        (errors.CurrencyError("S", "USD", "CAD"), ValueError),
        (errors.UnknownCategoryError("items[0]", "toys", ["a"]), LookupError),
        (errors.RateUnavailableError("items[0]", "duty_rate", "an MFN rate"), LookupError),
        (errors.ArgumentError("f", "x", "an int", "y"), ValueError),
        (errors.FrameError([errors.RowProblem(3, "value", "an amount", "'x'")]), ValueError),
    ],
)
def test_errors_inherit_builtins_and_pickle(
    error: errors.LvsDutyError, builtin: type[Exception]
) -> None:
    assert isinstance(error, errors.LvsDutyError)
    assert isinstance(error, builtin)
    assert isinstance(error.reason, errors.ReasonCode)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)


def test_loading_twice_gives_equal_independent_rule_sets() -> None:
    first, second = lvs_duty.load_rules("CA"), lvs_duty.load_rules("CA")
    assert first == second
    with pytest.raises(ValueError, match="frozen"):
        first.code = "XX"  # type: ignore[misc]


def test_available_rules_lists_the_core_regimes() -> None:
    assert {"AU", "CA", "SG"} <= set(lvs_duty.available_rules())
