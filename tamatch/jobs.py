"""Background jobs: solves never run inside a web request.

Backends (config JOB_BACKEND):
- "thread" (default): a local worker thread started with the app, one job at a time;
- "rq": a shared Redis queue (REDIS_URL) served by `rq worker tamatch` on any number of hosts
  (each job runs `tamatch.worker.solve`, the worker's entry point);
- "sync": run at once in the caller (tests and the CLI).
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from tamatch.extensions import db
from tamatch.rounds.solving import execute_run

log = logging.getLogger(__name__)
QUEUE_NAME = "tamatch"
RQ_ENTRY_POINT = "tamatch.worker.solve"  # named, not imported: only the worker builds an app

_executors: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def _executor(app: Flask) -> ThreadPoolExecutor:
    with _lock:
        if id(app) not in _executors:
            _executors[id(app)] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="tamatch-job"
            )
        return _executors[id(app)]


def run_in_app(app: Flask, run_id: int) -> None:
    """Solve a run in an app context of its own (a worker thread or an RQ worker)."""
    with app.app_context():
        try:
            execute_run(run_id)
        finally:
            db.session.remove()


def enqueue_solve(run_id: int) -> Future | str | None:
    """Queue the solve of a run on the configured backend; returns a handle for tests."""
    app = current_app._get_current_object()
    backend = app.config.get("JOB_BACKEND", "thread")
    if backend == "sync":
        execute_run(run_id)
        return None
    if backend == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))
        job = queue.enqueue(RQ_ENTRY_POINT, run_id, job_timeout=900)
        return job.id
    return _executor(app).submit(run_in_app, app, run_id)


def wait_for_local_jobs(app: Flask, timeout: float = 60) -> None:
    """Block until the local worker is idle (tests, CLI)."""
    executor = _executors.get(id(app))
    if executor is not None:
        executor.submit(lambda: None).result(timeout=timeout)
