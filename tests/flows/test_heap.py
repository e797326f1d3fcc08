"""Tests of flows/heap.py: the mmap threshold fixed in this process and passed to the processes a run starts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psutil
import pytest

from extractors.budget import start_parser, stop_parsers
from flows.heap import MMAP_THRESHOLD, bound_heap

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc is Linux's")


def test_the_threshold_is_set_here_and_given_to_child_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    assert bound_heap() is True
    stop_parsers()
    start_parser()  # a parse process started now inherits the environment
    try:
        (child,) = [c for c in psutil.Process().children() if "extractors.budget" in " ".join(c.cmdline())]
        environment = Path(f"/proc/{child.pid}/environ").read_bytes().split(b"\0")
        assert f"MALLOC_MMAP_THRESHOLD_={MMAP_THRESHOLD}".encode() in environment
    finally:
        stop_parsers()


def test_a_threshold_the_user_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "262144")
    assert bound_heap() is True
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "262144"
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "lots")
    assert bound_heap() is False  # not a number: glibc ignores it too, nothing is set
