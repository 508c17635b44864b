// DynamoDB Streams through the AWS SDK for JavaScript v3 against
// `dynacond serve`: @aws-sdk/client-dynamodb-streams on the same endpoint
// as @aws-sdk/client-dynamodb, as a stream consumer uses them.
//
// Run by `.ci/run` beside js_endpoint.mjs:
//
//     node target/sdk-js/js_streams.mjs http://127.0.0.1:PORT
import assert from "node:assert/strict";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb-streams";

const endpoint = process.argv[2];
const options = {
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
};
const ddb = new DynamoDBClient(options);
const streams = new DynamoDBStreamsClient(options);

const created = await ddb.send(
  new CreateTableCommand({
    TableName: "jsstream",
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  }),
);
const arn = created.TableDescription.LatestStreamArn;
assert.ok(arn.startsWith(`${created.TableDescription.TableArn}/stream/`));

await ddb.send(new PutItemCommand({ TableName: "jsstream", Item: { id: { S: "a" }, n: { N: "1" } } }));
await ddb.send(
  new UpdateItemCommand({
    TableName: "jsstream",
    Key: { id: { S: "a" } },
    UpdateExpression: "SET n = :two",
    ExpressionAttributeValues: { ":two": { N: "2" } },
  }),
);
await ddb.send(new DeleteItemCommand({ TableName: "jsstream", Key: { id: { S: "a" } } }));

const listed = await streams.send(new ListStreamsCommand({ TableName: "jsstream" }));
assert.deepEqual(listed.Streams.map((s) => s.StreamArn), [arn]);

const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
assert.equal(StreamDescription.StreamStatus, "ENABLED");
assert.equal(StreamDescription.StreamViewType, "NEW_AND_OLD_IMAGES");
assert.equal(StreamDescription.Shards.length, 1);

// A consumer loop: one iterator, pages of one record, until a page is empty.
let iterator = (
  await streams.send(
    new GetShardIteratorCommand({
      StreamArn: arn,
      ShardId: StreamDescription.Shards[0].ShardId,
      ShardIteratorType: "TRIM_HORIZON",
    }),
  )
).ShardIterator;
const records = [];
for (;;) {
  const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1 }));
  records.push(...page.Records);
  if (page.Records.length === 0 || !page.NextShardIterator) break;
  iterator = page.NextShardIterator;
}
assert.deepEqual(
  records.map((r) => r.eventName),
  ["INSERT", "MODIFY", "REMOVE"],
);
// The SDK turns ApproximateCreationDateTime into a Date.
assert.ok(records[0].dynamodb.ApproximateCreationDateTime instanceof Date);
assert.deepEqual(records[1].dynamodb.OldImage.n, { N: "1" });
assert.deepEqual(records[1].dynamodb.NewImage.n, { N: "2" });
assert.deepEqual(records[2].dynamodb.OldImage, { id: { S: "a" }, n: { N: "2" } });

// Disabled: the stream stays readable and describes itself as DISABLED.
await ddb.send(new UpdateTableCommand({ TableName: "jsstream", StreamSpecification: { StreamEnabled: false } }));
const after = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
assert.equal(after.StreamDescription.StreamStatus, "DISABLED");

await assert.rejects(
  streams.send(new DescribeStreamCommand({ StreamArn: `${arn.split("/stream/")[0]}/stream/2000-01-01T00:00:00.000` })),
  (e) => e instanceof ResourceNotFoundException,
);

console.log("the JavaScript streams client works against dynacond serve");
