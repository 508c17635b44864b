// The AWS SDK for JavaScript v3 against `dynacond serve`.
//
// Run by `.ci/run`, which installs @aws-sdk/client-dynamodb from npm into
// target/sdk-js and copies this file there (ES modules resolve packages
// from the script's own folder):
//
//     node target/sdk-js/js_endpoint.mjs http://127.0.0.1:PORT
import assert from "node:assert/strict";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

const endpoint = process.argv[2];
const client = new DynamoDBClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
const send = (command) => client.send(command);
const TableName = "jstable";
const key = { id: { S: "a" } };

async function rejects(promise, type) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.name}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${type.name}`);
}

const created = await send(new CreateTableCommand({
  TableName,
  BillingMode: "PAY_PER_REQUEST",
  KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
}));
assert.equal(created.TableDescription.TableStatus, "CREATING");
assert.equal((await send(new DescribeTableCommand({ TableName }))).Table.TableStatus, "ACTIVE");
assert.ok(created.TableDescription.CreationDateTime instanceof Date);
assert.equal((await send(new DescribeTableCommand({ TableName }))).Table.TableName, TableName);
assert.ok((await send(new ListTablesCommand({}))).TableNames.includes(TableName));

await send(new PutItemCommand({
  TableName, Item: { ...key, n: { N: "1" } }, ConditionExpression: "attribute_not_exists(id)",
}));
const failed = await rejects(send(new PutItemCommand({
  TableName, Item: key, ConditionExpression: "attribute_not_exists(id)",
  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
})), ConditionalCheckFailedException);
assert.equal(failed.message, "The conditional request failed");
assert.deepEqual(failed.Item, { ...key, n: { N: "1" } });
assert.equal(failed.$metadata.httpStatusCode, 400);

const updated = await send(new UpdateItemCommand({
  TableName, Key: key, UpdateExpression: "ADD n :one",
  ExpressionAttributeValues: { ":one": { N: "1" } }, ReturnValues: "UPDATED_NEW",
}));
assert.deepEqual(updated.Attributes, { n: { N: "2" } });
assert.deepEqual((await send(new GetItemCommand({ TableName, Key: key }))).Item, { ...key, n: { N: "2" } });

const cancelled = await rejects(send(new TransactWriteItemsCommand({
  TransactItems: [
    { Put: { TableName, Item: { id: { S: "b" } } } },
    { ConditionCheck: { TableName, Key: key, ConditionExpression: "attribute_not_exists(n)" } },
  ],
})), TransactionCanceledException);
assert.deepEqual(cancelled.CancellationReasons.map((r) => r.Code), ["None", "ConditionalCheckFailed"]);
await send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: { id: { S: "b" } } } }] }));
const read = await send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName, Key: { id: { S: "b" } } } }] }));
assert.deepEqual(read.Responses, [{ Item: { id: { S: "b" } } }]);

await send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [
  { PutRequest: { Item: { id: { S: "c" } } } },
  { DeleteRequest: { Key: { id: { S: "b" } } } },
] } }));
const batch = await send(new BatchGetItemCommand({ RequestItems: { [TableName]: {
  Keys: [key, { id: { S: "b" } }, { id: { S: "c" } }],
} } }));
assert.deepEqual(batch.Responses[TableName].map((i) => i.id.S).sort(), ["a", "c"]);

const queried = await send(new QueryCommand({
  TableName, KeyConditionExpression: "id = :id", ExpressionAttributeValues: { ":id": { S: "c" } },
}));
assert.deepEqual(queried.Items, [{ id: { S: "c" } }]);
assert.equal(queried.Count, 1);
const scanned = await send(new ScanCommand({ TableName, Limit: 1 }));
assert.equal(scanned.Items.length, 1);
assert.ok(scanned.LastEvaluatedKey, "a Limit-stopped page has a LastEvaluatedKey");
const rest = await send(new ScanCommand({ TableName, ExclusiveStartKey: scanned.LastEvaluatedKey }));
assert.deepEqual([...scanned.Items, ...rest.Items].map((i) => i.id.S).sort(), ["a", "c"]);

const deleted = await send(new DeleteItemCommand({ TableName, Key: key, ReturnValues: "ALL_OLD" }));
assert.deepEqual(deleted.Attributes, { ...key, n: { N: "2" } });
await send(new DeleteTableCommand({ TableName }));
await rejects(send(new DescribeTableCommand({ TableName })), ResourceNotFoundException);
console.log("js sdk: every operation ok");
