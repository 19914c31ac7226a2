"""The trade chart's test data: each test file changes only the labels it checks (`dataclasses.replace`)."""

from __future__ import annotations

from reports.briefing.model import ChartSeries

TRADE_SERIES = ChartSeries(
    years=(2017, 2018, 2019, 2021, 2022, 2023, 2024),  # 2020 is missing: an empty slot, never filled
    exports=(800.0, None, 1300.0, 1500.0, 2000.0, 2100.0, 2300.0),  # 2018: turnover only
    imports=(500.0, None, 700.0, 800.0, 1000.0, 1200.0, 1300.0),
    turnover=(1300.0, 1800.0, 2000.0, 2300.0, 3000.0, 3300.0, 3600.0),
    exports_label="Exports",
    imports_label="Imports",
    turnover_label="Turnover",
    value_axis_label="USD million",
    target_year=2030,
    target_value=10000.0,
    target_label="Target: $10 bn by 2030",
    required_path=((2024, 3600.0), (2027, 5947.5), (2030, 10000.0)),
    required_label="Required path",
    category_axis_label="Year",
)
