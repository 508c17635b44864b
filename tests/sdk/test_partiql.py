"""PartiQL through real AWS clients against `dynacond serve`: boto3's
ExecuteStatement (with Parameters and NextToken), BatchExecuteStatement and
ExecuteTransaction, and the aws CLI's `execute-statement`,
`batch-execute-statement` and `execute-transaction`.

Run beside test_endpoint.py:

    python3 tests/sdk/test_partiql.py --binary target/debug/dynacond
"""

import argparse
import json
import os
import sys
import unittest

import botocore.exceptions

import test_endpoint
from test_endpoint import Endpoint, aws, client


def create_orders(ddb, name):
    ddb.create_table(
        TableName=name,
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


class Boto3PartiQL(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()
        cls.ddb = client(cls.endpoint.url)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_execute_statement(self):
        ddb = self.ddb
        create_orders(ddb, "orders")
        for n in range(1, 6):
            out = ddb.execute_statement(
                Statement='INSERT INTO "orders" VALUE {\'customer\': ?, \'order\': ?, \'total\': ?}',
                Parameters=[{"S": "c1"}, {"N": str(n)}, {"N": str(n * 10)}],
            )
            self.assertEqual(out["Items"], [])

        # A duplicate INSERT is the modelled DuplicateItemException.
        with self.assertRaises(ddb.exceptions.DuplicateItemException) as raised:
            ddb.execute_statement(
                Statement="INSERT INTO \"orders\" VALUE {'customer': 'c1', 'order': 1}"
            )
        self.assertEqual(
            raised.exception.response["Error"]["Message"], "Duplicate primary key exists in table"
        )

        # SELECT with Parameters, paged with Limit and NextToken.
        pages, token = [], None
        while True:
            request = {
                "Statement": 'SELECT "order", total FROM "orders" WHERE customer = ? AND "order" >= ?',
                "Parameters": [{"S": "c1"}, {"N": "2"}],
                "Limit": 2,
            }
            if token:
                request["NextToken"] = token
            out = ddb.execute_statement(**request)
            pages.append([int(i["order"]["N"]) for i in out["Items"]])
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, [[2, 3], [4, 5], []])

        # ORDER BY and projection by leaf name.
        out = ddb.execute_statement(
            Statement='SELECT "order" FROM "orders" WHERE customer = \'c1\' ORDER BY "order" DESC',
            ReturnConsumedCapacity="TOTAL",
        )
        self.assertEqual([i["order"]["N"] for i in out["Items"]], ["5", "4", "3", "2", "1"])
        self.assertEqual(out["ConsumedCapacity"]["TableName"], "orders")

        # UPDATE with RETURNING, and a failed WHERE predicate as a condition.
        out = ddb.execute_statement(
            Statement='UPDATE "orders" SET total = total + ? SET tags = set_add(tags, <<\'gift\'>>) '
            'WHERE customer = \'c1\' AND "order" = 3 RETURNING MODIFIED NEW *',
            Parameters=[{"N": "5"}],
        )
        self.assertEqual(out["Items"], [{"total": {"N": "35"}, "tags": {"SS": ["gift"]}}])
        with self.assertRaises(ddb.exceptions.ConditionalCheckFailedException) as raised:
            ddb.execute_statement(
                Statement='UPDATE "orders" SET total = 0 WHERE customer = \'c1\' AND "order" = 3 AND total > 100',
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        self.assertEqual(raised.exception.response["Item"]["total"], {"N": "35"})

        # DELETE with RETURNING ALL OLD *.
        out = ddb.execute_statement(
            Statement='DELETE FROM "orders" WHERE customer = \'c1\' AND "order" = 5 RETURNING ALL OLD *'
        )
        self.assertEqual(out["Items"][0]["total"], {"N": "50"})

        # Errors are the modelled ValidationException with DynamoDB's words.
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            ddb.execute_statement(Statement='SELECT * FROM "orders" WHERE')
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "ValidationException")
        self.assertEqual(
            error["Message"], "Statement wasn't well formed, can't be processed: Unexpected term"
        )
        with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
            ddb.execute_statement(Statement='SELECT * FROM "nothing_here" WHERE customer = \'c1\'')

    def test_batch_execute_statement(self):
        ddb = self.ddb
        create_orders(ddb, "batched")
        out = ddb.batch_execute_statement(
            Statements=[
                {
                    "Statement": "INSERT INTO \"batched\" VALUE {'customer': ?, 'order': ?}",
                    "Parameters": [{"S": "c1"}, {"N": str(n)}],
                }
                for n in range(1, 4)
            ]
        )
        self.assertEqual([r["TableName"] for r in out["Responses"]], ["batched"] * 3)
        self.assertTrue(all("Error" not in r for r in out["Responses"]))

        out = ddb.batch_execute_statement(
            Statements=[
                {"Statement": "SELECT * FROM \"batched\" WHERE customer = 'c1' AND \"order\" = 1"},
                {"Statement": "SELECT * FROM \"batched\" WHERE customer = 'c1' AND \"order\" = 9"},
                {"Statement": "SLECT * FROM \"batched\""},
                {"Statement": "SELECT * FROM \"batched\" WHERE customer = 'c1'"},
            ]
        )
        responses = out["Responses"]
        self.assertEqual(responses[0]["Item"]["order"], {"N": "1"})
        self.assertNotIn("Item", responses[1])
        self.assertEqual(responses[2]["Error"]["Code"], "ValidationError")
        self.assertEqual(
            responses[3]["Error"]["Message"],
            "Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
        )

        out = ddb.batch_execute_statement(
            Statements=[
                {"Statement": "INSERT INTO \"batched\" VALUE {'customer': 'c1', 'order': 1}"},
                {"Statement": "UPDATE \"batched\" SET n = 1 WHERE customer = 'c1' AND \"order\" = 2"},
            ]
        )
        self.assertEqual(out["Responses"][0]["Error"]["Code"], "DuplicateItem")
        self.assertNotIn("Error", out["Responses"][1])

        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            ddb.batch_execute_statement(
                Statements=[
                    {"Statement": "SELECT * FROM \"batched\" WHERE customer = 'c1' AND \"order\" = 1"},
                    {"Statement": "DELETE FROM \"batched\" WHERE customer = 'c1' AND \"order\" = 2"},
                ]
            )
        self.assertEqual(
            raised.exception.response["Error"]["Message"],
            "Read and write requests together in the same batch is not supported.",
        )

    def test_execute_transaction(self):
        ddb = self.ddb
        create_orders(ddb, "accounts")
        ddb.execute_statement(
            Statement="INSERT INTO \"accounts\" VALUE {'customer': 'a', 'order': 0, 'balance': 10}"
        )
        move = [
            {
                "Statement": 'UPDATE "accounts" SET balance = balance - ? '
                "WHERE customer = 'a' AND \"order\" = 0 AND balance >= ?",
                "Parameters": [{"N": "25"}, {"N": "25"}],
            },
            {"Statement": "INSERT INTO \"accounts\" VALUE {'customer': 'b', 'order': 0, 'balance': 25}"},
        ]
        with self.assertRaises(ddb.exceptions.TransactionCanceledException) as raised:
            ddb.execute_transaction(TransactStatements=move)
        reasons = raised.exception.response["CancellationReasons"]
        self.assertEqual([r["Code"] for r in reasons], ["ConditionalCheckFailed", "None"])

        move[0]["Parameters"] = [{"N": "5"}, {"N": "5"}]
        out = ddb.execute_transaction(TransactStatements=move, ClientRequestToken="move-1")
        self.assertEqual(out["Responses"], [])
        # The same token and request again: nothing more is applied.
        ddb.execute_transaction(TransactStatements=move, ClientRequestToken="move-1")
        with self.assertRaises(ddb.exceptions.IdempotentParameterMismatchException):
            ddb.execute_transaction(TransactStatements=move[:1], ClientRequestToken="move-1")

        out = ddb.execute_transaction(
            TransactStatements=[
                {"Statement": "SELECT balance FROM \"accounts\" WHERE customer = 'a' AND \"order\" = 0"},
                {"Statement": "SELECT * FROM \"accounts\" WHERE customer = ? AND \"order\" = 0",
                 "Parameters": [{"S": "b"}]},
                {"Statement": "SELECT * FROM \"accounts\" WHERE customer = 'z' AND \"order\" = 0"},
            ]
        )
        self.assertEqual(out["Responses"][0], {"Item": {"balance": {"N": "5"}}})
        self.assertEqual(out["Responses"][1]["Item"]["balance"], {"N": "25"})
        self.assertEqual(out["Responses"][2], {})


class AwsCliPartiQL(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint()

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def test_statements(self):
        url = self.endpoint.url
        aws(
            url, "create-table", "--table-name", "clipq",
            "--key-schema", "AttributeName=id,KeyType=HASH",
            "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--billing-mode", "PAY_PER_REQUEST",
        )
        out = aws(url, "execute-statement", "--statement",
                  "INSERT INTO \"clipq\" VALUE {'id': 'a', 'n': 1}")
        self.assertEqual(out, {"Items": []})
        out = aws(url, "execute-statement", "--statement", "SELECT * FROM \"clipq\" WHERE id = ?",
                  "--parameters", json.dumps([{"S": "a"}]))
        self.assertEqual(out["Items"], [{"id": {"S": "a"}, "n": {"N": "1"}}])
        out = aws(url, "batch-execute-statement", "--statements", json.dumps([
            {"Statement": "UPDATE \"clipq\" SET n = n + 1 WHERE id = 'a'"},
            {"Statement": "INSERT INTO \"clipq\" VALUE {'id': 'b'}"},
        ]))
        self.assertEqual([r["TableName"] for r in out["Responses"]], ["clipq", "clipq"])
        out = aws(url, "execute-transaction", "--transact-statements", json.dumps([
            {"Statement": "SELECT n FROM \"clipq\" WHERE id = 'a'"},
        ]))
        self.assertEqual(out["Responses"], [{"Item": {"n": {"N": "2"}}}])
        stderr = aws(url, "execute-statement", "--statement", "SLECT 1", expect_failure=True)
        self.assertIn("Expected data manipulation", stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="the dynacond binary (built with --features server)")
    args, rest = parser.parse_known_args()
    test_endpoint.BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
