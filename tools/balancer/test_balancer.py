"""Two beskplan-server processes behind HAProxy (round robin, not sticky), started by
tools/balancer-tests over one PostgreSQL database with the demo data. Consecutive requests land
on alternate processes, so every step of a scenario that reaches the next through another
process shows that nothing it needs lived in one process."""

import http.cookiejar
import json
import os
import re
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["BESKPLAN_URL"]
PROCESSES = (os.environ["BESKPLAN_A"], os.environ["BESKPLAN_B"])
PASSWORD = os.environ["BESKPLAN_PASSWORD"]
TOKEN = os.environ["BESKPLAN_TOKEN"]
# The revision a process reads at most every 500 ms (docs/server.md), with room for a busy machine.
SEEN_WITHIN = 1.5

FEED = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="urn:beskplan:feed:1" source="balancer-test">\n'
        '  <series measure="kontanthjaelp.nettoledige_fuldtidspersoner" area="820">\n'
        '    <obs period="2032M01" value="151"/><obs period="2032M02" value="150"/>\n  </series>\n</feed>\n')


def call(base, method, path, body=None, token=TOKEN, headers=None, opener=None):
    """One API request; the status and the decoded JSON body (or text)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with (opener or urllib.request.build_opener()).open(request) as response:
            text = response.read().decode()
            status, answer_headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        text, status, answer_headers = error.read().decode(), error.code, error.headers
    try:
        return status, json.loads(text), answer_headers
    except ValueError:
        return status, text, answer_headers


def shows(driver, selector, text):
    """Waits for the page a form leads to: while the browser moves on, the old page's elements go
    stale or leave the document (chromium then says so as a general WebDriver error)."""
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException, WebDriverException)).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, selector).text)


class API(unittest.TestCase):
    def test_a_session_works_on_both_processes_and_a_plan_is_carried_evaluated_and_approved(self):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        status, session, _ = call(BASE, "POST", "/session", {"username": "s-admin", "password": PASSWORD}, token=None, opener=opener)
        self.assertEqual(status, 201, session)
        csrf = {"X-CSRF-Token": session["csrfToken"]}
        # The same cookie, read by each process in turn.
        for _ in range(4):
            status, me, _ = call(BASE, "GET", "/session", token=None, opener=opener)
            self.assertEqual((status, me.get("username")), (200, "s-admin"))
        status, version, _ = call(BASE, "POST", "/kommuner/samsoe/plans/2026/carry-forward?from=2024", token=None, headers=csrf, opener=opener)
        self.assertEqual(status, 201, version)
        status, evaluation, _ = call(BASE, "GET", "/kommuner/samsoe/plans/2026/evaluation?asOf=2026-06-30", token=None, opener=opener)
        self.assertEqual(status, 200, evaluation)
        self.assertTrue(evaluation["targets"])
        status, approved, _ = call(
            BASE, "POST", "/kommuner/samsoe/plans/2026/approval", {}, token=None,
            headers={**csrf, "If-Match": '"%d"' % version["version"]}, opener=opener)
        self.assertEqual(status, 201, approved)
        self.assertEqual(approved["status"], "godkendt")
        # Approved through one process, frozen through both.
        for process in PROCESSES:
            status, plan, _ = call(process, "GET", "/kommuner/samsoe/plans/2026")
            self.assertEqual(plan["version"]["status"], "godkendt", process)

    def test_a_change_through_one_process_is_seen_through_the_other_within_the_revision_interval(self):
        first, second = PROCESSES
        path = "/kommuner/samsoe/plans/2024/evaluation?asOf=2025-03-01"
        status, before, _ = call(second, "GET", path)  # cached in the second process
        self.assertEqual(status, 200)
        note = "Set gennem den anden proces %d" % time.time_ns()
        status, _, _ = call(first, "POST", "/kommuner/samsoe/plans/2024/assessments", {"target": "1.1", "status": "paa_vej", "note": note})
        self.assertEqual(status, 201)
        self.assertNotIn(note, json.dumps(before, ensure_ascii=False))
        self.assertTrue(self.within(lambda: note in json.dumps(call(second, "GET", path)[1], ensure_ascii=False)),
                        f"the second process shows the new note within {SEEN_WITHIN} s")
        # A token revoked through one process stops working through the other.
        status, made, _ = call(first, "POST", "/tokens", {"label": "kortlivet"})
        self.assertEqual(status, 201, made)
        self.assertEqual(call(second, "GET", "/areas", token=made["token"])[0], 200)
        self.assertIn(call(first, "DELETE", "/tokens/%d" % made["id"])[0], (200, 204))
        self.assertTrue(self.within(lambda: call(second, "GET", "/areas", token=made["token"])[0] == 401),
                        f"the revoked token is refused by the other process within {SEEN_WITHIN} s")

    @staticmethod
    def within(check):
        deadline = time.monotonic() + SEEN_WITHIN
        while time.monotonic() < deadline:
            if check():
                return True
            time.sleep(0.05)
        return check()


class Browser(unittest.TestCase):
    def setUp(self):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
            options.add_argument(argument)
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        service = webdriver.ChromeService(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.implicitly_wait(2)

    def tearDown(self):
        self.driver.quit()

    def test_an_editor_logs_in_uploads_previews_imports_evaluates_and_approves(self):
        d = self.driver
        d.get(BASE + "/login")
        d.find_element(By.ID, "username").send_keys("v-editor")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
        WebDriverWait(d, 10).until(lambda d: "/login" not in d.current_url)
        # The upload, its preview page and the import are three requests: alternate processes.
        d.get(BASE + "/kommuner/vesthimmerland/2020/data")
        with tempfile.NamedTemporaryFile("w", suffix=".xml", prefix="balancer-", delete=False) as f:
            f.write(FEED)
        d.find_element(By.ID, "upload-file").send_keys(f.name)
        d.find_element(By.CSS_SELECTOR, "form[data-progress] button[type=submit]").click()
        WebDriverWait(d, 20).until(lambda d: "/data/upload/" in d.current_url)
        preview = d.current_url
        main = d.find_element(By.TAG_NAME, "main").text
        self.assertIn("En import vil gemme 1 talrække med 2 tal", main)
        for _ in range(3):  # the preview page, through each process
            d.get(preview)
            self.assertIn(os.path.basename(f.name), d.find_element(By.TAG_NAME, "main").text)
        d.find_element(By.CSS_SELECTOR, "button[value=import]").click()
        shows(d, "main", "Importeret (import nr.")
        os.unlink(f.name)
        # The imported figures, read through the API of each process.
        for process in PROCESSES:
            status, rows, _ = call(process, "GET", "/observations?measure=kontanthjaelp.nettoledige_fuldtidspersoner&area=820&from=2032M01")
            self.assertEqual(status, 200, rows)
            self.assertIn("151", json.dumps(rows), process)
        # The dashboard evaluates the plan; then the plan is approved.
        d.get(BASE + "/kommuner/vesthimmerland/2020")
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, "table.targets tbody tr"), "the dashboard lists the evaluated targets")
        d.get(BASE + "/kommuner/vesthimmerland/2020/plan")
        d.find_element(By.CSS_SELECTOR, "form.approve button").click()
        shows(d, "p.lead", "godkendt")


if __name__ == "__main__":
    unittest.main(verbosity=2)
