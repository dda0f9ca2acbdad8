"""Issue 9: rule files and rule sets under hostile input: size, depth, types, mutation, codes."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import lvs_duty
from lvs_duty import ArgumentError, Item, RuleFileError, Shipment, ShipmentError, loads_rules
from lvs_duty.loading import MAX_DEPTH, MAX_FILE_BYTES
from lvs_duty.money import CURRENCIES, minor_digits


@pytest.mark.parametrize("source", [None, 5, b"CA", ["CA"]])
def test_load_rules_names_a_bad_source_type(source: object) -> None:
    with pytest.raises(ArgumentError, match="load_rules: source expected a regime code"):
        lvs_duty.load_rules(source)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [None, b"code = 1", 5])
def test_loads_rules_names_a_bad_text_type(text: object) -> None:
    with pytest.raises(ArgumentError, match="loads_rules: text expected TOML text as a str"):
        loads_rules(text)  # type: ignore[arg-type]


def test_text_with_a_lone_surrogate_is_a_rule_file_error() -> None:
    with pytest.raises(RuleFileError, match="expected UTF-8 text"):
        loads_rules('code = "\ud800"', file="odd.toml")


def test_deeply_nested_toml_is_refused_before_parsing() -> None:
    text = "a = " + "[" * 1000 + "]" * 1000
    with pytest.raises(RuleFileError, match=f"nesting at most {MAX_DEPTH} deep"):
        loads_rules(text, file="deep.toml")


def test_deep_dotted_keys_are_refused_before_parsing() -> None:
    text = "\n".join("k" + ".b" * 400 + f"{i} = 1" for i in range(100))
    with pytest.raises(RuleFileError, match=f"nesting at most {MAX_DEPTH} deep"):
        loads_rules(text, file="dotted.toml")


def test_a_huge_rule_file_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(RuleFileError, match=f"at most {MAX_FILE_BYTES} bytes"):
        lvs_duty.load_rules(path)


def test_nesting_inside_strings_does_not_count() -> None:
    # brackets and dots inside strings are text, not structure: this is the CA file plus a note
    text = Path("data/tariff_categories/ca.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Canada"', 'name = "Canada ' + "[{." * 100 + '"', 1)
    assert loads_rules(text).name.startswith("Canada [{.")


def test_every_bundled_file_is_within_the_guards() -> None:
    for code in lvs_duty.available_rules():
        assert lvs_duty.load_rules(code).code


# --- immutable all the way down ---------------------------------------------------------------


def test_rule_set_mappings_are_read_only() -> None:
    rules = lvs_duty.load_rules("CA")
    with pytest.raises(TypeError, match="read-only"):
        rules.sources.pop(next(iter(rules.sources)))
    with pytest.raises(TypeError, match="read-only"):
        rules.category_tables.clear()
    with pytest.raises(TypeError, match="read-only"):
        rules.sources["x"] = rules.sources[next(iter(rules.sources))]
    assert len(rules.sources) == len(lvs_duty.load_rules("CA").sources)


def test_rule_sets_hash_pickle_and_copy_by_value() -> None:
    a, b = lvs_duty.load_rules("CA"), lvs_duty.load_rules("CA")
    assert hash(a) == hash(b)
    assert {a, b} == {a}
    again = pickle.loads(pickle.dumps(a))
    assert again == a
    with pytest.raises(TypeError, match="read-only"):
        again.sources.clear()
    assert a.model_dump()["sources"] == b.model_dump()["sources"]


# --- check_rules writes nothing in the caller's directory -------------------------------------


def test_check_rules_writes_nothing_to_the_working_directory(tmp_path: Path) -> None:
    code = (
        "import lvs_duty\n"
        "from lvs_duty.testing import check_rules\n"
        "check_rules(lvs_duty.load_rules('SG'), examples=3, seed=1)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, env=env)
    assert list(tmp_path.iterdir()) == []


# --- HS chapters and currencies ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["000000", "00", "7700", "98", "9999"])
def test_hs_chapters_that_do_not_exist_are_refused(code: str) -> None:
    with pytest.raises(ShipmentError, match=r"hs_code: expected .*chapter .*01 to 97"):
        Item(code, "10.00")


@pytest.mark.parametrize("code", ["0101", "97", "9701", "2203", "7601"])
def test_real_chapters_are_accepted(code: str) -> None:
    assert Item(code, "10.00").hs_code == code


def test_a_rule_file_prefix_in_a_missing_chapter_is_refused() -> None:
    text = Path("data/tariff_categories/ca.toml").read_text(encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"chapter .*01 to 97"):
        loads_rules(text.replace('"2203"', '"7703"', 1))


@pytest.mark.parametrize(("code", "digits"), [("KWD", 3), ("COP", 2), ("EGP", 2), ("CLP", 0)])
def test_currencies_come_from_iso_4217(code: str, digits: int) -> None:
    assert minor_digits(code) == digits
    parcel = Shipment("CA", "2026-03-01", code, [Item("6109", "1")])
    assert parcel.currency == code


def test_withdrawn_currencies_dated_rules_need_are_kept() -> None:
    # the Bulgarian lev, replaced by the euro on 2026-01-01, and the Croatian kuna (2023)
    assert (CURRENCIES["BGN"], CURRENCIES["HRK"]) == (2, 2)


def test_an_unknown_currency_is_refused_by_name() -> None:
    with pytest.raises(ShipmentError, match=r"currency: expected an ISO 4217 currency code"):
        Shipment("CA", "2026-03-01", "XYZ", [Item("6109", "1")])


def test_rule_amounts_beyond_the_largest_supported_are_refused() -> None:
    text = Path("data/tariff_categories/ca.toml").read_text(encoding="utf-8")
    assert 'amount = "150"' in text
    with pytest.raises(RuleFileError, match=r"amount: expected an amount of at most 1E\+18"):
        loads_rules(text.replace('amount = "150"', 'amount = "1e30"', 1))


def test_a_tax_ratio_with_huge_terms_is_refused() -> None:
    text = Path("data/tariff_categories/jp.toml").read_text(encoding="utf-8")
    old = "ratio = [22, 78], quantum"
    assert old in text
    huge = "ratio = [100000000000000000000000, 1], quantum"
    with pytest.raises(RuleFileError, match=r"ratio: expected .*each at most 1000000"):
        loads_rules(text.replace(old, huge))


@pytest.mark.parametrize("kind", ["schedule", "profile"])
def test_schedules_and_profiles_meet_the_rule_files_guards(kind: str, tmp_path: Path) -> None:
    # one reader for every data file: a schedule or profile file too big or too deep is
    # refused before the TOML parser sees it, with the kind's own error naming the file
    from lvs_duty.profiles import ProfileError, load_profile, loads_profile
    from lvs_duty.schedules import ScheduleFileError, load_schedule, loads_schedule

    load, loads, error = {
        "schedule": (load_schedule, loads_schedule, ScheduleFileError),
        "profile": (load_profile, loads_profile, ProfileError),
    }[kind]
    path = tmp_path / f"big_{kind}.toml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(error, match=f"big_{kind}.toml.*at most {MAX_FILE_BYTES} bytes"):
        load(path)
    deep = "a = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    with pytest.raises(error, match=f"nesting at most {MAX_DEPTH} deep"):
        loads(deep)
