"""Pure match engine of tamatch: scoring of need-offer pairs and their assignment (no web code).

Modules: `solver.scoring` (eligible pairs and scores), `solver.explain` (explanations as facts),
`solver.assign` (the optimisation: `solve`), `solver.cli` (`python -m solver solve ...`).
"""

__all__ = ["assign", "explain", "scoring"]
