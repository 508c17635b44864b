// PartiQL through the AWS SDK for JavaScript v3 against `dynacond serve`:
// ExecuteStatement (Parameters, Limit and NextToken), BatchExecuteStatement
// and ExecuteTransaction, with their modelled exceptions.
//
// Run like js_endpoint.mjs (copied beside @aws-sdk/client-dynamodb):
//
//     node target/sdk-js/js_partiql.mjs http://127.0.0.1:PORT
import assert from "node:assert/strict";
import {
  BatchExecuteStatementCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DuplicateItemException,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";

const endpoint = process.argv[2];
const client = new DynamoDBClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
const send = (command) => client.send(command);
const run = (Statement, Parameters, extra = {}) =>
  send(new ExecuteStatementCommand({ Statement, Parameters, ...extra }));

async function rejects(promise, type) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.name}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${type.name}`);
}

await send(new CreateTableCommand({
  TableName: "jspq",
  BillingMode: "PAY_PER_REQUEST",
  KeySchema: [{ AttributeName: "p", KeyType: "HASH" }, { AttributeName: "s", KeyType: "RANGE" }],
  AttributeDefinitions: [{ AttributeName: "p", AttributeType: "S" }, { AttributeName: "s", AttributeType: "N" }],
}));

// ExecuteStatement: INSERT with Parameters, a duplicate, a paged SELECT.
for (let s = 1; s <= 4; s++) {
  const out = await run(`INSERT INTO "jspq" VALUE {'p': ?, 's': ?, 'v': ?}`, [{ S: "a" }, { N: `${s}` }, { S: `v${s}` }]);
  assert.deepEqual(out.Items, []);
}
const dup = await rejects(run(`INSERT INTO "jspq" VALUE {'p': 'a', 's': 1}`), DuplicateItemException);
assert.equal(dup.message, "Duplicate primary key exists in table");

const seen = [];
let NextToken;
do {
  const page = await run(`SELECT s, v FROM "jspq" WHERE p = ?`, [{ S: "a" }], { Limit: 3, NextToken });
  seen.push(...page.Items.map((i) => Number(i.s.N)));
  NextToken = page.NextToken;
} while (NextToken);
assert.deepEqual(seen, [1, 2, 3, 4]);

const updated = await run(
  `UPDATE "jspq" SET v = ?, n = 1 WHERE p = 'a' AND s = 2 RETURNING ALL NEW *`,
  [{ S: "two" }],
);
assert.deepEqual(updated.Items, [{ p: { S: "a" }, s: { N: "2" }, v: { S: "two" }, n: { N: "1" } }]);
const failed = await rejects(
  run(`DELETE FROM "jspq" WHERE p = 'a' AND s = 2 AND v = 'other'`, undefined, {
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  }),
  ConditionalCheckFailedException,
);
assert.deepEqual(failed.Item.v, { S: "two" });

// BatchExecuteStatement: one answer per statement.
const batch = await send(new BatchExecuteStatementCommand({
  Statements: [
    { Statement: `SELECT v FROM "jspq" WHERE p = 'a' AND s = 1` },
    { Statement: `SELECT v FROM "jspq" WHERE p = ? AND s = ?`, Parameters: [{ S: "a" }, { N: "9" }] },
    { Statement: `SELECT * FROM "missing_table" WHERE p = 'a' AND s = 1` },
  ],
}));
assert.deepEqual(batch.Responses[0], { TableName: "jspq", Item: { v: { S: "v1" } } });
assert.deepEqual(batch.Responses[1], { TableName: "jspq" });
assert.equal(batch.Responses[2].Error.Code, "ResourceNotFound");

// ExecuteTransaction: all or nothing.
const cancelled = await rejects(send(new ExecuteTransactionCommand({
  TransactStatements: [
    { Statement: `UPDATE "jspq" SET v = 'x' WHERE p = 'a' AND s = 3` },
    { Statement: `UPDATE "jspq" SET v = 'x' WHERE p = 'a' AND s = 99` },
  ],
})), TransactionCanceledException);
assert.deepEqual(cancelled.CancellationReasons.map((r) => r.Code), ["None", "ConditionalCheckFailed"]);
const committed = await send(new ExecuteTransactionCommand({
  TransactStatements: [
    { Statement: `EXISTS(SELECT * FROM "jspq" WHERE p = 'a' AND s = 4 AND v = 'v4')` },
    { Statement: `DELETE FROM "jspq" WHERE p = 'a' AND s = 3` },
  ],
  ClientRequestToken: "js-tx-1",
}));
assert.deepEqual(committed.Responses, []);
const read = await send(new ExecuteTransactionCommand({
  TransactStatements: [
    { Statement: `SELECT v FROM "jspq" WHERE p = 'a' AND s = 3` },
    { Statement: `SELECT v FROM "jspq" WHERE p = 'a' AND s = 4` },
  ],
}));
assert.deepEqual(read.Responses, [{}, { Item: { v: { S: "v4" } } }]);

console.log("js sdk: partiql ok");
