"""An example third-party source adapter, packaged as a user would: see lines.py."""
