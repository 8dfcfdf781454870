"""The RQ worker's entry points: `rq worker --url $REDIS_URL tamatch` runs `solve` for each
solve job and `run_command` for each daily command the scheduler enqueues (tamatch.daily).

This module and the CLI are the only ones that build the app; `tamatch.jobs` names
`solve` by its path when it enqueues, so nothing else imports the app factory.
"""

import shlex
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


def run_command(command: str) -> None:
    """Run one `flask` command in this process (a daily job on a worker); raise if it fails."""
    app = worker_app or _app_from_environment()
    with app.app_context():
        app.cli.main(args=shlex.split(command), prog_name="flask", standalone_mode=False)
