"""HTML pages from the Jinja2 templates shipped in this package, with Plotly charts.

The plotly.js library comes from the installed ``plotly`` package and ``base.html`` inlines
it once per page; each chart is a div that draws with it. A page therefore opens offline
and never loads a script from the network. Rendering returns a string: the caller decides
where it goes. Numbers are formatted for people: thousands separators, ``USD``, ``%``.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache

import jinja2
import plotly.graph_objects as go  # type: ignore[import-untyped]
from markupsafe import Markup
from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

MISSING = "—"
CHART_CONFIG = {"displaylogo": False, "responsive": True}


def render_page(template_name: str, **context: object) -> str:
    """Render a template of ``shopops/reports/templates`` with ``context``.

    Templates extend ``base.html``, which inlines plotly.js (as ``plotly_js``) once.
    Values are HTML-escaped unless they are :class:`markupsafe.Markup`, as
    :func:`figure_html` returns.
    """
    template = _environment().get_template(template_name)
    return template.render(plotly_js=_plotly_js(), **context)


def figure_html(fig: go.Figure) -> str:
    """A chart as a div and the call that draws it, without the plotly.js library."""
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, config=CHART_CONFIG))


def format_number(value: float | None, decimals: int = 0) -> str:
    """``1234567.8`` -> ``"1,234,568"``; an empty value -> ``"—"``."""
    if value is None or math.isnan(value):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text[1:] if _is_negative_zero(text) else text


def format_usd(value: float | None, decimals: int = 0) -> str:
    """``2340.4`` -> ``"2,340 USD"``."""
    text = format_number(value, decimals)
    return text if text == MISSING else f"{text} USD"


def format_pct(value: float | None, decimals: int = 1) -> str:
    """A percentage (``4.0`` is 4 %) -> ``"4.0 %"``."""
    text = format_number(value, decimals)
    return text if text == MISSING else f"{text} %"


def format_change_pct(value: float | None, decimals: int = 1) -> str:
    """A signed percentage change: ``4.04`` -> ``"+4.0 %"``, ``-3.0`` -> ``"-3.0 %"``."""
    text = format_pct(value, decimals)
    rises = value is not None and round(value, decimals) > 0
    return f"+{text}" if rises else text


def format_month(value: dt.date | None) -> str:
    """``2025-05-01`` -> ``"May 2025"``."""
    return MISSING if value is None else value.strftime("%b %Y")


def format_date(value: dt.date | None) -> str:
    """``2025-08-01`` -> ``"1 Aug 2025"``."""
    return MISSING if value is None else f"{value.day} {value.strftime('%b %Y')}"


def _is_negative_zero(text: str) -> bool:
    return text.startswith("-") and not text.strip("-0.,")


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("shopops.reports", "templates"),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        number=format_number,
        usd=format_usd,
        pct=format_pct,
        change_pct=format_change_pct,
        month=format_month,
        date=format_date,
    )
    return environment


@cache
def _plotly_js() -> Markup:
    return Markup(get_plotlyjs())
