"""Writing a network and loading it back gives an equal network (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.network import Link, Network, Node, Source, load_network, write_network

ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,7}", fullmatch=True)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).map(str.strip)
finite = st.floats(min_value=0.001, max_value=1e6, allow_nan=False, allow_infinity=False)
maybe = st.none() | finite


@st.composite
def networks(draw: st.DrawFn) -> Network:
    node_ids = draw(st.lists(ids, min_size=2, max_size=6, unique_by=str.casefold))
    nodes = tuple(
        Node(
            id=nid,
            name=f"{nid} {draw(text)}".strip(),
            country=draw(st.sampled_from(["KZ", "AZ", "GE", "TR", "CN"])),
            kind=draw(st.sampled_from(["terminal", "port", "junction", "gauge_change"])),
            lat=draw(st.floats(-90, 90)),
            lon=draw(st.floats(-180, 180)),
            dwell_h=draw(maybe),
            capacity_teu_per_year=draw(maybe),
            border=draw(st.booleans()),
            enabled=draw(st.booleans()),
            provenance={},
        )
        for nid in node_ids
    )
    links = []
    for i in range(draw(st.integers(1, 8))):
        a, b = draw(st.lists(st.sampled_from(node_ids), min_size=2, max_size=2, unique=True))
        mode = draw(st.sampled_from(["sea", "ferry", "road", "pipeline"]))
        time_h, tariff = draw(maybe), draw(maybe)
        numbers = {"distance_km": 1.0, "time_h": time_h, "tariff_usd_per_feu": tariff}
        links.append(
            Link(
                id=f"L{i}",
                from_id=a,
                to_id=b,
                mode=mode,
                distance_km=draw(finite),
                time_h=time_h,
                tariff_usd_per_feu=tariff,
                bidirectional=draw(st.booleans()),
                cargo=draw(st.frozensets(st.sampled_from(["container", "general", "liquid"]))),
                operator=draw(text),
                provenance={k: "s1" for k, v in numbers.items() if v is not None},
            )
        )
    sources = (
        Source(id="s1", kind="published", title=draw(text) or "t", year=draw(st.none() | st.integers(1900, 2100))),
    )
    return Network(name="rt", version="1", description=draw(text), nodes=nodes, links=tuple(links), sources=sources)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_write_then_load_is_identity(network: Network) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_network(network, Path(tmp) / "net")
        loaded = load_network(folder)
    assert loaded == network
    assert [dict(n.provenance) for n in loaded.links] == [dict(n.provenance) for n in network.links]
