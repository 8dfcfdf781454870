"""Benchmarks of tamatch (run from the repository root)."""
