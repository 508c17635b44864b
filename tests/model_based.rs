//! Model-based testing of your own repository type, with dynacond as the
//! model. Written to be read as an example (the README quotes it); run it
//! with `cargo test --features proptest --test model_based`.
//!
//! The situation: production code keeps users in DynamoDB through a
//! `UserRepository` with create-if-absent, updates guarded by a version
//! number (optimistic locking) and versioned deletes. The DynamoDB
//! implementation is a handful of conditional writes. Unit tests of the rest
//! of the application use a faster in-memory implementation of the same
//! trait (a `HashMap`), and a cache in front of DynamoDB does the same
//! bookkeeping. Is the in-memory one faithful? Does it refuse exactly what
//! DynamoDB refuses?
//!
//! proptest generates sequences of operations (and, with
//! `dynacond::strategies`, users' free-form profile values of every
//! DynamoDB type); each sequence runs on the in-memory repository and on the
//! DynamoDB repository over a dynacond `Store`: every result must be the
//! same, every conditional failure the same, and the final contents the
//! same. A second test shows the check catching a subtle bug.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test"
)]

use std::collections::HashMap;

use dynacond::api::{
    CreateTableInput, DeleteItemInput, GetItemInput, PutItemInput, ScanInput, UpdateItemInput,
};
use dynacond::{AttributeValue, Error, Item, ScalarType, Store};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// The application's code.

/// A user as the application sees it.
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: String,
    name: String,
    /// Free-form data the application stores as it is (any DynamoDB value).
    profile: AttributeValue,
    version: u64,
}

/// Why a repository call was refused.
#[derive(Debug, Clone, PartialEq)]
enum RepoError {
    AlreadyExists,
    /// The user is absent, or its version is not the one expected.
    VersionConflict,
}

trait UserRepository {
    /// Stores a new user at version 1; refused when the id is taken.
    fn create(&mut self, id: &str, name: &str, profile: AttributeValue) -> Result<(), RepoError>;
    /// Renames a user if it is still at `expected` version; returns the new version.
    fn rename(&mut self, id: &str, name: &str, expected: u64) -> Result<u64, RepoError>;
    /// Deletes a user if it is still at `expected` version.
    fn delete(&mut self, id: &str, expected: u64) -> Result<(), RepoError>;
    fn get(&self, id: &str) -> Option<User>;
    /// Every user, by id.
    fn all(&self) -> Vec<User>;
}

/// The production implementation: DynamoDB's conditional writes. Here it
/// talks to a dynacond `Store`; in production the same requests go to
/// DynamoDB through the SDK (`dynacond::sdk::client(&store)` runs the SDK
/// itself against a store).
struct DynamoUsers {
    store: Store,
}

const TABLE: &str = "users";

fn key(id: &str) -> Item {
    Item::from_iter([("id".to_owned(), AttributeValue::s(id))])
}

fn refused(e: Error, why: RepoError) -> RepoError {
    match e {
        Error::ConditionalCheckFailed { .. } => why,
        other => panic!("DynamoDB refused a request: {other}"),
    }
}

impl DynamoUsers {
    fn new(store: Store) -> DynamoUsers {
        store
            .create_table(CreateTableInput::new(TABLE).with_hash_key("id", ScalarType::S))
            .unwrap();
        DynamoUsers { store }
    }

    fn user(item: &Item) -> User {
        User {
            id: item["id"].as_s().unwrap().to_owned(),
            name: item["name"].as_s().unwrap().to_owned(),
            profile: item["profile"].clone(),
            version: item["version"].as_n().unwrap().to_i64().unwrap() as u64,
        }
    }
}

impl UserRepository for DynamoUsers {
    fn create(&mut self, id: &str, name: &str, profile: AttributeValue) -> Result<(), RepoError> {
        let mut item = key(id);
        item.insert("name".into(), AttributeValue::s(name));
        item.insert("profile".into(), profile);
        item.insert("version".into(), AttributeValue::n(1));
        let put = PutItemInput::new(TABLE, item).with_condition("attribute_not_exists(id)");
        self.store
            .put_item(put)
            .map(|_| ())
            .map_err(|e| refused(e, RepoError::AlreadyExists))
    }

    fn rename(&mut self, id: &str, name: &str, expected: u64) -> Result<u64, RepoError> {
        let update = UpdateItemInput::new(TABLE, key(id))
            .with_update("SET #name = :name, version = version + :one")
            .with_condition("version = :expected")
            .with_name("#name", "name")
            .with_value(":name", AttributeValue::s(name))
            .with_value(":one", AttributeValue::n(1))
            .with_value(":expected", AttributeValue::n(expected as i64));
        self.store
            .update_item(update)
            .map(|_| expected + 1)
            .map_err(|e| refused(e, RepoError::VersionConflict))
    }

    fn delete(&mut self, id: &str, expected: u64) -> Result<(), RepoError> {
        let delete = DeleteItemInput::new(TABLE, key(id))
            .with_condition("version = :expected")
            .with_value(":expected", AttributeValue::n(expected as i64));
        self.store
            .delete_item(delete)
            .map(|_| ())
            .map_err(|e| refused(e, RepoError::VersionConflict))
    }

    fn get(&self, id: &str) -> Option<User> {
        let got = self
            .store
            .get_item(GetItemInput::new(TABLE, key(id)))
            .unwrap();
        got.item.as_ref().map(DynamoUsers::user)
    }

    fn all(&self) -> Vec<User> {
        let items = self
            .store
            .scan(ScanInput::new(TABLE))
            .unwrap()
            .items
            .unwrap_or_default();
        let mut users: Vec<User> = items.iter().map(DynamoUsers::user).collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        users
    }
}

/// The in-memory implementation the application's unit tests use.
#[derive(Default)]
struct MemoryUsers {
    users: HashMap<String, User>,
    /// A bug to plant, for the second test: deletes ignore the version.
    ignore_version_on_delete: bool,
}

impl UserRepository for MemoryUsers {
    fn create(&mut self, id: &str, name: &str, profile: AttributeValue) -> Result<(), RepoError> {
        if self.users.contains_key(id) {
            return Err(RepoError::AlreadyExists);
        }
        let user = User {
            id: id.to_owned(),
            name: name.to_owned(),
            profile,
            version: 1,
        };
        self.users.insert(id.to_owned(), user);
        Ok(())
    }

    fn rename(&mut self, id: &str, name: &str, expected: u64) -> Result<u64, RepoError> {
        match self.users.get_mut(id) {
            Some(user) if user.version == expected => {
                user.name = name.to_owned();
                user.version += 1;
                Ok(user.version)
            }
            _ => Err(RepoError::VersionConflict),
        }
    }

    fn delete(&mut self, id: &str, expected: u64) -> Result<(), RepoError> {
        match self.users.get(id) {
            Some(user) if user.version == expected || self.ignore_version_on_delete => {
                self.users.remove(id);
                Ok(())
            }
            _ => Err(RepoError::VersionConflict),
        }
    }

    fn get(&self, id: &str) -> Option<User> {
        self.users.get(id).cloned()
    }

    fn all(&self) -> Vec<User> {
        let mut users: Vec<User> = self.users.values().cloned().collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        users
    }
}

// ---------------------------------------------------------------------------
// The test: the same operations on both, compared step by step.

#[derive(Debug, Clone)]
enum Op {
    Create(&'static str, &'static str, AttributeValue),
    Rename(&'static str, &'static str, u64),
    Delete(&'static str, u64),
    Get(&'static str),
}

/// Few ids and versions, so operations meet the same users and versions
/// match about as often as they do not.
fn op() -> impl Strategy<Value = Op> {
    let id = prop::sample::select(vec!["ada", "bob", "cy"]);
    let name = prop::sample::select(vec!["Ada", "Bob", "Cy", ""]);
    prop_oneof![
        // Profiles of every DynamoDB type, valid by DynamoDB's rules.
        (
            id.clone(),
            name.clone(),
            dynacond::strategies::attribute_value()
        )
            .prop_map(|(i, n, p)| Op::Create(i, n, p)),
        (id.clone(), name, 0u64..4).prop_map(|(i, n, v)| Op::Rename(i, n, v)),
        (id.clone(), 0u64..4).prop_map(|(i, v)| Op::Delete(i, v)),
        id.prop_map(Op::Get),
    ]
}

/// Runs `ops` on the repository under test and on the DynamoDB one over a
/// fresh store; any difference fails the case.
fn same_behaviour(mut mine: impl UserRepository, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut model = DynamoUsers::new(Store::new());
    for (step, op) in ops.iter().enumerate() {
        match op.clone() {
            Op::Create(id, name, profile) => prop_assert_eq!(
                mine.create(id, name, profile.clone()),
                model.create(id, name, profile),
                "step {}: {:?}",
                step,
                op
            ),
            Op::Rename(id, name, v) => prop_assert_eq!(
                mine.rename(id, name, v),
                model.rename(id, name, v),
                "step {}: {:?}",
                step,
                op
            ),
            Op::Delete(id, v) => prop_assert_eq!(
                mine.delete(id, v),
                model.delete(id, v),
                "step {}: {:?}",
                step,
                op
            ),
            Op::Get(id) => prop_assert_eq!(mine.get(id), model.get(id), "step {}", step),
        }
    }
    prop_assert_eq!(mine.all(), model.all(), "final contents");
    Ok(())
}

proptest! {
    #[test]
    fn the_in_memory_repository_behaves_as_dynamodb(ops in prop::collection::vec(op(), 1..40)) {
        same_behaviour(MemoryUsers::default(), &ops)?;
    }
}

/// The same check finds a planted bug (a delete that ignores the version)
/// and shrinks it to a short sequence: create, then delete at a wrong version.
#[test]
fn the_check_catches_a_delete_that_ignores_the_version() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let buggy = |ops: Vec<Op>| {
        let repo = MemoryUsers {
            ignore_version_on_delete: true,
            ..MemoryUsers::default()
        };
        same_behaviour(repo, &ops)
    };
    let failure = runner.run(&prop::collection::vec(op(), 1..40), buggy);
    let Err(proptest::test_runner::TestError::Fail(_, ops)) = failure else {
        panic!("the planted bug went unnoticed: {failure:?}");
    };
    assert_eq!(ops.len(), 2, "not shrunk: {ops:?}");
    assert!(matches!(ops[0], Op::Create(..)), "{ops:?}");
    assert!(matches!(ops[1], Op::Delete(_, v) if v != 1), "{ops:?}");
}
