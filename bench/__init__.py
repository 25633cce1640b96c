"""Benchmarks run on demand (not in CI); each prints a table with the peer beside us."""
