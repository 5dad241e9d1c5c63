"""How the IR names what it tracks (the names findings show)."""
from __future__ import annotations

from maplint import ir


def test_an_element_picked_with_a_variable_is_named_by_the_variable():
    names = {"v:0:10": "x", "v:0:20": "group"}
    assert ir.Ref("v:0:10", ("m", "[=v:0:20]")).text(names) == "x.m[group]"
    assert ir.Ref("v:0:10", ("m", "[]", "[=v:9:9]")).text(names) == "x.m[…][…]"
    assert ir.Ref("g:table", ("[]",)).text() == "table[…]"
