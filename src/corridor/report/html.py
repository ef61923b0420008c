"""One self-contained HTML report of a scenario comparison.

The file works offline and fetches nothing: CSS is inline, charts are base64 PNGs in ``data:``
URIs, there is no script, font or tile, and a Content-Security-Policy of ``default-src 'none'``
tells the browser so.  Web addresses appear only as plain text in the sources table.
Renders a :class:`~corridor.scenario.comparison.Comparison`; computes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from corridor.atomic import write_text
from corridor.network import Network, Source
from corridor.report.appraisal_charts import PALETTE
from corridor.report.appraisal_charts import appraisal_figure as risk_figure
from corridor.report.comparison_charts import (
    appraisal_figure,
    backlog_figure,
    door_to_door_figure,
    png_base64,
    utilisation_figure,
    utilisation_map,
)
from corridor.report.i18n import Lang
from corridor.scenario import (
    AddVessels,
    Arithmetic,
    Change,
    DatedClosure,
    Growth,
    NewFlow,
    NewRecord,
    SetValues,
)
from corridor.scenario.appraisal import rank
from corridor.scenario.comparison import Comparison, Metric, ScenarioResult, SlowerFlow

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; margin: 0 auto; max-width: 1280px;
       padding: 24px 32px 64px; color: #1d232b; background: #fff; line-height: 1.45; }
h1 { font-size: 1.9em; margin: 0 0 4px; } h2 { margin-top: 2em; border-bottom: 2px solid #1f77b4; padding-bottom: 4px; }
h3 { margin-top: 1.4em; } .muted { color: #5b6570; font-size: .9em; }
nav ol { columns: 3; font-size: .95em; } nav a, a.anchor { color: #1f5f99; text-decoration: none; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: .88em; }
th, td { border: 1px solid #cfd6dd; padding: 4px 8px; vertical-align: top; }
th { background: #eef3f8; text-align: left; } td.num { text-align: right; white-space: nowrap; }
.url { word-break: break-all; } td.nowrap { white-space: nowrap; }
tr:nth-child(even) td { background: #fafbfc; } .ref { background: #fff8e1 !important; }
.up { color: #1a7f37; } .down { color: #b42318; } .delta { font-size: .85em; margin-left: 4px; }
figure { margin: 12px 0 24px; } figure img { max-width: 100%; border: 1px solid #e1e6eb; }
figcaption { font-size: .88em; color: #5b6570; } .cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid #cfd6dd; border-radius: 6px; padding: 10px 14px; min-width: 220px; flex: 1; }
.card b { font-size: 1.25em; } ul.changes li { margin-bottom: 3px; } code { font-size: .9em; }
"""


def _h(text: object) -> str:
    return escape(str(text), quote=True)


def _metric_text(m: Metric, lang: Lang) -> tuple[str, str, int]:
    """Label, unit and decimals of a comparison row in the report's language."""
    key, _, od = m.key.partition(":")
    labels = {
        "served_teu": ("m_served_teu", "u_teu_yr", 0),
        "unserved_teu": ("m_unserved_teu", "u_teu_yr", 0),
        "served_t": ("m_served_t", "u_t_yr", 0),
        "unserved_t": ("m_unserved_t", "u_t_yr", 0),
        "max_growth": ("m_max_growth", "u_x", 2),
        "mean_days": ("m_mean_days", "u_days", 1),
        "diverted_teu": ("m_diverted_teu", "u_teu_yr", 0),
        "not_moved_teu": ("m_not_moved_teu", "u_teu_yr", 0),
        "common_teu": ("m_common_teu", "u_teu_yr", 0),
        "common_days": ("m_common_days", "u_days", 1),
        "od_teu": ("m_od_teu", "u_teu_yr", 0),
        "p50": ("m_p50", "u_days", 1),
        "p90": ("m_p90", "u_days", 1),
        "cost": ("m_cost", "u_usd_feu", 0),
        "co2e": ("m_co2e", "u_kg_teu", 0),
        "backlog": ("m_backlog", "u_teu", 0),
    }
    label_key, unit_key, digits = labels[key]
    label = lang(label_key) + (f" {od}" if od else "")
    return label, lang(unit_key), digits


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Sequence[bool] = (),
    nowrap: Sequence[bool] = (),
) -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i < len(numeric) and numeric[i] else ""
            cls = ' class="nowrap"' if not cls and i < len(nowrap) and nowrap[i] else cls
            cells.append(f"<td{cls}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(b64: str, caption: str) -> str:
    return (
        f'<figure><img alt="{_h(caption)}" src="data:image/png;base64,{b64}">'
        f"<figcaption>{_h(caption)}</figcaption></figure>"
    )


def _summary(comparison: Comparison, lang: Lang) -> str:
    cards = []
    for res in comparison.results:
        top = "; ".join(b.name for b in res.bottlenecks) if res.bottlenecks else lang("none_binding")
        growth = lang.num(res.max_growth, 2) if res.max_growth is not None else "∞"
        cards.append(
            f'<div class="card"><div class="muted">{_h(res.name)}</div>'
            f"<b>{lang.num(res.served_teu)}</b> {_h(lang('u_teu_yr'))}<br>"
            f"{_h(lang('m_unserved_teu'))}: {lang.num(res.unserved_teu)}<br>"
            f"{_h(lang('m_max_growth'))}: {growth} {_h(lang('u_x'))}<br>"
            f"{_h(lang('bottlenecks'))}: {_h(top)}</div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


_KIND_RU = {"node": "узел", "link": "участок", "service": "линия", "closure": "закрытие", "tariff": "тариф"}


def _values(values: Mapping[str, Any], sign: str = "=") -> str:
    return ", ".join(f"{k}{sign}{_show(v)}" for k, v in values.items())


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}".replace(",", "\u202f").replace(".", ",")
    return str(value)


#: Russian descriptions of changes, by change type (English comes from ``Change.describe``).
_RU_CHANGES: dict[type, Callable[[Any], str]] = {
    SetValues: lambda c: (
        ("включить " if c.values["enabled"] else "отключить ") + f"{_KIND_RU[c.kind]} {', '.join(c.targets)}"
        if set(c.values) == {"enabled"}
        else f"задать: {_KIND_RU[c.kind]} {', '.join(c.targets)}: {_values(c.values)}"
    ),
    Arithmetic: lambda c: (
        f"{'прибавить' if c.op == 'add' else 'умножить'}: {_KIND_RU[c.kind]} {', '.join(c.targets)}: "
        + _values(c.values, " +" if c.op == "add" else " ×")
    ),
    AddVessels: lambda c: (
        f"добавить судов: {c.vessels:+d}"
        + (f" по {_show(c.capacity_teu)} ДФЭ" if c.capacity_teu else "")
        + f" на линию {c.service}"
    ),
    NewRecord: lambda c: f"новый объект ({_KIND_RU[c.kind]}) {c.record.id}",
    Growth: lambda c: f"спрос ×{_show(c.factor)}" + (f" ({c.cargo})" if c.cargo else ""),
    NewFlow: lambda c: f"новый поток {c.flow.origin}→{c.flow.destination}: {_show(c.flow.volume)} {c.flow.unit}/год",
    DatedClosure: lambda c: (
        f"{c.target} закрыт {c.start.isoformat()}…{c.end.isoformat()} ({(c.end - c.start).days + 1} сут)"
    ),
}


def _describe(change: Change, lang: Lang) -> str:
    if lang.code == "ru" and type(change) in _RU_CHANGES:
        return _RU_CHANGES[type(change)](change)
    return change.describe()


def _cite(res: ScenarioResult, source_id: str) -> str:
    """A source id, or for a scenario's own estimate the reasoning itself."""
    if not source_id:
        return "–"
    src = next((s for s in res.applied.network.sources if s.id == source_id), None)
    if src is not None and src.is_estimate and src.publisher.startswith("scenario "):
        return f"{source_id}: {src.title}"
    return source_id


def _scenarios(comparison: Comparison, lang: Lang) -> str:
    parts = []
    for res in comparison.results:
        sc = res.applied.scenario
        parts.append(f'<h3 id="sc-{_h(sc.name)}">{_h(sc.name)}</h3>')
        if sc.description:
            parts.append(f"<p>{_h(sc.description)}</p>")
        meta = [f"{_h(lang('demand_set'))}: <code>{_h(res.applied.demand.name)}</code>"]
        if sc.parent:
            meta.append(f"{_h(lang('inherits'))}: <code>{_h(' → '.join(sc.chain[:-1]))}</code>")
        parts.append(f'<p class="muted">{" · ".join(meta)}</p>')
        changes = [c for c in sc.changes if c.describe()]
        if changes:
            items = "".join(
                f"<li>{_h(_describe(c, lang))} <span class='muted'>[{_h(lang('source'))}: "
                f"{_h(_cite(res, c.source))}]</span></li>"
                for c in changes
            )
            parts.append(f"<p>{_h(lang('changes'))}:</p><ul class='changes'>{items}</ul>")
        else:
            parts.append(f"<p class='muted'>{_h(lang('no_changes'))}</p>")
        if sc.investments:
            rows = [
                [
                    _h(i.name),
                    lang.num(i.capex_usd / 1e6, 0),
                    lang.num(i.opex_usd_per_year / 1e6, 1),
                    str(i.start_year),
                    str(i.build_years),
                    str(i.lifetime_years),
                    _h(", ".join(f"{k}={v}" for k, v in i.sources.items())),
                ]
                for i in sc.investments
            ]
            parts.append(f"<p>{_h(lang('investments'))}:</p>")
            parts.append(
                _table(
                    [
                        lang("asset"),
                        f"{lang('capex')}, {lang('u_usd_m')}",
                        f"{lang('opex')}, {lang('u_usd_m')} {lang('au_per_year')}",
                        lang("start_year"),
                        lang("build_years"),
                        lang("lifetime"),
                        lang("source"),
                    ],
                    rows,
                    numeric=[False, True, True, True, True, True],
                )
            )
    return "".join(parts)


def _comparison_table(comparison: Comparison, lang: Lang) -> str:
    ref = comparison.reference
    headers = [lang("metric"), *[r.name + (f" ({lang('reference')})" if r is ref else "") for r in comparison.results]]
    rows = []
    for m in comparison.metrics():
        label, unit, digits = _metric_text(m, lang)
        base = m.value(ref)
        cells = [f"{_h(label)}, {_h(unit)}", lang.num(base, digits)]
        for res in comparison.results[1:]:
            v = m.value(res)
            text = lang.num(v, digits)
            if v is not None and base is not None:
                diff = v - base
                if abs(diff) >= 0.5 * 10**-digits:
                    cls = "" if m.better == "none" else ("up" if (diff > 0) == (m.better == "higher") else "down")
                    text += f'<span class="delta {cls}">({lang.signed(diff, digits)})</span>'
                else:
                    text += '<span class="delta">(=)</span>'
            cells.append(text)
        rows.append(cells)
    sims = [r.simulation.get("replications") for r in comparison.results if r.simulation]
    times = lang("times_from_sim", n=sims[0]) if sims else lang("times_from_routing")
    out = [
        f"<p class='muted'>{_h(lang('difference_note', ref=ref.name))} {_h(times)}</p>",
        _table(headers, rows, numeric=[False] + [True] * len(comparison.results)),
        f"<h3>{_h(lang('bottlenecks'))}</h3>",
    ]
    brows = []
    for res in comparison.results:
        for b in res.bottlenecks:
            brows.append([_h(res.name), _h(b.name), lang.percent(b.utilisation), lang.num(b.value_usd_per_teu, 0)])
        if not res.bottlenecks:
            brows.append([_h(res.name), _h(lang("none_binding")), "", ""])
    out.append(
        _table(
            [lang("scenario"), lang("asset"), lang("utilisation"), f"{lang('value_per_teu')}, {lang('u_usd')}"],
            brows,
            numeric=[False, False, True, True],
        )
    )
    return "".join(out)


_CYRILLIC = re.compile("[А-Яа-яЁё]")


class _Places:
    """Places in the report's language: in Russian a node's first Cyrillic alias (a place without
    one keeps its English name, which is data), and routing's route labels (``through A; via B,
    C–D`` or ``direct``, :func:`corridor.routing` builds them from node names) said in its words."""

    def __init__(self, network: Network, lang: Lang) -> None:
        self.lang, self.network = lang, network
        self.names = {
            n.name: next((a for a in n.aliases if _CYRILLIC.search(a)), n.name) for n in network.nodes
        } if lang.code != "en" else {}  # fmt: skip

    def node(self, node_id: str) -> str:
        if not self.names:
            return node_id
        name = next((n.name for n in self.network.nodes if n.id == node_id), node_id)
        return self.names.get(name, name)

    def _list(self, text: str) -> str:
        return ", ".join("–".join(self.names.get(p, p) for p in part.split("–")) for part in text.split(", "))

    def label(self, label: str) -> str:
        if not self.names:
            return label
        through, _, via = label.rpartition("; ")
        out = [self.lang("route_through", places=self._list(through[len("through ") :]))] if through else []
        if via == "direct":
            out.append(self.lang("route_direct"))
        elif via.startswith("via "):
            out.append(self.lang("route_via", places=self._list(via[len("via ") :])))
        else:
            out.append(via)
        return "; ".join(out)


def _routes(comparison: Comparison, lang: Lang) -> str:
    parts = [f"<p class='muted'>{_h(lang('route_times'))}</p>"]
    headers = [
        lang("scenario"),
        f"{lang('carried')}, {lang('u_teu_yr')}",
        "#",
        lang("route"),
        f"{lang('p50')}, {lang('u_days')}",
        f"{lang('p90')}, {lang('u_days')}",
        f"{lang('cost')}, {lang('u_usd_feu')}",
        f"{lang('co2e')}, {lang('u_kg_teu')}",
        f"{lang('distance')}, {lang('u_km')}",
    ]
    carried = {res.name: res.od_days() for res in comparison.results}
    places = _Places(comparison.reference.applied.network, lang)
    for o, d in comparison.main_ods:
        parts.append(f"<h3>{_h(lang('origin_destination'))}: {_h(places.node(o))} → {_h(places.node(d))}</h3>")
        rows = []
        for res in comparison.results:
            # the TEU this scenario carries on the OD, beside the times (on its first row)
            teu = lang.num(carried[res.name].get(f"{o}→{d}", (0.0, 0.0))[0], 0)
            od = next((x for x in res.ods if (x.origin, x.destination) == (o, d)), None)
            if od is None or not od.routes:
                rows.append([_h(res.name), teu, "", _h(lang("no_route")), "", "", "", "", ""])
                continue
            options = od.routes if res is comparison.reference else od.routes[:1]
            for i, r in enumerate(options, start=1):
                rows.append(
                    [
                        _h(res.name),
                        teu if i == 1 else "",
                        str(i),
                        _h(places.label(r.label)),
                        lang.num(r.p50_days, 1),
                        lang.num(r.p90_days, 1),
                        lang.num(r.cost_usd_per_feu, 0),
                        lang.num(r.co2e_kg_per_teu, 0),
                        lang.num(r.distance_km, 0),
                    ]
                )
        parts.append(_table(headers, rows, numeric=[False, True, True, False, True, True, True, True, True]))
    return "".join(parts)


def _why(f: SlowerFlow, lang: Lang) -> str:
    """The cause of a slower flow, the same facts as ``corridor compare`` prints."""
    if f.by_choice:
        freed = lang("no_longer_full", assets=", ".join(f.freed)) if f.freed else ""
        text = lang("by_choice", freed=freed, teu=lang.num(f.moved_teu, 0), to=f.moved_to)
        if f.moved_from and f.extra_hours:
            parts = ", ".join(
                f"{lang('part_' + part)} {lang.signed(h, 1)}\u00a0{lang('u_h')}"
                for part, h in f.extra_hours
                if abs(h) >= 0.05
            )
            text += lang("slower_than", hours=lang.signed(f.extra_h, 1), than=f.moved_from, parts=parts)
        return text
    if f.binding:
        return lang("held_up_by", assets=", ".join(f.binding))
    return lang("held_up_longer")


def _slower(comparison: Comparison, lang: Lang) -> str:
    """Each scenario's flows slower than in its base: volume, days and cost in both, and why."""
    flows = comparison.slower_flows()
    if not flows:
        return f"<p class='muted'>{_h(lang('no_slower'))}</p>"
    carried = {res.name: res.od_days() for res in comparison.results}
    rows = []
    for f in flows:
        was_teu, now_teu = carried[f.base][f.od][0], carried[f.scenario][f.od][0]
        cost = "–"
        if f.reference_cost_usd_per_teu is not None and f.cost_usd_per_teu is not None:
            cost = f"{lang.num(f.reference_cost_usd_per_teu, 0)} → {lang.num(f.cost_usd_per_teu, 0)}"
        rows.append(
            [
                _h(f.scenario),
                _h(f.base),
                _h(f.od),
                f"{lang.num(was_teu, 0)} → {lang.num(now_teu, 0)}",
                f"{lang.num(f.reference_days, 1)} → {lang.num(f.days, 1)}",
                lang.signed(100.0 * (f.days / f.reference_days - 1), 1) + ("\u00a0%" if lang.code == "ru" else "%"),
                cost,
                _h(_why(f, lang)),
            ]
        )
    headers = [
        lang("scenario"),
        lang("against"),
        lang("od"),
        f"{lang('carried')}, {lang('u_teu_yr')}",
        f"{lang('m_mean_days_short')}, {lang('u_days')}",
        "Δ",
        f"{lang('cost_per_teu')}, {lang('u_usd_teu')}",
        lang("why"),
    ]
    return f"<p class='muted'>{_h(lang('slower_intro'))}</p>" + _table(
        headers, rows, numeric=[False, False, False, True, True, True, True, False], nowrap=[True, True, True]
    )


def _appraisal(comparison: Comparison, lang: Lang) -> str:
    a = comparison.assumptions
    if not comparison.appraisals:
        return f"<p class='muted'>{_h(lang('no_appraisal'))}</p>"
    rows = [
        [
            str(i + 1),
            _h(ap.scenario),
            _h(ap.base),
            lang.num(ap.volumes()["teu_change"], 0),
            lang.num(ap.pv_lines["user_existing"] / 1e6, 0),
            lang.num(ap.capex / 1e6, 0),
            lang.num(ap.enpv / 1e6, 0),
            "–" if ap.bcr is None else lang.num(ap.bcr, 2),
            str(ap.payback_year) if ap.payback_year else _h(lang("never")),
        ]
        for i, ap in enumerate(rank(comparison.appraisals))
    ]
    headers = [
        lang("rank"),
        lang("scenario"),
        lang("against"),
        lang("extra_teu"),
        lang("days_saved"),
        f"{lang('capex')}, {lang('u_usd_m')}",
        f"{lang('npv')}, {lang('u_usd_m')}",
        lang("bcr"),
        lang("payback"),
    ]
    intro = lang("appraisal_intro", years=a.horizon_years, rate=lang.percent(a.discount_rate))
    return (
        f"<p>{_h(intro)}</p>"
        + _table(headers, rows, numeric=[True, False, False, True, True, True, True, True, True])
        + f"<p class='muted'>{_h(lang('benefit_rule'))}</p>"
    )


def _assumptions(comparison: Comparison, lang: Lang) -> str:
    units = {
        "years": "au_years",
        "per year": "au_per_year",
        "USD per TEU-day": "au_usd_per_teu_day",
        "USD per TEU": "au_usd_per_teu",
        "USD per t": "au_usd_per_t",
    }
    rows = []
    skipped = 0
    for a in comparison.assumptions.describe():
        whole = float(a.value).is_integer()
        value = lang.percent(a.value) if a.key == "discount_rate" else lang.num(a.value, 0 if whole else 2)
        if a.key == "start_year":
            value = str(int(a.value))
        unit = lang(units[a.unit]) if a.unit in units else a.unit
        label = lang.optional("a_" + a.key, a.label)
        if lang.code != "en" and label == a.label:
            skipped += 1  # no translation of this parameter: listed in the English report
            continue
        basis = lang.basis(a.key, a.source) + ("" if not a.chosen_by else f" [{a.chosen_by}]")
        rows.append([_h(label), f"{value} {_h(unit)}", _h(basis)])
    if skipped:
        rows.append(["…", str(skipped), _h(lang("more_parameters"))])
    notes = [lang("engine_capacity"), lang("engine_routing")]
    if any(r.simulation for r in comparison.results):
        notes.append(lang("engine_sim"))
    return (
        _table([lang("assumption"), lang("value"), lang("basis")], rows, numeric=[False, True, False])
        + f"<h3>{_h(lang('engine_notes'))}</h3><ul>"
        + "".join(f"<li>{_h(n)}</li>" for n in notes)
        + "</ul>"
    )


def _sources(results: Sequence[ScenarioResult], lang: Lang) -> str:
    seen: dict[str, Source] = {}
    for res in results:
        for src in res.applied.network.sources:
            seen.setdefault(src.id, src)
        for src in res.applied.demand.sources:
            seen.setdefault(src.id, src)
    rows = [
        [
            f"<code>{_h(s.id)}</code>",
            _h(lang("estimate") if s.is_estimate else lang("published")),
            _h(s.title),
            _h(s.publisher),
            _h(s.year or ""),
            f'<span class="url">{_h(s.url)}</span>',
        ]
        for s in sorted(seen.values(), key=lambda s: (s.is_estimate, s.id))
    ]
    return _table([lang("id"), lang("kind"), lang("title"), lang("publisher"), lang("year"), lang("address")], rows)


def render_html(comparison: Comparison, *, lang: str = "en", max_maps: int = 4) -> str:
    """The report as one HTML string (maps for the first ``max_maps`` scenarios)."""
    t = Lang(lang)
    sections: list[tuple[str, str, str]] = [
        ("summary", t("summary"), _summary(comparison, t)),
        ("scenarios", t("scenarios"), _scenarios(comparison, t)),
    ]
    maps = "".join(
        _figure(png_base64(utilisation_map(res, t)), t("c_map_title", name=res.name))
        for res in comparison.results[:max_maps]
    )
    sections.append(("map", t("map"), maps))
    sections.append(("comparison", t("comparison"), _comparison_table(comparison, t)))
    sections.append(("slower", t("slower"), _slower(comparison, t)))
    sections.append(("routes", t("routes"), _routes(comparison, t)))
    charts = [_figure(png_base64(door_to_door_figure(comparison, t)), t("c_d2d_title"))]
    backlog = backlog_figure(comparison, t)
    charts.append(
        _figure(png_base64(backlog), t("c_backlog_title"))
        if backlog is not None
        else f"<p class='muted'>{_h(t('no_sim_charts'))}</p>"
    )
    charts.append(_figure(png_base64(utilisation_figure(comparison, t)), t("c_util_title")))
    appraisal_fig = appraisal_figure(comparison, t)
    if appraisal_fig is not None:
        charts.append(_figure(png_base64(appraisal_fig), t("c_npv_title") + " · " + t("c_cum_title")))
        colours = {r.name: PALETTE[i % len(PALETTE)] for i, r in enumerate(comparison.results)}
        risk_fig = risk_figure(comparison.appraisals, colours)
        charts.append(_figure(png_base64(risk_fig), t("c_risk_title")))
    sections.append(("charts", t("charts"), "".join(charts)))
    sections.append(("appraisal", t("appraisal"), _appraisal(comparison, t)))
    sections.append(("assumptions", t("assumptions"), _assumptions(comparison, t)))
    sections.append(("sources", t("sources"), _sources(comparison.results, t)))
    nav = "".join(f'<li><a href="#{key}">{_h(title)}</a></li>' for key, title, _ in sections)
    body = "".join(f'<section id="{key}"><h2>{_h(title)}</h2>{html}</section>' for key, title, html in sections)
    names = ", ".join(r.name for r in comparison.results)
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f'<!DOCTYPE html>\n<html lang="{_h(t.code)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_h(t('report_title'))}: {_h(names)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_h(t('report_title'))}</h1>"
        f"<p class='muted'>{_h(names)} · {_h(t('generated'))} · {_h(today)}</p></header>"
        f"<nav><h2>{_h(t('contents'))}</h2><ol>{nav}</ol></nav>{body}</body></html>\n"
    )


def write_html(comparison: Comparison, path: str | Path, *, lang: str = "en", max_maps: int = 4) -> Path:
    """Write :func:`render_html` to ``path`` atomically (a temporary file, then renamed)."""
    path = Path(path)
    text = render_html(comparison, lang=lang, max_maps=max_maps)
    write_text(path, text)
    return path
