"""The web console in a real browser: headless Chromium driven by selenium
against `dynacond serve`, with data made through boto3.

    python3 tests/console/test_console.py --binary target/debug/dynacond \
        [--screenshots target/console-screenshots]

Needs Debian's `chromium` and `chromium-driver` (/usr/bin/chromium and
/usr/bin/chromedriver, or CHROMIUM / CHROMEDRIVER in the environment) and
selenium and boto3 from PyPI. Each step saves a screenshot for a person to
look at.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sdk"))

import test_endpoint  # noqa: E402
from test_endpoint import Endpoint, client  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SCREENSHOTS = None
TABLE = "console_orders"

# A fixed explanation in the shape `POST /dynacond/explain` answers, for the
# drawing alone: the AND's right side decided; an OR branch not evaluated.
SAMPLE = {
    "result": False,
    "text": "attribute_exists(pk) AND (version = :v OR #s = :s) -> false",
    "newItem": None,
    "tree": {
        "kind": "and", "text": "attribute_exists(pk) AND (version = :v OR #s = :s)",
        "outcome": False, "decisive": False, "operands": [],
        "children": [
            {"kind": "function", "text": "attribute_exists(pk)", "outcome": True, "decisive": False,
             "operands": [{"text": "pk", "value": {"S": "a"}}], "children": []},
            {"kind": "or", "text": "version = :v OR #s = :s", "outcome": False, "decisive": True,
             "operands": [], "children": [
                 {"kind": "comparison", "text": "version = :v", "outcome": False, "decisive": True,
                  "operands": [{"text": "version", "value": None}, {"text": ":v", "value": {"N": "2"}}],
                  "note": "version is missing", "children": []},
                 {"kind": "comparison", "text": "#s = :s", "outcome": None, "decisive": False,
                  "operands": [], "children": []},
             ]},
        ],
    },
}


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)
        cls.ddb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
                {"AttributeName": "status", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[{
                "IndexName": "by_status",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }],
            BillingMode="PAY_PER_REQUEST",
        )
        for customer, count in [("customer#1", 20), ("customer#2", 10)]:
            for n in range(1, count + 1):
                cls.ddb.put_item(TableName=TABLE, Item={
                    "pk": {"S": customer}, "sk": {"N": str(n)},
                    "status": {"S": "open" if n % 2 else "shipped"},
                    "total": {"N": f"{n * 10}.5"}, "tags": {"SS": ["a", f"t{n}"]},
                })
        cls.profile = tempfile.mkdtemp(prefix="dynacond-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={cls.profile}"]:
            options.add_argument(arg)
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        cls.browser = webdriver.Chrome(service=service, options=options)
        cls.browser.set_page_load_timeout(20)
        cls.browser.set_script_timeout(20)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.browser.quit()
        finally:
            shutil.rmtree(cls.profile, ignore_errors=True)
            cls.endpoint.stop()

    # -- helpers --

    def open(self, view):
        self.browser.get(self.endpoint.url + "/#" + view)
        self.wait_visible("view-" + view)

    def wait(self, condition, timeout=10):
        return WebDriverWait(self.browser, timeout).until(condition)

    def wait_visible(self, element_id):
        return self.wait(EC.visibility_of_element_located((By.ID, element_id)))

    def wait_text(self, element_id, text):
        self.wait(EC.text_to_be_present_in_element((By.ID, element_id), text))
        return self.by_id(element_id).text

    def by_id(self, element_id):
        return self.browser.find_element(By.ID, element_id)

    def fill(self, element_id, text):
        field = self.by_id(element_id)
        field.clear()
        field.send_keys(text)

    def rows(self, grid_id):
        return self.browser.find_elements(By.CSS_SELECTOR, f"#{grid_id} tbody tr")

    def screenshot(self, name):
        if SCREENSHOTS:
            self.browser.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))

    # -- the tests, in order --

    def test_1_tables_list_names_keys_indexes_and_counts(self):
        self.open("tables")
        self.wait_text("tables-list", TABLE)
        row = self.browser.find_element(By.XPATH, f"//table[@id='tables-list']//tr[th='{TABLE}']")
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        self.assertEqual(cells[0], "pk (partition), sk (sort)")
        self.assertIn("GSI by_status", cells[1])
        self.assertEqual(cells[2], "30")
        self.screenshot("1-tables")

    def test_2_item_browser_pages_with_scan(self):
        self.open("tables")
        self.wait_text("tables-list", TABLE)
        self.browser.find_element(By.CSS_SELECTOR, f"a[href='#items'][data-table='{TABLE}']").click()
        self.wait_text("items-status", "25 items on this page")
        self.assertEqual(len(self.rows("items-grid")), 25)
        headers = [th.text for th in self.browser.find_elements(By.CSS_SELECTOR, "#items-grid thead th")]
        self.assertEqual(headers[1:3], ["pk", "sk"])
        self.screenshot("2-items-page-1")
        self.by_id("items-next").click()
        self.wait_text("items-status", "5 items on this page")
        self.assertTrue(self.by_id("items-next").get_attribute("disabled"))
        self.by_id("items-prev").click()
        self.wait_text("items-status", "25 items on this page")

    def test_3_query_with_a_filter(self):
        self.open("query")
        Select(self.by_id("q-table")).select_by_value(TABLE)
        self.fill("q-key", "pk = :pk")
        self.fill("q-filter", "#s = :s")
        self.fill("q-names", '{"#s": "status"}')
        self.fill("q-values", '{":pk": {"S": "customer#1"}, ":s": {"S": "open"}}')
        self.by_id("q-run").click()
        status = self.wait_text("q-status", "returned")
        self.assertIn("Query: 10 returned, 20 scanned", status)
        self.assertEqual(len(self.rows("q-grid")), 10)
        self.screenshot("3-query")
        # Through the index, with a bad expression: DynamoDB's own message.
        Select(self.by_id("q-index")).select_by_value("by_status")
        self.fill("q-key", "#s = :s AND")
        self.by_id("q-run").click()
        status = self.wait_text("q-status", "ValidationException")
        self.assertIn("Invalid KeyConditionExpression", status)

    def test_4_edit_an_item_in_plain_json_and_see_it_through_getitem(self):
        self.open("items")
        Select(self.by_id("items-table")).select_by_value(TABLE)
        self.wait_text("items-status", "items on this page")
        self.browser.find_element(By.CSS_SELECTOR, "#items-grid tbody tr button").click()
        self.wait_visible("editor")
        shown = json.loads(self.by_id("editor-text").get_attribute("value"))
        pk, sk = shown["pk"]["S"], shown["sk"]["N"]
        self.assertEqual(shown["tags"]["SS"][0], "a")
        self.browser.find_element(By.CSS_SELECTOR, "input[name='editor-view'][value='plain']").click()
        self.wait_text("editor-note", "has set values")
        text = self.by_id("editor-text").get_attribute("value")
        self.assertIn(f'"sk": {sk}', text)
        self.fill("editor-text", f'{{"pk": "{pk}", "sk": {sk}, "status": "open", "note": "edited in the console", "qty": 12345678901234567890}}')
        self.by_id("editor-save").click()
        self.wait_text("editor-status", "Saved.")
        got = self.ddb.get_item(TableName=TABLE, Key={"pk": {"S": pk}, "sk": {"N": sk}})["Item"]
        self.assertEqual(got["note"], {"S": "edited in the console"})
        self.assertEqual(got["qty"], {"N": "12345678901234567890"})
        self.assertNotIn("tags", got)
        self.screenshot("4-editor-saved")
        # DynamoDB's validation message on a bad save, and nothing written.
        self.browser.find_element(By.CSS_SELECTOR, "input[name='editor-view'][value='ddb']").click()
        self.fill("editor-text", f'{{"pk": {{"S": "{pk}"}}, "sk": {{"N": "{sk}"}}, "bad": {{"SS": []}}}}')
        self.by_id("editor-save").click()
        status = self.wait_text("editor-status", "ValidationException")
        self.assertIn("An string set may not be empty", status)
        self.screenshot("4-editor-validation-error")
        again = self.ddb.get_item(TableName=TABLE, Key={"pk": {"S": pk}, "sk": {"N": sk}})["Item"]
        self.assertEqual(again, got)

    def test_5_playground_draws_a_fixed_explanation_with_skipped_branches(self):
        self.open("playground")
        self.browser.execute_script("window.dynacond.drawExplanation(arguments[0])", SAMPLE)
        self.wait_text("pg-verdict", "The condition is false")
        decisive = [n.text for n in self.browser.find_elements(By.CSS_SELECTOR, "#pg-tree .node.decisive")]
        self.assertEqual(len(decisive), 2)
        self.assertIn("version = :v", decisive[1])
        self.assertIn("missing", decisive[1])
        skipped = self.browser.find_elements(By.CSS_SELECTOR, "#pg-tree .node.skipped")
        self.assertEqual([n.find_element(By.CLASS_NAME, "expr").text for n in skipped], ["#s = :s"])
        self.assertIn("not evaluated", skipped[0].text)

    def test_5_playground_explains_a_failing_condition_on_a_stored_item(self):
        self.open("playground")
        self.browser.find_element(By.CSS_SELECTOR, "input[name='pg-source'][value='table']").click()
        self.wait_visible("pg-bykey")
        Select(self.by_id("pg-table")).select_by_value(TABLE)
        self.fill("pg-key", '{"pk": {"S": "customer#2"}, "sk": {"N": "3"}}')
        self.fill("pg-condition", "#s = :s AND #t > :min")
        self.fill("pg-update", "SET #t = #t + :min")
        self.fill("pg-names", '{"#s": "status", "#t": "total"}')
        self.fill("pg-values", '{":s": {"S": "shipped"}, ":min": {"N": "5"}}')
        self.by_id("pg-run").click()
        self.wait_text("pg-verdict", "The condition is false")
        decisive = [n.find_element(By.CLASS_NAME, "expr").text
                    for n in self.browser.find_elements(By.CSS_SELECTOR, "#pg-tree .node.decisive")]
        self.assertIn("#s = :s", decisive)
        deciding = self.browser.find_element(By.XPATH, "//div[contains(@class,'decisive')][span[@class='expr' and text()='#s = :s']]")
        self.assertIn('{"S":"open"}', deciding.text)
        skipped = self.browser.find_elements(By.CSS_SELECTOR, "#pg-tree .node.skipped .expr")
        self.assertEqual([n.text for n in skipped], ["#t > :min"])
        self.assertFalse(self.by_id("pg-new-box").is_displayed())
        self.screenshot("5-playground-failing-condition")
        # A condition that holds: the update's result is shown; nothing is written.
        self.fill("pg-values", '{":s": {"S": "open"}, ":min": {"N": "5"}}')
        self.by_id("pg-run").click()
        self.wait_text("pg-verdict", "The condition is true")
        self.wait_visible("pg-new-box")
        self.assertIn('"N": "35.5"', self.by_id("pg-new").text)
        stored = self.ddb.get_item(TableName=TABLE, Key={"pk": {"S": "customer#2"}, "sk": {"N": "3"}})["Item"]
        self.assertEqual(stored["total"], {"N": "30.5"})
        # A bad expression: DynamoDB's message.
        self.fill("pg-condition", "#s = = :s")
        self.by_id("pg-run").click()
        self.wait_text("pg-status", "ValidationException")

    def test_6_request_log_shows_operations_errors_and_latency(self):
        self.open("log")
        self.wait_text("log-grid", "PutItem")
        # Read in one script: the live log redraws its rows every 2 s.
        rows = "return [...document.querySelectorAll('#log-grid tbody tr')].map(r => [r.className, r.innerText])"
        failed = [text for kind, text in self.browser.execute_script(rows) if kind == "failed"]
        self.assertTrue(any("ValidationException" in r and TABLE in r and "PutItem" in r for r in failed), failed)
        self.by_id("log-errors").click()
        self.wait(lambda b: {kind for kind, _ in b.execute_script(rows)} == {"failed"})
        self.screenshot("6-request-log")

    def test_7_server_controls_drive_the_clock_and_report_missing_calls(self):
        self.open("server")
        self.wait_text("clock-now", "system clock")
        self.fill("clock-seconds", "0")
        self.by_id("clock-set").click()
        self.wait_text("clock-now", "1970-01-01T00:00:00.000Z (manual)")
        self.by_id("clock-system").click()
        self.wait_text("clock-now", "system clock")
        self.fill("faults-text", '[{"operation": "Nope"}]')
        self.by_id("faults-apply").click()
        self.wait_text("faults-status", "ValidationException")
        self.by_id("faults-load").click()
        self.wait_text("faults-status", "0 rules")
        self.by_id("state-snapshot").click()
        # Snapshots come from another branch: taken, or the server's 404 shown.
        self.wait(lambda b: self.by_id("state-status").text not in ("", "Working…"))
        status = self.by_id("state-status").text
        self.assertTrue(status == "Snapshot taken." or "has no /dynacond/snapshot call" in status, status)
        self.screenshot("7-server")


def main():
    global SCREENSHOTS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="the dynacond binary (built with --features server)")
    parser.add_argument("--screenshots", help="a folder for the screenshots")
    args, rest = parser.parse_known_args()
    test_endpoint.BINARY = os.path.abspath(args.binary)
    os.environ.update(test_endpoint.ENV)
    os.environ.setdefault("SE_OFFLINE", "true")
    if args.screenshots:
        SCREENSHOTS = os.path.abspath(args.screenshots)
        os.makedirs(SCREENSHOTS, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
