//! UpdateTable beyond the spec vectors: the backfill racing writers, the
//! statuses while an index is backfilled, capacity history, billing
//! switches, the stream rules and the members refused by name.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use serde_json::{Value, json};

use crate::api::*;
use crate::error::Error;
use crate::store::index::Entry;
use crate::store::{PrimaryKey, Store};
use crate::value::item_size;
use crate::wire;

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

/// A store with table `tab` (`p` S), on demand unless `provisioned`.
fn store(provisioned: bool) -> Store {
    let store = Store::new();
    let mut create = json!({"TableName": "tab",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"});
    if provisioned {
        create["BillingMode"] = json!("PROVISIONED");
        create["ProvisionedThroughput"] = json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 5});
    }
    store.create_table(req(create)).unwrap();
    store
}

fn update(store: &Store, request: Value) -> Result<TableDescription, Error> {
    let mut request = request;
    request["TableName"] = json!("tab");
    store
        .update_table(req(request))
        .map(|o| o.table_description)
}

fn describe(store: &Store) -> TableDescription {
    store
        .describe_table(DescribeTableInput::new("tab"))
        .unwrap()
        .table
}

fn message(result: Result<TableDescription, Error>) -> String {
    result.map_or_else(|e| e.message().to_owned(), |_| "accepted".into())
}

fn create_gsi(attribute: &str, projection: Value) -> Value {
    json!({"AttributeDefinitions": [{"AttributeName": attribute, "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "gsi",
            "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
            "Projection": projection}}]})
}

fn put(store: &Store, item: Value) -> Result<(), Error> {
    store
        .put_item(req(json!({"TableName": "tab", "Item": item})))
        .map(|_| ())
}

/// The index as a rebuild from the table's items would make it: entries,
/// count and size of the projected entries.
fn rebuild(store: &Store) -> (Vec<Entry>, u64, u64) {
    let table = store.table("tab").unwrap();
    let index = table.index("gsi").unwrap();
    let mut entries = Vec::new();
    let mut bytes = 0;
    for item in table.items() {
        if let Some(key) = index.key_of(&item) {
            let table_key: PrimaryKey = table.schema.key_of_item(&item).unwrap();
            entries.push(Entry {
                index: key,
                table: table_key,
            });
            bytes += item_size(&index.project(&item, &table.schema)) as u64;
        }
    }
    entries.sort();
    let count = entries.len() as u64;
    (entries, count, bytes)
}

/// A deterministic xorshift sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// A value of `g` for the backfill to index or skip: a string, missing, a
/// number (wrong type), empty, or over the 2048-byte index key limit.
fn some_g(rng: &mut Rng) -> Option<Value> {
    match rng.next(6) {
        0 => None,
        1 => Some(json!({"N": "5"})),
        2 => Some(json!({"S": ""})),
        3 => Some(json!({"S": "x".repeat(2049)})),
        n => Some(json!({"S": format!("g{}", rng.next(50) + n)})),
    }
}

#[test]
fn a_backfill_racing_writers_ends_equal_to_a_rebuild() {
    const ITEMS: u64 = 20_000;
    let store = store(false);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..ITEMS {
        let mut item = json!({"p": {"S": format!("k{i}")}, "n": {"N": i.to_string()}});
        if let Some(g) = some_g(&mut rng) {
            item["g"] = g;
        }
        put(&store, item).unwrap();
    }
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        for seed in [1u64, 2] {
            let (store, done) = (&store, &done);
            s.spawn(move || {
                let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
                let mut writes: usize = 0;
                // Keep writing until the index exists, and at least a while.
                while writes < 2_000 || !done.load(Ordering::Acquire) {
                    writes += 1;
                    let key = json!({"S": format!("k{}", rng.next(ITEMS + 500))});
                    let result = match rng.next(4) {
                        0 => store
                            .delete_item(req(json!({"TableName": "tab", "Key": {"p": key}})))
                            .map(|_| ()),
                        1 => store
                            .update_item(req(json!({"TableName": "tab", "Key": {"p": key},
                                "UpdateExpression": "SET n = :n",
                                "ExpressionAttributeValues": {":n": {"N": writes.to_string()}}})))
                            .map(|_| ()),
                        2 => store
                            .update_item(req(json!({"TableName": "tab", "Key": {"p": key},
                                "UpdateExpression": "REMOVE g"})))
                            .map(|_| ()),
                        _ => {
                            let mut item = json!({"p": key, "w": {"S": "x".repeat(writes % 300)}});
                            if let Some(g) = some_g(&mut rng) {
                                item["g"] = g;
                            }
                            put(store, item)
                        }
                    };
                    // Once the index exists, a bad `g` is refused (§4.2).
                    if let Err(e) = result {
                        assert_eq!(e.type_name(), "ValidationException", "{e}");
                    }
                }
            });
        }
        let created = update(
            &store,
            create_gsi(
                "g",
                json!({"ProjectionType": "INCLUDE",
            "NonKeyAttributes": ["w"]}),
            ),
        );
        assert_eq!(created.unwrap().table_status, TableStatus::Updating);
        done.store(true, Ordering::Release);
    });
    let table = store.table("tab").unwrap();
    let index = table.index("gsi").unwrap();
    assert!(!index.is_backfilling());
    let (entries, count, bytes) = rebuild(&store);
    assert!(count > 1000, "{count}");
    assert_eq!(index.all_entries(), entries);
    assert_eq!((index.item_count(), index.size_bytes()), (count, bytes));
    let described = describe(&store).global_secondary_indexes.unwrap();
    assert_eq!(described[0].item_count, count);
    assert_eq!(described[0].index_status, "ACTIVE");
}

#[test]
fn while_an_index_is_backfilled() {
    let store = store(false);
    put(&store, json!({"p": {"S": "a"}, "g": {"S": "x"}})).unwrap();
    update(&store, create_gsi("g", json!({"ProjectionType": "ALL"}))).unwrap();
    let index = store.table("tab").unwrap().index("gsi").unwrap();
    // As a concurrent request would find it mid-backfill.
    index.set_backfilling(true);
    let table = describe(&store);
    assert_eq!(table.table_status, TableStatus::Active);
    let gsi = &table.global_secondary_indexes.unwrap()[0];
    assert_eq!(
        (gsi.index_status.as_str(), gsi.backfilling),
        ("CREATING", Some(true))
    );
    let query = store.query(req(json!({"TableName": "tab", "IndexName": "gsi",
        "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}})));
    assert_eq!(
        query.unwrap_err().message(),
        "Cannot read from backfilling global secondary index: gsi"
    );
    let scan = store.scan(req(json!({"TableName": "tab", "IndexName": "gsi"})));
    assert!(scan.is_err());
    let deleted = store
        .delete_table(DeleteTableInput::new("tab"))
        .unwrap_err();
    assert_eq!(deleted.type_name(), "ResourceInUseException");
    assert_eq!(
        deleted.message(),
        "Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted."
    );
    let mut other = create_gsi("h", json!({"ProjectionType": "ALL"}));
    other["GlobalSecondaryIndexUpdates"][0]["Create"]["IndexName"] = json!("other");
    let another = update(&store, other);
    let another = another.unwrap_err();
    assert_eq!(another.type_name(), "LimitExceededException");
    // The index being filled may itself be deleted.
    let gone = update(
        &store,
        json!({"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "gsi"}}]}),
    );
    let gone = gone.unwrap().global_secondary_indexes.unwrap();
    assert_eq!(gone[0].index_status, "DELETING");
    assert_eq!(describe(&store).global_secondary_indexes, None);
    store.delete_table(DeleteTableInput::new("tab")).unwrap();
}

#[test]
fn capacity_changes_are_dated_and_replied_with_old_values() {
    let store = store(true);
    let created = update(
        &store,
        json!({
        "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "gsi",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 3}}}]}),
    );
    let created = created.unwrap().global_secondary_indexes.unwrap();
    assert_eq!(created[0].provisioned_throughput.read_capacity_units, 3);
    let reply = update(
        &store,
        json!({"ProvisionedThroughput":
        {"ReadCapacityUnits": 4, "WriteCapacityUnits": 9}}),
    )
    .unwrap();
    assert_eq!(reply.table_status, TableStatus::Updating);
    let pt = reply.provisioned_throughput;
    assert_eq!((pt.read_capacity_units, pt.write_capacity_units), (5, 5));
    assert!(pt.last_increase_date_time.is_some() && pt.last_decrease_date_time.is_some());
    let pt = describe(&store).provisioned_throughput;
    assert_eq!((pt.read_capacity_units, pt.write_capacity_units), (4, 9));
    assert_eq!(pt.number_of_decreases_today, 1);
    // An index update: the table stays ACTIVE, the index UPDATING at its old values.
    let reply = update(&store, json!({"GlobalSecondaryIndexUpdates": [{"Update": {
        "IndexName": "gsi", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}}}]}))
    .unwrap();
    assert_eq!(reply.table_status, TableStatus::Active);
    let gsi = &reply.global_secondary_indexes.unwrap()[0];
    assert_eq!(
        (
            gsi.index_status.as_str(),
            gsi.provisioned_throughput.read_capacity_units
        ),
        ("UPDATING", 3)
    );
    let gsi = &describe(&store).global_secondary_indexes.unwrap()[0];
    assert_eq!(gsi.provisioned_throughput.read_capacity_units, 2);
    assert_eq!(gsi.provisioned_throughput.number_of_decreases_today, 1);
    assert_eq!(
        message(update(
            &store,
            json!({"GlobalSecondaryIndexUpdates": [{"Update": {
            "IndexName": "gsi", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}}}]})
        )),
        "The provisioned throughput for the index gsi will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for index gsi: 2. Requested ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for index gsi: 3. Requested WriteCapacityUnits: 3. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
    );
    assert_eq!(
        message(update(
            &store,
            json!({"ProvisionedThroughput":
            {"ReadCapacityUnits": 1_000_000_000_001_i64, "WriteCapacityUnits": 1}})
        )),
        "Given value 1000000000001 for ReadCapacityUnits is out of bounds"
    );
}

#[test]
fn billing_mode_switches_both_ways() {
    let store = store(true);
    update(
        &store,
        json!({
        "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "gsi",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}]}),
    )
    .unwrap();
    let reply = update(&store, json!({"BillingMode": "PAY_PER_REQUEST"})).unwrap();
    assert_eq!(reply.table_status, TableStatus::Updating);
    assert_eq!(reply.provisioned_throughput.read_capacity_units, 5);
    assert_eq!(
        reply.global_secondary_indexes.unwrap()[0].index_status,
        "UPDATING"
    );
    let table = describe(&store);
    assert_eq!(
        table.billing_mode_summary.map(|b| b.billing_mode),
        Some(BillingMode::PayPerRequest)
    );
    assert_eq!(table.provisioned_throughput.read_capacity_units, 0);
    let gsi = &table.global_secondary_indexes.unwrap()[0];
    assert_eq!(gsi.provisioned_throughput.write_capacity_units, 0);
    assert_eq!(
        message(update(
            &store,
            json!({"GlobalSecondaryIndexUpdates": [{"Update": {
            "IndexName": "gsi", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}}}]})
        )),
        "One or more parameter values were invalid: The only Updates for index: gsi when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput"
    );
    assert_eq!(
        message(update(&store, json!({"BillingMode": "PROVISIONED"}))),
        "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
    );
    update(
        &store,
        json!({"BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 7},
        "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "gsi",
            "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}}}]}),
    )
    .unwrap();
    let table = describe(&store);
    assert_eq!(table.provisioned_throughput.write_capacity_units, 7);
    let gsi = &table.global_secondary_indexes.unwrap()[0];
    assert_eq!(gsi.provisioned_throughput.read_capacity_units, 2);
}

#[test]
fn deletion_protection_from_create_table_and_update_table() {
    let store = Store::new();
    store
        .create_table(req(json!({"TableName": "tab",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST", "DeletionProtectionEnabled": true})))
        .unwrap();
    assert!(describe(&store).deletion_protection_enabled);
    let refused = store
        .delete_table(DeleteTableInput::new("tab"))
        .unwrap_err();
    assert_eq!(
        refused.message(),
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
    );
    let reply = update(&store, json!({"DeletionProtectionEnabled": false})).unwrap();
    assert_eq!(reply.table_status, TableStatus::Active);
    assert!(!reply.deletion_protection_enabled);
    store.delete_table(DeleteTableInput::new("tab")).unwrap();
}

#[test]
fn the_stream_rules_then_the_change() {
    let store = store(false);
    let cases = [
        (
            json!({"StreamSpecification": {"StreamEnabled": true}}),
            "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required",
        ),
        (
            json!({"StreamSpecification": {"StreamEnabled": false, "StreamViewType": "KEYS_ONLY"}}),
            "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified",
        ),
        (
            json!({"StreamSpecification": {"StreamEnabled": false}}),
            "Table has no stream to disable: TableName: tab",
        ),
        (
            json!({"StreamSpecification": {"StreamViewType": "Fisk"}}),
            "2 validation errors detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null; Value 'Fisk' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]",
        ),
        (
            json!({"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
            "One or more parameter values were invalid: You cannot modify stream status while updating table IOPS",
        ),
        (
            json!({"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
            "accepted",
        ),
        (
            json!({"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
            "Table already has an enabled stream: TableName: tab",
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(
            message(update(&store, request.clone())),
            expected,
            "{request}"
        );
    }
}

#[test]
fn combinations_and_unimplemented_members() {
    let store = store(false);
    let cases = [
        (
            json!({"SSESpecification": {"Enabled": true}, "DeletionProtectionEnabled": true}),
            "One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request",
        ),
        (
            json!({"TableClass": "STANDARD", "BillingMode": "PAY_PER_REQUEST"}),
            "One or more parameter values were invalid: TableClass modification must be the only operation in the request",
        ),
        (
            json!({"WarmThroughput": {"ReadUnitsPerSecond": 13000},
                "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "gsi",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}}}]}),
            "One or more parameter values were invalid: Create global secondary index cannot be specified when updating WarmThroughput",
        ),
        (
            json!({"WarmThroughput": {"ReadUnitsPerSecond": 13000}, "BillingMode": "PAY_PER_REQUEST"}),
            "One or more parameter values were invalid: WarmThroughput must be the only operation in the request",
        ),
        (
            json!({"OnDemandThroughput": {"MaxReadRequestUnits": 5}, "DeletionProtectionEnabled": true}),
            "One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request",
        ),
        (
            json!({"OnDemandThroughput": {"MaxReadRequestUnits": 5},
                "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "gone"}}]}),
            "One or more parameter values were invalid: OnDemandThroughput can only be combined with BillingMode in an UpdateTable request",
        ),
        (
            json!({"OnDemandThroughput": {"MaxReadRequestUnits": 5}, "BillingMode": "PAY_PER_REQUEST"}),
            "dynacond does not implement OnDemandThroughput yet (see the README's known differences)",
        ),
        (
            json!({"ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]}),
            "dynacond does not implement ReplicaUpdates yet (see the README's known differences)",
        ),
        (
            json!({"MultiRegionConsistency": "STRONG"}),
            "dynacond does not implement MultiRegionConsistency yet (see the README's known differences)",
        ),
        (
            json!({"WarmThroughput": {"ReadUnitsPerSecond": 13000}}),
            "dynacond does not implement WarmThroughput yet (see the README's known differences)",
        ),
        (
            json!({"TableClass": "STANDARD_INFREQUENT_ACCESS"}),
            "accepted",
        ),
        (json!({"TableClass": "STANDARD"}), "accepted"),
        (
            json!({"SSESpecification": {"Enabled": false}}),
            "One or more parameter values were invalid: Table is already encrypted by default",
        ),
        (json!({"SSESpecification": {"Enabled": true}}), "accepted"),
    ];
    for (request, expected) in cases {
        assert_eq!(
            message(update(&store, request.clone())),
            expected,
            "{request}"
        );
    }
    // Refused requests changed nothing.
    assert!(!describe(&store).deletion_protection_enabled);
}

#[test]
fn create_checks_against_the_table() {
    let store = store(false);
    let mut missing = create_gsi("g", json!({"ProjectionType": "ALL"}));
    missing["AttributeDefinitions"] = json!([{"AttributeName": "x", "AttributeType": "S"}]);
    assert_eq!(
        message(update(&store, missing)),
        "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [g], AttributeDefinitions: [x]"
    );
    let mut key = create_gsi("p", json!({"ProjectionType": "ALL"}));
    key["AttributeDefinitions"] = json!([{"AttributeName": "p", "AttributeType": "N"}]);
    assert_eq!(
        message(update(&store, key)),
        "One or more parameter values were invalid: Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{p:S:HASH}] New schema: Schema:[SchemaElement: key{p:N:HASH}]"
    );
    assert_eq!(
        message(update(
            &store,
            create_gsi("g", json!({"ProjectionType": "INCLUDE"}))
        )),
        "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"
    );
    let mut provisioned = create_gsi("g", json!({"ProjectionType": "ALL"}));
    provisioned["GlobalSecondaryIndexUpdates"][0]["Create"]["ProvisionedThroughput"] =
        json!({"ReadCapacityUnits": 1, "WriteCapacityUnits": 1});
    assert_eq!(
        message(update(&store, provisioned)),
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: gsi when BillingMode is PAY_PER_REQUEST"
    );
    // The table's own key may key an index too; a missing table is not found.
    let mut same = create_gsi("p", json!({"ProjectionType": "KEYS_ONLY"}));
    same["AttributeDefinitions"] = json!([{"AttributeName": "p", "AttributeType": "S"}]);
    let reply = update(&store, same).unwrap();
    assert_eq!(reply.attribute_definitions.len(), 1);
    let missing_table = store.update_table(req(json!({"TableName": "nope",
        "BillingMode": "PAY_PER_REQUEST"})));
    assert_eq!(
        missing_table.unwrap_err().message(),
        "Requested resource not found: Table: nope not found"
    );
}

#[test]
fn the_builders_make_the_requests_of_the_spec() {
    let input = UpdateTableInput::new("tab")
        .with_attribute_definition("g", crate::store::ScalarType::S)
        .with_create_index(
            CreateGlobalSecondaryIndexAction::new("gsi", Projection::include(["a"]))
                .with_hash_key("g")
                .with_range_key("p")
                .with_provisioned_throughput(1, 2),
        )
        .with_update_index("other", 3, 4)
        .with_delete_index("old")
        .with_billing_mode(BillingMode::Provisioned)
        .with_provisioned_throughput(5, 6)
        .with_deletion_protection(true);
    let json = serde_json::to_value(&input).unwrap();
    assert_eq!(
        json,
        json!({"TableName": "tab",
            "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 6},
            "GlobalSecondaryIndexUpdates": [
                {"Create": {"IndexName": "gsi",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                        {"AttributeName": "p", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]},
                    "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2}}},
                {"Update": {"IndexName": "other",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}},
                {"Delete": {"IndexName": "old"}}],
            "DeletionProtectionEnabled": true})
    );
    let back: UpdateTableInput = req(json);
    assert_eq!(back, input);
    assert_eq!(
        Projection::keys_only().projection_type,
        Some(ProjectionType::KeysOnly)
    );
}
