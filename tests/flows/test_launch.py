"""The `newsflow` entry point pauses Python's garbage collector for imports only."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from flows.launch import collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()  # what collector_paused froze goes back to the collector, as before the test
    if not was_on:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(ImportError), collector_paused():
        raise ImportError("a module that fails to import")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_command_runs_with_the_collector_on() -> None:
    # The command's code runs after the imports: with the collector back on.
    code = (
        "import gc, sys\n"
        "import flows.cli\n"
        "flows.cli.main = lambda: print('collector on' if gc.isenabled() else 'collector off')\n"
        "from flows.launch import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "collector on"


@pytest.mark.usefixtures("collector_on")
def test_what_the_imports_made_is_frozen_out_of_the_collectors_sight() -> None:
    with collector_paused():
        made = [[n] for n in range(1000)]  # container objects, as imports make
    made_ids = {id(item) for item in made}
    try:
        # Frozen objects are in none of the collector's generations.
        assert not any(id(tracked) in made_ids for tracked in gc.get_objects())
    finally:
        gc.unfreeze()
    assert sum(id(tracked) in made_ids for tracked in gc.get_objects()) == len(made)
