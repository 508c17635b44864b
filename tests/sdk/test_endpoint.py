"""Real AWS clients against `dynacond serve`: boto3 and the aws CLI.

Run by `.ci/run` after it installs boto3 and awscli from PyPI:

    python3 tests/sdk/test_endpoint.py --binary target/debug/dynacond

Each test class starts its own server on a free loopback port. The clients
are configured only through the endpoint URL and dummy credentials, as a
user would point them at DynamoDB Local or a real region.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import unittest
import urllib.request

import boto3
import botocore.config
from boto3.dynamodb.conditions import Attr, Key

BINARY = None

ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_PAGER": "",
}


class Endpoint:
    """A `dynacond serve --port 0` process and its URL."""

    def __init__(self, *options):
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.process.kill()
            raise RuntimeError(f"unexpected first line from dynacond serve: {line!r}")
        self.url = line[len(prefix):]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=10)
        self.process.stdout.close()
        if code != 0:
            raise RuntimeError(f"dynacond serve exited with {code} on SIGTERM")


    def control(self, method, path, body=None):
        """A dynacond control call (or LocalStack's sweep path); its JSON answer."""
        data = json.dumps(body).encode() if body is not None else b""
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


def client(url):
    config = botocore.config.Config(retries={"max_attempts": 1})
    return boto3.client("dynamodb", endpoint_url=url, config=config, **credentials())


def credentials():
    return {
        "aws_access_key_id": ENV["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": ENV["AWS_SECRET_ACCESS_KEY"],
        "region_name": ENV["AWS_DEFAULT_REGION"],
    }


def create_users(ddb, name="users"):
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


class Boto3Client(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_a_full_session(self):
        ddb = self.ddb
        create_users(ddb)
        ddb.get_waiter("table_exists").wait(
            TableName="users", WaiterConfig={"Delay": 1, "MaxAttempts": 3}
        )
        table = ddb.describe_table(TableName="users")["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")

        # Conditional put: succeeds once, then the SDK raises the modelled exception.
        item = {"id": {"S": "u1"}, "visits": {"N": "1"}, "tags": {"SS": ["a", "b"]}}
        ddb.put_item(TableName="users", Item=item, ConditionExpression="attribute_not_exists(id)")
        with self.assertRaises(ddb.exceptions.ConditionalCheckFailedException) as raised:
            ddb.put_item(
                TableName="users",
                Item=item,
                ConditionExpression="attribute_not_exists(id)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        error = raised.exception.response
        self.assertEqual(error["Error"]["Code"], "ConditionalCheckFailedException")
        self.assertEqual(error["Error"]["Message"], "The conditional request failed")
        self.assertEqual(error["Item"]["visits"], {"N": "1"})
        self.assertEqual(len(error["ResponseMetadata"]["RequestId"]), 52)

        # Update with ReturnValues.
        updated = ddb.update_item(
            TableName="users",
            Key={"id": {"S": "u1"}},
            UpdateExpression="SET visits = visits + :one ADD tags :c",
            ConditionExpression="visits = :one",
            ExpressionAttributeValues={":one": {"N": "1"}, ":c": {"SS": ["c"]}},
            ReturnValues="UPDATED_NEW",
        )
        self.assertEqual(updated["Attributes"]["visits"], {"N": "2"})
        self.assertEqual(sorted(updated["Attributes"]["tags"]["SS"]), ["a", "b", "c"])

        got = ddb.get_item(TableName="users", Key={"id": {"S": "u1"}}, ProjectionExpression="visits")
        self.assertEqual(got["Item"], {"visits": {"N": "2"}})

        # A cancelled transaction: the SDK parses CancellationReasons.
        with self.assertRaises(ddb.exceptions.TransactionCanceledException) as raised:
            ddb.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": "users", "Item": {"id": {"S": "u2"}}}},
                    {
                        "ConditionCheck": {
                            "TableName": "users",
                            "Key": {"id": {"S": "u1"}},
                            "ConditionExpression": "visits > :n",
                            "ExpressionAttributeValues": {":n": {"N": "10"}},
                        }
                    },
                ]
            )
        reasons = raised.exception.response["CancellationReasons"]
        self.assertEqual([r["Code"] for r in reasons], ["None", "ConditionalCheckFailed"])
        self.assertNotIn("Item", ddb.get_item(TableName="users", Key={"id": {"S": "u2"}}))

        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "users", "Item": {"id": {"S": "u2"}}}},
                {"Delete": {"TableName": "users", "Key": {"id": {"S": "u1"}}}},
            ],
            ClientRequestToken="token-1",
        )
        read = ddb.transact_get_items(
            TransactItems=[
                {"Get": {"TableName": "users", "Key": {"id": {"S": "u1"}}}},
                {"Get": {"TableName": "users", "Key": {"id": {"S": "u2"}}}},
            ]
        )
        self.assertEqual(read["Responses"], [{}, {"Item": {"id": {"S": "u2"}}}])

        ddb.batch_write_item(
            RequestItems={
                "users": [
                    {"PutRequest": {"Item": {"id": {"S": f"b{i}"}, "n": {"N": str(i)}}}}
                    for i in range(25)
                ]
            }
        )
        batch = ddb.batch_get_item(
            RequestItems={"users": {"Keys": [{"id": {"S": f"b{i}"}} for i in range(30)]}}
        )
        self.assertEqual(len(batch["Responses"]["users"]), 25)
        self.assertEqual(batch["UnprocessedKeys"], {})

        deleted = ddb.delete_item(
            TableName="users", Key={"id": {"S": "u2"}}, ReturnValues="ALL_OLD"
        )
        self.assertEqual(deleted["Attributes"], {"id": {"S": "u2"}})
        ddb.delete_table(TableName="users")
        with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
            ddb.describe_table(TableName="users")

    def test_validation_errors_carry_dynamodbs_message(self):
        create_users(self.ddb, "valid")
        with self.assertRaises(self.ddb.exceptions.ClientError) as raised:
            self.ddb.put_item(
                TableName="valid",
                Item={"id": {"S": "x"}},
                ConditionExpression="a = ",
            )
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "ValidationException")
        self.assertEqual(
            error["Message"],
            'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "',
        )
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_legacy_parameters_of_older_mappers(self):
        # Version-attribute mappers still send Expected and AttributeUpdates.
        ddb = self.ddb
        create_users(ddb, "legacy")
        ddb.put_item(
            TableName="legacy",
            Item={"id": {"S": "v"}, "version": {"N": "1"}},
            Expected={"id": {"Exists": False}},
        )
        ddb.update_item(
            TableName="legacy",
            Key={"id": {"S": "v"}},
            AttributeUpdates={
                "version": {"Action": "ADD", "Value": {"N": "1"}},
                "log": {"Action": "ADD", "Value": {"L": [{"S": "bumped"}]}},
            },
            Expected={"version": {"Value": {"N": "1"}}},
        )
        with self.assertRaises(ddb.exceptions.ConditionalCheckFailedException):
            ddb.delete_item(
                TableName="legacy",
                Key={"id": {"S": "v"}},
                Expected={"version": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "2"}]}},
            )
        got = ddb.get_item(TableName="legacy", Key={"id": {"S": "v"}}, AttributesToGet=["version", "log"])
        self.assertEqual(got["Item"], {"version": {"N": "2"}, "log": {"L": [{"S": "bumped"}]}})
        with self.assertRaises(ddb.exceptions.ClientError) as raised:
            ddb.put_item(
                TableName="legacy",
                Item={"id": {"S": "w"}},
                Expected={"id": {"Exists": False}},
                ConditionExpression="attribute_not_exists(id)",
            )
        self.assertIn(
            "Can not use both expression and non-expression parameters in the same request",
            raised.exception.response["Error"]["Message"],
        )

    def test_query_and_scan(self):
        ddb = self.ddb
        ddb.create_table(
            TableName="events",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        for pk in ("a", "b"):
            ddb.batch_write_item(
                RequestItems={
                    "events": [
                        {"PutRequest": {"Item": {"pk": {"S": pk}, "sk": {"N": str(i)}, "odd": {"BOOL": i % 2 == 1}}}}
                        for i in range(20)
                    ]
                }
            )
        query = ddb.query(
            TableName="events",
            KeyConditionExpression="pk = :p AND sk BETWEEN :lo AND :hi",
            FilterExpression="odd = :t",
            ExpressionAttributeValues={":p": {"S": "a"}, ":lo": {"N": "5"}, ":hi": {"N": "12"}, ":t": {"BOOL": True}},
            ScanIndexForward=False,
        )
        self.assertEqual([i["sk"]["N"] for i in query["Items"]], ["11", "9", "7", "5"])
        self.assertEqual((query["Count"], query["ScannedCount"]), (4, 8))

        pages = ddb.get_paginator("query").paginate(
            TableName="events",
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "b"}},
            PaginationConfig={"PageSize": 3},
        )
        self.assertEqual([int(i["sk"]["N"]) for page in pages for i in page["Items"]], list(range(20)))

        with self.assertRaises(ddb.exceptions.ClientError) as raised:
            ddb.query(
                TableName="events",
                KeyConditionExpression="pk = :p OR sk = :s",
                ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}},
            )
        # DynamoDB has sent this both with and without an
        # "Invalid KeyConditionExpression: " head over the years.
        self.assertTrue(
            raised.exception.response["Error"]["Message"].endswith(
                "Invalid operator used in KeyConditionExpression: OR"
            )
        )

        seen = []
        for segment in range(3):
            pages = ddb.get_paginator("scan").paginate(
                TableName="events",
                Segment=segment,
                TotalSegments=3,
                PaginationConfig={"PageSize": 7},
            )
            seen += [(i["pk"]["S"], int(i["sk"]["N"])) for page in pages for i in page["Items"]]
        self.assertEqual(sorted(seen), [(pk, i) for pk in ("a", "b") for i in range(20)])
        count = ddb.scan(TableName="events", Select="COUNT", FilterExpression="odd = :f",
                         ExpressionAttributeValues={":f": {"BOOL": False}})
        self.assertEqual((count["Count"], count["ScannedCount"]), (20, 40))
        self.assertNotIn("Items", count)

        # The legacy forms of the same reads.
        legacy = ddb.query(
            TableName="events",
            KeyConditions={
                "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
                "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "17"}]},
            },
            QueryFilter={"odd": {"ComparisonOperator": "EQ", "AttributeValueList": [{"BOOL": False}]}},
            AttributesToGet=["sk"],
        )
        self.assertEqual(legacy["Items"], [{"sk": {"N": "18"}}])
        scanned = ddb.scan(
            TableName="events",
            ScanFilter={"sk": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "3"}, {"N": "4"}]}},
        )
        self.assertEqual(scanned["Count"], 4)

        # The resource API's key condition builders.
        resource = boto3.resource("dynamodb", endpoint_url=self.endpoint.url, **credentials())
        items = resource.Table("events").query(
            KeyConditionExpression=Key("pk").eq("b") & Key("sk").lt(3)
        )["Items"]
        self.assertEqual([i["sk"] for i in items], [0, 1, 2])

    def test_consumed_capacity(self):
        ddb = self.ddb
        ddb.create_table(
            TableName="capacity",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        # 1027 bytes (names and values): two write units.
        item = {"pk": {"S": "a"}, "sk": {"S": "1"}, "v": {"S": "x" * 1020}}
        put = ddb.put_item(TableName="capacity", Item=item, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(put["ConsumedCapacity"], {"TableName": "capacity", "CapacityUnits": 2.0})
        put = ddb.put_item(
            TableName="capacity",
            Item={"pk": {"S": "a"}, "sk": {"S": "2"}},
            ReturnConsumedCapacity="INDEXES",
        )
        self.assertEqual(
            put["ConsumedCapacity"],
            {"TableName": "capacity", "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}},
        )
        quiet = ddb.put_item(TableName="capacity", Item=item, ReturnConsumedCapacity="NONE")
        self.assertNotIn("ConsumedCapacity", quiet)

        # Query: the items read, summed and rounded once; eventual reads cost half.
        query = dict(
            TableName="capacity",
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "a"}},
            ReturnConsumedCapacity="TOTAL",
        )
        eventual = ddb.query(**query)
        self.assertEqual(eventual["Count"], 2)
        self.assertEqual(eventual["ConsumedCapacity"], {"TableName": "capacity", "CapacityUnits": 0.5})
        consistent = ddb.query(ConsistentRead=True, **query)
        self.assertEqual(consistent["ConsumedCapacity"]["CapacityUnits"], 1.0)

        # Transactions: a list, with the axis mirrored.
        got = ddb.transact_get_items(
            TransactItems=[{"Get": {"TableName": "capacity", "Key": {"pk": {"S": "a"}, "sk": {"S": "2"}}}}],
            ReturnConsumedCapacity="TOTAL",
        )
        self.assertEqual(
            got["ConsumedCapacity"],
            [{"TableName": "capacity", "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}],
        )

    def test_update_table_adds_an_index_and_protects_the_table(self):
        ddb = self.ddb
        create_users(ddb, "indexed")
        for i in range(30):
            ddb.put_item(TableName="indexed", Item={"id": {"S": f"u{i}"}, "team": {"S": f"t{i % 3}"}})
        # An item whose `team` the new index cannot hold: the backfill skips it.
        ddb.put_item(TableName="indexed", Item={"id": {"S": "odd"}, "team": {"N": "1"}})
        reply = ddb.update_table(
            TableName="indexed",
            AttributeDefinitions=[{"AttributeName": "team", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": "by_team",
                        "KeySchema": [{"AttributeName": "team", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                    }
                }
            ],
        )["TableDescription"]
        self.assertEqual(reply["TableStatus"], "UPDATING")
        created = reply["GlobalSecondaryIndexes"][0]
        self.assertEqual((created["IndexStatus"], created["Backfilling"]), ("CREATING", False))

        # Clients poll until the table is ACTIVE, as against DynamoDB.
        ddb.get_waiter("table_exists").wait(
            TableName="indexed", WaiterConfig={"Delay": 1, "MaxAttempts": 5}
        )
        index = ddb.describe_table(TableName="indexed")["Table"]["GlobalSecondaryIndexes"][0]
        self.assertEqual(index["IndexStatus"], "ACTIVE")
        self.assertNotIn("Backfilling", index)
        self.assertEqual(index["ItemCount"], 30)
        pages = ddb.get_paginator("query").paginate(
            TableName="indexed",
            IndexName="by_team",
            KeyConditionExpression="team = :t",
            ExpressionAttributeValues={":t": {"S": "t1"}},
            PaginationConfig={"PageSize": 4},
        )
        found = sorted(i["id"]["S"] for page in pages for i in page["Items"])
        self.assertEqual(found, sorted(f"u{i}" for i in range(1, 30, 3)))

        # Two index changes at once: the SDK's modelled LimitExceededException.
        with self.assertRaises(ddb.exceptions.LimitExceededException):
            ddb.update_table(
                TableName="indexed",
                GlobalSecondaryIndexUpdates=[
                    {"Delete": {"IndexName": "by_team"}},
                    {
                        "Create": {
                            "IndexName": "by_id",
                            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": "ALL"},
                        }
                    },
                ],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            )

        # Deletion protection.
        ddb.update_table(TableName="indexed", DeletionProtectionEnabled=True)
        self.assertTrue(ddb.describe_table(TableName="indexed")["Table"]["DeletionProtectionEnabled"])
        with self.assertRaises(ddb.exceptions.ClientError) as raised:
            ddb.delete_table(TableName="indexed")
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "ValidationException")
        self.assertIn("protected against deletion", error["Message"])
        ddb.update_table(TableName="indexed", DeletionProtectionEnabled=False)

        ddb.update_table(
            TableName="indexed", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_team"}}]
        )
        ddb.get_waiter("table_exists").wait(
            TableName="indexed", WaiterConfig={"Delay": 1, "MaxAttempts": 5}
        )
        self.assertNotIn("GlobalSecondaryIndexes", ddb.describe_table(TableName="indexed")["Table"])
        ddb.delete_table(TableName="indexed")

    def test_list_tables_paginates(self):
        names = [f"page{i:02}" for i in range(7)]
        for name in names:
            create_users(self.ddb, name)
        pages = self.ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 3})
        listed = [n for page in pages for n in page["TableNames"] if n.startswith("page")]
        self.assertEqual(listed, names)

    def test_the_resource_api_and_condition_builders(self):
        resource = boto3.resource("dynamodb", endpoint_url=self.endpoint.url, **credentials())
        table = resource.create_table(
            TableName="orders",
            KeySchema=[
                {"AttributeName": "customer", "KeyType": "HASH"},
                {"AttributeName": "order", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "customer", "AttributeType": "S"},
                {"AttributeName": "order", "AttributeType": "N"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        table.wait_until_exists()
        table.put_item(Item={"customer": "c1", "order": 1, "status": "new", "total": 10})
        table.update_item(
            Key={"customer": "c1", "order": 1},
            UpdateExpression="SET #s = :s",
            ConditionExpression=Attr("status").eq("new") & Attr("total").between(5, 20),
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": "paid"},
        )
        with self.assertRaises(resource.meta.client.exceptions.ConditionalCheckFailedException):
            table.delete_item(
                Key={"customer": "c1", "order": 1},
                ConditionExpression=Attr("status").eq("new"),
            )
        self.assertEqual(table.get_item(Key={"customer": "c1", "order": 1})["Item"]["status"], "paid")
        with table.batch_writer() as batch:
            for i in range(2, 40):
                batch.put_item(Item={"customer": "c1", "order": i})
        # The resource's client takes plain Python values.
        got = resource.batch_get_item(
            RequestItems={"orders": {"Keys": [{"customer": "c1", "order": 39}, {"customer": "c1", "order": 99}]}}
        )
        self.assertEqual(got["Responses"]["orders"], [{"customer": "c1", "order": 39}])


def aws(url, *args, expect_failure=False):
    """Runs `aws dynamodb ...` against the endpoint; returns parsed JSON output or stderr."""
    env = dict(os.environ)
    env.update(ENV)
    result = subprocess.run(
        ["aws", "dynamodb", *args, "--endpoint-url", url, "--output", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if expect_failure:
        if result.returncode == 0:
            raise AssertionError(f"aws dynamodb {args[0]} succeeded: {result.stdout}")
        return result.stderr
    if result.returncode != 0:
        raise AssertionError(f"aws dynamodb {args[0]} failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout) if result.stdout.strip() else {}


class AwsCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_every_operation(self):
        url = self.endpoint.url
        created = aws(
            url, "create-table", "--table-name", "cli",
            "--key-schema", "AttributeName=id,KeyType=HASH",
            "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--billing-mode", "PAY_PER_REQUEST",
        )
        self.assertEqual(created["TableDescription"]["TableStatus"], "CREATING")
        aws(url, "wait", "table-exists", "--table-name", "cli")
        self.assertEqual(aws(url, "describe-table", "--table-name", "cli")["Table"]["TableName"], "cli")
        self.assertIn("cli", aws(url, "list-tables")["TableNames"])

        item = json.dumps({"id": {"S": "a"}, "n": {"N": "1"}})
        aws(url, "put-item", "--table-name", "cli", "--item", item,
            "--condition-expression", "attribute_not_exists(id)")
        stderr = aws(url, "put-item", "--table-name", "cli", "--item", item,
                     "--condition-expression", "attribute_not_exists(id)", expect_failure=True)
        self.assertIn("ConditionalCheckFailedException", stderr)
        self.assertIn("The conditional request failed", stderr)

        updated = aws(url, "update-item", "--table-name", "cli", "--key", '{"id": {"S": "a"}}',
                      "--update-expression", "ADD n :one",
                      "--expression-attribute-values", '{":one": {"N": "41"}}',
                      "--return-values", "ALL_NEW")
        self.assertEqual(updated["Attributes"]["n"], {"N": "42"})
        got = aws(url, "get-item", "--table-name", "cli", "--key", '{"id": {"S": "a"}}')
        self.assertEqual(got["Item"]["n"], {"N": "42"})

        cancelled = json.dumps([
            {"Put": {"TableName": "cli", "Item": {"id": {"S": "b"}}}},
            {"ConditionCheck": {"TableName": "cli", "Key": {"id": {"S": "a"}},
                                "ConditionExpression": "attribute_not_exists(n)"}},
        ])
        stderr = aws(url, "transact-write-items", "--transact-items", cancelled, expect_failure=True)
        self.assertIn("TransactionCanceledException", stderr)
        self.assertIn("[None, ConditionalCheckFailed]", stderr)
        aws(url, "transact-write-items", "--transact-items",
            json.dumps([{"Put": {"TableName": "cli", "Item": {"id": {"S": "b"}}}}]))
        read = aws(url, "transact-get-items", "--transact-items",
                   json.dumps([{"Get": {"TableName": "cli", "Key": {"id": {"S": "b"}}}}]))
        self.assertEqual(read["Responses"], [{"Item": {"id": {"S": "b"}}}])

        written = aws(url, "batch-write-item", "--request-items", json.dumps({
            "cli": [{"PutRequest": {"Item": {"id": {"S": "c"}}}},
                    {"DeleteRequest": {"Key": {"id": {"S": "b"}}}}]}))
        self.assertEqual(written["UnprocessedItems"], {})
        batch = aws(url, "batch-get-item", "--request-items", json.dumps({
            "cli": {"Keys": [{"id": {"S": "a"}}, {"id": {"S": "b"}}, {"id": {"S": "c"}}]}}))
        self.assertEqual(sorted(i["id"]["S"] for i in batch["Responses"]["cli"]), ["a", "c"])

        deleted = aws(url, "delete-item", "--table-name", "cli", "--key", '{"id": {"S": "a"}}',
                      "--return-values", "ALL_OLD")
        self.assertEqual(deleted["Attributes"]["id"], {"S": "a"})
        queried = aws(url, "query", "--table-name", "cli",
                      "--key-condition-expression", "id = :id",
                      "--expression-attribute-values", '{":id": {"S": "c"}}')
        self.assertEqual([i["id"]["S"] for i in queried["Items"]], ["c"])
        scanned = aws(url, "scan", "--table-name", "cli", "--page-size", "1")
        self.assertEqual(scanned["Count"], 1)

        aws(url, "delete-table", "--table-name", "cli")
        stderr = aws(url, "describe-table", "--table-name", "cli", expect_failure=True)
        self.assertIn("ResourceNotFoundException", stderr)


# --- Secondary indexes (GSI and LSI) ----------------------------------------
# A class of its own: boto3 and the aws CLI against a table with a GSI
# (INCLUDE projection) and an LSI (KEYS_ONLY).

INDEXED_TABLE = dict(
    KeySchema=[
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ],
    AttributeDefinitions=[
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "state", "AttributeType": "S"},
        {"AttributeName": "created", "AttributeType": "N"},
        {"AttributeName": "amount", "AttributeType": "N"},
    ],
    GlobalSecondaryIndexes=[
        {
            "IndexName": "by_state",
            "KeySchema": [
                {"AttributeName": "state", "KeyType": "HASH"},
                {"AttributeName": "created", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount"]},
        }
    ],
    LocalSecondaryIndexes=[
        {
            "IndexName": "by_amount",
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "amount", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }
    ],
    BillingMode="PAY_PER_REQUEST",
)


def order(pk, sk, state=None):
    """An order item: in the GSI when it has a state, always in the LSI.
    No two orders share `created` (the order of ties is unspecified)."""
    item = {
        "pk": {"S": pk},
        "sk": {"N": str(sk)},
        "created": {"N": str(100 - 50 * "abc".index(pk) - sk)},
        "amount": {"N": str(sk * 10)},
        "note": {"S": f"order {pk}/{sk}"},
    }
    if state is not None:
        item["state"] = {"S": state}
    return item


class SecondaryIndexes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_boto3_reads_and_describes_indexes(self):
        ddb = self.ddb
        created = ddb.create_table(TableName="orders_ix", **INDEXED_TABLE)["TableDescription"]
        self.assertEqual(created["GlobalSecondaryIndexes"][0]["IndexStatus"], "CREATING")
        ddb.get_waiter("table_exists").wait(
            TableName="orders_ix", WaiterConfig={"Delay": 1, "MaxAttempts": 3}
        )

        # Twelve orders in two partitions; every third has no state (not in the GSI).
        states = ["open", "closed", None]
        ddb.batch_write_item(
            RequestItems={
                "orders_ix": [
                    {"PutRequest": {"Item": order(pk, sk, states[sk % 3])}}
                    for pk in ("a", "b")
                    for sk in range(6)
                ]
            }
        )
        ddb.update_item(
            TableName="orders_ix",
            Key={"pk": {"S": "a"}, "sk": {"N": "2"}},
            UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":s": {"S": "open"}},
        )
        ddb.delete_item(TableName="orders_ix", Key={"pk": {"S": "b"}, "sk": {"N": "3"}})
        # Open: a/0, a/3, b/0 and a/2 (moved in from no state).

        # The GSI, newest first (a's orders are newer than b's), two a page.
        pages = list(
            ddb.get_paginator("query").paginate(
                TableName="orders_ix",
                IndexName="by_state",
                KeyConditionExpression="#s = :s",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":s": {"S": "open"}},
                ScanIndexForward=False,
                PaginationConfig={"PageSize": 2},
            )
        )
        items = [i for page in pages for i in page["Items"]]
        self.assertEqual(
            [(i["pk"]["S"], i["sk"]["N"]) for i in items],
            [("a", "0"), ("a", "2"), ("a", "3"), ("b", "0")],
        )
        # INCLUDE: the keys and amount, not note.
        self.assertEqual(sorted(items[0]), ["amount", "created", "pk", "sk", "state"])
        # An index page's LastEvaluatedKey holds the index and the table keys.
        self.assertEqual(sorted(pages[0]["LastEvaluatedKey"]), ["created", "pk", "sk", "state"])
        with self.assertRaises(ddb.exceptions.ClientError) as raised:
            ddb.query(
                TableName="orders_ix",
                IndexName="by_state",
                KeyConditionExpression="#s = :s",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":s": {"S": "open"}},
                ConsistentRead=True,
            )
        self.assertEqual(
            raised.exception.response["Error"]["Message"],
            "Consistent reads are not supported on global secondary indexes",
        )

        # The LSI: one partition by amount, descending; KEYS_ONLY, or every
        # attribute fetched from the table with ALL_ATTRIBUTES.
        lsi = dict(
            TableName="orders_ix",
            IndexName="by_amount",
            KeyConditionExpression="pk = :p AND amount BETWEEN :lo AND :hi",
            ExpressionAttributeValues={":p": {"S": "b"}, ":lo": {"N": "10"}, ":hi": {"N": "40"}},
            ScanIndexForward=False,
            ConsistentRead=True,
        )
        keys_only = ddb.query(**lsi)
        self.assertEqual(
            keys_only["Items"],
            [{"pk": {"S": "b"}, "sk": {"N": str(sk)}, "amount": {"N": str(sk * 10)}} for sk in (4, 2, 1)],
        )
        whole = ddb.query(Select="ALL_ATTRIBUTES", **lsi)
        self.assertEqual(whole["Items"][0]["note"], {"S": "order b/4"})

        # Scan of each index, page by page.
        scanned = [
            i
            for page in ddb.get_paginator("scan").paginate(
                TableName="orders_ix", IndexName="by_state", PaginationConfig={"PageSize": 3}
            )
            for i in page["Items"]
        ]
        self.assertEqual(len(scanned), 8)
        self.assertTrue(all("state" in i and "note" not in i for i in scanned))
        count = ddb.scan(TableName="orders_ix", IndexName="by_amount", Select="COUNT")
        self.assertEqual(count["Count"], 11)

        # DescribeTable: both indexes, ACTIVE, their item counts.
        table = ddb.describe_table(TableName="orders_ix")["Table"]
        (gsi,) = table["GlobalSecondaryIndexes"]
        (lsi_description,) = table["LocalSecondaryIndexes"]
        self.assertEqual(gsi["IndexName"], "by_state")
        self.assertEqual(gsi["IndexStatus"], "ACTIVE")
        self.assertEqual(gsi["ItemCount"], 8)
        self.assertEqual(gsi["Projection"], {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount"]})
        self.assertEqual(gsi["IndexArn"], table["TableArn"] + "/index/by_state", gsi)
        self.assertEqual(lsi_description["IndexName"], "by_amount")
        self.assertEqual(lsi_description["ItemCount"], 11)
        self.assertNotIn("IndexStatus", lsi_description)
        self.assertEqual(
            sorted(d["AttributeName"] for d in table["AttributeDefinitions"]),
            ["amount", "created", "pk", "sk", "state"],
        )

        # INDEXES: the arm of every index the write charged.
        put = ddb.put_item(
            TableName="orders_ix", Item=order("c", 1, "open"), ReturnConsumedCapacity="INDEXES"
        )
        capacity = put["ConsumedCapacity"]
        self.assertEqual(capacity["TableName"], "orders_ix")
        self.assertEqual(capacity["Table"], {"CapacityUnits": 1.0})
        self.assertEqual(capacity["GlobalSecondaryIndexes"], {"by_state": {"CapacityUnits": 1.0}})
        self.assertEqual(capacity["LocalSecondaryIndexes"], {"by_amount": {"CapacityUnits": 1.0}})
        self.assertEqual(capacity["CapacityUnits"], 3.0)

        # The resource API's key condition builders on an index.
        resource = boto3.resource("dynamodb", endpoint_url=self.endpoint.url, **credentials())
        got = resource.Table("orders_ix").query(
            IndexName="by_state",
            KeyConditionExpression=Key("state").eq("closed") & Key("created").between(40, 96),
        )["Items"]
        self.assertEqual([(i["pk"], i["created"]) for i in got], [("b", 46), ("b", 49), ("a", 96)])

    def test_aws_cli_reads_indexes(self):
        url = self.endpoint.url
        spec = INDEXED_TABLE
        aws(
            url, "create-table", "--table-name", "cli_ix",
            "--key-schema", json.dumps(spec["KeySchema"]),
            "--attribute-definitions", json.dumps(spec["AttributeDefinitions"]),
            "--global-secondary-indexes", json.dumps(spec["GlobalSecondaryIndexes"]),
            "--local-secondary-indexes", json.dumps(spec["LocalSecondaryIndexes"]),
            "--billing-mode", "PAY_PER_REQUEST",
        )
        aws(url, "wait", "table-exists", "--table-name", "cli_ix")
        for sk in range(5):
            aws(url, "put-item", "--table-name", "cli_ix", "--item", json.dumps(order("a", sk, "open")))
        # The CLI follows LastEvaluatedKey itself; --page-size makes it do so.
        queried = aws(
            url, "query", "--table-name", "cli_ix", "--index-name", "by_state",
            "--key-condition-expression", "#s = :s",
            "--expression-attribute-names", '{"#s": "state"}',
            "--expression-attribute-values", '{":s": {"S": "open"}}',
            "--no-scan-index-forward", "--page-size", "2",
        )
        self.assertEqual([i["created"]["N"] for i in queried["Items"]], ["100", "99", "98", "97", "96"])
        lsi = aws(
            url, "query", "--table-name", "cli_ix", "--index-name", "by_amount",
            "--key-condition-expression", "pk = :p AND amount > :a",
            "--expression-attribute-values", '{":p": {"S": "a"}, ":a": {"N": "20"}}',
        )
        self.assertEqual([i["amount"]["N"] for i in lsi["Items"]], ["30", "40"])
        scanned = aws(url, "scan", "--table-name", "cli_ix", "--index-name", "by_state", "--page-size", "2")
        self.assertEqual(scanned["Count"], 5)
        table = aws(url, "describe-table", "--table-name", "cli_ix")["Table"]
        self.assertEqual(table["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
        self.assertEqual(table["GlobalSecondaryIndexes"][0]["ItemCount"], 5)
        self.assertEqual(table["LocalSecondaryIndexes"][0]["ItemCount"], 5)
        put = aws(
            url, "put-item", "--table-name", "cli_ix", "--item", json.dumps(order("b", 0, "open")),
            "--return-consumed-capacity", "INDEXES",
        )
        self.assertEqual(put["ConsumedCapacity"]["GlobalSecondaryIndexes"], {"by_state": {"CapacityUnits": 1.0}})


# --- end of secondary indexes -------------------------------------------------


# --- Time to Live ---------------------------------------------------------------
# A server of its own on a manual clock without the background sweeper, so
# that items expire exactly when a test moves the clock and sweeps.


class TimeToLive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint("--manual-clock", "--ttl-sweep-interval", "0")
        cls.ddb = client(cls.endpoint.url)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def now(self):
        return int(self.endpoint.control("GET", "/dynacond/clock")["now_seconds"])

    def test_boto3_enables_describes_and_items_expire(self):
        ddb = self.ddb
        create_users(ddb, "sessions")
        self.assertEqual(
            ddb.describe_time_to_live(TableName="sessions")["TimeToLiveDescription"],
            {"TimeToLiveStatus": "DISABLED"},
        )
        spec = {"AttributeName": "expires", "Enabled": True}
        reply = ddb.update_time_to_live(TableName="sessions", TimeToLiveSpecification=spec)
        self.assertEqual(reply["TimeToLiveSpecification"], spec)
        self.assertEqual(
            ddb.describe_time_to_live(TableName="sessions")["TimeToLiveDescription"],
            {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"},
        )
        with self.assertRaises(ddb.exceptions.ClientError) as raised:
            ddb.update_time_to_live(TableName="sessions", TimeToLiveSpecification=spec)
        error = raised.exception.response["Error"]
        self.assertEqual(
            (error["Code"], error["Message"]), ("ValidationException", "TimeToLive is already enabled")
        )
        with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
            ddb.describe_time_to_live(TableName="nosuch")

        now = self.now()
        ddb.put_item(TableName="sessions", Item={"id": {"S": "soon"}, "expires": {"N": str(now + 60)}})
        ddb.put_item(TableName="sessions", Item={"id": {"S": "later"}, "expires": {"N": str(now + 3600)}})
        ddb.put_item(TableName="sessions", Item={"id": {"S": "text"}, "expires": {"S": str(now - 60)}})
        self.assertEqual(self.endpoint.control("POST", "/dynacond/ttl/sweep"), {"ExpiredItems": 0})
        self.endpoint.control("POST", "/dynacond/clock", {"advance_seconds": 61})
        # Expired, not yet swept: still visible, as in DynamoDB.
        self.assertIn("Item", ddb.get_item(TableName="sessions", Key={"id": {"S": "soon"}}))
        self.assertEqual(self.endpoint.control("POST", "/dynacond/ttl/sweep"), {"ExpiredItems": 1})
        self.assertNotIn("Item", ddb.get_item(TableName="sessions", Key={"id": {"S": "soon"}}))
        self.endpoint.control("POST", "/dynacond/clock", {"advance_seconds": 3600})
        # LocalStack's sweep call.
        self.assertEqual(self.endpoint.control("DELETE", "/_aws/dynamodb/expired"), {"ExpiredItems": 1})
        left = ddb.scan(TableName="sessions", ConsistentRead=True)["Items"]
        self.assertEqual([i["id"]["S"] for i in left], ["text"])

        ddb.update_time_to_live(
            TableName="sessions", TimeToLiveSpecification={"AttributeName": "expires", "Enabled": False}
        )
        self.assertEqual(
            ddb.describe_time_to_live(TableName="sessions")["TimeToLiveDescription"],
            {"TimeToLiveStatus": "DISABLED"},
        )

    def test_aws_cli_time_to_live(self):
        url = self.endpoint.url
        aws(
            url, "create-table", "--table-name", "cli_ttl",
            "--key-schema", "AttributeName=id,KeyType=HASH",
            "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--billing-mode", "PAY_PER_REQUEST",
        )
        updated = aws(url, "update-time-to-live", "--table-name", "cli_ttl",
                      "--time-to-live-specification", "Enabled=true,AttributeName=ttl")
        self.assertEqual(updated["TimeToLiveSpecification"], {"Enabled": True, "AttributeName": "ttl"})
        described = aws(url, "describe-time-to-live", "--table-name", "cli_ttl")
        self.assertEqual(
            described["TimeToLiveDescription"], {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
        )
        stderr = aws(url, "update-time-to-live", "--table-name", "cli_ttl",
                     "--time-to-live-specification", "Enabled=false,AttributeName=other",
                     expect_failure=True)
        self.assertIn("TimeToLive is active on a different AttributeName: current AttributeName is ttl", stderr)
        now = self.now()
        aws(url, "put-item", "--table-name", "cli_ttl",
            "--item", json.dumps({"id": {"S": "a"}, "ttl": {"N": str(now - 1)}}))
        self.assertEqual(self.endpoint.control("POST", "/dynacond/ttl/sweep"), {"ExpiredItems": 1})
        self.assertEqual(aws(url, "get-item", "--table-name", "cli_ttl", "--key", '{"id": {"S": "a"}}'), {})


# --- end of Time to Live ---------------------------------------------------------


# --- tags, continuous backups and the routine control-plane calls ------------


def tag_list(pairs):
    return [{"Key": k, "Value": v} for k, v in pairs]


class TagsAndControlPlane(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_boto3_tags_backups_and_describes(self):
        from botocore.exceptions import ClientError

        ddb = self.ddb
        created = ddb.create_table(
            TableName="tagged",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            Tags=tag_list([("stage", "dev")]),
            SSESpecification={"Enabled": True},
            TableClass="STANDARD_INFREQUENT_ACCESS",
        )["TableDescription"]
        arn = created["TableArn"]
        self.assertEqual(created["SSEDescription"]["Status"], "ENABLED")
        self.assertEqual(created["SSEDescription"]["SSEType"], "KMS")
        self.assertEqual(created["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")

        # Tags: create, tag, overwrite, untag, list (also with the paginator).
        ddb.tag_resource(ResourceArn=arn, Tags=tag_list([("env", "test"), ("team", "db")]))
        ddb.tag_resource(ResourceArn=arn, Tags=tag_list([("env", "prod")]))
        ddb.untag_resource(ResourceArn=arn, TagKeys=["team", "absent"])
        listed = ddb.list_tags_of_resource(ResourceArn=arn)
        self.assertEqual(listed["Tags"], tag_list([("stage", "dev"), ("env", "prod")]))
        self.assertNotIn("NextToken", listed)
        pages = ddb.get_paginator("list_tags_of_resource").paginate(ResourceArn=arn)
        self.assertEqual([t["Key"] for page in pages for t in page["Tags"]], ["stage", "env"])
        with self.assertRaises(ClientError) as raised:
            ddb.tag_resource(ResourceArn=arn, Tags=tag_list([("aws:x", "1")]))
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "ValidationException")
        self.assertEqual(error["Message"], "Tag Key cannot be prefixed with aws:, Key: aws:x")
        with self.assertRaises(ClientError) as raised:
            ddb.list_tags_of_resource(
                ResourceArn="arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz"
            )
        self.assertEqual(raised.exception.response["Error"]["Code"], "AccessDeniedException")
        with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
            ddb.list_tags_of_resource(ResourceArn=arn + "x")

        # Point-in-time recovery: the SDK parses the times as datetimes.
        fresh = ddb.describe_continuous_backups(TableName="tagged")["ContinuousBackupsDescription"]
        self.assertEqual(
            fresh["PointInTimeRecoveryDescription"], {"PointInTimeRecoveryStatus": "DISABLED"}
        )
        on = ddb.update_continuous_backups(
            TableName="tagged",
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7},
        )["ContinuousBackupsDescription"]
        self.assertEqual(on["ContinuousBackupsStatus"], "ENABLED")
        pitr = on["PointInTimeRecoveryDescription"]
        self.assertEqual(pitr["PointInTimeRecoveryStatus"], "ENABLED")
        self.assertEqual(pitr["RecoveryPeriodInDays"], 7)
        self.assertIsNotNone(pitr["EarliestRestorableDateTime"].tzinfo)
        with self.assertRaises(ddb.exceptions.TableNotFoundException) as raised:
            ddb.describe_continuous_backups(TableName="nosuch")
        self.assertEqual(raised.exception.response["Error"]["Message"], "Table not found: nosuch")

        # The routine describes.
        limits = ddb.describe_limits()
        self.assertEqual(limits["TableMaxReadCapacityUnits"], 40000)
        self.assertEqual(limits["AccountMaxWriteCapacityUnits"], 80000)
        endpoints = ddb.describe_endpoints()["Endpoints"]
        self.assertEqual(len(endpoints), 1)
        self.assertEqual(endpoints[0]["Address"], self.endpoint.url.split("://", 1)[1])
        self.assertEqual(endpoints[0]["CachePeriodInMinutes"], 1440)
        insights = ddb.describe_contributor_insights(TableName="tagged")
        self.assertEqual(insights["ContributorInsightsStatus"], "DISABLED")
        kinesis = ddb.describe_kinesis_streaming_destination(TableName="tagged")
        self.assertEqual(kinesis["KinesisDataStreamDestinations"], [])

        # DeleteTable drops the tags; a new table of that name has none.
        ddb.delete_table(TableName="tagged")
        ddb.create_table(
            TableName="tagged",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        self.assertEqual(ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [])

    def test_aws_cli_tags_and_backups(self):
        url = self.endpoint.url
        created = aws(
            url, "create-table", "--table-name", "cli_tags",
            "--key-schema", "AttributeName=id,KeyType=HASH",
            "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--billing-mode", "PAY_PER_REQUEST",
            "--tags", "Key=owner,Value=qa",
        )
        arn = created["TableDescription"]["TableArn"]
        aws(url, "tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=dev")
        listed = aws(url, "list-tags-of-resource", "--resource-arn", arn)
        self.assertEqual(listed["Tags"], tag_list([("owner", "qa"), ("env", "dev")]))
        aws(url, "untag-resource", "--resource-arn", arn, "--tag-keys", "owner")
        self.assertEqual(
            aws(url, "list-tags-of-resource", "--resource-arn", arn)["Tags"], tag_list([("env", "dev")])
        )
        stderr = aws(
            url, "tag-resource", "--resource-arn", "not-a-valid-arn", "--tags", "Key=a,Value=b",
            expect_failure=True,
        )
        self.assertIn("ARNs must start with 'arn:': not-a-valid-arn", stderr)
        on = aws(
            url, "update-continuous-backups", "--table-name", "cli_tags",
            "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true",
        )
        self.assertEqual(
            on["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"], 35
        )
        described = aws(url, "describe-continuous-backups", "--table-name", "cli_tags")
        self.assertEqual(described["ContinuousBackupsDescription"]["ContinuousBackupsStatus"], "ENABLED")
        self.assertEqual(aws(url, "describe-limits")["TableMaxWriteCapacityUnits"], 40000)
        self.assertEqual(aws(url, "describe-endpoints")["Endpoints"][0]["CachePeriodInMinutes"], 1440)


# --- end of tags and control-plane calls --------------------------------------




def main():
    global BINARY
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="the dynacond binary (built with --features server)")
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
