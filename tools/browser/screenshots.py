"""Every page at desktop and phone size, as PNGs, for people to look at (tools/screenshots)."""

import json
import os
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from test_pages import BASE, browser, log_in  # noqa: E402

OUT = os.environ["BESKPLAN_SCREENSHOTS"]
PAGES = [
    ("login", None, "/login"),
    ("dashboard", "v-editor", "/kommuner/vesthimmerland/2019"),
    ("target", "v-editor", "/kommuner/vesthimmerland/2019/maal/4.1"),
    ("plan", "v-editor", "/kommuner/vesthimmerland/2020/plan"),
    ("plan-fields", "v-editor", "/kommuner/vesthimmerland/2020/plan/felter"),
    ("versions", "v-editor", "/kommuner/vesthimmerland/2020/plan/versioner"),
    ("followup", "v-editor", "/kommuner/vesthimmerland/2019/opfoelgning"),
    ("aarshjul", "v-editor", "/kommuner/vesthimmerland/2019/aarshjul"),
    ("data", "v-editor", "/kommuner/vesthimmerland/2019/data"),
    ("compare", "v-editor", "/kommuner/vesthimmerland/2019/sammenlign"),
    ("forbidden", "v-editor", "/kommuner/samsoe/2024"),
    ("admin", "s-admin", "/kommuner/samsoe/admin"),
    ("public", None, "/offentlig/samsoe"),
]

# Samsø publishes, so that its public page has something to show.
urllib.request.urlopen(urllib.request.Request(
    BASE + "/api/v1/kommuner/samsoe/publication", method="PUT", data=json.dumps({"published": True}).encode(),
    headers={"Authorization": "Bearer " + os.environ["BESKPLAN_ADMIN_TOKEN"], "Content-Type": "application/json"}))

for size, phone in (("desktop", False), ("phone", True)):
    driver = browser(phone=phone)
    signed_in = None
    try:
        for name, user, path in PAGES:
            if user != signed_in:
                driver.delete_all_cookies()
                if user:
                    log_in(driver, user)
                signed_in = user
            driver.get(BASE + path)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            if not phone:
                driver.set_window_size(1280, min(max(height, 900), 4000))
            target = os.path.join(OUT, f"{name}-{size}.png")
            driver.find_element(By.TAG_NAME, "body").screenshot(target)
            print(target)
        # An upload's preview: AUK01 as PX (real figures, five areas), on Vesthimmerland's data page.
        driver.delete_all_cookies()
        log_in(driver, "v-editor")
        driver.get(BASE + "/kommuner/vesthimmerland/2019/data")
        driver.find_element(By.ID, "upload-file").send_keys(os.path.abspath("Tests/AppSupportTests/Cubes/Fixtures/auk01-2025.px"))
        driver.find_element(By.CSS_SELECTOR, "form[data-progress] button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "/data/upload/" in d.current_url)
        if not phone:
            driver.set_window_size(1280, min(max(driver.execute_script("return document.documentElement.scrollHeight"), 900), 4000))
        target = os.path.join(OUT, f"upload-{size}.png")
        driver.find_element(By.TAG_NAME, "body").screenshot(target)
        print(target)
    finally:
        driver.quit()
