"""Builds every audience × format × language of a dossier, and the pack for one event, into a folder and lists the
sha256 of every file: run it before and after a change that must not alter the outputs, then compare the two lists.

    .venv/bin/python benchmarks/same_bytes.py --out /tmp/before           # writes /tmp/before/SHA256SUMS
    .venv/bin/python benchmarks/same_bytes.py --out /tmp/after --compare /tmp/before/SHA256SUMS

The command line is run as a subprocess so that the code measured is the code checked out, not an imported copy.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

AUDIENCES = ("leadership", "ministry", "press")
FORMATS = ("pdf", "docx", "html")
LANGUAGES = ("en", "ru")


def run(command: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "reports", *command], check=True)


def checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "SHA256SUMS"
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dossier", default="data/kz-uz")
    parser.add_argument("--as-of", default="2026-11-27")
    parser.add_argument("--event", default="2025-11-state-visit-tashkent")
    parser.add_argument("--compare", type=Path, help="a SHA256SUMS written by an earlier run")
    args = parser.parse_args()

    formats = [option for name in FORMATS for option in ("--format", name)]
    languages = [option for name in LANGUAGES for option in ("--lang", name)]
    common = ["--dossier", args.dossier, "--as-of", args.as_of, *formats, *languages]
    for audience in AUDIENCES:
        run(["build", *common, "--audience", audience, "--out", str(args.out / "build")])
    run(["brief", "--event", args.event, *common, "--out", str(args.out / "brief")])

    sums = checksums(args.out)
    (args.out / "SHA256SUMS").write_text("".join(f"{digest}  {name}\n" for name, digest in sums.items()), encoding="utf-8")
    print(f"{len(sums)} files in {args.out}")
    if args.compare is None:
        return 0
    before = {}
    for line in args.compare.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        before[name] = digest
    differing = sorted(name for name in before.keys() | sums.keys() if before.get(name) != sums.get(name))
    for name in differing:
        print(f"differs: {name} (before {before.get(name, 'absent')[:12]}, after {sums.get(name, 'absent')[:12]})")
    print("all identical" if not differing else f"{len(differing)} of {len(before.keys() | sums.keys())} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
