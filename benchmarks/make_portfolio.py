"""A made-up portfolio of country pairs: N dossier folders of the contract's shape, generated, for the engine's bench.

Nothing is taken from data/kz-uz: the partners (`Country 1`, code `CAA` ...), the figures (a seeded random walk)
and every text are made here, so the bench measures the engine on a ministry's many dossiers, not on one pair.
Each dossier has every kind of file: dossier.yaml with targets and sources, annual, mirror and partial-year
trade, products, events (past and planned), commitments, people and areas with a Russian translation.

    python benchmarks/make_portfolio.py OUT_FOLDER [N]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

YEARS = range(2010, 2025)
AREAS = ("trade", "energy", "transport", "culture", "water", "education")
KINDS = ("state_visit", "official_visit", "commission", "forum", "ministerial", "agreement", "cultural")


def _code(number: int) -> str:
    """A made-up ISO-shaped code: CAA, CAB, ... (three capital letters)."""
    return "C" + chr(ord("A") + number // 26 % 26) + chr(ord("A") + number % 26)


def make_pair(folder: Path, number: int) -> Path:
    """Pair `number`: country 2n+1 reporting on its trade with country 2n+2."""
    rng = random.Random(number)
    first, second = 2 * number + 1, 2 * number + 2
    pair_id = f"pair-{number:03d}"
    path = folder / pair_id
    (path / "areas").mkdir(parents=True)
    sources = [
        {
            "id": "stats",
            "title": f"Statistical yearbook of Country {first}",
            "publisher": "Statistics office",
            "date": "2025-03-01",
        },
        {"id": "mirror", "title": f"Customs statistics of Country {second}", "publisher": "Customs office", "date": "2025-02-15"},
        {"id": "news", "title": "Foreign ministry news", "publisher": "Foreign ministry", "date": "2025-06"},
        {"id": "cable", "title": "Embassy cable", "date": "2025-04", "restricted": True},
    ]
    lines = [
        f"id: {pair_id}",
        f"title: Country {first}–Country {second} relations",
        "partners:",
        f"  - {{code: {_code(first)}, name: Country {first}}}",
        f"  - {{code: {_code(second)}, name: Country {second}}}",
        f"reporter: {_code(first)}",
        "currency: USD",
        "unit: million",
        "base_year: 2015",
        "targets:",
        "  - {id: turnover-target, metric: turnover, value: 5000, year: 2030, set_on: 2019-05,",
        "     description: Raise trade to $5 bn by 2030., source: news}",
        "sources:",
        *[
            f"  - {{{', '.join(f'{k}: {v!r}' if isinstance(v, str) else f'{k}: {str(v).lower()}' for k, v in s.items())}}}"
            for s in sources
        ],
    ]
    (path / "dossier.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    level, trade, mirror = rng.uniform(300, 900), [], []
    for year in YEARS:
        level *= rng.uniform(0.9, 1.2)
        exports = round(level * rng.uniform(0.4, 0.6), 1)
        imports = round(level - exports, 1)
        trade.append(f"{year},{exports},{imports},{round(exports + imports, 1)},official,stats,")
        mirror.append(f"{year},{round(imports * 1.03, 1)},{round(exports * 0.97, 1)},,official,mirror")
    (path / "trade.csv").write_text("year,exports,imports,turnover,status,source,note\n" + "\n".join(trade) + "\n", "utf-8")
    (path / "trade_mirror.csv").write_text("year,exports,imports,turnover,status,source\n" + "\n".join(mirror) + "\n", "utf-8")
    (path / "trade_ytd.csv").write_text(
        "year,months,exports,imports,turnover,status,source\n2025,3,"
        f"{round(level * 0.13, 1)},{round(level * 0.12, 1)},{round(level * 0.25, 1)},preliminary,stats\n",
        "utf-8",
    )
    products = ["year,flow,code,name,value,source"]
    for year in YEARS[-3:]:
        for flow in ("exports", "imports"):
            for code, name in (("27", "Mineral fuels"), ("72", "Iron and steel"), ("10", "Cereals"), ("84", "Machinery")):
                products.append(f"{year},{flow},{code},{name},{round(rng.uniform(10, 120), 1)},stats")
    (path / "products.csv").write_text("\n".join(products) + "\n", encoding="utf-8")

    events = ["id,date,end_date,kind,title,place,summary,areas,source,status"]
    for index in range(24):
        year, month = 2012 + index // 2, 1 + (index * 5) % 12
        kind = KINDS[index % len(KINDS)]
        area = AREAS[index % len(AREAS)]
        events.append(
            f"event-{index:02d},{year}-{month:02d}-{1 + index % 27:02d},,{kind},Meeting {index + 1} on {area},"
            f"Capital {1 + index % 2},The sides discussed {area}.,{area},news,"
        )
    events.append("summit-next,2026-06-15,2026-06-16,state_visit,State visit,Capital 2,,trade;energy,news,planned")
    (path / "events.csv").write_text("\n".join(events) + "\n", encoding="utf-8")
    commitments = ["id,agreed_on,text,area,due,status,status_as_of,source"]
    for index in range(8):
        status = ("done", "in_progress", "delayed", "not_started")[index % 4]
        commitments.append(
            f"promise-{index},{2016 + index}-05,Complete project {index + 1},{AREAS[index % len(AREAS)]},{2026 + index % 3},"
            f"{status},2025-05,news"
        )
    (path / "commitments.csv").write_text("\n".join(commitments) + "\n", encoding="utf-8")
    (path / "people.csv").write_text(
        "id,name,role,partner,since,until,source\n"
        f"head-{first},Leader {first},President,{_code(first)},2019-06,,news\n"
        f"head-{second},Leader {second},President,{_code(second)},2016-12,,news\n",
        "utf-8",
    )
    for order, area in enumerate(AREAS, start=1):
        restricted = "true" if area == "water" else "false"
        source = "cable" if area == "water" else "news"
        paragraphs = "\n\n".join(
            f"In {year} the sides reviewed {area} cooperation and agreed on next steps; figure {rng.randint(10, 99)}."
            for year in range(2018, 2025)
        )
        (path / "areas" / f"{area}.md").write_text(
            f"---\ntitle: {area.capitalize()}\norder: {order}\nsummary: Cooperation on {area}.\nrestricted: {restricted}\n"
            f"key_facts:\n  - {{text: {area.capitalize()} projects under way, source: {source}}}\nsources: [{source}]\n---\n"
            f"{paragraphs}\n\n- one point on {area}\n- another point on {area}\n",
            encoding="utf-8",
        )
        (path / "areas" / f"{area}.ru.md").write_text(
            f"---\ntitle: Сотрудничество {order}\nsummary: Сотрудничество в области {order}.\n"
            f"key_facts:\n  - {{text: Проекты идут}}\n---\nСтороны обсудили сотрудничество.\n",
            encoding="utf-8",
        )
    return path


def make_portfolio(folder: Path, pairs: int) -> list[Path]:
    return [make_pair(folder, number) for number in range(pairs)]


if __name__ == "__main__":
    made = make_portfolio(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8)
    print(f"{len(made)} dossiers in {sys.argv[1]}")
