"""A larger dossier for the scale benchmark: N times the events, commitments and areas of a real one.

    .venv/bin/python benchmarks/make_dossier.py --factor 10 --out /tmp/kz-uz-x10 [--dossier data/kz-uz]

Copy 1 is the dossier itself; copies 2..N add every area again (`energy-x2.md`, its `.ru.md` beside it,
title "Energy (2)", an order after every earlier copy's), every event and commitment again (ids suffixed
`-x2`, titles numbered likewise), each pointing at its own copy of the areas. Sources, targets and trade
figures stay as they are: they are what the copies cite. The dossier id becomes `<id>-x<N>`, so briefings
of different sizes never share an output path. Deterministic: the same input gives the same bytes, and the
result passes `reports validate`. Factor 1 is the dossier unchanged but for its id.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
AREA_FILE = re.compile(r"^(?P<id>[a-z0-9-]+)(?P<lang>\.[a-z]{2})?\.md$")


def _suffix(identifier: str, copy: int) -> str:
    return identifier if copy == 1 else f"{identifier}-x{copy}"


def _numbered(text: str, copy: int) -> str:
    return text if copy == 1 or not text else f"{text} ({copy})"


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _areas_of(cell: str, copy: int) -> str:
    return ";".join(_suffix(area.strip(), copy) for area in cell.split(";") if area.strip())


def _split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    match = re.match(r"^---\n(.*?)\n---\n?(.*)$", text.replace("\r\n", "\n"), re.DOTALL)
    if match is None:
        raise SystemExit(f"{path}: no front matter between --- lines")
    return yaml.safe_load(match.group(1)) or {}, match.group(2)


def _join_front_matter(front: dict, body: str) -> str:
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=110)
    return f"---\n{dumped}---\n{body}"


def make_dossier(source: Path, out: Path, factor: int) -> Path:
    """Write the dossier `factor` times the size of `source` into `out` (replaced if it exists)."""
    if factor < 1:
        raise ValueError("the factor is a whole number of at least 1")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, ignore=shutil.ignore_patterns("areas", "events.csv", "commitments.csv"))

    identity = (source / "dossier.yaml").read_text(encoding="utf-8")
    identity, count = re.subn(r"^id:\s*(\S+)\s*$", lambda m: f"id: {m.group(1)}-x{factor}", identity, count=1, flags=re.M)
    if count != 1:
        raise SystemExit(f"{source / 'dossier.yaml'}: no top-level 'id:' line")
    (out / "dossier.yaml").write_text(identity, encoding="utf-8")

    columns, events = _read_csv(source / "events.csv")
    rows = []
    for copy in range(1, factor + 1):
        for event in events:
            row = dict(event, id=_suffix(event["id"], copy), areas=_areas_of(event.get("areas") or "", copy))
            for column in ("title", "title_ru"):
                if column in row:
                    row[column] = _numbered(row[column], copy)
            rows.append(row)
    _write_csv(out / "events.csv", columns, rows)

    columns, commitments = _read_csv(source / "commitments.csv")
    rows = [
        dict(item, id=_suffix(item["id"], copy), area=_suffix(item["area"], copy) if item.get("area") else item.get("area", ""))
        for copy in range(1, factor + 1)
        for item in commitments
    ]
    _write_csv(out / "commitments.csv", columns, rows)

    (out / "areas").mkdir()
    areas = sorted(path for path in (source / "areas").iterdir() if AREA_FILE.match(path.name))
    parsed = {path: _split_front_matter(path.read_text(encoding="utf-8-sig"), path) for path in areas}
    step = 1 + max((int(front.get("order", 0)) for front, _ in parsed.values()), default=0)
    for copy in range(1, factor + 1):
        for path, (front, body) in parsed.items():
            match = AREA_FILE.match(path.name)
            front = dict(front)
            if "title" in front:
                front["title"] = _numbered(str(front["title"]), copy)
            if "order" in front:
                front["order"] = int(front["order"]) + (copy - 1) * step
            name = f"{_suffix(match['id'], copy)}{match['lang'] or ''}.md"
            (out / "areas" / name).write_text(_join_front_matter(front, body), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, required=True, help="how many copies of the events, commitments and areas")
    parser.add_argument("--out", type=Path, required=True, help="the dossier folder to write (replaced if it exists)")
    parser.add_argument("--dossier", type=Path, default=ROOT / "data" / "kz-uz", help="the dossier to copy (default: data/kz-uz)")
    args = parser.parse_args(argv)
    print(make_dossier(args.dossier, args.out, args.factor))
    return 0


if __name__ == "__main__":
    sys.exit(main())
