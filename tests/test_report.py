"""build_report renders: every section present, every figure embedded as a PNG."""

from __future__ import annotations

import base64
from functools import partial
from html.parser import HTMLParser

import pytest

pytest.importorskip("matplotlib")

from lvs_duty import RuleSet, frame_to_shipments
from lvs_duty.behaviour import Response
from lvs_duty.costs import CollectionCosts
from lvs_duty.options import gea_options
from lvs_duty.report import SECTIONS, build_report
from lvs_duty.simulate import population
from lvs_duty.uncertainty import across_seeds


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self.sections.append(found["id"] or "")
        if tag == "img":
            self.images.append(found["src"] or "")
        self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in in ("h1", "h2"):
            self.headings.append(data)


def test_report_renders_every_section_and_embeds_every_figure(ca: RuleSet) -> None:
    parcels = frame_to_shipments(population(120, "CA", seed=3))
    options = gea_options(ca)
    draw = partial(population, 60, "CA")
    intervals = across_seeds(lambda s: draw(seed=s), options, seeds=[1, 2, 3])
    page = build_report(
        ca,
        parcels,
        options=options,
        population="synthetic (lvs_duty.simulate)",
        seed=3,
        costs=CollectionCosts(per_border_collection="5"),
        intervals=intervals,
        response=Response(bunching="0.5", undervaluation="0.3", declared_fraction="0.6"),
    )
    parsed = Parsed()
    parsed.feed(page)
    assert parsed.sections == list(SECTIONS)
    # dashboard, burden by value band, threshold curve
    assert len(parsed.images) == 3
    for src in parsed.images:
        head, data = src.split(",", 1)
        assert head == "data:image/png;base64"
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Flat rate 10% up to CAD 150" in page  # readers' names, not CA+flat
    assert "n = 120, seed 3" in page  # the caption states the population
    assert "Canada Gazette" in page  # sources listed
    assert "CA+flat" not in page.split("</section>", 1)[1]  # codes only in the options table


def test_report_without_optional_sections(ca: RuleSet) -> None:
    parcels = frame_to_shipments(population(40, "CA", seed=1))
    parsed = Parsed()
    parsed.feed(build_report(ca, parcels, by=("value_band",)))
    assert parsed.sections == [s for s in SECTIONS if s not in ("uncertainty", "behaviour")]
    assert len(parsed.images) == 3
