"""Reference and demo data loaded by `flask seed reference` and `flask seed demo`."""
