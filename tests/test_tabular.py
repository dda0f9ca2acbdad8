"""The canonical table: exact both ways, every bad cell reported, nothing dropped or reordered."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest

from lvs_duty import FrameError, Item, Shipment, frame_to_shipments, shipments_to_frame
from lvs_duty.tabular import COLUMNS, read_shipments_csv, write_shipments_csv

SHIPMENTS = [
    Shipment(
        "CA",
        "2026-03-01",
        "CAD",
        [
            Item("6109", "19.99", duty_rate="0.18"),
            Item("4901", "5.00", quantity=2, description="book"),
        ],
        ship_from="US",
        region="ON",
        shipping="4.50",
        id="B",
    ),
    Shipment(
        "SG",
        "2026-03-02",
        "SGD",
        [Item("2203", "80.00", volume_l="75", abv="0.05")],
        mode="post",
        id="A",
    ),
    Shipment("CA", "2026-03-03", "CAD", [Item(None, "1.00")], gift=True),
]


def test_round_trip_is_exact() -> None:
    frame = shipments_to_frame(SHIPMENTS)
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 4
    assert list(frame["shipment_id"]) == ["B", "B", "A", "3"]  # no id: 1-based position
    back = frame_to_shipments(frame)
    assert back[:2] == SHIPMENTS[:2]
    assert back[2] == SHIPMENTS[2].model_copy(update={"id": "3"})


def test_csv_round_trip_keeps_every_digit(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    write_shipments_csv(SHIPMENTS[:2], path)
    assert read_shipments_csv(path) == SHIPMENTS[:2]
    assert "19.99" in path.read_text()


def test_bad_cells_are_all_reported_with_row_labels() -> None:
    frame = shipments_to_frame(SHIPMENTS)
    frame.index = [10, 20, 30, 40]
    frame.loc[20, "value"] = 1.5  # a float amount
    frame.loc[30, "currency"] = "XXX"
    frame.loc[40, "hs_code"] = "61x"
    frame.loc[20, "region"] = "QC"  # disagrees with row 10 of the same shipment
    with pytest.raises(FrameError) as caught:
        frame_to_shipments(frame)
    cases = caught.value.failure_cases
    assert list(cases.columns) == ["row", "column", "problem", "value"]
    got = {(r.row, r.column) for r in cases.itertuples()}
    assert got == {(20, "region"), (20, "value"), (30, "currency"), (40, "hs_code")}
    assert "not a float" in cases.set_index(["row", "column"]).loc[(20, "value"), "problem"]


def test_missing_and_unknown_columns() -> None:
    frame = shipments_to_frame(SHIPMENTS).drop(columns=["currency"])
    with pytest.raises(FrameError, match="'currency': required column missing"):
        frame_to_shipments(frame)
    frame = shipments_to_frame(SHIPMENTS).assign(colour="red")
    with pytest.raises(FrameError, match="'colour': a canonical column"):
        frame_to_shipments(frame)


def test_csv_line_numbers_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "shipment_id,destination,date,currency,hs_code,value\n"
        "s1,CA,2026-03-01,CAD,6109,10.00\n"
        "s2,CA,2026-03-01,CAD,6109,-4\n"
    )
    with pytest.raises(FrameError) as caught:
        read_shipments_csv(path)
    row = caught.value.failure_cases.iloc[0]
    assert (row["row"], row["column"]) == (3, "value")  # line 3 of the file
    assert str(path) in str(caught.value)


def test_order_of_first_appearance_is_kept() -> None:
    frame = pd.concat([shipments_to_frame(SHIPMENTS[1:2]), shipments_to_frame(SHIPMENTS[:1])])
    assert [s.id for s in frame_to_shipments(frame)] == ["A", "B"]
    assert frame_to_shipments(frame)[1].items[1].value == D("5.00")
