"""``corridor.route``: options, constraints and alternatives for one shipment between two places.

A :class:`Router` holds the search arrays of one network, so a program quoting many shipments
builds them once (``Router(network).route(...)``); :func:`route` is the one-call form.

Objectives rank the routes; the search itself finds the whole Pareto set over typical time, cost
and CO2e, so every objective's best route is in it:

* ``time`` — typical door-to-door time (P50), ties broken by cost;
* ``cost`` — total quoted cost (mid case), ties broken by time;
* ``co2`` — well-to-wheel CO2e, ties broken by time;
* ``generalized`` — cost + value of time × TEU × hours + carbon price × t CO2e, with a value of
  time of :data:`VALUE_OF_TIME_USD_PER_TEU_H` (bulk: :data:`VALUE_OF_TIME_USD_PER_T_H`) and a
  carbon price of :data:`CARBON_PRICE_USD_PER_T` unless given.

Alternatives are meant to differ in the corridor they use, not by a siding: candidates are the
Pareto set plus the best routes left when a transit country or a key node (border crossing,
gauge change, port) of a chosen route is removed; they are picked greedily for the largest
difference (Jaccard distance over countries and key nodes) to the routes already chosen, the
better objective breaking ties.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING, Final

from corridor.errors import InputError, NoRouteError, Problem, UnknownNameError
from corridor.network import ISO_3166_ALPHA2, MODES, Network, Tariff
from corridor.routing._graph import RoutingGraph
from corridor.routing._guided import EPSILON, LARGE_ARCS, CriteriaIndex, as_path, guided_front, non_dominated
from corridor.routing._quote import build_route
from corridor.routing._search import MAX_LABELS, Path, Query, Span, best_path, pareto_paths
from corridor.routing.door import DoorRates, add_doors, door_legs
from corridor.routing.emissions import EmissionFactors
from corridor.routing.result import Note, Route, RouteResult
from corridor.routing.shipment import Shipment
from corridor.units import HOURS_PER_DAY, TEU_PER_FEU, VALUE_OF_TIME_USD_PER_T_DAY, VALUE_OF_TIME_USD_PER_TEU_DAY

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from corridor.routing._queueing import Queueing

#: Value of time, USD per TEU-hour and per tonne-hour (one figure for the whole project:
#: :data:`corridor.units.VALUE_OF_TIME_USD_PER_TEU_DAY`, with its source).
VALUE_OF_TIME_USD_PER_TEU_H: Final = VALUE_OF_TIME_USD_PER_TEU_DAY / HOURS_PER_DAY
VALUE_OF_TIME_USD_PER_T_H: Final = VALUE_OF_TIME_USD_PER_T_DAY / HOURS_PER_DAY
#: Carbon price for the generalized cost, USD per t CO2e (estimate: EU ETS order of magnitude, 2024-25).
CARBON_PRICE_USD_PER_T: Final = 90.0
OBJECTIVES: Final = ("time", "cost", "co2", "generalized")
_MAX_ELIMINATIONS: Final = 24


@dataclass(frozen=True, slots=True)
class _Constraint:
    label: str
    nodes: frozenset[int]
    arcs: frozenset[int]
    kind: str = "node"  # mode, country, link or node: what the user asked to avoid
    value: str = ""  # the mode, country code, link id or node id

    def note(self) -> Note:
        """The note for a constraint that matches nothing in the network."""
        return Note("avoid-unmatched", self.label, {"kind": self.kind, "value": self.value})


class Router:
    """Routing over one network: the arrays are built once, every :meth:`route` call reuses them."""

    def __init__(
        self,
        network: Network,
        *,
        factors: EmissionFactors | None = None,
        max_labels: int = MAX_LABELS,
        queueing: Queueing | None = None,
        graph: RoutingGraph | None = None,
    ) -> None:
        """``graph``: the network's arrays if already built (e.g. mapped from the parsed-network
        cache by :func:`corridor.routing.cached_graph`); they must be of this ``network``."""
        self.network = network
        #: Expected queueing for the demand in force (:func:`corridor.routing.queueing_for`); None: an empty network.
        self.queueing = queueing
        self.max_labels = max_labels
        if graph is not None and (graph.network is not network or (factors is not None and graph.factors != factors)):
            raise InputError("the routing graph given to Router was built for another network or other factors")
        self.graph = graph if graph is not None else RoutingGraph.build(network, factors)
        self._country_bans: dict[str, _Constraint] = {}
        self._criteria: dict[str, CriteriaIndex] = {}
        self._door_rates: DoorRates | None = None

    @cached_property
    def _link_arcs(self) -> dict[int, list[int]]:
        """The arcs of each link (built on first use: only constraints need them)."""
        out: dict[int, list[int]] = {}
        for a, li in enumerate(self.graph.link.tolist()):
            out.setdefault(li, []).append(a)
        return out

    @cached_property
    def _countries(self) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]]:
        """The country of each node and the country each link is charged in (for country bans)."""
        import numpy as np

        nodes = np.array([n.country for n in self.network.nodes], dtype=str)
        return nodes, np.array([lk.country for lk in self.network.links], dtype=str)

    # --- public ---------------------------------------------------------------------------
    def route(
        self,
        origin: str,
        destination: str,
        shipment: Shipment | str = "1x40HC",
        *,
        depart: datetime | date | str | None = None,
        optimize: str = "time",
        alternatives: int = 3,
        via: Sequence[str] = (),
        avoid: Sequence[str] = (),
        value_of_time_usd_per_teu_h: float = VALUE_OF_TIME_USD_PER_TEU_H,
        carbon_price_usd_per_t: float = CARBON_PRICE_USD_PER_T,
        from_door: str | None = None,
        to_door: str | None = None,
    ) -> RouteResult:
        """Routes from ``origin`` to ``destination``, best first; see :func:`corridor.route`."""
        net = self.network
        ship = Shipment.parse(shipment) if isinstance(shipment, str) else shipment
        when = _departure(depart)
        if optimize not in OBJECTIVES:
            raise InputError(
                f"unknown objective {optimize!r}",
                [Problem("route", f"expected one of {', '.join(OBJECTIVES)}", field="optimize")],
            )
        if alternatives < 1:
            raise InputError(
                "alternatives must be at least 1", [Problem("route", f"got {alternatives}", field="alternatives")]
            )
        o, d = net.resolve(origin), net.resolve(destination)
        if o.id == d.id:
            raise InputError(f"origin and destination are the same place ({o.name}, {o.id})")
        pos = net.node_position
        vias = tuple(pos(net.resolve(v).id) for v in via)
        constraints = [self._avoid(token) for token in avoid]
        notes = [c.note() for c in constraints if not c.nodes and not c.arcs]
        tariffs, spans = self._spans(ship)
        query = Query(
            self.graph,
            ship.cargo,
            pos(o.id),
            pos(d.id),
            vias,
            frozenset().union(*(c.nodes for c in constraints)),
            frozenset().union(*(c.arcs for c in constraints)),
            spans,
        )
        scalar: Callable[[Query, tuple[float, float, float]], Path | None] = best_path
        guided = not vias and not spans  # the guided search has no via/through-tariff states
        pareto: list[Path] = []
        complete = False
        if not (guided and self.graph.n_arcs >= LARGE_ARCS):
            pareto, complete = pareto_paths(query, max_labels=self.max_labels)
            if not pareto and complete:
                raise NoRouteError(self._explain(query, ship, o.id, d.id, via, constraints))
            if not pareto and not guided:
                raise NoRouteError(
                    f"no route from {o.name} ({o.id}) to {d.name} ({d.id}) found before the search hit its "
                    f"label limit ({self.max_labels:,} labels); the network may still connect them"
                    + (" — try fewer via points" if vias else "")
                )
            if not complete and not guided:
                notes.append(
                    Note(
                        "label-limit",
                        "the Pareto search hit its label limit; the set of options may be incomplete",
                        {"max_labels": self.max_labels},
                    )
                )
        if guided and not complete:
            index = self._criteria_index(ship.cargo)
            found, bounds = guided_front(index, query.origin, query.destination,
                                         banned_arcs=query.banned_arcs, banned_nodes=query.banned_nodes)  # fmt: skip
            scalar = _guided_scalar(index, bounds)
            large = self.graph.n_arcs >= LARGE_ARCS
            why = "large network" if large else "the exact search hit its label limit"
            notes.append(
                Note(
                    "guided-search",
                    f"{why} ({self.graph.n_arcs:,} arcs): the options come from the supported Pareto routes of a "
                    f"guided weighted search (duplicates within {EPSILON:.0%} merged), not the exact Pareto set",
                    {"reason": "large-network" if large else "label-limit", "arcs": self.graph.n_arcs,
                     "epsilon": EPSILON},
                )
            )  # fmt: skip
            pareto = non_dominated([*pareto, *(p for p in found if all(p.arcs != q.arcs for q in pareto))])
            if not pareto:
                raise NoRouteError(self._explain(query, ship, o.id, d.id, via, constraints))
        key, weights = self._objective(optimize, ship, value_of_time_usd_per_teu_h, carbon_price_usd_per_t)
        chosen = self._alternatives(query, pareto, key, weights, alternatives, scalar)
        front = {p.criteria for p in pareto}
        built = [
            build_route(self.graph, p, tariffs, ship, when, rank=1, pareto=p.criteria in front, queueing=self.queueing)
            for p in chosen
        ]
        if from_door is not None or to_door is not None:
            doors = door_legs(net, o, d, from_door, to_door)
            if self._door_rates is None:
                self._door_rates = DoorRates.default()
            built = [add_doors(r, net, ship, self.graph.factors, self._door_rates, doors) for r in built]
        # Rank on the quoted figures (closures by month, through-tariffs, ranges): they are what the
        # user reads, and the search's per-unit totals can order two routes differently.
        built.sort(key=_route_key(optimize, ship, value_of_time_usd_per_teu_h, carbon_price_usd_per_t))
        through = "through " + ", ".join(net.node(net.nodes[v].id).name for v in vias) + "; " if vias else ""
        routes = tuple(
            replace(r, rank=i + 1, label=through + r.label if through else r.label) for i, r in enumerate(built)
        )
        if when is not None:
            notes.extend(self._closure_notes(routes, when.month))
        if self.queueing is not None:
            notes.append(Note("queueing", self.queueing.label, {"demand": self.queueing.demand}))
        return RouteResult(net.name, o.id, d.id, ship, when, optimize, routes, len(pareto), complete, tuple(notes))

    def _closure_notes(self, routes: Sequence[Route], month: int) -> list[Note]:
        """One note per route whose nodes or links have a seasonal closure in the departure month.

        ``params.closures`` has one entry per distinct (place, cause, share) the text names, in its order."""
        out = []
        for r in routes:
            hits: dict[str, dict[str, object]] = {}
            for t in (*r.nodes, *(leg.link for leg in r.legs)):
                for c in self.graph.closures.get(t, ()):
                    if month not in c.months:
                        continue
                    text = (
                        f"{self.network.node(t).name if self.network.has_node(t) else t} "
                        f"({c.cause or 'closure'}, closed ~{c.closed_share:.0%} of the time)"
                    )
                    hits.setdefault(text, {"target": t, "cause": c.cause or None, "closed_share": c.closed_share})
            if hits:
                out.append(
                    Note(
                        "closure-season",
                        f"route {r.rank}: the departure month ({month}) is in the closure season of {', '.join(hits)}",
                        {"route": r.rank, "month": month, "closures": list(hits.values())},
                    )
                )
        return out

    def _criteria_index(self, cargo: str) -> CriteriaIndex:
        cached = self._criteria.get(cargo)
        if cached is None:
            cached = self._criteria[cargo] = CriteriaIndex.build(self.graph, cargo)
        return cached

    # --- constraints ----------------------------------------------------------------------
    def _avoid(self, token: str) -> _Constraint:
        """A country (ISO code), mode, link id or node (id, name, alias) to keep off the route."""
        net = self.network
        text = token.strip()
        if text.lower() in MODES:
            by_mode = [a for li, arcs_ in self._link_arcs.items() if net.links[li].mode == text.lower() for a in arcs_]
            return _Constraint(f"avoid {text.lower()}", frozenset(), frozenset(by_mode), "mode", text.lower())
        if len(text) == 2 and text.upper() in ISO_3166_ALPHA2:
            return self._country(text.upper())
        if net.has_link(text):
            li = net.links.index(net.link(text))
            return _Constraint(f"avoid {text}", frozenset(), frozenset(self._link_arcs.get(li, ())), "link", text)
        try:
            node = net.resolve(text)
        except UnknownNameError as exc:
            raise UnknownNameError("place, country, mode or link to avoid", text, exc.suggestions) from None
        return _Constraint(f"avoid {node.name}", frozenset({net.node_position(node.id)}), frozenset(), "node", node.id)

    def _country(self, code: str) -> _Constraint:
        """Every node in the country and every link charged in it or touching it (built once per code)."""
        import numpy as np

        cached = self._country_bans.get(code)
        if cached is not None:
            return cached
        g = self.graph
        node_country, link_country = self._countries
        in_country, charged = node_country == code, link_country == code
        nodes = frozenset(np.flatnonzero(in_country).tolist())
        arcs = frozenset(np.flatnonzero(charged[g.link] | in_country[g.tail] | in_country[g.head]).tolist())
        label = f"avoid {code}" if nodes or arcs else f"avoid {code}: no node or link of the network is in {code}"
        self._country_bans[code] = _Constraint(label, nodes, arcs, "country", code)
        return self._country_bans[code]

    def _spans(self, ship: Shipment) -> tuple[list[Tariff], tuple[Span, ...]]:
        net = self.network
        tariffs: list[Tariff] = []
        spans: list[Span] = []
        for tf in net.tariffs:
            if not tf.enabled or ship.cargo not in tf.cargo or tf.from_id == tf.to_id:
                continue
            if ship.cargo == "container":
                usd = None if tf.amount_usd_per_feu is None else tf.amount_usd_per_feu / TEU_PER_FEU
            else:
                usd = tf.amount_usd_per_t
            if usd is None:
                continue
            spans.append(Span(net.node_position(tf.from_id), net.node_position(tf.to_id), usd, len(tariffs)))
            tariffs.append(tf)
        return tariffs, tuple(spans)

    # --- objectives and alternatives ------------------------------------------------------
    @staticmethod
    def _objective(
        optimize: str, ship: Shipment, vot_teu: float, carbon: float
    ) -> tuple[Callable[[Path], tuple[float, ...]], tuple[float, float, float]]:
        """Ranking key over a path's (time, USD per unit, kg per t) and scalar weights for Dijkstra."""
        if optimize == "time":
            return (lambda p: (round(p.time_h, 6), p.usd, p.co2_kg)), (1.0, 1e-6, 1e-6)
        if optimize == "cost":
            return (lambda p: (round(p.usd, 6), p.time_h, p.co2_kg)), (1e-6, 1.0, 1e-6)
        if optimize == "co2":
            return (lambda p: (round(p.co2_kg, 6), p.time_h, p.usd)), (1e-6, 1e-6, 1.0)
        per_unit_h = vot_teu if ship.cargo == "container" else VALUE_OF_TIME_USD_PER_T_H
        units = ship.units
        usd_per_kg_per_unit = carbon / 1000.0 * ship.cargo_t / units
        w = (per_unit_h, 1.0, usd_per_kg_per_unit)
        return (lambda p: (w[0] * p.time_h + p.usd + w[2] * p.co2_kg, p.time_h)), w

    def _features(self, p: Path) -> frozenset[str]:
        net, g = self.network, self.graph
        feats: set[str] = set()
        for a in p.arcs:
            n = net.nodes[int(g.head[a])]
            feats.add(n.country)
            if n.is_border or n.is_gauge_change or n.kind == "port":
                feats.add(n.id)
        return frozenset(feats)

    def _bans(self, p: Path, q: Query, kind: str) -> list[tuple[frozenset[int], frozenset[int]]]:
        """Ways to push the search off a path: each transit ``country``, or each key ``node``."""
        net, g = self.network, self.graph
        ends = {net.nodes[q.origin].country, net.nodes[q.destination].country}
        nodes = [int(g.head[a]) for a in p.arcs[:-1]]
        out: list[tuple[frozenset[int], frozenset[int]]] = []
        seen: set[str] = set()
        for n in nodes if kind == "country" else ():
            c = net.nodes[n].country
            if c not in ends and c not in seen:
                seen.add(c)
                con = self._avoid(c)
                out.append((con.nodes, con.arcs))
        for n in nodes if kind == "node" else ():
            node = net.nodes[n]
            if node.is_border or node.is_gauge_change or node.kind == "port":
                out.append((frozenset({n}), frozenset()))
        return out

    def _alternatives(
        self,
        q: Query,
        pareto: list[Path],
        key: Callable[[Path], tuple[float, ...]],
        weights: tuple[float, float, float],
        k: int,
        scalar: Callable[[Query, tuple[float, float, float]], Path | None] = best_path,
    ) -> list[Path]:
        pool = sorted(pareto, key=key)
        best = pool[0]
        if k == 1:
            return [best]
        seen = {p.arcs for p in pool}
        feats = {p.arcs: self._features(p) for p in pool}

        def distinct() -> int:
            return len(set(feats.values()))

        # Breadth-first over cumulative bans: countries first (a different corridor), then key nodes.
        tried: set[tuple[frozenset[int], frozenset[int]]] = set()
        for kind in ("country", "node"):
            frontier: list[tuple[Path, frozenset[int], frozenset[int]]] = [
                (p, frozenset(), frozenset()) for p in pool[:1]
            ]
            runs = 0
            while distinct() < k and frontier and runs < min(_MAX_ELIMINATIONS, 3 * k):
                nxt: list[tuple[Path, frozenset[int], frozenset[int]]] = []
                for p, bn, ba in frontier:
                    for nodes, arcs in self._bans(p, q, kind):
                        if runs >= min(_MAX_ELIMINATIONS, 3 * k) or distinct() >= k:
                            break
                        cum_n, cum_a = bn | nodes, ba | arcs
                        if (cum_n, cum_a) in tried:
                            continue
                        tried.add((cum_n, cum_a))
                        runs += 1
                        alt = scalar(q.without(cum_n, cum_a), weights)
                        if alt is not None and alt.arcs not in seen:
                            seen.add(alt.arcs)
                            feats[alt.arcs] = self._features(alt)
                            pool.append(alt)
                            nxt.append((alt, cum_n, cum_a))
                frontier = nxt
        front = {p.criteria for p in pareto}
        pool = [p for p in pool if p.criteria in front or _reasonable(p, best)]
        pool.sort(key=key)
        chosen = [best]
        rest = pool[1:]
        while rest and len(chosen) < k:

            def spread(p: Path) -> float:
                f = feats[p.arcs]
                return min(1.0 - len(f & feats[c.arcs]) / max(len(f | feats[c.arcs]), 1) for c in chosen)

            pick = max(rest, key=lambda p: (round(spread(p), 9), [-x for x in key(p)]))
            chosen.append(pick)
            rest.remove(pick)
        return chosen

    # --- explaining a missing route -------------------------------------------------------
    def _explain(
        self,
        q: Query,
        ship: Shipment,
        origin: str,
        destination: str,
        via: Sequence[str],
        constraints: Sequence[_Constraint],
    ) -> str:
        net = self.network
        head = f"no route from {net.node(origin).name} ({origin}) to {net.node(destination).name} ({destination})"
        head += f" for {ship.cargo} cargo"
        culprits = []
        for i, con in enumerate(constraints):
            rest = [c for j, c in enumerate(constraints) if j != i]
            relaxed = Query(
                q.graph, q.cargo, q.origin, q.destination, q.vias,
                frozenset().union(*(c.nodes for c in rest)), frozenset().union(*(c.arcs for c in rest)), q.spans,
            )  # fmt: skip
            if best_path(relaxed, (1.0, 0.0, 0.0)) is not None:
                culprits.append(con.label)
        for i, v in enumerate(via):
            relaxed = Query(
                q.graph,
                q.cargo,
                q.origin,
                q.destination,
                q.vias[:i] + q.vias[i + 1 :],
                q.banned_nodes,
                q.banned_arcs,
                q.spans,
            )
            if best_path(relaxed, (1.0, 0.0, 0.0)) is not None:
                culprits.append(f"via {v}")
        if culprits:
            return f"{head}: {' and '.join(culprits)} cut{'s' if len(culprits) == 1 else ''} the network (without {'it' if len(culprits) == 1 else 'any one of them'} there is a route)"
        other_cargo = [c for c in ("container", "general", "liquid") if c != ship.cargo]
        for other in other_cargo:
            relaxed = Query(q.graph, other, q.origin, q.destination, q.vias, q.banned_nodes, q.banned_arcs, ())
            if best_path(relaxed, (1.0, 0.0, 0.0)) is not None:
                return f"{head}: the links between them do not carry {ship.cargo} cargo (there is a route for {other} cargo)"
        if constraints or via:
            return f"{head}: the constraints together ({', '.join([c.label for c in constraints] + [f'via {v}' for v in via])}) cut every path"
        return f"{head}: the two places are not connected in network {net.name!r}"


def _guided_scalar(
    index: CriteriaIndex, bounds: npt.NDArray[np.float64]
) -> Callable[[Query, tuple[float, float, float]], Path | None]:
    """:func:`best_path` for large graphs: the guided weighted search (the bounds stay valid under bans)."""

    def scalar(q: Query, weights: tuple[float, float, float]) -> Path | None:
        if q.origin in q.banned_nodes or q.destination in q.banned_nodes:
            return None
        rows = index.weighted_path(
            weights, q.origin, q.destination, bounds, banned_arcs=q.banned_arcs, banned_nodes=q.banned_nodes
        )
        return None if rows is None else as_path(index, rows)

    return scalar


def _route_key(optimize: str, ship: Shipment, vot_teu: float, carbon: float) -> Callable[[Route], tuple[float, ...]]:
    """The ranking key over a quoted route, for the whole shipment (best first).

    When the price ranks (``cost``, ``generalized``), a route with an unpriced line comes after every
    fully priced one: its total leaves something out, so it is a lower bound, not an offer that can
    be cheaper than a complete quote (docs/design/route-ranking.md).  ``time`` and ``co2`` rank on
    figures a missing tariff does not change.
    """
    if optimize == "time":
        return lambda r: (round(r.time.p50, 6), round(r.cost.total, 6), r.co2e.wtw)
    if optimize == "cost":
        return lambda r: (not r.cost.complete, round(r.cost.total, 6), round(r.time.p50, 6), r.co2e.wtw)
    if optimize == "co2":
        return lambda r: (round(r.co2e.wtw, 6), round(r.time.p50, 6), r.cost.total)
    per_unit_h = vot_teu if ship.cargo == "container" else VALUE_OF_TIME_USD_PER_T_H
    units = ship.units
    return lambda r: (
        not r.cost.complete,
        r.cost.total + per_unit_h * units * r.time.p50 + carbon / 1000.0 * r.co2e.wtw,
        r.time.p50,
    )


def _reasonable(p: Path, best: Path) -> bool:
    """An alternative outside the Pareto set is shown only if it is not far worse than the best route:
    at most 3 times its typical time, and not more than 25 % worse on all three criteria at once."""
    if p.time_h > 3.0 * best.time_h:
        return False
    return not all(a > 1.25 * b + 1e-9 for a, b in zip(p.criteria, best.criteria, strict=True))


def _departure(depart: datetime | date | str | None) -> datetime | None:
    if depart is None or isinstance(depart, datetime):
        return depart
    if isinstance(depart, date):
        return datetime.combine(depart, time(0, 0))
    try:
        return datetime.fromisoformat(depart.strip())
    except ValueError:
        raise InputError(
            f"cannot read departure date {depart!r}",
            [Problem("route", "expected an ISO 8601 date such as 2025-03-03", field="depart")],
        ) from None


def route(
    network: Network | Router,
    origin: str,
    destination: str,
    shipment: Shipment | str = "1x40HC",
    *,
    depart: datetime | date | str | None = None,
    optimize: str = "time",
    alternatives: int = 3,
    via: Iterable[str] = (),
    avoid: Iterable[str] = (),
    from_door: str | None = None,
    to_door: str | None = None,
    queueing: Queueing | None = None,
) -> RouteResult:
    """Door-to-door options for a shipment: path, P50/P90 time by stage, itemised quote, CO2e.

    Parameters
    ----------
    network
        A :class:`~corridor.network.Network`, or a :class:`Router` built on one to reuse its arrays.
    origin, destination
        Node ids, names or aliases (case-insensitive; unknown names get suggestions).
    shipment
        A :class:`Shipment` or a spec such as ``"2x40HC"``, ``"1x20DV@18t"``, ``"liquid:20000t"``.
    depart
        Departure date; sets the month of each closure.  Without it closures are averaged over the year.
    optimize
        ``time``, ``cost``, ``co2`` or ``generalized``: what ranks the routes.
    alternatives
        How many meaningfully different routes to return (the best first).
    via, avoid
        Places the route must pass in order; countries (ISO codes), modes, link ids or places to keep off.
    from_door, to_door
        Door legs (:mod:`corridor.routing.door`): a place, ``"lat,lon"`` or a road distance such as
        ``"120km"`` from the origin or to the destination, trucked at the region's per-km rate; with
        either, the quote also carries one customs/broker line per customs regime passed.
    queueing
        Expected queueing for the demand set in force (:func:`corridor.routing.queueing_for` on a
        capacity assignment): times then include the waits at capacity-limited nodes and services,
        and the P50 is the median door-to-door time.  ``None`` (default) times an empty network.
        Ignored when ``network`` is a :class:`Router` (give it to the Router).

    Raises
    ------
    UnknownNameError, InputError
        A name, spec or option is wrong.
    NoRouteError
        No path satisfies the constraints; the message names the constraint that cut the network.
    """
    router = network if isinstance(network, Router) else Router(network, queueing=queueing)
    return router.route(
        origin,
        destination,
        shipment,
        depart=depart,
        optimize=optimize,
        alternatives=alternatives,
        via=tuple(via),
        avoid=tuple(avoid),
        from_door=from_door,
        to_door=to_door,
    )
