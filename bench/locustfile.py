"""Locust users for `make bench-web`: signed-in focal points and partners, and visitors."""

import json
import os
import random
import re

from locust import HttpUser, between, events, task

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "tamatch-demo-2026"  # noqa: S105 - the published demo password
WORDS = ["rights", "national", "women", "children", "justice", "torture", "plan", "water"]


# Response times of page requests (sign-in excluded: argon2 is slow on purpose), written for
# bench/web_load.py to compute exact percentiles.
TIMES: list[float] = []
ERRORS: list[str] = []


@events.request.add_listener
def _record(name, response_time, exception, response=None, **_kwargs):
    if name.startswith("/auth/login"):
        return
    TIMES.append(response_time)
    if exception is not None:
        ERRORS.append(f"{name}: {exception}")


@events.quitting.add_listener
def _dump(environment, **_kwargs):
    target = os.environ.get("TAMATCH_LOAD_OUT")
    if target:
        with open(target, "w") as fh:
            json.dump({"times": TIMES, "errors": ERRORS}, fh)


class Visitor(HttpUser):
    """Someone without an account: public needs and recommendations."""

    weight = 1
    wait_time = between(0.5, 1.5)

    @task(3)
    def recommendations(self):
        self.client.get(
            f"/recommendations/?page={random.randint(1, 200)}", name="/recommendations/?page"
        )

    @task(2)
    def search(self):
        self.client.get(f"/recommendations/?q={random.choice(WORDS)}", name="/recommendations/?q")

    @task(1)
    def needs(self):
        self.client.get("/needs/", name="/needs/")


class Member(HttpUser):
    """A focal point or a partner, signed in through the real form."""

    weight = 3
    wait_time = between(0.5, 1.5)
    emails = [
        "focal.svn@demo.tamatch.org",
        "focal.hti@demo.tamatch.org",
        "focal.npl@demo.tamatch.org",
        "partner.ohchr@demo.tamatch.org",
        "partner.undp@demo.tamatch.org",
    ]

    def on_start(self):
        page = self.client.get("/auth/login", name="/auth/login")
        token = TOKEN.search(page.text).group(1)
        self.client.post(
            "/auth/login",
            name="/auth/login (POST)",
            data={
                "email": random.choice(self.emails),
                "password": PASSWORD,
                "csrf_token": token,
            },
        )

    @task(3)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(3)
    def needs(self):
        self.client.get(f"/needs/?page={random.randint(1, 50)}", name="/needs/?page")

    @task(2)
    def offers(self):
        self.client.get("/offers/", name="/offers/")

    @task(2)
    def recommendations(self):
        self.client.get(
            f"/recommendations/?q={random.choice(WORDS)}&page=2", name="/recommendations/?q&page"
        )

    @task(1)
    def need(self):
        # A random id may be a draft or confidential need of another State: 404 is right then.
        with self.client.get(
            f"/needs/{random.randint(1, 2000)}", name="/needs/<id>", catch_response=True
        ) as response:
            if response.status_code in (200, 404):
                response.success()
