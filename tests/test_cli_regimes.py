"""`lvs-duty compare --n` for every bundled regime, and the population fitted to a rule set."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from lvs_duty import available_rules, load_rules
from lvs_duty.cli import main
from lvs_duty.regime_population import fit, population_for
from lvs_duty.simulate import KG_PER_ITEM, population

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize("code", available_rules())
def test_compare_runs_for_every_bundled_code_with_no_extra_flags(code: str) -> None:
    out = io.StringIO()
    assert main(["compare", "--n", "20000", "--rules", code, "--no-progress"], out=out) == 0
    text = out.getvalue()
    assert "20000 shipments" in text
    for option in ("baseline", "flat_rate", "category_tariff", "duty_free_vat"):
        assert option in text


def test_a_regime_that_has_ended_is_dated_at_its_last_version() -> None:
    # us_postal_specific.toml's last version runs 2025-08-29 to 2026-02-24: nothing is in force
    # on 2026-11-29.
    chosen = fit(load_rules("US_POSTAL_SPECIFIC"), today=TODAY)
    assert chosen.date == dt.date(2025, 8, 29)
    assert chosen.currency == "USD"
    assert "no version in force today" in chosen.notes[0]


def test_compare_tr_defaults_the_ceiling_to_the_repealed_eur_30() -> None:
    # tr.toml from 2026-02-06 has no threshold or ceiling; versions[0] (2024-08-21 to
    # 2026-02-06) has the flat-tax specials' ceiling EUR 30 (its threshold is for tax only).
    out = io.StringIO()
    assert main(["compare", "--n", "200", "--rules", "TR", "--no-progress"], out=out) == 0
    text = out.getvalue()
    assert "ceiling EUR 30," in text
    assert (
        "Assumed: ceiling 30: the last threshold or ceiling of the rules, versions[0] "
        "(2024-08-21 to 2026-02-06); none from 2026-02-06"
    ) in text


def test_compare_th_looks_past_a_token_thb_1_de_minimis() -> None:
    # th.toml from 2026-01-01 keeps only the THB 1 exemption: at a ceiling of THB 1 all four
    # options equal the baseline. versions[1] (2024-07-05 to 2026-01-01) has the THB 1,500 duty
    # waiver, the ceiling the options are compared at (printed as an assumption).
    out = io.StringIO()
    assert main(["compare", "--n", "200", "--rules", "TH", "--no-progress"], out=out) == 0
    text = out.getvalue()
    assert "ceiling THB 1500," in text
    assert (
        "Assumed: ceiling 1500: the last threshold or ceiling of the rules, versions[1] "
        "(2024-07-05 to 2026-01-01); THB 1 only from 2026-01-01"
    ) in text
    # a ceiling asked for is taken as given, token or not
    out = io.StringIO()
    argv = ["compare", "--n", "200", "--rules", "TH", "--ceiling", "1", "--no-progress"]
    assert main(argv, out=out) == 0
    assert "ceiling THB 1," in out.getvalue()
    assert "Assumed: ceiling" not in out.getvalue()


def test_a_regime_in_force_is_dated_today() -> None:
    assert fit(load_rules("CA"), today=TODAY).date == TODAY


def test_usd_rule_files_get_usd_parcels() -> None:
    for code in ("BR", "KR", "MX", "CL", "ID"):
        frame, chosen = population_for(load_rules(code), 3, seed=1, today=TODAY)
        assert chosen.currency == "USD"
        assert set(frame["currency"].astype(str)) == {"USD"}
        assert set(frame["destination"].astype(str)) == {code}


def test_eu_rules_get_a_member_state() -> None:
    chosen = fit(load_rules("EU"), today=TODAY)
    assert chosen.destination == "AT"  # the first of the 27, alphabetically
    assert fit(load_rules("EU"), destination="FR", today=TODAY).destination == "FR"


def test_fx_for_the_destination_currency_prices_parcels_in_it() -> None:
    fx = {"BRL": Decimal("0.18")}
    frame, chosen = population_for(load_rules("BR"), 3, seed=1, fx=fx, today=TODAY)
    assert chosen.currency == "BRL"
    assert chosen.fx == fx
    assert set(frame["currency"].astype(str)) == {"BRL"}


def test_weights_are_drawn_when_the_version_charges_per_kg() -> None:
    # CH before 2024 charges specific duties per kg (e.g. CHF 2.06 per kg of sports shoes);
    # from 2024 industrial duties are gone and nothing is per kg.
    old = fit(load_rules("CH"), on=dt.date(2020, 6, 1), today=TODAY)
    assert old.weights
    assert not fit(load_rules("CH"), today=TODAY).weights
    frame, _ = population_for(load_rules("CH"), 50, seed=3, on=dt.date(2020, 6, 1), today=TODAY)
    # weight = grams per item of the chapter x quantity, in kg to the gram
    expected = [
        Decimal(KG_PER_ITEM[str(hs)[:2]] * int(q)).scaleb(-3)
        for hs, q in zip(frame["hs_code"], frame["quantity"], strict=True)
    ]
    assert list(frame["weight_kg"]) == expected


def test_the_default_population_is_unchanged() -> None:
    frame = population(5, "CA", seed=1)
    assert "weight_kg" not in frame.columns
    assert list(frame.columns) == list(population(5, "CA", seed=1, currency="CAD").columns)
    assert frame.equals(population(5, "CA", seed=1, currency="CAD"))
