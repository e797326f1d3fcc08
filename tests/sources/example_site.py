"""The example adapter (tests/example_adapter) installed as pip would put it, in a folder of its own.

The folder holds a copy of the package and a `newsflow_example-0.1.dist-info` whose
entry_points.txt declares it in the group `newsflow.sources`: on `sys.path` (or PYTHONPATH),
`importlib.metadata` finds the entry point without anything being installed. A copy, not the
checkout's tests/ folder: that folder on the path would shadow `sources` with `tests/sources`.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sources import reload_sources

PACKAGE = Path(__file__).resolve().parents[1] / "example_adapter"
DIST_INFO = "newsflow_example-0.1.dist-info"
KIND = "lines"


def make_site(folder: Path) -> Path:
    """Fill `folder` with the example package and its dist-info; return it, the folder to put on the path."""
    shutil.copytree(PACKAGE, folder / PACKAGE.name, ignore=shutil.ignore_patterns("__pycache__"))
    info = folder / DIST_INFO
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: newsflow-example\nVersion: 0.1\n", "utf-8")
    (info / "entry_points.txt").write_text(f"[newsflow.sources]\n{KIND} = {PACKAGE.name}.lines:LinesSource\n", "utf-8")
    return folder


@contextmanager
def example_on_path(folder: Path) -> Iterator[Path]:
    """Put the example's site folder on `sys.path` while the block runs; then forget the adapter again."""
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.syspath_prepend(str(make_site(folder)))
            yield folder
    finally:
        for name in [m for m in sys.modules if m == PACKAGE.name or m.startswith(PACKAGE.name + ".")]:
            del sys.modules[name]
        reload_sources()


def write_wire(path: Path, articles: list[tuple[str, str]], extra: str = "") -> Path:
    """A file for the example adapter: one `headline<TAB>text` line per article, then `extra` lines."""
    lines = [f"{title}\t{' '.join(text.split())}\n" for title, text in articles]
    path.write_text("".join(lines) + extra, "utf-8")
    return path
