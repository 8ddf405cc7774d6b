"""Benchmarks: `python -m bench [area ...]` (see bench/__main__.py and docs/performance.md)."""
