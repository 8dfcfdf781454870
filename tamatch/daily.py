"""The daily commands, listed once for the RQ cron scheduler (deploy/rq_cron.py) and cron."""

from collections.abc import Callable

# Each is `flask --app tamatch COMMAND`, run once a day at DAILY_CRON (UTC). Every one must be
# safe to run twice (it sends or changes nothing new the second time). One line adds a command.
DAILY_COMMANDS: tuple[str, ...] = (
    "followup remind",
    "rounds expire",
    "rounds reap",
    "notifications digest",  # last: the day's reminders go into the day's digest
)
DAILY_CRON = "0 6 * * *"
JOB_TIMEOUT = 3600


def schedule(register: Callable[..., object], queue_name: str, run: Callable[[str], None]) -> None:
    """Register `run(command)` for every daily command with RQ's `cron.register` (or anything
    of its signature); `run` is `tamatch.worker.run_command` on a worker."""
    for command in DAILY_COMMANDS:
        register(
            run,
            queue_name,
            args=(command,),
            cron=DAILY_CRON,
            job_timeout=JOB_TIMEOUT,
            name=f"tamatch {command}",
        )
