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
  DescribeContinuousBackupsCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  TableNotFoundException,
  TagResourceCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UntagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  paginateQuery,
  paginateScan,
  waitUntilTableExists,
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
// --- Secondary indexes: a GSI (INCLUDE) and an LSI (KEYS_ONLY) -------------
{
  const TableName = "jsindexed";
  const created = await send(new CreateTableCommand({
    TableName,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "state", AttributeType: "S" }, { AttributeName: "created", AttributeType: "N" },
      { AttributeName: "amount", AttributeType: "N" },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: "by_state",
      KeySchema: [{ AttributeName: "state", KeyType: "HASH" }, { AttributeName: "created", KeyType: "RANGE" }],
      Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["amount"] },
    }],
    LocalSecondaryIndexes: [{
      IndexName: "by_amount",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "amount", KeyType: "RANGE" }],
      Projection: { ProjectionType: "KEYS_ONLY" },
    }],
  }));
  assert.equal(created.TableDescription.GlobalSecondaryIndexes[0].IndexStatus, "CREATING");
  const waited = await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName });
  assert.equal(waited.state, "SUCCESS");

  // Ten orders in two partitions, no two created alike; odd sk: no state,
  // so not in the GSI.
  const order = (pk, sk) => ({
    pk: { S: pk }, sk: { N: String(sk) },
    created: { N: String((pk === "a" ? 100 : 50) - sk) },
    amount: { N: String(sk * 10) }, note: { S: `order ${pk}/${sk}` },
    ...(sk % 2 === 0 ? { state: { S: "open" } } : {}),
  });
  await send(new BatchWriteItemCommand({ RequestItems: { [TableName]: ["a", "b"].flatMap((pk) =>
    [0, 1, 2, 3, 4].map((sk) => ({ PutRequest: { Item: order(pk, sk) } }))) } }));
  // Moves a/1 into the GSI.
  await send(new UpdateItemCommand({
    TableName, Key: { pk: { S: "a" }, sk: { N: "1" } }, UpdateExpression: "SET #s = :s",
    ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":s": { S: "open" } },
  }));

  // The GSI newest first, two a page, through the SDK's paginator.
  const pages = [];
  for await (const page of paginateQuery({ client, pageSize: 2 }, {
    TableName, IndexName: "by_state", KeyConditionExpression: "#s = :s",
    ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":s": { S: "open" } },
    ScanIndexForward: false,
  })) {
    pages.push(page);
  }
  const open = pages.flatMap((p) => p.Items);
  assert.deepEqual(open.map((i) => `${i.pk.S}/${i.sk.N}`), ["a/0", "a/1", "a/2", "a/4", "b/0", "b/2", "b/4"]);
  assert.deepEqual(Object.keys(open[0]).sort(), ["amount", "created", "pk", "sk", "state"]);
  assert.deepEqual(Object.keys(pages[0].LastEvaluatedKey).sort(), ["created", "pk", "sk", "state"]);

  // The LSI by amount, descending; KEYS_ONLY unless ALL_ATTRIBUTES fetches.
  const lsi = {
    TableName, IndexName: "by_amount", KeyConditionExpression: "pk = :p AND amount >= :a",
    ExpressionAttributeValues: { ":p": { S: "b" }, ":a": { N: "20" } }, ScanIndexForward: false,
  };
  const keysOnly = await send(new QueryCommand(lsi));
  assert.deepEqual(keysOnly.Items, [4, 3, 2].map((sk) =>
    ({ pk: { S: "b" }, sk: { N: String(sk) }, amount: { N: String(sk * 10) } })));
  const whole = await send(new QueryCommand({ ...lsi, Select: "ALL_ATTRIBUTES" }));
  assert.deepEqual(whole.Items[0], order("b", 4));

  // Scans of the indexes.
  let scanned = 0;
  for await (const page of paginateScan({ client, pageSize: 3 }, { TableName, IndexName: "by_state" })) {
    scanned += page.Items.length;
    assert.ok(page.Items.every((i) => i.state && !i.note));
  }
  assert.equal(scanned, 7);
  assert.equal((await send(new ScanCommand({ TableName, IndexName: "by_amount", Select: "COUNT" }))).Count, 10);

  const described = (await send(new DescribeTableCommand({ TableName }))).Table;
  const [gsi] = described.GlobalSecondaryIndexes;
  const [local] = described.LocalSecondaryIndexes;
  assert.equal(gsi.IndexStatus, "ACTIVE");
  assert.equal(gsi.ItemCount, 7);
  assert.deepEqual(gsi.Projection, { ProjectionType: "INCLUDE", NonKeyAttributes: ["amount"] });
  assert.equal(gsi.IndexArn, `${described.TableArn}/index/by_state`);
  assert.equal(local.IndexName, "by_amount");
  assert.equal(local.ItemCount, 10);
  assert.equal(local.IndexStatus, undefined);

  const put = await send(new PutItemCommand({ TableName, Item: order("c", 0), ReturnConsumedCapacity: "INDEXES" }));
  assert.deepEqual(put.ConsumedCapacity, {
    TableName, CapacityUnits: 3, Table: { CapacityUnits: 1 },
    GlobalSecondaryIndexes: { by_state: { CapacityUnits: 1 } },
    LocalSecondaryIndexes: { by_amount: { CapacityUnits: 1 } },
  });
  await send(new DeleteTableCommand({ TableName }));
  console.log("js sdk: secondary indexes ok");
}
// --- end of secondary indexes ----------------------------------------------
// --- Tags, point-in-time recovery, limits and endpoints ---------------------
{
  const TableName = "jstagged";
  const created = await send(new CreateTableCommand({
    TableName,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    Tags: [{ Key: "stage", Value: "dev" }],
    SSESpecification: { Enabled: true, SSEType: "KMS", KMSMasterKeyId: "alias/mine" },
  }));
  const ResourceArn = created.TableDescription.TableArn;
  assert.equal(created.TableDescription.SSEDescription.KMSMasterKeyArn,
    "arn:aws:kms:us-east-1:123456789012:alias/mine");
  await send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: "env", Value: "test" }, { Key: "team", Value: "db" }] }));
  await send(new UntagResourceCommand({ ResourceArn, TagKeys: ["team"] }));
  const listed = await send(new ListTagsOfResourceCommand({ ResourceArn }));
  assert.deepEqual(listed.Tags, [{ Key: "stage", Value: "dev" }, { Key: "env", Value: "test" }]);
  assert.equal(listed.NextToken, undefined);
  const tooMany = await rejects(send(new TagResourceCommand({
    ResourceArn, Tags: Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: "v" })),
  })), Error);
  assert.equal(tooMany.name, "ValidationException");
  assert.equal(tooMany.message, "Number of Tags exceed the current limit for the provided ResourceArn");

  const on = await send(new UpdateContinuousBackupsCommand({
    TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  }));
  const pitr = on.ContinuousBackupsDescription.PointInTimeRecoveryDescription;
  assert.equal(pitr.PointInTimeRecoveryStatus, "ENABLED");
  assert.equal(pitr.RecoveryPeriodInDays, 35);
  assert.ok(pitr.EarliestRestorableDateTime instanceof Date);
  const described = await send(new DescribeContinuousBackupsCommand({ TableName }));
  assert.equal(described.ContinuousBackupsDescription.ContinuousBackupsStatus, "ENABLED");
  const missing = await rejects(send(new DescribeContinuousBackupsCommand({ TableName: "nosuch" })),
    TableNotFoundException);
  assert.equal(missing.message, "Table not found: nosuch");

  const limits = await send(new DescribeLimitsCommand({}));
  assert.equal(limits.AccountMaxReadCapacityUnits, 80000);
  assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
  const endpoints = await send(new DescribeEndpointsCommand({}));
  assert.equal(endpoints.Endpoints.length, 1);
  assert.equal(endpoints.Endpoints[0].Address, new URL(endpoint).host);
  assert.equal(endpoints.Endpoints[0].CachePeriodInMinutes, 1440);
  await send(new DeleteTableCommand({ TableName }));
  console.log("js sdk: tags and control-plane calls ok");
}
// --- end of tags and control-plane calls -----------------------------------
// --- Time to Live: the operations, then expiry through the control calls --
// Last, since it moves the server's clock. The server's background sweeper
// may delete the item before the sweep call does, so the test looks at the
// item, not at the count.
{
  const TableName = "jsttl";
  await send(new CreateTableCommand({
    TableName,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
  }));
  const disabled = await send(new DescribeTimeToLiveCommand({ TableName }));
  assert.deepEqual(disabled.TimeToLiveDescription, { TimeToLiveStatus: "DISABLED" });
  const spec = { AttributeName: "expires", Enabled: true };
  const updated = await send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: spec }));
  assert.deepEqual(updated.TimeToLiveSpecification, spec);
  const enabled = await send(new DescribeTimeToLiveCommand({ TableName }));
  assert.deepEqual(enabled.TimeToLiveDescription, { TimeToLiveStatus: "ENABLED", AttributeName: "expires" });
  const again = await rejects(
    send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: spec })), Error);
  assert.equal(again.name, "ValidationException");
  assert.equal(again.message, "TimeToLive is already enabled");

  const control = async (method, path, body) => {
    const response = await fetch(endpoint + path, {
      method, headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(response.status, 200);
    return response.json();
  };
  const now = Math.floor((await control("GET", "/dynacond/clock")).now_seconds);
  const Key = { id: { S: "s1" } };
  await send(new PutItemCommand({ TableName, Item: { ...Key, expires: { N: String(now + 60) } } }));
  await control("POST", "/dynacond/ttl/sweep");
  assert.ok((await send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item);
  await control("POST", "/dynacond/clock", { advance_seconds: 61 });
  const swept = await control("POST", "/dynacond/ttl/sweep");
  assert.equal(typeof swept.ExpiredItems, "number");
  assert.equal((await send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item, undefined);
  assert.deepEqual(await control("DELETE", "/_aws/dynamodb/expired"), { ExpiredItems: 0 });
  await send(new DeleteTableCommand({ TableName }));
  console.log("js sdk: time to live ok");
}
// --- end of Time to Live ----------------------------------------------------
console.log("js sdk: every operation ok");
