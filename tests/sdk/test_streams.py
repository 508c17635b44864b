"""DynamoDB Streams through real AWS clients against `dynacond serve`:
boto3's `dynamodbstreams` client (a consumer loop over shard iterators) and
`aws dynamodbstreams`.

Run by `.ci/run` beside test_endpoint.py:

    python3 tests/sdk/test_streams.py --binary target/debug/dynacond

The Streams API is served by the same endpoint as DynamoDB's
(`X-Amz-Target: DynamoDBStreams_20120810.*`), so both clients get the same
endpoint URL.
"""

import argparse
import json
import os
import subprocess
import sys
import unittest

import boto3
import botocore.config

import test_endpoint
from test_endpoint import ENV, Endpoint, client, credentials


def streams_client(url):
    config = botocore.config.Config(retries={"max_attempts": 1})
    return boto3.client("dynamodbstreams", endpoint_url=url, config=config, **credentials())


def create_streamed(ddb, name, view_type="NEW_AND_OLD_IMAGES"):
    return ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type},
    )["TableDescription"]


def read_all(streams, stream_arn):
    """Every record of every shard, read from TRIM_HORIZON the way a
    consumer (a Lambda poller, the KCL adapter) does: DescribeStream, one
    iterator per shard, GetRecords until a page comes back empty."""
    records = []
    description = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
    for shard in description["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn,
            ShardId=shard["ShardId"],
            ShardIteratorType="TRIM_HORIZON",
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=2)
            records.extend(page["Records"])
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    return records


class Boto3Streams(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)
        cls.streams = streams_client(cls.endpoint.url)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_a_consumer_sees_every_change_in_order(self):
        table = create_streamed(self.ddb, "orders")
        arn = table["LatestStreamArn"]
        self.assertTrue(arn.startswith(table["TableArn"] + "/stream/"))
        self.assertEqual(table["LatestStreamLabel"], arn.rsplit("/", 1)[1])
        self.ddb.get_waiter("table_exists").wait(TableName="orders")

        self.ddb.put_item(TableName="orders", Item={"id": {"S": "o1"}, "n": {"N": "1"}})
        self.ddb.update_item(
            TableName="orders",
            Key={"id": {"S": "o1"}},
            UpdateExpression="SET n = n + :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
        # A failed condition changes nothing and emits nothing.
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException):
            self.ddb.put_item(
                TableName="orders",
                Item={"id": {"S": "o1"}},
                ConditionExpression="attribute_not_exists(id)",
            )
        self.ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "orders", "Item": {"id": {"S": "o2"}}}},
                {"Delete": {"TableName": "orders", "Key": {"id": {"S": "o1"}}}},
            ]
        )

        listed = self.streams.list_streams(TableName="orders")["Streams"]
        self.assertEqual([s["StreamArn"] for s in listed], [arn])

        records = read_all(self.streams, arn)
        self.assertEqual(
            [(r["eventName"], r["dynamodb"]["Keys"]["id"]["S"]) for r in records if r["dynamodb"]["Keys"]["id"]["S"] == "o1"],
            [("INSERT", "o1"), ("MODIFY", "o1"), ("REMOVE", "o1")],
        )
        self.assertEqual(len(records), 4)
        modify = records[1]["dynamodb"]
        self.assertEqual(modify["OldImage"]["n"], {"N": "1"})
        self.assertEqual(modify["NewImage"]["n"], {"N": "2"})
        self.assertEqual(modify["StreamViewType"], "NEW_AND_OLD_IMAGES")
        for record in records:
            self.assertEqual(record["eventSource"], "aws:dynamodb")
            self.assertEqual(record["awsRegion"], "us-east-1")
        sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records if r["dynamodb"]["Keys"]["id"]["S"] == "o1"]
        self.assertEqual(sequence, sorted(sequence))

    def test_latest_iterator_sees_only_later_writes(self):
        table = create_streamed(self.ddb, "latest", view_type="KEYS_ONLY")
        arn = table["LatestStreamArn"]
        self.ddb.put_item(TableName="latest", Item={"id": {"S": "before"}})
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
        iterator = self.streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
        )["ShardIterator"]
        page = self.streams.get_records(ShardIterator=iterator)
        self.assertEqual(page["Records"], [])
        self.ddb.put_item(TableName="latest", Item={"id": {"S": "after"}, "x": {"S": "y"}})
        page = self.streams.get_records(ShardIterator=page["NextShardIterator"])
        self.assertEqual([r["dynamodb"]["Keys"] for r in page["Records"]], [{"id": {"S": "after"}}])
        self.assertNotIn("NewImage", page["Records"][0]["dynamodb"])

    def test_disabling_closes_the_stream_and_errors_are_modelled(self):
        table = create_streamed(self.ddb, "closing", view_type="NEW_IMAGE")
        arn = table["LatestStreamArn"]
        self.ddb.update_table(TableName="closing", StreamSpecification={"StreamEnabled": False})
        described = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(described["StreamStatus"], "DISABLED")
        self.assertIn("EndingSequenceNumber", described["Shards"][0]["SequenceNumberRange"])
        missing = arn.rsplit("/", 1)[0] + "/2000-01-01T00:00:00.000"
        with self.assertRaises(self.streams.exceptions.ResourceNotFoundException):
            self.streams.describe_stream(StreamArn=missing)
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.streams.get_records(ShardIterator="not-an-iterator")
        self.assertEqual(raised.exception.response["Error"]["Code"], "ValidationException")


def aws_streams(url, *args):
    env = dict(os.environ)
    env.update(ENV)
    result = subprocess.run(
        ["aws", "dynamodbstreams", *args, "--endpoint-url", url, "--output", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"aws dynamodbstreams {args[0]} failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout) if result.stdout.strip() else {}


class AwsCliStreams(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_list_describe_iterate(self):
        url = self.endpoint.url
        test_endpoint.aws(
            url, "create-table", "--table-name", "clistream",
            "--key-schema", "AttributeName=id,KeyType=HASH",
            "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--billing-mode", "PAY_PER_REQUEST",
            "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_IMAGE",
        )
        test_endpoint.aws(url, "put-item", "--table-name", "clistream",
                          "--item", json.dumps({"id": {"S": "a"}}))
        streams = aws_streams(url, "list-streams", "--table-name", "clistream")["Streams"]
        self.assertEqual(len(streams), 1)
        arn = streams[0]["StreamArn"]
        shards = aws_streams(url, "describe-stream", "--stream-arn", arn)["StreamDescription"]["Shards"]
        iterator = aws_streams(
            url, "get-shard-iterator", "--stream-arn", arn,
            "--shard-id", shards[0]["ShardId"], "--shard-iterator-type", "TRIM_HORIZON",
        )["ShardIterator"]
        records = aws_streams(url, "get-records", "--shard-iterator", iterator)["Records"]
        self.assertEqual([r["eventName"] for r in records], ["INSERT"])
        self.assertEqual(records[0]["dynamodb"]["NewImage"], {"id": {"S": "a"}})


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="the dynacond binary (built with --features server)")
    args, rest = parser.parse_known_args()
    test_endpoint.BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
