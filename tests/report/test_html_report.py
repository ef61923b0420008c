"""The HTML report: self-contained (nothing fetched), every section present, Russian without
untranslated UI words, numbers in each language's format."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest

from corridor.report.html import render_html, write_html
from corridor.report.i18n import EN, RU, Lang
from corridor.report.table import fmt_share
from corridor.scenario import AppliedScenario
from corridor.scenario.comparison import Backlog, Comparison, SimSummary, compare

DATA = Path(__file__).resolve().parents[1] / "data"


def fake_simulation(applied: AppliedScenario, ods: Sequence[tuple[str, str]]) -> SimSummary:
    """A stand-in for the simulation engine: fixed distributions and one backlog series."""
    shift = 0.5 if applied.name == "hub" else 0.0
    times = {od: (8.0 - shift, 11.0 - shift, tuple(6.0 + i * 0.06 - shift for i in range(99))) for od in ods}
    days = tuple(float(d) for d in range(365))
    series = tuple(100.0 + 50.0 * ((d % 60) / 60.0) for d in range(365))
    return SimSummary(times, (Backlog("P", max(series), 59.0, days, series),), {"replications": 2, "seed": 1})


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "base.yaml").write_text(
        f"name: base\nnetwork: {DATA / 'mini'}\ndemand: {DATA / 'mini-demand'}\nyear: 2024\nchanges: []\n",
        encoding="utf-8",
    )
    (folder / "hub.yaml").write_text(
        """name: hub
inherits: base
changes:
  - set: {node: P, capacity_teu_per_year: 240000, dwell_h: 12}
    source: "estimate: a bigger, faster port"
investments:
  - {id: hub, name: Port East hub, capex_usd: 2e6, opex_usd_per_year: 1e5, start_year: 2025,
     build_years: 1, lifetime_years: 20, source: hand}
""",
        encoding="utf-8",
    )
    return compare([folder / "base.yaml", folder / "hub.yaml"], simulate=fake_simulation)


@pytest.fixture(scope="module")
def english(comparison: Comparison) -> str:
    return render_html(comparison, lang="en")


@pytest.fixture(scope="module")
def russian(comparison: Comparison) -> str:
    return render_html(comparison, lang="ru")


class _Text(HTMLParser):
    """Visible text outside the data sources table and <code> (ids and addresses are data)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag in ("code", "style", "title") or (tag == "section" and ("id", "sources") in attrs) or self.skip:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()
        if self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def test_report_has_every_section(english: str) -> None:
    for section in ("summary", "scenarios", "map", "comparison", "routes", "charts", "appraisal", "assumptions"):
        assert f'<section id="{section}">' in english
    assert '<section id="sources">' in english
    assert english.count("data:image/png;base64,") >= 5  # map, times, backlog, utilisation, appraisal
    assert "Port East hub" in english and "Hummels" in english


def test_report_fetches_nothing(english: str, russian: str) -> None:
    for html in (english, russian):
        assert "default-src 'none'" in html
        assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
        assert "url(" not in html
        sources_at = html.index('<section id="sources">')
        assert not re.search(r"https?://", html[:sources_at]), "web addresses only in the sources table"
        assert 'href="http' not in html
        for src in re.findall(r'src="([^"]*)"', html):
            assert src.startswith("data:image/png;base64,")


def test_differences_against_the_first_scenario_are_explicit(english: str, comparison: Comparison) -> None:
    assert "Differences against base in brackets." in english
    assert 'class="delta' in english
    assert comparison.to_json()["table"][0]["delta_vs_first"] == {"hub": 0.0}


def _leaks(html: str) -> list[str]:
    text = _visible(html)
    ru_values = " ".join(RU.values())
    return [
        EN[key]
        for key in EN
        if RU.get(key, EN[key]) != EN[key]
        and len(EN[key]) >= 3
        and "{" not in EN[key]
        and EN[key] not in ru_values
        and re.search(rf"(?<![\w]){re.escape(EN[key])}(?![\w])", text)
    ]


def test_russian_report_has_no_untranslated_ui_words(russian: str, english: str) -> None:
    assert _leaks(russian) == []
    assert len(_leaks(english)) > 30  # the check does find English UI words where they are
    assert 'lang="ru"' in russian and "Оценка эффективности" in russian and "ЧДД" in russian


def test_every_english_label_has_a_russian_one() -> None:
    assert set(EN) == set(RU)


def test_every_word_a_map_prints_has_a_russian_one() -> None:
    from corridor.report.i18n import RU_MAP_WORDS
    from corridor.report.maps import MAP_WORDS

    assert set(MAP_WORDS) <= set(RU_MAP_WORDS)
    assert not [w for w in RU_MAP_WORDS.values() if w.isascii()]


def test_numbers_follow_the_language() -> None:
    assert Lang("en").num(12345.6, 1) == "12,345.6"
    assert Lang("ru").num(12345.6, 1) == "12\u202f345,6"
    assert Lang("ru").num(-3, 0) == "−3"
    assert Lang("ru").percent(0.08) == "8\u00a0%"


@pytest.mark.parametrize(
    ("share", "en", "ru"),
    [
        (0.998, "99.8%", "99,8\u00a0%"),  # 54,897 of 55,000 TEU carried is not all of them
        (0.9996, "99.96%", "99,96\u00a0%"),
        (0.99999, ">\u202f99.99%", ">\u202f99,99\u00a0%"),  # past two more decimals: a bound
        (0.004, "0.4%", "0,4\u00a0%"),
        (0.00004, "<\u202f0.01%", "<\u202f0,01\u00a0%"),
        (1.003, "100.3%", "100,3\u00a0%"),  # over capacity is not "100%"
        (1.0, "100%", "100\u00a0%"),
        (0.9999999999, "100%", "100\u00a0%"),  # solver noise on a full capacity (the JSON's 6 decimals)
        (0.0, "0%", "0\u00a0%"),
        (0.42, "42%", "42\u00a0%"),
    ],
)
def test_a_share_short_of_all_or_above_none_never_prints_as_100_or_0(share: float, en: str, ru: str) -> None:
    assert (Lang("en").percent(share), Lang("ru").percent(share)) == (en, ru)
    # the terminal's tables (corridor capacity) follow the same rule, bound written without a space
    assert fmt_share(share) == en.replace("\u202f", "")


def test_russian_report_uses_russian_number_format(russian: str, english: str) -> None:
    assert "3,000" in english and "3\u202f000" in russian


def test_unknown_language_is_an_input_error() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        Lang("xx")


def test_write_html_is_atomic_and_utf8(comparison: Comparison, tmp_path: Path) -> None:
    out = write_html(comparison, tmp_path / "r.html", lang="ru", max_maps=1)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_changes_are_described_in_the_report_s_language(english: str, russian: str) -> None:
    assert "set node P: capacity_teu_per_year=240,000, dwell_h=12" in english
    assert "set node" not in russian and "задать: узел P: capacity_teu_per_year=240\u202f000, dwell_h=12" in russian


def test_route_labels_and_places_are_said_in_russian() -> None:
    """Routing's labels are built from English node names; the Russian report says them with each
    place's Cyrillic alias from the network data, and keeps a name that has none (data)."""
    from corridor.network import load_network
    from corridor.report.html import _Places

    net = load_network("middle-corridor")
    cyrillic = {n.name: next(a for a in n.aliases if re.search("[А-Яа-я]", a)) for n in net.nodes if n.name in
                ("Alashankou", "Dostyk", "Aktau", "Port of Baku (Alat)")}  # fmt: skip
    places = _Places(net, Lang("ru"))
    assert places.label("via Alashankou, Dostyk, Aktau–Port of Baku (Alat)") == (
        f"через {cyrillic['Alashankou']}, {cyrillic['Dostyk']}, {cyrillic['Aktau']}–{cyrillic['Port of Baku (Alat)']}"
    )
    assert places.label("through Aktau; via Dostyk") == f"с заходом в {cyrillic['Aktau']}; через {cyrillic['Dostyk']}"
    assert places.label("direct") == "напрямую"
    assert places.label("via Nowhere Junction") == "через Nowhere Junction"  # no alias: the data's name
    assert places.node("KZAAU") == cyrillic["Aktau"]
    english = _Places(net, Lang("en"))
    assert english.label("via Alashankou, Dostyk") == "via Alashankou, Dostyk" and english.node("KZAAU") == "KZAAU"


def test_the_russian_routes_section_has_no_english_route_words(russian: str, english: str) -> None:
    routes_ru = russian.split('id="routes"', 1)[1].split("</section>", 1)[0]
    routes_en = english.split('id="routes"', 1)[1].split("</section>", 1)[0]
    assert re.search(r">(via |direct<)", routes_en)  # the check finds the English words where they are
    assert not re.search(r">(via |through |direct<)", routes_ru)
