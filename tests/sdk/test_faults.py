"""boto3's retry logic against dynacond's fault rules (`dynacond serve`).

    python3 tests/sdk/test_faults.py --binary target/debug/dynacond

Each test sets rules with `POST /dynacond/faults` and checks what boto3
sees: retried throttling and server errors that succeed once the rule runs
out, a transaction conflict with its cancellation reasons, unprocessed
batch items that boto3's batch writer resends, and fixtures loaded with
`--load`.
"""

import argparse
import json
import os
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

import boto3
import botocore.config
from botocore.exceptions import ClientError

import test_endpoint
from test_endpoint import Endpoint, client, create_users, credentials


def retrying_client(url, attempts=5):
    """A client with botocore's standard retry mode, `attempts` tries in all."""
    config = botocore.config.Config(retries={"total_max_attempts": attempts, "mode": "standard"})
    return boto3.client("dynamodb", endpoint_url=url, config=config, **credentials())


class Boto3RetriesFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)
        create_users(cls.ddb, "faulted")

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def setUp(self):
        self.endpoint.control("DELETE", "/dynacond/faults")

    def rules(self, *rules):
        return self.endpoint.control("POST", "/dynacond/faults", {"rules": list(rules)})

    def test_throttling_is_retried_and_succeeds_after_the_rule_runs_out(self):
        for name in ["ProvisionedThroughputExceededException", "ThrottlingException"]:
            with self.subTest(name):
                self.rules({"operation": "PutItem", "table": "faulted", "error": name, "times": 2})
                ddb = retrying_client(self.endpoint.url)
                answer = ddb.put_item(TableName="faulted", Item={"id": {"S": name}})
                self.assertEqual(answer["ResponseMetadata"]["RetryAttempts"], 2)
                listed = self.endpoint.control("GET", "/dynacond/faults")["rules"]
                self.assertEqual((listed[0]["remaining"], listed[0]["fired"]), (0, 2))
                got = ddb.get_item(TableName="faulted", Key={"id": {"S": name}})
                self.assertIn("Item", got)

    def test_server_errors_are_retried_too(self):
        self.rules(
            {"operation": "GetItem", "error": "InternalServerError", "times": 1},
            {"operation": "GetItem", "error": "ServiceUnavailable", "times": 1},
        )
        ddb = retrying_client(self.endpoint.url)
        answer = ddb.get_item(TableName="faulted", Key={"id": {"S": "none"}})
        self.assertEqual(answer["ResponseMetadata"]["RetryAttempts"], 2)

    def test_without_retries_the_error_reaches_the_caller_and_nothing_is_written(self):
        self.rules({"operation": "PutItem", "error": "ProvisionedThroughputExceededException", "times": 1})
        with self.assertRaises(ClientError) as raised:
            retrying_client(self.endpoint.url, attempts=1).put_item(
                TableName="faulted", Item={"id": {"S": "refused"}}
            )
        error = raised.exception.response
        self.assertEqual(error["Error"]["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertNotIn("Item", self.ddb.get_item(TableName="faulted", Key={"id": {"S": "refused"}}))

    def test_retries_run_out_while_the_rule_lasts(self):
        self.rules({"operation": "Scan", "error": "ThrottlingException", "times": 10})
        ddb = retrying_client(self.endpoint.url, attempts=3)
        with self.assertRaises(ClientError) as raised:
            ddb.scan(TableName="faulted")
        self.assertEqual(raised.exception.response["Error"]["Code"], "ThrottlingException")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["RetryAttempts"], 2)
        listed = self.endpoint.control("GET", "/dynacond/faults")["rules"]
        self.assertEqual(listed[0]["remaining"], 7)

    def test_a_transaction_conflict_on_the_chosen_action(self):
        self.rules({"operation": "TransactWriteItems", "error": "TransactionCanceledException", "action": 1, "times": 1})
        items = [
            {"Put": {"TableName": "faulted", "Item": {"id": {"S": "t1"}}}},
            {"Put": {"TableName": "faulted", "Item": {"id": {"S": "t2"}}}},
        ]
        with self.assertRaises(ClientError) as raised:
            self.ddb.transact_write_items(TransactItems=items)
        response = raised.exception.response
        self.assertEqual(response["Error"]["Code"], "TransactionCanceledException")
        codes = [reason["Code"] for reason in response["CancellationReasons"]]
        self.assertEqual(codes, ["None", "TransactionConflict"])
        self.assertNotIn("Item", self.ddb.get_item(TableName="faulted", Key={"id": {"S": "t1"}}))
        self.ddb.transact_write_items(TransactItems=items)
        self.assertIn("Item", self.ddb.get_item(TableName="faulted", Key={"id": {"S": "t1"}}))

    def test_unprocessed_items_are_resent_by_the_batch_writer(self):
        self.rules({"operation": "BatchWriteItem", "unprocessed": True, "action": 0, "times": 3})
        answer = self.ddb.batch_write_item(RequestItems={"faulted": [
            {"PutRequest": {"Item": {"id": {"S": "b0"}}}},
            {"PutRequest": {"Item": {"id": {"S": "b1"}}}},
        ]})
        self.assertEqual(
            answer["UnprocessedItems"], {"faulted": [{"PutRequest": {"Item": {"id": {"S": "b0"}}}}]}
        )
        resource = boto3.resource("dynamodb", endpoint_url=self.endpoint.url, **credentials())
        table = resource.Table("faulted")
        with table.batch_writer() as batch:
            for i in range(5):
                batch.put_item(Item={"id": f"w{i}"})
        for i in range(5):
            self.assertIn("Item", table.get_item(Key={"id": f"w{i}"}))
        listed = self.endpoint.control("GET", "/dynacond/faults")["rules"]
        self.assertEqual(listed[0]["remaining"], 0)

    def test_a_bad_rule_set_is_a_400_and_changes_nothing(self):
        self.rules({"operation": "GetItem", "error": "ThrottlingException"})
        with self.assertRaises(urllib.error.HTTPError) as raised:
            self.rules({"operation": "GetItem", "eror": "ThrottlingException"})
        self.assertEqual(raised.exception.code, 400)
        self.assertIn("eror", json.loads(raised.exception.read())["message"])
        self.assertEqual(len(self.endpoint.control("GET", "/dynacond/faults")["rules"]), 1)


class FixturesAndHealth(unittest.TestCase):
    def test_load_scan_output_and_report_ready(self):
        with tempfile.TemporaryDirectory() as folder:
            scan = {"Items": [{"id": {"S": "s1"}, "n": {"N": "7"}}], "Count": 1, "ScannedCount": 1,
                    "ConsumedCapacity": None}
            with open(os.path.join(folder, "users-scan.json"), "w") as f:
                json.dump(scan, f)
            fixture = {"tables": [{
                "table": {"TableName": "users", "BillingMode": "PAY_PER_REQUEST",
                          "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                          "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]},
                "items": "users-scan.json"}]}
            path = os.path.join(folder, "fixture.json")
            with open(path, "w") as f:
                json.dump(fixture, f)
            endpoint = Endpoint("--load", path)
            try:
                self.assertEqual(endpoint.control("GET", "/dynacond/health"), {"status": "ready"})
                got = client(endpoint.url).get_item(TableName="users", Key={"id": {"S": "s1"}})
                self.assertEqual(got["Item"]["n"], {"N": "7"})
            finally:
                endpoint.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="the dynacond binary (built with --features server)")
    args, rest = parser.parse_known_args()
    test_endpoint.BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
