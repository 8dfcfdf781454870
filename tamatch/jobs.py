"""Background jobs: solves never run inside a web request.

Backends (config JOB_BACKEND):
- "thread" (default): a local worker thread started with the app, one job at a time;
- "rq": a shared Redis queue (REDIS_URL) served by `rq worker tamatch` on any number of hosts
  (each job runs `tamatch.worker.solve`, the worker's entry point);
- "sync": run at once in the caller (tests and the CLI).
"""

import logging
import os
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from solver.settings import RunSettings
from tamatch.audit import record
from tamatch.extensions import db
from tamatch.models import RunStatus, SolveRun
from tamatch.models.base import utcnow
from tamatch.rounds import progress
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
            execute_run(run_id, worker_identity())
        finally:
            db.session.remove()


def enqueue_solve(run_id: int) -> Future | str | None:
    """Queue the solve of a run on the configured backend; returns a handle for tests."""
    app = current_app._get_current_object()
    backend = app.config.get("JOB_BACKEND", "thread")
    if backend == "sync":
        execute_run(run_id, worker_identity())
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


# --- the reaper ------------------------------------------------------------------------------

QUEUE_GRACE = timedelta(hours=1)  # no worker took a queued run in this time: it never will
RUN_GRACE = timedelta(minutes=10)  # past its time limit by this much, a run is not coming back


def worker_identity() -> str:
    """host:pid of this process, stored on the run it solves."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_gone(worker: str) -> bool:
    """The worker ran on this host and its process no longer exists (a restart)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host, or unknown: only the time limit tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _stale(run: SolveRun, now: datetime) -> str | None:
    """Why a run that is not finished will never finish, or None."""
    if run.status == RunStatus.QUEUED:
        return "queued" if run.created_at + QUEUE_GRACE < now else None
    if run.worker and _worker_gone(run.worker):
        return "worker_gone"
    limit = timedelta(seconds=RunSettings.from_json(run.settings).time_limit)
    started = run.started_at or run.created_at
    return "time_limit" if started + limit + RUN_GRACE < now else None


def reap_stale_runs(round_id: int | None = None, now: datetime | None = None) -> list[int]:
    """Mark failed every queued or running run (of one round, or all) whose worker is gone or
    whose time limit has long passed, so that its round can be solved again. Each mark is a
    conditional UPDATE: a run finishing at that moment keeps its result. Flushes; the caller
    commits. Returns the ids of the runs reaped."""
    now = now or utcnow()
    unfinished = sa.select(SolveRun).where(
        SolveRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING))
    )
    if round_id is not None:
        unfinished = unfinished.where(SolveRun.round_id == round_id)
    reaped = []
    for run in db.session.scalars(unfinished).all():
        why = _stale(run, now)
        if why is None:
            continue
        changed = db.session.execute(
            sa.update(SolveRun)
            .where(SolveRun.id == run.id, SolveRun.status == run.status)
            .values(
                status=RunStatus.FAILED,
                finished_at=now,
                progress="",
                error=progress.fact(progress.REAPED, why=why),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed:
            db.session.refresh(run)
            record(None, "run.reaped", run, after={"why": why})
            log.warning("reaped solve run %s (%s)", run.id, why)
            reaped.append(run.id)
    return reaped
