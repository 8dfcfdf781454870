"""The RQ worker's entry point: `rq worker --url $REDIS_URL tamatch` runs `solve` for each job.

This module and the CLI are the only ones that build the app; `tamatch.jobs` names
`solve` by its path when it enqueues, so nothing else imports the app factory.
"""

from functools import cache

from flask import Flask

from tamatch import create_app
from tamatch.jobs import run_in_app

worker_app: Flask | None = None  # an app to use instead of one built from the environment


@cache
def _app_from_environment() -> Flask:
    """The app, built once per worker process from DATABASE_URL, SECRET_KEY, TAMATCH_CONFIG."""
    return create_app()


def solve(run_id: int) -> None:
    """Solve a queued run (what `tamatch.jobs.enqueue_solve` puts on the RQ queue)."""
    run_in_app(worker_app or _app_from_environment(), run_id)
