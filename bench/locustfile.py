"""The traffic mix of `make load`, read by Locust (started by bench/load.py, which writes the
fixtures file: signed-in sessions, in-progress attempts and the URLs to visit).

Mix (weights): anonymous browsing 5, lesson reading 3, forum reading and posting 2, exam
autosaves 2, verification look-ups 1 (the page and the JSON of a certificate's serial). Every
request carries the headers the TLS proxy in front of gunicorn would add, so the production
settings (HTTPS redirect, secure cookies, CSRF origin check) apply unchanged."""

import itertools
import json
import os
import random
import secrets

from locust import HttpUser, between, task

FIXTURES = json.loads(open(os.environ["LOAD_FIXTURES"]).read())  # noqa: SIM115
_counters = {name: itertools.count() for name in ("learners", "candidates", "members")}


def _take(pool: str) -> dict:
    entries = FIXTURES[pool]
    return entries[next(_counters[pool]) % len(entries)]


class SiteUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        origin = f"https://{self.host.split('://', 1)[1]}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin, "Referer": f"{origin}/"})
        # A CSRF secret of our own, sent as cookie and header, as the site's script does.
        self.csrf = secrets.token_hex(16)
        self.client.cookies.set("csrftoken", self.csrf)

    def sign_in(self, session_key: str):
        self.client.cookies.set("sessionid", session_key)

    def get(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")


class AnonymousVisitor(SiteUser):
    weight = 5

    @task(3)
    def home(self):
        self.get("/", "home")

    @task(3)
    def catalogue(self):
        self.get("/courses/", "catalogue")

    @task(2)
    def course(self):
        self.get(random.choice(FIXTURES["course_urls"]), "course")

    @task(1)
    def certification(self):
        self.get(random.choice(FIXTURES["certification_urls"]), "certification")

    @task(2)
    def forum_index(self):
        self.get("/forums/", "forum index")

    @task(2)
    def topic(self):
        self.get(f"/forums/t/{random.choice(FIXTURES['public_topic_ids'])}/", "topic page")


class Verifier(SiteUser):
    """Someone checking a certificate they were shown: its page, or its JSON from a script."""

    weight = 1

    @task(2)
    def page(self):
        self.get(f"/verify/{random.choice(FIXTURES['serials'])}/", "verification page")

    @task(1)
    def api(self):
        self.get(f"/api/v1/certificates/{random.choice(FIXTURES['serials'])}", "certificate API")


class LessonReader(SiteUser):
    weight = 3

    def on_start(self):
        super().on_start()
        self.learner = _take("learners")
        self.sign_in(self.learner["session"])

    @task
    def lesson(self):
        self.get(random.choice(self.learner["lesson_urls"]), "lesson")


class ForumMember(SiteUser):
    weight = 2

    def on_start(self):
        super().on_start()
        self.member = _take("members")
        self.sign_in(self.member["session"])

    @task(4)
    def read(self):
        self.get(f"/forums/t/{random.choice(FIXTURES['member_topic_ids'])}/", "topic page (signed in)")

    @task(1)
    def reply(self):
        topic_id = random.choice(FIXTURES["member_topic_ids"])
        with self.client.post(
            f"/forums/t/{topic_id}/reply/",
            data={"body": "Same here: the workaround in lesson 4 fixed it for us."},
            headers={"X-CSRFToken": self.csrf},
            name="forum reply",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            # A redirect to the new post, or the form again when the rate limit holds the post.
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code} replying to topic {topic_id}")


class ExamCandidate(SiteUser):
    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        super().on_start()
        self.candidate = _take("candidates")
        self.sign_in(self.candidate["session"])

    @task
    def autosave(self):
        position = random.randint(1, self.candidate["questions"])
        with self.client.post(
            f"/certifications/attempts/{self.candidate['attempt']}/answer/",
            data=json.dumps({"position": position, "selected": [random.randint(0, 1)], "flagged": False}),
            headers={"X-CSRFToken": self.csrf, "Content-Type": "application/json"},
            name="exam autosave",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:120]}")
