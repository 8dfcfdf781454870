"""Helpers of the solver benchmark: generated rounds, the GAP adapter, the subprocess runner."""
