"""Reports: pages rendered from engine results, as HTML strings.

Sits above ``analytics`` and ``planning`` and below ``services``: a report takes the frames
and dataclasses the engines return and renders them with the package's Jinja2 templates and
Plotly charts (plotly.js inlined from the installed package). It never opens a database or
writes a file; the caller does.
"""

from shopops.reports.html import figure_html, render_page
from shopops.reports.negotiation_brief import render_negotiation_brief, talking_points

__all__ = ["figure_html", "render_negotiation_brief", "render_page", "talking_points"]
