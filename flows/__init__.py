"""Prefect flows and the thin tasks that wrap the stages; the `newsflow` command line."""
