"""The web pages in a real browser: Debian's chromium driven by Selenium, against the
beskplan-server binary over the demo data (started by tools/browser-tests, which passes its
address and the users' passwords in the environment). Every page is checked with axe-core."""

import http.server
import io
import json
import os
import tempfile
import threading
import unittest
import zipfile
import urllib.error
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BESKPLAN_URL"]
PASSWORD = os.environ["BESKPLAN_PASSWORD"]
PLAN = "/kommuner/vesthimmerland/2019"  # the seed plan with targets ikke opfyldt in the demo data


def browser(phone=False):
    """Headless chromium at desktop size, or as a 390 px wide phone (emulated: a window is never that narrow)."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    if phone:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3}})
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    service = webdriver.ChromeService(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(2)
    return driver


def log_in(driver, username, password=PASSWORD):
    """Signs in through the form and waits for the page it leads to."""
    driver.get(BASE + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/login']")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]") or "/login" not in d.current_url)


class Pages(unittest.TestCase):
    def setUp(self):
        self.driver = browser()

    def tearDown(self):
        self.driver.quit()

    def log_in(self, username, password=PASSWORD):
        log_in(self.driver, username, password)

    def assert_accessible(self):
        """axe-core on the page as it stands: no serious or critical violation; and no Swift leaking into the text."""
        text = self.driver.find_element(By.TAG_NAME, "body").text
        self.assertNotRegex(text, r"\bnil\b|Optional\(", f"{self.driver.current_url} shows a value that was not there")
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        self.assertEqual(bad, [], f"{self.driver.current_url}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad))

    def test_login_page_refuses_a_wrong_password_and_is_accessible(self):
        self.driver.get(BASE + "/")
        self.assertTrue(self.driver.current_url.endswith("/login"), self.driver.current_url)
        self.assert_accessible()
        self.log_in("v-viewer", "forkert-kodeord")
        self.assertIn("Forkert brugernavn eller adgangskode", self.driver.find_element(By.CSS_SELECTOR, "[role=alert]").text)

    def test_dashboard_shows_the_plans_targets_with_their_statuses(self):
        self.log_in("v-viewer")
        self.assertTrue(self.driver.current_url.endswith("/kommuner/vesthimmerland/2020"), self.driver.current_url)
        self.driver.get(BASE + PLAN)
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table.targets tbody tr")
        self.assertEqual(len(rows), 13)
        statuses = [r.find_element(By.CSS_SELECTOR, ".badge").text for r in rows]
        self.assertEqual(statuses.count("ikke opfyldt"), 5, statuses)
        self.assertIn("Vesthimmerland", self.driver.find_element(By.CSS_SELECTOR, ".logo").text)
        self.assert_accessible()
        # Filtered by status: only the red ones.
        self.driver.find_element(By.PARTIAL_LINK_TEXT, "ikke opfyldt").click()
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "table.targets tbody tr")), 5)
        # Sorted by the script: clicking the target heading orders the rows.
        self.driver.get(BASE + PLAN)
        self.driver.find_element(By.CSS_SELECTOR, "table.targets thead th button").click()
        first = [r.find_element(By.CSS_SELECTOR, "th").text for r in self.driver.find_elements(By.CSS_SELECTOR, "table.targets tbody tr")]
        self.driver.find_element(By.CSS_SELECTOR, "table.targets thead th button").click()
        again = [r.find_element(By.CSS_SELECTOR, "th").text for r in self.driver.find_elements(By.CSS_SELECTOR, "table.targets tbody tr")]
        self.assertEqual(again, list(reversed(first)))

    def test_an_updater_adds_a_note_to_a_red_target_and_sees_it(self):
        self.log_in("v-updater")
        self.driver.get(BASE + PLAN + "/maal/4.1")
        self.assertIn("mangler en note", self.driver.page_source)
        self.assertTrue(self.driver.find_element(By.CSS_SELECTOR, "figure.chart svg").is_displayed())
        self.assert_accessible()
        Select(self.driver.find_element(By.ID, "status")).select_by_visible_text("ikke opfyldt")
        self.driver.find_element(By.ID, "note").send_keys("Udvalget er orienteret; indsatsen er styrket i 2. halvår.")
        self.driver.find_element(By.CSS_SELECTOR, ".note-form button").click()
        self.assertIn("indsatsen er styrket", self.driver.find_element(By.CSS_SELECTOR, "article.note").text)
        self.assertNotIn("mangler en note", self.driver.page_source)
        # A second note: both are kept, the newest first.
        self.driver.find_element(By.ID, "note").send_keys("Status ved årets afslutning.")
        self.driver.find_element(By.CSS_SELECTOR, ".note-form button").click()
        WebDriverWait(self.driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.note")) == 2)
        notes = [n.text for n in self.driver.find_elements(By.CSS_SELECTOR, "article.note")]
        self.assertIn("årets afslutning", notes[0])
        self.assertIn("indsatsen er styrket", notes[1])

    def test_a_viewer_has_no_note_form_and_a_forged_post_is_refused(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + PLAN + "/maal/4.2")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, ".note-form"), [])
        # A POST the page never offered, with the session's own CSRF token: the role decides, 403.
        csrf = self.driver.find_element(By.CSS_SELECTOR, "form.logout input[name=csrf]").get_attribute("value")
        status = self.driver.execute_script(
            "return fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            " body: 'csrf=' + arguments[1] + '&status=opfyldt&note=x'}).then(r => r.status)",
            BASE + PLAN + "/maal/4.2/noter", csrf)
        self.assertEqual(status, 403)

    def test_another_kommunes_pages_are_closed(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + "/kommuner/samsoe/2024")
        self.assertIn("Du har ikke adgang", self.driver.find_element(By.TAG_NAME, "h1").text)
        self.assert_accessible()
        self.driver.get(BASE + "/kommuner/atlantis/2024")
        self.assertIn("findes ikke", self.driver.find_element(By.TAG_NAME, "h1").text)

    def test_a_login_form_on_another_site_does_not_sign_the_browser_in(self):
        # Login CSRF: a page on another origin (another port of the loopback) posts the attacker's
        # own credentials to the sign-in form as soon as it loads.
        page = (
            f'<!doctype html><html lang="da"><body><form id="f" method="post" action="{BASE}/login">'
            f'<input name="username" value="v-viewer"><input name="password" value="{PASSWORD}"></form>'
            '<script>document.getElementById("f").submit()</script></body></html>'
        ).encode()

        class Elsewhere(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        site = http.server.HTTPServer(("127.0.0.1", 0), Elsewhere)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        try:
            self.driver.get(f"http://127.0.0.1:{site.server_port}/")
            WebDriverWait(self.driver, 10).until(lambda d: d.current_url.startswith(BASE))
            self.assertIn("Log ind fra beskplans egen side", self.driver.find_element(By.TAG_NAME, "body").text)
            self.driver.get(BASE + "/")
            self.assertTrue(self.driver.current_url.endswith("/login"), "the browser is not signed in: " + self.driver.current_url)
        finally:
            site.shutdown()

    def test_a_post_without_the_csrf_token_is_refused(self):
        """A form posted from elsewhere carries the cookie (were it not SameSite) but not the token."""
        self.log_in("v-updater")
        status = self.driver.execute_script(
            "return fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            " body: 'status=opfyldt&note=x'}).then(r => r.status)", BASE + PLAN + "/maal/4.2/noter")
        self.assertEqual(status, 403)

    def test_an_editor_fixes_a_plan_error_sees_the_diff_and_approves(self):
        self.log_in("v-editor")
        self.driver.get(BASE + "/kommuner/vesthimmerland/2020/plan")
        self.assertIn("Hvad følges der op på?", self.driver.page_source)  # the four-column schema
        self.assert_accessible()
        yaml = self.driver.find_element(By.ID, "yaml").get_attribute("value")
        lines = yaml.split("\n")
        broken_line = next(i for i, line in enumerate(lines) if "measure: " in line)
        broken = list(lines)
        broken[broken_line] = broken[broken_line].split("measure: ")[0] + "measure: ingen.saadan.maaling"
        self.set_yaml("\n".join(broken))
        errors = self.driver.find_element(By.CSS_SELECTOR, ".plan-errors").text
        self.assertIn(f"Linje {broken_line + 1}, kolonne", errors)
        self.assertIn("ingen.saadan.maaling", errors)
        self.assert_accessible()
        # Fixed, with a new title: saved as version 2.
        self.set_yaml(yaml.replace("title: Beskæftigelsesplan 2020", "title: Beskæftigelsesplan 2020 (revideret)", 1))
        self.assertIn("Gemt som version 2", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        self.driver.get(BASE + "/kommuner/vesthimmerland/2020/plan/versioner")
        self.assertIn("revideret", self.driver.find_element(By.CSS_SELECTOR, "ul.diff").text)
        self.assert_accessible()
        # Approved: a third version, and no more editing.
        self.driver.get(BASE + "/kommuner/vesthimmerland/2020/plan")
        self.driver.find_element(By.CSS_SELECTOR, "form.approve button").click()
        self.assertIn("Gemt som version 3", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        self.assertIn("godkendt", self.driver.find_element(By.CSS_SELECTOR, "p.lead").text)
        self.assertEqual(self.driver.find_elements(By.ID, "yaml"), [])

    def test_an_editor_starts_next_years_plan_sees_what_the_rules_changed_and_keeps_a_drafted_sentence(self):
        # Samsø's admin (Vesthimmerland's newest plan stays 2020 for the dashboard's scenario); the
        # public page's scenario finds this 2025 draft if it runs later.
        self.log_in("s-admin")
        self.driver.get(BASE + "/kommuner/samsoe/2024/plan")
        self.driver.find_element(By.XPATH, "//button[contains(., 'Start planen for 2025')]").click()
        WebDriverWait(self.driver, 10).until(lambda d: "/2025/plan" in d.current_url)
        changes = self.driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=forced]").text
        self.assertIn("Det, årets regler ændrede", changes)
        self.assertIn("er nu et lokalt mål: ministermålene er afskaffet (Lov nr. 1656 af 30. december 2024", changes)
        drafts = self.driver.find_element(By.CSS_SELECTOR, "section.drafts")
        self.assertIn("forslag", drafts.text)
        self.assert_accessible()
        # The first drafted sentence, rewritten and kept in the plan: a new version, marked as the plan's.
        form = drafts.find_element(By.TAG_NAME, "form")
        field = form.find_element(By.TAG_NAME, "textarea")
        self.assertRegex(field.get_attribute("value"), r"i Samsø (steg|faldt|var)")
        field.clear()
        field.send_keys("Færre er på offentlig forsørgelse end for et år siden.")
        form.find_element(By.TAG_NAME, "button").click()
        self.assertIn("Gemt som version 2", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        kept = self.driver.find_element(By.CSS_SELECTOR, "section.drafts form")
        self.assertIn("i planen", kept.text)
        self.assertEqual(kept.find_element(By.TAG_NAME, "textarea").get_attribute("value"), "Færre er på offentlig forsørgelse end for et år siden.")
        self.assert_accessible()

    def set_yaml(self, text):
        """Puts the text in the editor field (typing thousands of characters is slow) and saves."""
        field = self.driver.find_element(By.ID, "yaml")
        self.driver.execute_script("arguments[0].value = arguments[1]", field, text)
        field.find_element(By.XPATH, "./ancestor::form").find_element(By.TAG_NAME, "button").click()

    def test_a_viewer_cannot_reach_the_plan_editor(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + "/kommuner/vesthimmerland/2020/plan")
        self.assertEqual(self.driver.find_elements(By.ID, "yaml"), [])
        csrf = self.driver.find_element(By.CSS_SELECTOR, "form.logout input[name=csrf]").get_attribute("value")
        status = self.driver.execute_script(
            "return fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            " body: 'csrf=' + arguments[1] + '&version=1&yaml=x'}).then(r => r.status)",
            BASE + "/kommuner/vesthimmerland/2020/plan", csrf)
        self.assertEqual(status, 403)

    def test_the_follow_up_is_not_final_while_a_red_target_lacks_its_note_and_its_docx_opens(self):
        self.log_in("v-editor")
        self.driver.get(BASE + PLAN + "/opfoelgning")
        self.assertIn("mangler en note", self.driver.page_source)
        self.assert_accessible()
        self.driver.find_element(By.CSS_SELECTOR, "form.finalize button").click()
        self.assertIn("Opfølgningen mangler noter", self.driver.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        # The Word download, fetched with the browser's own session: a real OOXML package.
        href = self.driver.find_element(By.PARTIAL_LINK_TEXT, "DOCX").get_attribute("href")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie})) as response:
            self.assertIn("filename=\"vesthimmerland-2019-followup.docx\"", response.headers["Content-Disposition"])
            package = zipfile.ZipFile(io.BytesIO(response.read()))
        self.assertIn("word/document.xml", package.namelist())
        self.assertIn("[Content_Types].xml", package.namelist())

    def test_the_yearwheel_lists_the_months_and_the_calendar_link(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + PLAN + "/aarshjul")
        self.assertIn("Februar", self.driver.find_element(By.TAG_NAME, "table").text)
        self.assertTrue(self.driver.find_element(By.PARTIAL_LINK_TEXT, "aarshjul.ics").get_attribute("href").endswith("/plans/2019/aarshjul.ics"))
        self.assert_accessible()

    def test_compare_ranks_the_kommune_among_all_kommuner(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + PLAN + "/sammenlign")
        lead = self.driver.find_element(By.CSS_SELECTOR, "p.lead").text
        self.assertRegex(lead, r"Vesthimmerland er nr\. \d+ af 98")
        self.assertIn("(denne kommune)", self.driver.find_element(By.CSS_SELECTOR, "tr.self").text)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "tbody tr")), 98)
        self.assert_accessible()

    def test_an_admin_adds_changes_and_disables_a_user_and_reads_the_log(self):
        self.log_in("s-admin")
        self.driver.get(BASE + "/kommuner/samsoe/admin")
        self.assert_accessible()
        self.driver.find_element(By.ID, "new-username").send_keys("s-ny-bruger")
        self.driver.find_element(By.ID, "new-password").send_keys("et-helt-nyt-kodeord")
        self.driver.find_element(By.ID, "new-username").find_element(By.XPATH, "./ancestor::form").submit()
        self.assertIn("s-ny-bruger er oprettet", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        Select(self.driver.find_element(By.ID, "role-s-ny-bruger")).select_by_visible_text("opdaterer")
        self.driver.find_element(By.CSS_SELECTOR, "form[action$='/brugere/s-ny-bruger'] button[value=role]").click()
        # Each click posts a form and the page comes back: read the user's row from the new page,
        # not the one the click left (a row found before the reload goes stale under the test).
        row_text = lambda d: d.find_element(By.XPATH, "//th[text()='s-ny-bruger']/..").text
        WebDriverWait(self.driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: "opdaterer" in row_text(d))
        self.driver.find_element(By.XPATH, "//th[text()='s-ny-bruger']/..").find_element(By.CSS_SELECTOR, "button[value=disable]").click()
        WebDriverWait(self.driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: "spærret" in row_text(d))
        self.assertIn("user.add", self.driver.find_element(By.CSS_SELECTOR, "table.sortable").text)

    def test_the_data_page_says_which_series_are_there_and_which_are_missing(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + PLAN + "/data")
        lead = self.driver.find_element(By.CSS_SELECTOR, "p.lead").text
        self.assertRegex(lead, r"\d+ af \d+ mangler")
        self.assertTrue(self.driver.find_elements(By.XPATH, "//td/span[text()='findes']"))
        self.assert_accessible()

    def test_an_editor_types_the_kommunes_own_figure_and_the_target_gets_its_status(self):
        target = BASE + "/kommuner/vesthimmerland/2020/maal/6.1.4"
        self.log_in("v-editor")
        self.driver.get(target)
        self.assertEqual("mangler data", self.driver.find_element(By.CSS_SELECTOR, "main .badge").text)
        self.assertIn("kommunens egne tal fra Rekruttering Himmerland", self.driver.find_element(By.CSS_SELECTOR, ".sources").text)
        self.driver.find_element(By.LINK_TEXT, "Skriv tallet, eller upload en fil").click()
        field = self.driver.find_element(By.NAME, "v|vesthimmerland.jobordrer_med_kandidater_andel|2020")
        field.clear()
        field.send_keys("92,5")
        self.driver.find_element(By.ID, "kilde").send_keys("Rekruttering Himmerlands opgørelse")
        self.driver.find_element(By.CSS_SELECTOR, "form.local-figures button[type=submit]").click()
        WebDriverWait(self.driver, 10).until(lambda d: "gemt=" in d.current_url)
        self.assertIn("Gemt: 1 tal", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        self.assert_accessible()
        self.driver.get(target)
        self.assertEqual("opfyldt", self.driver.find_element(By.CSS_SELECTOR, "main .badge").text)
        self.assertIn("92,5", self.driver.page_source)

    def test_an_editor_uploads_a_file_with_a_progress_bar_sees_its_preview_and_imports_it(self):
        self.log_in("v-editor")
        self.driver.get(BASE + PLAN + "/data")
        self.assert_accessible()
        with tempfile.NamedTemporaryFile("w", suffix=".xml", prefix="egne-tal-", delete=False) as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="urn:beskplan:feed:1" source="browser-test">\n'
                    '  <series measure="kontanthjaelp.nettoledige_fuldtidspersoner" area="820">\n'
                    '    <obs period="2031M01" value="149"/><obs period="2031M02" value="147"/>\n  </series>\n</feed>\n')
        # The script's progress bar: every value it shows is kept in the tab's sessionStorage, to read after the page changes.
        self.driver.execute_script(
            "sessionStorage.removeItem('progress'); var bar = document.querySelector('form[data-progress] progress');"
            " new MutationObserver(function () { if (!bar.hidden) sessionStorage.setItem('progress', bar.value); })"
            ".observe(bar, {attributes: true});")
        self.driver.find_element(By.ID, "upload-file").send_keys(f.name)
        self.driver.find_element(By.CSS_SELECTOR, "form[data-progress] button[type=submit]").click()
        WebDriverWait(self.driver, 20).until(lambda d: "/data/upload/" in d.current_url)
        self.assertEqual(self.driver.execute_script("return sessionStorage.getItem('progress')"), "100", "the progress bar reached 100 %")
        main = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertIn(os.path.basename(f.name), main)
        self.assertIn("beskplan-feed", main)
        self.assertIn("En import vil gemme 1 talrække med 2 tal", main)
        self.assert_accessible()
        self.driver.find_element(By.CSS_SELECTOR, "button[value=import]").click()
        # The preview has a status line too: wait for the page the import leads to.
        WebDriverWait(self.driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: "Importeret (import nr." in d.find_element(By.TAG_NAME, "main").text)
        os.unlink(f.name)

    def test_an_editor_changes_a_goal_title_in_the_form_and_a_wrong_number_is_shown(self):
        self.log_in("v-editor")
        self.driver.get(BASE + PLAN + "/plan")
        self.driver.find_element(By.PARTIAL_LINK_TEXT, "i en formular").click()
        self.assert_accessible()
        value = self.driver.find_element(By.CSS_SELECTOR, "input[name$=':value']")
        original = value.get_attribute("value")
        value.clear()
        value.send_keys("mange")
        value.submit()
        self.assertIn("er ikke et tal", self.driver.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        title = self.driver.find_element(By.ID, "goal-2-title")
        title.send_keys(" (ny formulering)")
        value = self.driver.find_element(By.CSS_SELECTOR, "input[name$=':value']")
        self.assertEqual(value.get_attribute("value"), "mange", "what was typed is kept")
        value.clear()
        value.send_keys(original)
        title.submit()
        self.assertIn("Gemt som version", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        self.assertIn("(ny formulering)", self.driver.find_element(By.ID, "maal-2").text)

    def test_the_plan_editor_checks_the_yaml_while_it_is_typed(self):
        self.log_in("v-editor")
        self.driver.get(BASE + PLAN + "/plan")
        field = self.driver.find_element(By.ID, "yaml")
        yaml = field.get_attribute("value")
        def typed(text):
            self.driver.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", field, text)
        typed(yaml.replace("measure: ", "measure: ingen.", 1))
        WebDriverWait(self.driver, 10).until(lambda d: "fejl" in d.find_element(By.ID, "yaml-check").text)
        self.assertIn("ingen.", self.driver.find_element(By.ID, "yaml-check").text)
        typed(yaml)
        WebDriverWait(self.driver, 10).until(lambda d: "Planen kan gemmes" in d.find_element(By.ID, "yaml-check").text)

    def test_an_admin_makes_a_token_sees_it_once_and_revokes_it(self):
        self.log_in("s-admin")
        self.driver.get(BASE + "/kommuner/samsoe/admin")
        self.driver.find_element(By.ID, "token-label").send_keys("browser-rapport")
        self.driver.find_element(By.ID, "token-label").submit()
        token = self.driver.find_element(By.CSS_SELECTOR, "code.token").text
        self.assertTrue(token.startswith("bp_"), token)
        self.assert_accessible()
        self.driver.get(BASE + "/kommuner/samsoe/admin")
        self.assertNotIn(token, self.driver.page_source)
        self.driver.find_element(By.CSS_SELECTOR, "button[aria-label='Spær tokenet browser-rapport']").click()
        self.assertIn("token er spærret", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        request = urllib.request.Request(BASE + "/api/v1/session", headers={"Authorization": "Bearer " + token})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        self.assertEqual(refused.exception.code, 401)

    def test_a_viewer_cannot_reach_the_admin_page(self):
        self.log_in("v-viewer")
        self.driver.get(BASE + "/kommuner/vesthimmerland/admin")
        self.assertIn("Du har ikke adgang", self.driver.find_element(By.TAG_NAME, "h1").text)

    def test_pages_carry_a_strict_content_security_policy(self):
        with urllib.request.urlopen(BASE + "/login") as response:
            policy = response.headers["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)


class Public(unittest.TestCase):
    def api(self, method, path, body=None):
        request = urllib.request.Request(
            BASE + "/api/v1" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "Bearer " + os.environ["BESKPLAN_ADMIN_TOKEN"], "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return response.status

    def test_the_public_page_shows_the_approved_plan_without_login_and_hides_drafts(self):
        driver = browser()
        try:
            driver.get(BASE + "/offentlig/samsoe")
            self.assertIn("findes ikke", driver.find_element(By.TAG_NAME, "h1").text, "nothing before the kommune publishes")
            self.assertEqual(self.api("PUT", "/kommuner/samsoe/publication", {"published": True}), 200)
            try:  # a draft for 2025, unless the plan page's scenario made it already
                self.assertEqual(self.api("POST", "/kommuner/samsoe/plans/2025/carry-forward"), 201)
            except urllib.error.HTTPError as refused:
                self.assertEqual(refused.code, 409)
            driver.get(BASE + "/offentlig/samsoe")
            self.assertEqual(driver.find_element(By.TAG_NAME, "h1").text, "Beskæftigelsesplan 2024")
            self.assertNotIn("2025", driver.find_element(By.TAG_NAME, "main").text)
            self.assertEqual(driver.find_elements(By.CSS_SELECTOR, "form.logout"), [], "no one is signed in")
            Pages.assert_accessible(self.with_driver(driver))
            # Drafts and the kommune's own pages stay closed to the public.
            driver.get(BASE + "/kommuner/samsoe/2025/plan")
            self.assertTrue(driver.current_url.startswith(BASE + "/login"), driver.current_url)
        finally:
            driver.quit()

    def with_driver(self, driver):
        self.driver = driver
        return self


class Phone(unittest.TestCase):
    def test_dashboard_fits_a_390_pixel_phone(self):
        driver = browser(phone=True)
        try:
            log_in(driver, "v-viewer")
            self.assertEqual(driver.execute_script("return window.innerWidth"), 390)
            for path in ("/login", PLAN, PLAN + "/maal/4.1"):
                driver.get(BASE + path)
                width = driver.execute_script("return document.documentElement.scrollWidth")
                widest = driver.execute_script(
                    "var w = null; document.querySelectorAll('body *').forEach(function (e) {"
                    " var r = e.getBoundingClientRect(); if (r.right > 390 && (!w || r.right > w.r)) w = {t: e.tagName + '.' + e.className, r: r.right}; });"
                    " return w && (w.t + ' ' + w.r);")
                self.assertLessEqual(width, 390, f"{path}: sideways scrolling on a phone, from {widest}")
        finally:
            driver.quit()


if __name__ == "__main__":
    unittest.main(verbosity=2)
