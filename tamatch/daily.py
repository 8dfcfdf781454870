"""The daily commands, listed once for the RQ cron scheduler (deploy/rq_cron.py) and cron."""

import shlex
from collections.abc import Callable

# Each is `flask --app tamatch COMMAND`, run once a day at DAILY_CRON (UTC). Every one must be
# safe to run twice (it sends or changes nothing new the second time). One line adds a command.
DAILY_COMMANDS: tuple[str, ...] = ("followup remind",)
DAILY_CRON = "0 6 * * *"
JOB_TIMEOUT = 3600


def run_command(command: str) -> None:
    """Run one `flask` command in this process (an RQ job on a worker); raise if it fails."""
    from tamatch import create_app, jobs

    app = jobs.worker_app or create_app()
    with app.app_context():
        app.cli.main(args=shlex.split(command), prog_name="flask", standalone_mode=False)


def schedule(register: Callable[..., object], queue_name: str) -> None:
    """Register every daily command with RQ's `cron.register` (or anything of its signature)."""
    for command in DAILY_COMMANDS:
        register(
            run_command,
            queue_name,
            args=(command,),
            cron=DAILY_CRON,
            job_timeout=JOB_TIMEOUT,
            name=f"tamatch {command}",
        )
