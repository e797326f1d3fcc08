"""The `newsflow report` page: charts of what the database holds, in one self-contained HTML file."""

from report.page import build_page

__all__ = ["build_page"]
