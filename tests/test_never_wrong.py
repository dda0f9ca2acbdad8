"""Issue 9: inputs that once gave a wrong amount silently now give a named error or the right one.

Each test failed on the code before the fix (a wrong amount or no error) and pins the behaviour.
"""

from __future__ import annotations

import decimal
import io
from decimal import Decimal as D

import pandas as pd
import pytest

import lvs_duty
from lvs_duty import (
    FrameError,
    Item,
    RuleFileError,
    Shipment,
    ShipmentError,
    assess,
    compare,
    loads_rules,
    read_shipments_csv,
    shipments_to_frame,
    summarize,
)
from lvs_duty.frame import assess_frame


def _ca(destination: str = "CA", **more: object) -> Shipment:
    fields: dict[str, object] = {"ship_from": "US", "region": "ON", "id": "P1", **more}
    return Shipment(
        destination, "2026-03-01", "CAD", [Item("6109", "150.01", duty_rate="0.18")], **fields
    )


# 1. A shipment sent to one country, assessed under another's rules ---------------------------


def test_destination_outside_the_rules_is_refused_on_both_paths() -> None:
    ca = lvs_duty.load_rules("CA")
    with pytest.raises(ShipmentError, match=r"destination: expected CA \(the countries CA rules"):
        assess(_ca("DE"), ca)
    result = assess_frame(shipments_to_frame([_ca("DE"), _ca(id="P2")]), ca, errors="flag")
    assert result["status"].tolist() == ["error", "ok"]
    assert "destination" in result["error"].iloc[0]
    # the good neighbour keeps its amount: 150.01 x 18% = 27.00 duty, 177.01 x 13% = 23.01 HST
    assert result["total_minor"].iloc[1] == 5001
    with pytest.raises(FrameError, match="expected CA"):
        assess_frame(shipments_to_frame([_ca("DE")]), ca)


def test_eu_rules_cover_the_member_states_and_postal_us_only_the_us() -> None:
    eu = lvs_duty.load_rules("EU")
    parcel = Shipment("CA", "2026-03-01", "EUR", [Item("6109", "100.00", duty_rate="0.12")])
    with pytest.raises(ShipmentError, match="destination: expected one of AT, BE, BG"):
        assess(parcel, eu)
    postal = lvs_duty.load_rules("US_POSTAL_SPECIFIC")
    to_ca = Shipment("CA", "2026-01-01", "USD", [Item("6109", "10.00")], mode="post")
    with pytest.raises(ShipmentError, match="destination: expected US"):
        assess(to_ca, postal)


def test_compare_refuses_a_destination_an_option_does_not_cover() -> None:
    with pytest.raises(ShipmentError, match="expected CA"):
        compare([_ca("FR")], {"baseline": lvs_duty.load_rules("CA")})


# 2. Unknown region ----------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["ONT", "0N", "XX"])
def test_unknown_region_is_refused_naming_the_known_ones(region: str) -> None:
    ca = lvs_duty.load_rules("CA")
    with pytest.raises(ShipmentError, match=r"region: expected one of AB, BC, .*ON.*YT"):
        assess(_ca(region=region), ca)
    result = assess_frame(shipments_to_frame([_ca(region=region)]), ca, errors="flag")
    assert result["status"].tolist() == ["error"]
    assert "region" in result["error"].iloc[0]


# pairs of (destination, region) codes, missing ones included: 4 x 4 asked one by one (<= 64),
# 11 x 11 counted in a table, 41 x 41 > 4 x 120 + 1024 hashed
@pytest.mark.parametrize("kinds", [3, 10, 40])
def test_each_parcel_outside_the_rules_is_refused_among_many_places(kinds: int) -> None:
    destinations = ["CA", *sorted(c for c in lvs_duty.countries.COUNTRIES if c != "CA")]
    regions = ["ON", *(f"Z{k:02d}" for k in range(1, kinds))]
    rows = [(destinations[i % kinds], regions[(i // kinds) % kinds]) for i in range(120)]
    table = pd.DataFrame(
        {
            "shipment_id": range(120),
            "destination": [d for d, _ in rows],
            "date": "2026-03-01",
            "currency": "CAD",
            "region": [r for _, r in rows],
            "value_minor": 15001,
            "hs_code": "610910",
            "duty_rate": D("0.18"),
        }
    )
    result = assess_frame(table, lvs_duty.load_rules("CA"), errors="flag")
    for i, (destination, region) in enumerate(rows):
        error = result["error"].iloc[i]
        if destination != "CA":  # the destination is checked first
            assert error.startswith(f"row {i}, column 'destination': expected CA"), error
            assert error.endswith(f"got {destination!r}")
        elif region != "ON":
            assert error.startswith(f"row {i}, column 'region': expected one of AB, BC"), error
            assert error.endswith(f"got {region!r}")
        else:
            assert error is None
            assert result["total_minor"].iloc[i] == 2700 + 2301  # 18% duty, 13% HST on 177.01


def test_known_region_without_its_own_rate_takes_gst_and_says_so() -> None:
    # Quebec has no HST row: GST 5% on 150.01 + 27.00 = 8.8505 -> 8.85
    a = assess(_ca(region="QC"), lvs_duty.load_rules("CA"))
    assert a.tax == D("8.85")


def test_missing_region_is_an_explicit_assumption_in_the_explanation() -> None:
    a = assess(_ca(region=None), lvs_duty.load_rules("CA"))
    assert a.tax == D("8.85")  # GST 5% on 177.01
    assert "no region given" in a.explain()


# 3. Codes in rule files -----------------------------------------------------------------------

_RULES = """
code = "TOY"
name = "Toy"
currency = "EUR"
[sources]
law = {{ title = "Toy Act" }}
[[versions]]
valid_from = 2020-01-01
valuation = {{ basis = "FOB", source = "law" }}
duty = {{ general = {{ kind = "free", source = "law" }} }}
thresholds = [
  {{ name = "t", applies_to = "duty", amount = "10", inclusive = true, source = "law", \
when = {{ {when} }} }},
]
tax = {{ name = "VAT", rate_key = "destination", source = "law", rates = [{rates}] }}
"""


def test_lower_case_codes_in_rule_files_are_normalised() -> None:
    rules = loads_rules(
        _RULES.format(
            when='ship_from = ["cn"], region = ["on"]',
            rates='{ key = "fr", rate = "0.20", source = "law" }',
        )
    )
    version = rules.versions[0]
    assert version.thresholds[0].when.ship_from == ("CN",)
    assert version.tax is not None
    assert version.tax.rates[0].key == "FR"
    parcel = Shipment("FR", "2026-01-01", "EUR", [Item("6109", "100.00")])
    assert assess(parcel, rules).tax == D("20.00")  # 100.00 x 20%


@pytest.mark.parametrize(
    ("when", "rates", "message"),
    [
        ('ship_from = ["ZZ"]', '{ key = "FR", rate = "0.2", source = "law" }', "ship_from"),
        ("ship_from = []", '{ key = "FR", rate = "0.2", source = "law" }', "ship_from"),
        ('destination = ["XX"]', '{ key = "FR", rate = "0.2", source = "law" }', "destination"),
        ('mode = ["post"]', '{ key = "ZZ", rate = "0.2", source = "law" }', "key"),
    ],
)
def test_bad_codes_in_rule_files_are_refused_with_their_row(
    when: str, rates: str, message: str
) -> None:
    with pytest.raises(RuleFileError, match=message) as caught:
        loads_rules(_RULES.format(when=when, rates=rates), file="mine.toml")
    assert str(caught.value).startswith("mine.toml: ")
    assert "versions[0]" in str(caught.value)


def test_currency_codes_in_rule_files_are_normalised() -> None:
    text = _RULES.format(when="", rates='{ key = "FR", rate = "0.2", source = "law" }').replace(
        'currency = "EUR"', 'currency = "eur"'
    )
    assert loads_rules(text).currency == "EUR"


# 4. The ambient decimal context does not leak in ----------------------------------------------


def test_summarize_ignores_a_narrow_ambient_context() -> None:
    comparison = compare([_ca(), _ca(id="P2")], {"baseline": lvs_duty.load_rules("CA")})
    with decimal.localcontext(prec=3):
        summary = summarize(comparison)
    # two parcels of 50.01 each: revenue 100.02, mean and median 50.01
    row = summary.iloc[0]
    assert (row["revenue"], row["mean_burden"], row["median_burden"]) == (
        D("100.02"),
        D("50.01"),
        D("50.01"),
    )


def test_goods_value_and_decimal_places_ignore_the_ambient_context() -> None:
    with decimal.localcontext(prec=3):
        s = Shipment("CA", "2026-03-01", "CAD", [Item("6109", "1234.56"), Item("6109", "0.01")])
        assert s.goods_value == D("1234.57")
        with pytest.raises(ShipmentError, match="at most 2 decimal places"):
            Shipment("CA", "2026-03-01", "CAD", [Item("6109", "1234.567")])


def test_a_trapping_ambient_context_does_not_break_an_assessment() -> None:
    trapping = decimal.Context(prec=5, traps=[decimal.Inexact, decimal.Rounded])
    with decimal.localcontext(trapping):
        a = assess(_ca(), lvs_duty.load_rules("CA"))
        frame = assess_frame(shipments_to_frame([_ca()]), lvs_duty.load_rules("CA"))
    assert a.total == D("50.01")
    assert frame["total_minor"].tolist() == [5001]


# 5. Blank shipment ids ------------------------------------------------------------------------

_CSV = (
    "shipment_id,destination,date,currency,value,duty_rate,ship_from,region\n"
    ",CA,2026-03-01,CAD,100.00,0.18,US,ON\n"
    ",CA,2026-03-01,CAD,100.00,0.18,US,ON\n"
)


def test_blank_shipment_ids_are_refused_on_both_paths(tmp_path: object) -> None:
    path = f"{tmp_path}/blank.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(_CSV)
    with pytest.raises(FrameError, match="expected a shipment id") as caught:
        read_shipments_csv(path)
    assert [c.row for c in caught.value.cases] == [2, 3]  # CSV lines
    frame = pd.read_csv(io.StringIO(_CSV), dtype=str, keep_default_na=False)
    with pytest.raises(FrameError, match="expected a shipment id"):
        assess_frame(frame, lvs_duty.load_rules("CA"))
    with pytest.raises(FrameError, match="expected a shipment id"):
        compare(frame, {"baseline": lvs_duty.load_rules("CA")})


# 6. Dask frames with a shipment's rows in two partitions that are not neighbours ---------------


def test_dask_shipment_in_non_adjacent_partitions_is_refused() -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    rows = shipments_to_frame([_ca(id="A"), _ca(id="B"), _ca(id="A")])
    parts = [dd.from_pandas(rows.iloc[[i]], npartitions=1, sort=False) for i in range(3)]
    with (
        dask.config.set(scheduler="sync"),
        pytest.raises(FrameError, match="'A' also has rows in an earlier partition"),
    ):
        assess_frame(dd.concat(parts), lvs_duty.load_rules("CA")).compute()


# 7. Mixed object columns are validated cell by cell -------------------------------------------


def _mixed(values: list[object], column: str = "value") -> pd.DataFrame:
    frame = shipments_to_frame([_ca(id="P1"), _ca(id="P2")])
    frame[column] = pd.Series(values, dtype=object)
    return frame


@pytest.mark.parametrize(
    "values", [[200.0, D("200.00")], [D("200.00"), 200.0]], ids=["float-first", "decimal-first"]
)
def test_a_float_cell_is_refused_whatever_its_neighbours(values: list[object]) -> None:
    result = assess_frame(_mixed(values), lvs_duty.load_rules("CA"), errors="flag")
    assert result["status"].tolist() == ["error" if isinstance(v, float) else "ok" for v in values]
    ok = result[result["status"] == "ok"].iloc[0]
    # 200.00 x 18% = 36.00 duty; (200.00 + 36.00) x 13% = 30.68 HST
    assert (ok["duty_minor"], ok["tax_minor"]) == (3600, 3068)


def test_true_is_not_a_quantity_next_to_one() -> None:
    result = assess_frame(_mixed([1, True], "quantity"), lvs_duty.load_rules("CA"), errors="flag")
    assert result["status"].tolist() == ["ok", "error"]
    assert "quantity" in result["error"].iloc[1]


# Found by the fuzz harness --------------------------------------------------------------------


def test_a_shipment_field_written_two_ways_is_refused_on_both_paths() -> None:
    # "false" and 0 both mean no gift, but a table that says it two ways is suspect: both
    # paths compare the cells as read, type included
    frame = shipments_to_frame([_ca(), _ca()]).astype(object)  # one shipment, two rows
    frame.loc[0, "gift"], frame.loc[1, "gift"] = "false", 0
    with pytest.raises(FrameError, match=r"gift.*the same value on every row"):
        lvs_duty.frame_to_shipments(frame)
    with pytest.raises(FrameError, match=r"gift.*the same value on every row"):
        assess_frame(frame, lvs_duty.load_rules("CA"))


def test_an_id_that_is_not_text_utf8_can_hold_is_refused_on_both_paths() -> None:
    frame = shipments_to_frame([_ca()]).astype(object)
    frame.loc[0, "shipment_id"] = "\ud800"
    with pytest.raises(FrameError, match="expected a shipment id"):
        lvs_duty.frame_to_shipments(frame)
    result = assess_frame(frame, lvs_duty.load_rules("CA"), errors="flag")
    assert result["status"].tolist() == ["error"]
    assert result["shipment_id"].tolist() == [None]
