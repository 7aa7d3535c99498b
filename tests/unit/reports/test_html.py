"""The page toolkit: number formats, charts without the library, the library inlined once."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from shopops.reports.html import (
    figure_html,
    format_change_pct,
    format_date,
    format_month,
    format_number,
    format_pct,
    format_usd,
    render_page,
)

SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (format_number(1_234_567.8), "1,234,568"),
        (format_number(-0.2), "0"),
        (format_number(None), "—"),
        (format_number(float("nan")), "—"),
        (format_usd(2340.4), "2,340 USD"),
        (format_usd(13.7, 2), "13.70 USD"),
        (format_pct(86.352), "86.4 %"),
        (format_change_pct(8.108), "+8.1 %"),
        (format_change_pct(0.5), "+0.5 %"),
        (format_change_pct(-5.33), "-5.3 %"),
        (format_change_pct(-0.01), "0.0 %"),
        (format_change_pct(None), "—"),
        (format_month(dt.date(2025, 5, 1)), "May 2025"),
        (format_date(dt.date(2025, 8, 1)), "1 Aug 2025"),
    ],
)
def test_numbers_are_formatted_for_people(text: str, expected: str) -> None:
    assert text == expected


def test_figure_html_is_a_chart_div_without_the_library() -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[3, 4]))

    html = figure_html(fig)

    assert 'class="plotly-graph-div"' in html
    assert "Plotly.newPlot" in html
    assert "plotly.js v" not in html
    assert not SCRIPT_SRC.search(html)


def test_base_page_inlines_the_installed_plotly_library_once() -> None:
    html = render_page("base.html")

    assert html.count(get_plotlyjs()) == 1
    assert not SCRIPT_SRC.search(html)
    assert html.lstrip().lower().startswith("<!doctype html>")


def test_templates_ship_inside_the_package() -> None:
    templates = importlib.resources.files("shopops.reports") / "templates"

    assert (templates / "base.html").is_file()
    assert (templates / "negotiation_brief.html").is_file()
