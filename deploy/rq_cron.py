"""RQ's scheduler for the daily commands: `rq cron --url $REDIS_URL deploy/rq_cron.py`.

It enqueues each command of tamatch.daily.DAILY_COMMANDS on the `tamatch` queue once a day;
an `rq worker tamatch` runs it. Run one scheduler per deployment.
"""

from rq import cron

from tamatch.daily import schedule
from tamatch.jobs import QUEUE_NAME
from tamatch.worker import run_command

schedule(cron.register, QUEUE_NAME, run_command)
