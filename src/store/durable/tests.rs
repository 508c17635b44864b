use std::path::Path;

use crate::api::*;
use crate::store::durable::files;
use crate::store::durable::frame::{End, scan};
use crate::{Clock, Error, Store, wire};

fn open(dir: &Path) -> Result<Store, Error> {
    Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .data_dir(dir)
        .checkpoint_bytes(0)
        .build()
}

fn create(store: &Store, name: &str) {
    store
        .create_table(
            wire::from_str(&format!(
                r#"{{"TableName": "{name}", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{{"AttributeName": "p", "KeyType": "HASH"}}],
                "AttributeDefinitions": [{{"AttributeName": "p", "AttributeType": "S"}},
                                         {{"AttributeName": "g", "AttributeType": "N"}}],
                "GlobalSecondaryIndexes": [{{"IndexName": "byg",
                    "KeySchema": [{{"AttributeName": "g", "KeyType": "HASH"}}],
                    "Projection": {{"ProjectionType": "ALL"}}}}]}}"#
            ))
            .unwrap(),
        )
        .unwrap();
}

fn put(store: &Store, table: &str, p: &str, g: i64) -> Result<(), Error> {
    store
        .put_item(
            wire::from_str(&format!(
                r#"{{"TableName": "{table}", "Item": {{"p": {{"S": "{p}"}}, "g": {{"N": "{g}"}}}}}}"#
            ))
            .unwrap(),
        )
        .map(drop)
}

/// Everything a client could see of the store's tables, as text.
fn state(store: &Store) -> String {
    let mut out = String::new();
    let mut names = store
        .list_tables(ListTablesInput::default())
        .unwrap()
        .table_names;
    names.sort();
    for name in names {
        let table = store.table(&name).unwrap();
        let d = store
            .describe_table(DescribeTableInput {
                table_name: Some(name.clone()),
            })
            .unwrap()
            .table;
        out += &serde_json::to_string(&d).unwrap();
        for item in table.items() {
            out += &wire::item_to_json(&item);
        }
        let ttl = store
            .describe_time_to_live(
                wire::from_str(&format!(r#"{{"TableName": "{name}"}}"#)).unwrap(),
            )
            .unwrap();
        out += &serde_json::to_string(&ttl).unwrap();
        let tags = store
            .list_tags_of_resource(
                wire::from_str(&format!(r#"{{"ResourceArn": "{}"}}"#, table.arn)).unwrap(),
            )
            .unwrap();
        out += &serde_json::to_string(&tags).unwrap();
        out += "\n";
    }
    out
}

fn transfer(store: &Store, from: &str, to: &str) -> Result<(), Error> {
    store
        .transact_write_items(
            wire::from_str(&format!(
                r#"{{"TransactItems": [
                {{"Update": {{"TableName": "tab", "Key": {{"p": {{"S": "{from}"}}}},
                    "UpdateExpression": "SET g = g - :one", "ConditionExpression": "g > :zero",
                    "ExpressionAttributeValues": {{":one": {{"N": "1"}}, ":zero": {{"N": "0"}}}}}}}},
                {{"Update": {{"TableName": "tab", "Key": {{"p": {{"S": "{to}"}}}},
                    "UpdateExpression": "SET g = g + :one",
                    "ExpressionAttributeValues": {{":one": {{"N": "1"}}}}}}}}]}}"#
            ))
            .unwrap(),
        )
        .map(drop)
}

#[test]
fn every_kind_of_change_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let store = open(dir.path()).unwrap();
        create(&store, "tab");
        create(&store, "gone");
        put(&store, "gone", "x", 1).unwrap();
        for i in 0..20 {
            put(&store, "tab", &format!("k{i}"), i).unwrap();
        }
        transfer(&store, "k5", "k6").unwrap();
        store
            .delete_item(
                wire::from_str(r#"{"TableName": "tab", "Key": {"p": {"S": "k7"}}}"#).unwrap(),
            )
            .unwrap();
        store
            .batch_write_item(
                wire::from_str(
                    r#"{"RequestItems": {"tab": [
                    {"PutRequest": {"Item": {"p": {"S": "b1"}, "g": {"N": "9"}}}},
                    {"DeleteRequest": {"Key": {"p": {"S": "k8"}}}}]}}"#,
                )
                .unwrap(),
            )
            .unwrap();
        store
            .update_time_to_live(
                wire::from_str(
                    r#"{"TableName": "tab", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}"#,
                )
                .unwrap(),
            )
            .unwrap();
        let arn = store.table("tab").unwrap().arn.clone();
        store
            .tag_resource(
                wire::from_str(&format!(
                    r#"{{"ResourceArn": "{arn}", "Tags": [{{"Key": "a", "Value": "b"}}]}}"#
                ))
                .unwrap(),
            )
            .unwrap();
        store
            .update_table(
                wire::from_str(
                    r#"{"TableName": "tab",
                    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}"#,
                )
                .unwrap(),
            )
            .unwrap();
        store
            .update_table(
                wire::from_str(r#"{"TableName": "tab", "DeletionProtectionEnabled": true}"#)
                    .unwrap(),
            )
            .unwrap();
        store
            .delete_table(wire::from_str(r#"{"TableName": "gone"}"#).unwrap())
            .unwrap();
        // A table of the same name again: the old one's items stay gone.
        create(&store, "gone");
        put(&store, "gone", "y", 2).unwrap();
        state(&store)
    };
    let store = open(dir.path()).unwrap();
    assert_eq!(state(&store), before);
    // And once more after a checkpoint, with writes after it.
    store.checkpoint().unwrap();
    put(&store, "tab", "after", 1).unwrap();
    let before = state(&store);
    drop(store);
    let listing = files::list(dir.path()).unwrap();
    assert_eq!(listing.snapshots.len(), 1);
    assert_eq!(listing.segments, listing.snapshots);
    let store = open(dir.path()).unwrap();
    assert_eq!(state(&store), before);
    assert_eq!(store.table("tab").unwrap().item_count(), 19 + 1);
}

#[test]
fn a_second_opener_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).unwrap();
    let second = open(dir.path()).unwrap_err();
    assert!(
        second.message().contains("in use by another dynacond"),
        "{second:?}"
    );
    drop(store);
    assert!(open(dir.path()).is_ok());
}

/// The only segment's bytes and where each of its frames ends.
fn segment(dir: &Path) -> (std::path::PathBuf, Vec<u8>, Vec<usize>) {
    let listing = files::list(dir).unwrap();
    assert_eq!(listing.segments.len(), 1);
    let path = files::segment_path(dir, listing.segments[0]);
    let bytes = std::fs::read(&path).unwrap();
    let s = scan(&bytes, files::LOG_MAGIC.len());
    assert_eq!(s.end, End::Clean);
    (path, bytes, s.frames.iter().map(|r| r.end).collect())
}

#[test]
fn a_torn_tail_recovers_exactly_a_prefix_of_history() {
    let dir = tempfile::tempdir().unwrap();
    // The state after each record, by record count.
    let mut states = Vec::new();
    {
        let store = open(dir.path()).unwrap();
        create(&store, "tab");
        states.push(state(&store));
        for i in 0..3 {
            put(&store, "tab", &format!("k{i}"), 10).unwrap();
            states.push(state(&store));
        }
        transfer(&store, "k0", "k1").unwrap();
        states.push(state(&store));
        transfer(&store, "k1", "k2").unwrap();
        states.push(state(&store));
    }
    let (path, bytes, ends) = segment(dir.path());
    assert_eq!(ends.len(), states.len());
    // Every cut inside the last three records.
    let from = ends[ends.len() - 4];
    let name = path.file_name().unwrap();
    for cut in from..=bytes.len() {
        let scratch = tempfile::tempdir().unwrap();
        std::fs::write(scratch.path().join(name), &bytes[..cut]).unwrap();
        let whole = ends.iter().filter(|&&e| e <= cut).count();
        let report = crate::store::check_data_dir(scratch.path()).unwrap();
        assert_eq!(report.torn_tail_bytes as usize, cut - ends[whole - 1]);
        let store = open(scratch.path()).unwrap();
        assert_eq!(state(&store), states[whole - 1], "cut at {cut}");
        // The torn tail is cut off, and the log goes on after it.
        put(&store, "tab", "new", 1).unwrap();
        let expected = state(&store);
        drop(store);
        assert_eq!(
            state(&open(scratch.path()).unwrap()),
            expected,
            "cut at {cut}"
        );
    }
}

#[test]
fn a_flipped_byte_is_reported_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path()).unwrap();
        create(&store, "tab");
        put(&store, "tab", "a", 1).unwrap();
        put(&store, "tab", "b", 2).unwrap();
    }
    let (path, bytes, _) = segment(dir.path());
    let name = path.file_name().unwrap();
    for at in 0..bytes.len() {
        let scratch = tempfile::tempdir().unwrap();
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x20;
        let file = scratch.path().join(name);
        std::fs::write(&file, &damaged).unwrap();
        let checked = crate::store::check_data_dir(scratch.path()).unwrap_err();
        let opened = open(scratch.path()).unwrap_err();
        assert_eq!(checked.message(), opened.message());
        assert!(
            opened.message().contains("refusing to start"),
            "{at}: {opened:?}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            damaged,
            "flip at {at} changed the file"
        );
    }
}

#[test]
fn a_failed_log_write_fails_the_request_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).unwrap();
    create(&store, "tab");
    put(&store, "tab", "a", 1).unwrap();
    put(&store, "tab", "b", 1).unwrap();
    let durable = store.inner.durable.get().unwrap().clone();
    let before = state(&store);
    durable.log.fail_next_write();
    let error = put(&store, "tab", "a", 2).unwrap_err();
    assert!(matches!(error, Error::Internal(_)), "{error:?}");
    assert_eq!(error.http_status(), 500);
    assert_eq!(state(&store), before);
    durable.log.fail_next_write();
    assert!(transfer(&store, "a", "b").is_err());
    assert_eq!(state(&store), before);
    // The log goes on; a restart sees exactly what was acknowledged.
    put(&store, "tab", "c", 3).unwrap();
    let after = state(&store);
    drop((store, durable));
    assert_eq!(state(&open(dir.path()).unwrap()), after);
}

fn enable_ttl(store: &Store, attribute: &str) -> Result<(), Error> {
    store
        .update_time_to_live(
            wire::from_str(&format!(
                r#"{{"TableName": "tab", "TimeToLiveSpecification": {{"Enabled": true, "AttributeName": "{attribute}"}}}}"#
            ))
            .unwrap(),
        )
        .map(drop)
}

/// Control-plane calls are logged before they are applied: a failed log
/// write changes nothing, and a call refused after it was logged is
/// replayed as refused (its `ControlFailed` mark), so a restart sees
/// exactly the acknowledged changes.
#[test]
fn control_calls_are_logged_first_and_refusals_replay_as_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).unwrap();
    create(&store, "tab");
    let durable = store.inner.durable.get().unwrap().clone();
    let before = state(&store);
    durable.log.fail_next_write();
    let error = enable_ttl(&store, "exp").unwrap_err();
    assert_eq!(error.http_status(), 500, "{error:?}");
    assert_eq!(state(&store), before);
    enable_ttl(&store, "exp").unwrap();
    // Refused (TTL already enabled) after being logged.
    let refused = enable_ttl(&store, "other").unwrap_err();
    assert_eq!(refused.type_name(), "ValidationException", "{refused:?}");
    put(&store, "tab", "a", 1).unwrap();
    let after = state(&store);
    drop((store, durable));
    let reopened = open(dir.path()).unwrap();
    assert_eq!(state(&reopened), after);
    // And again after a checkpoint.
    reopened.checkpoint().unwrap();
    drop(reopened);
    assert_eq!(state(&open(dir.path()).unwrap()), after);
}

mod model {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Put(u8, i64),
        Delete(u8),
        Transfer(u8, u8),
        Restart,
        Checkpoint,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..6, 0i64..5).prop_map(|(k, v)| Op::Put(k, v)),
            2 => (0u8..6).prop_map(Op::Delete),
            3 => (0u8..6, 0u8..6).prop_map(|(a, b)| Op::Transfer(a, b)),
            1 => Just(Op::Restart),
            1 => Just(Op::Checkpoint),
        ]
    }

    fn contents(store: &Store) -> BTreeMap<String, i64> {
        store
            .table("tab")
            .unwrap()
            .items()
            .iter()
            .map(|item| {
                let key = wire::item_to_json(&crate::Item::from_iter(
                    item.get_key_value("p").map(|(k, v)| (k.clone(), v.clone())),
                ));
                let crate::AttributeValue::N(g) = &item["g"] else {
                    panic!("g is a number")
                };
                (key, g.to_i64().unwrap())
            })
            .collect()
    }

    fn key_json(k: u8) -> String {
        format!(r#"{{"p":{{"S":"k{k}"}}}}"#)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Random writes, restarts and checkpoints: after every restart the
        /// store equals a plain map that saw the same acknowledged writes.
        #[test]
        fn restarts_equal_the_model(ops in proptest::collection::vec(op(), 1..40)) {
            let dir = tempfile::tempdir().unwrap();
            let mut store = open(dir.path()).unwrap();
            create(&store, "tab");
            let mut model: BTreeMap<String, i64> = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Put(k, v) => {
                        put(&store, "tab", &format!("k{k}"), v).unwrap();
                        model.insert(key_json(k), v);
                    }
                    Op::Delete(k) => {
                        store
                            .delete_item(
                                wire::from_str(&format!(
                                    r#"{{"TableName": "tab", "Key": {}}}"#,
                                    key_json(k)
                                ))
                                .unwrap(),
                            )
                            .unwrap();
                        model.remove(&key_json(k));
                    }
                    Op::Transfer(a, b) => {
                        let (ka, kb) = (key_json(a), key_json(b));
                        let allowed = a != b
                            && model.get(&ka).is_some_and(|&g| g > 0)
                            && model.contains_key(&kb);
                        let done = transfer(&store, &format!("k{a}"), &format!("k{b}"));
                        prop_assert_eq!(done.is_ok(), allowed, "{:?}", done);
                        if allowed {
                            *model.get_mut(&ka).unwrap() -= 1;
                            *model.get_mut(&kb).unwrap() += 1;
                        }
                    }
                    Op::Restart => {
                        drop(store);
                        store = open(dir.path()).unwrap();
                        prop_assert_eq!(&contents(&store), &model);
                    }
                    Op::Checkpoint => {
                        store.checkpoint().unwrap();
                    }
                }
            }
            drop(store);
            prop_assert_eq!(&contents(&open(dir.path()).unwrap()), &model);
        }
    }
}
