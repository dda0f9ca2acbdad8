"""Hypothesis entry point: teach ``st.from_type`` to build lvs_duty's models.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, through the
``hypothesis`` entry-point group declared in ``pyproject.toml``, so ``st.from_type(Shipment)``,
``st.from_type(Item)`` and ``st.from_type(RuleSet)`` draw valid models without the user
registering anything. Calling the hook again is harmless (registration replaces).
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Register the lvs_duty strategies for Shipment, Item and RuleSet with hypothesis."""
    from hypothesis import strategies as st

    from .rules import RuleSet
    from .shipment import Item, Shipment

    def shipment(_: type[Shipment]) -> st.SearchStrategy[Shipment]:
        from .strategies import shipments

        return shipments()

    def item(_: type[Item]) -> st.SearchStrategy[Item]:
        from .strategies import items

        return items()

    def rule_set(_: type[RuleSet]) -> st.SearchStrategy[RuleSet]:
        from .strategies import rule_sets

        return rule_sets()

    st.register_type_strategy(Shipment, shipment)
    st.register_type_strategy(Item, item)
    st.register_type_strategy(RuleSet, rule_set)


__all__: list[str] = []
