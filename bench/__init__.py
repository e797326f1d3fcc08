"""Throughput of the ingest pipeline on a generated corpus: `python -m bench --help`."""

# Nothing is re-exported: bench.run imports Prefect, which must not load before __main__ sets its environment.
