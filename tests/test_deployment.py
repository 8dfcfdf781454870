"""Production settings behind a reverse proxy (ProxyFix, HSTS) and the daily commands."""

from pathlib import Path

import pytest

from tamatch import create_app, daily, jobs, worker
from tamatch.extensions import db as _db
from tamatch.extensions import limiter

REPO = Path(__file__).resolve().parent.parent
STRONG_SECRET = "s" * 40
REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


def _second_app(app, config="testing", **overrides):
    """Another app on the session's database, built by the factory with `overrides`."""
    return create_app(
        config, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **overrides
    )


def _dispose(other):
    with other.app_context():
        _db.session.remove()
        _db.engine.dispose()
    limiter.reset()


def _sign_in_codes(other, clients: list[str]) -> list[int]:
    """Status of a failed sign-in from each forwarded client address, in order."""
    client = other.test_client()
    return [
        client.post(
            "/auth/login",
            data={"email": "nobody@example.org", "password": "wrong password!"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for address in clients
    ]


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        (1, [200, 200, 200, 429, 200]),  # the 4th try from .1 is refused; .2 is someone else
        (0, [200, 200, 200, 429, 429]),  # the header is ignored: every try is the proxy's
    ],
)
def test_sign_in_throttle_keys_on_the_forwarded_client_only_when_proxies_are_trusted(
    app, db, hops, expected
):
    other = _second_app(
        app, PROXY_HOPS=hops, LOGIN_RATE_LIMIT="3 per minute", WTF_CSRF_ENABLED=False
    )
    limiter.reset()
    try:
        codes = _sign_in_codes(other, ["203.0.113.1"] * 4 + ["203.0.113.2"])
    finally:
        _dispose(other)
    assert codes == expected


def test_trusted_proxy_gives_the_client_address_and_scheme(app, db):
    other = _second_app(app, PROXY_HOPS=1)
    seen = {}

    @other.get("/_probe")
    def _probe():
        from flask import request

        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    try:
        other.test_client().get(
            "/_probe",
            headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"},
        )
    finally:
        _dispose(other)
    # One trusted hop: the address that proxy saw (the last), never one the client wrote.
    assert seen == {"addr": "203.0.113.9", "secure": True}


def test_proxy_hops_come_from_the_environment(monkeypatch):
    from tamatch.config import DevelopmentConfig, ProductionConfig, TestingConfig, _proxy_hops

    monkeypatch.setenv("TAMATCH_PROXY_HOPS", "2")
    assert _proxy_hops(0) == 2
    monkeypatch.setenv("TAMATCH_PROXY_HOPS", "two")
    with pytest.raises(RuntimeError, match="TAMATCH_PROXY_HOPS"):
        _proxy_hops(0)
    monkeypatch.delenv("TAMATCH_PROXY_HOPS")
    assert _proxy_hops(0) == 0 and _proxy_hops(1) == 1
    assert (DevelopmentConfig.PROXY_HOPS, ProductionConfig.PROXY_HOPS) == (0, 1)
    assert TestingConfig.PROXY_HOPS == 0


def test_production_sends_hsts_on_https_only(app, db):
    other = _second_app(
        app, "production", SECRET_KEY=STRONG_SECRET, PUBLIC_BASE_URL="https://tamatch.example.org"
    )
    try:
        client = other.test_client()
        over_https = client.get("/", base_url="https://tamatch.example.org")
        behind_proxy = client.get("/", headers={"X-Forwarded-Proto": "https"})
        plain = client.get("/", headers={"X-Forwarded-Proto": "http"})
    finally:
        _dispose(other)
    assert over_https.status_code == 200
    hsts = over_https.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert behind_proxy.headers["Strict-Transport-Security"] == hsts
    assert "Strict-Transport-Security" not in plain.headers


def test_development_sends_no_hsts(app, db):
    response = app.test_client().get("/", base_url="https://localhost")
    assert "Strict-Transport-Security" not in response.headers


def _cli_command(app, words: list[str]):
    import click

    command = app.cli
    for word in words:
        assert isinstance(command, click.Group), words
        command = command.commands.get(word)
        assert command is not None, f"no command flask {' '.join(words)}"
    return command


def test_every_daily_command_exists(app):
    assert daily.DAILY_COMMANDS
    for line in daily.DAILY_COMMANDS:
        _cli_command(app, line.split())


def _rq_cron_jobs(connection):
    """The cron jobs RQ's scheduler loads from deploy/rq_cron.py."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=connection)
    scheduler.load_config_from_file(str(REPO / "deploy" / "rq_cron.py"))
    return scheduler.get_jobs()


def test_rq_cron_config_schedules_each_daily_command_once():
    from redis import Redis

    cron_jobs = _rq_cron_jobs(Redis.from_url(REDIS_URL))
    scheduled = sorted((job.func_name, job.args, job.cron) for job in cron_jobs)
    assert scheduled == sorted(
        ("tamatch.worker.run_command", (command,), daily.DAILY_CRON)
        for command in daily.DAILY_COMMANDS
    )


def test_run_command_runs_a_flask_command_and_fails_with_it(app, db, monkeypatch):
    import click

    monkeypatch.setattr(worker, "worker_app", app)
    worker.run_command("followup remind")
    with pytest.raises(click.ClickException, match="no round 999999"):
        worker.run_command("rounds solve 999999")
    with pytest.raises(click.UsageError):
        worker.run_command("no-such-group go")


@pytest.mark.skipif(not _redis_available(), reason="no Redis server on 127.0.0.1:6379")
def test_an_rq_worker_runs_the_daily_commands_the_scheduler_enqueues(app, db, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(REDIS_URL)
    queue = Queue(jobs.QUEUE_NAME, connection=connection)
    queue.empty()
    monkeypatch.setattr(worker, "worker_app", app)
    try:
        enqueued = [cron_job.enqueue(connection) for cron_job in _rq_cron_jobs(connection)]
        SimpleWorker([queue], connection=connection).work(burst=True)
        statuses = [job.get_status(refresh=True).value for job in enqueued]
    finally:
        queue.empty()
    assert statuses == ["finished"] * len(daily.DAILY_COMMANDS)
