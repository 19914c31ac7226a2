"""A UN Comtrade+ download of the shape `reports import comtrade` reads, made up for the scenario partners NLD
(Northland) and SLD (Southland): `.venv/bin/python benchmarks/make_comtrade.py OUT.csv ROWS`.

Rows, per year from 2021: both sides' totals (cmdCode TOTAL), every HS chapter (aggrLevel 2) each way as
NLD reports it, and as many HS headings (aggrLevel 4) and rows of other countries as make up ROWS, as a
real download of a reporter's trade with the world by HS level would hold. Values are made up, deterministic,
and each year's chapters add up to its totals. Used for the HS import's test fixture (tests/imports) and the
benchmark's 100,000-row import.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HEADER = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,"
    "partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
    "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,mosCode,motCode,motDesc,qtyUnitCode,"
    "qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,"
    "grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate"
).split(",")
COUNTRIES = {"NLD": ("528", "Northland"), "SLD": ("999", "Southland"), "OTH": ("111", "Otherland"), "W00": ("0", "World")}
CHAPTERS = {
    "02": "Meat and edible meat offal", "04": "Dairy produce; eggs; honey", "07": "Edible vegetables",
    "08": "Edible fruit and nuts", "10": "Cereals", "11": "Products of the milling industry", "15": "Animal or vegetable fats",
    "17": "Sugars and sugar confectionery", "25": "Salt; sulphur; earths and stone; cement", "26": "Ores, slag and ash",
    "27": "Mineral fuels, mineral oils", "28": "Inorganic chemicals", "31": "Fertilizers", "39": "Plastics and articles thereof",
    "40": "Rubber and articles thereof", "44": "Wood and articles of wood", "48": "Paper and paperboard",
    "52": "Cotton", "61": "Apparel, knitted or crocheted", "62": "Apparel, not knitted", "69": "Ceramic products",
    "70": "Glass and glassware", "72": "Iron and steel", "73": "Articles of iron or steel", "74": "Copper and articles thereof",
    "76": "Aluminium and articles thereof", "84": "Machinery and mechanical appliances",
    "85": "Electrical machinery and equipment",
    "87": "Vehicles other than railway", "94": "Furniture; bedding",
}  # fmt: skip
FLOWS = {"X": "Export", "M": "Import"}


def _row(year: int, reporter: str, flow: str, partner: str, code: str, name: str, level: int, value: int) -> list[str]:
    cells = dict.fromkeys(HEADER, "")
    cells.update(
        typeCode="C", freqCode="A", refPeriodId=f"{year}0101", refYear=str(year), refMonth="52", period=str(year),
        reporterCode=COUNTRIES[reporter][0], reporterISO=reporter, reporterDesc=COUNTRIES[reporter][1],
        flowCode=flow, flowDesc=FLOWS[flow], partnerCode=COUNTRIES[partner][0], partnerISO=partner,
        partnerDesc=COUNTRIES[partner][1], partner2Code="0", partner2ISO="W00", partner2Desc="World",
        classificationCode="H6", classificationSearchCode="HS", isOriginalClassification="True", cmdCode=code,
        cmdDesc=name, aggrLevel=str(level), isLeaf="False", customsCode="C00", customsDesc="TOTAL CPC", mosCode="0",
        motCode="0", motDesc="TOTAL MOT", primaryValue=str(value), isReported="True", isAggregate="True",
    )  # fmt: skip
    return [cells[name] for name in HEADER]


def chapter_value(year: int, flow: str, code: str) -> int:
    """A made-up value in US dollars: a few large chapters, a long tail, a little growth each year."""
    rank = (int(code) * (7 if flow == "X" else 11)) % 31 + 1
    return (400_000_000 // rank**2 + 1_000 * int(code)) * (100 + 5 * (year - 2021)) // 100


def comtrade_rows(rows: int, years: int = 2) -> list[list[str]]:
    """About `rows` rows (at least the totals and the chapters of `years` years)."""
    out = []
    for year in range(2021, 2021 + years):
        for flow in FLOWS:
            chapters = {code: chapter_value(year, flow, code) for code in CHAPTERS}
            total, mirror = sum(chapters.values()), "M" if flow == "X" else "X"
            out.append(_row(year, "NLD", flow, "SLD", "TOTAL", "All Commodities", 0, total))
            out.append(_row(year, "SLD", mirror, "NLD", "TOTAL", "All Commodities", 0, total))
            out += [_row(year, "NLD", flow, "SLD", code, CHAPTERS[code], 2, value) for code, value in chapters.items()]
            out += [_row(year, "SLD", mirror, "NLD", code, CHAPTERS[code], 2, 1000) for code in CHAPTERS]
    heading = 0
    while len(out) < rows:  # headings of the chapters (kept out: the chapters are imported) and other partners' rows
        code = list(CHAPTERS)[heading % len(CHAPTERS)]
        year = 2021 + heading // len(CHAPTERS) % years
        flow = "X" if heading % 2 else "M"
        partner = "SLD" if heading % 3 else "OTH"
        out.append(_row(year, "NLD", flow, partner, f"{code}{heading % 99 + 1:02d}", f"{CHAPTERS[code]}, heading", 4, 5000))
        heading += 1
    return out


def write_comtrade(path: Path, rows: int, years: int = 2) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(comtrade_rows(rows, years))
    return path


if __name__ == "__main__":
    write_comtrade(Path(sys.argv[1]), int(sys.argv[2]))
