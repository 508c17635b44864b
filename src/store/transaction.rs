//! TransactWriteItems, TransactGetItems and ClientRequestToken idempotency
//! (spec §14).
//!
//! # How a write transaction runs
//!
//! 1. **Whole-request validation** (plain ValidationException, nothing
//!    locked): action count, token length, one member per action, required
//!    expressions, enum values, the 4 MB request size, tables exist,
//!    placeholder maps and expressions (parse, bind, unused entries), empty
//!    key values, two actions on one item.
//! 2. **Per-action validation** against the table (key types, missing key
//!    attributes, item rules): the first failure cancels the transaction with a
//!    `ValidationError` reason for that action and `None` for every other.
//! 3. **ClientRequestToken**: a token seen within 10 minutes with the same
//!    request is a success that applies nothing; with another request it is an
//!    `IdempotentParameterMismatchException`; while its first request still
//!    runs, a `TransactionInProgressException`.
//! 4. **Lock** every touched item's slot in ascending (table name, key)
//!    order, held as a transaction's. A slot another writer holds for a
//!    moment is waited for; a slot another TransactWriteItems holds cancels
//!    this one at once, with a `TransactionConflict` reason (`Transaction is
//!    ongoing for the item`) for every action whose item a transaction holds
//!    and `None` for the others, after giving back every slot taken. So a
//!    transaction never waits for another transaction, and no cycle of waits
//!    (deadlock) can form (see the table module's docs for the whole
//!    argument). While a transaction holds its slots, a PutItem, UpdateItem
//!    or DeleteItem of one of its items fails with
//!    `TransactionConflictException`; a BatchWriteItem write waits.
//! 5. **Evaluate** every condition against the locked state and compute every
//!    new item (update errors become a `ValidationError` reason). All failed
//!    conditions are reported, in request order.
//! 6. **Apply** all writes (plain assignments, which cannot fail), or none if
//!    anything failed, then unlock. Readers lock slots too, so no reader sees
//!    part of a transaction.
//!
//! # How TransactGetItems runs (validation.md §7.3)
//!
//! 1. The action count; a `Get` in every element.
//! 2. Per action, static: the ProjectionExpression parsed (plain
//!    ValidationException).
//! 3. Every table exists (`ResourceNotFoundException`); then each Get's
//!    placeholder names are bound (undefined or unused names: plain
//!    ValidationException).
//! 4. Per action, its key against its table: the first problem (a missing,
//!    extra or mistyped key attribute, an empty `Key`, an empty string or
//!    binary value, an oversized key) cancels the request with a
//!    `ValidationError` reason for that action and `None` for the others.
//! 5. Two Gets of one item: plain ValidationException.
//! 6. The items' slots taken in the same order as a write transaction's,
//!    held briefly, and the items copied out: one consistent snapshot. An
//!    item a TransactWriteItems holds cancels the read with a
//!    `TransactionConflict` reason. A TransactGetItems makes no other
//!    request fail.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use crate::api::{
    ConsumedCapacity, ItemResponse, ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure,
    TransactGetItemsInput, TransactGetItemsOutput, TransactWriteItem, TransactWriteItemsInput,
    TransactWriteItemsOutput,
};
use crate::constraints::{self, present};
use crate::error::{CancellationReason, Error};
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::store::capacity::{Consumed, Mirror, Read, Write, metrics_of_writes};
use crate::store::catalog::Store;
use crate::store::index::IndexKeyError;
use crate::store::items::{CONDITION_FAILED, explain_failure, holds, updated_item};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::pipeline::{Bound, Operation, Params, Request, on_failure_all_old};
pub use crate::store::slot::TRANSACTION_ONGOING;
use crate::store::table::{Hold, LockedItem, Table};
pub use crate::store::tokens::TOKEN_TTL;
use crate::store::tokens::{TokenCheck, TokenGuard};
use crate::value::{Item, item_size, validate_item};
use slots::Slots;

/// The most actions of one transaction.
pub const MAX_ACTIONS: usize = 100;

/// The largest transaction request, in bytes (as dynacond counts them: item
/// and key sizes, expression texts and placeholder maps).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

/// What one write action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Check,
    Put,
    Delete,
    Update,
}

/// One write action of a transaction, checked and bound: what the engine
/// ([`Store::run_write_transaction`]) runs.
pub(crate) struct WriteAction<'a, 'b> {
    pub(crate) kind: Kind,
    pub(crate) table: &'a Table,
    pub(crate) key: &'a PrimaryKey,
    /// The item a Put stores: owned when the request handed it over (it
    /// then moves into the table), else copied when it is written.
    pub(crate) item: Option<Cow<'a, Item>>,
    pub(crate) bound: &'a Bound<'b>,
    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
    pub(crate) all_old: bool,
    pub(crate) on_failure: FailedCondition,
}

/// How an action whose condition fails is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailedCondition {
    /// `ConditionalCheckFailed` (`The conditional request failed`).
    ConditionalCheckFailed,
    /// A PartiQL INSERT of an existing key: `ValidationError` with
    /// `Duplicate primary key exists in table` (spec partiql.md §10.5).
    DuplicateItem,
}

/// Duplicate-key message of a PartiQL INSERT.
pub(crate) const DUPLICATE_ITEM: &str = "Duplicate primary key exists in table";

impl FailedCondition {
    fn reason(self, item: Option<&Item>) -> CancellationReason {
        match self {
            FailedCondition::ConditionalCheckFailed => CancellationReason {
                code: "ConditionalCheckFailed".into(),
                message: Some(CONDITION_FAILED.into()),
                item: item.cloned(),
                explanation: None,
            },
            FailedCondition::DuplicateItem => CancellationReason {
                code: "ValidationError".into(),
                message: Some(DUPLICATE_ITEM.into()),
                item: None,
                explanation: None,
            },
        }
    }
}

/// What a write transaction did.
pub(crate) enum Ran {
    /// A replay of a finished request (its ClientRequestToken): nothing
    /// written; the capacity of reading each item.
    Replayed(Option<Vec<ConsumedCapacity>>),
    /// Committed; the capacity consumed.
    Committed(Option<Vec<ConsumedCapacity>>),
}

/// One action's members, whatever its kind.
struct Action<'a, 'i> {
    kind: Kind,
    table_name: &'a str,
    /// The `Item` of a Put (`'i`: it is kept apart from the request), the
    /// `Key` of the others.
    item_or_key: &'i Item,
    condition: Option<&'a str>,
    update: Option<&'a str>,
    names: Option<&'a ExpressionAttributeNames>,
    values: Option<&'a ExpressionAttributeValues>,
    on_failure: Option<&'a ReturnValuesOnConditionCheckFailure>,
}

/// The action of one element of `TransactItems`; a Put's item is `put_item`
/// (taken out of the request beforehand, so that it can move into the
/// table).
fn action_of<'a: 'i, 'i>(
    item: &'a TransactWriteItem,
    put_item: Option<&'i Item>,
) -> Result<Action<'a, 'i>, Error> {
    let action = match (&item.condition_check, &item.put, &item.delete, &item.update) {
        (Some(c), None, None, None) => {
            let condition = present(c.condition_expression.as_ref(), "conditionExpression")?;
            Action {
                kind: Kind::Check,
                table_name: present(c.table_name.as_ref(), "tableName")?,
                item_or_key: present(c.key.as_ref(), "key")?,
                condition: Some(condition.as_str()),
                update: None,
                names: c.expression_attribute_names.as_ref(),
                values: c.expression_attribute_values.as_ref(),
                on_failure: c.return_values_on_condition_check_failure.as_ref(),
            }
        }
        (None, Some(p), None, None) => Action {
            kind: Kind::Put,
            table_name: present(p.table_name.as_ref(), "tableName")?,
            item_or_key: present(put_item, "item")?,
            condition: p.condition_expression.as_deref(),
            update: None,
            names: p.expression_attribute_names.as_ref(),
            values: p.expression_attribute_values.as_ref(),
            on_failure: p.return_values_on_condition_check_failure.as_ref(),
        },
        (None, None, Some(d), None) => Action {
            kind: Kind::Delete,
            table_name: present(d.table_name.as_ref(), "tableName")?,
            item_or_key: present(d.key.as_ref(), "key")?,
            condition: d.condition_expression.as_deref(),
            update: None,
            names: d.expression_attribute_names.as_ref(),
            values: d.expression_attribute_values.as_ref(),
            on_failure: d.return_values_on_condition_check_failure.as_ref(),
        },
        (None, None, None, Some(u)) => {
            let update = present(u.update_expression.as_ref(), "updateExpression")?;
            Action {
                kind: Kind::Update,
                table_name: present(u.table_name.as_ref(), "tableName")?,
                item_or_key: present(u.key.as_ref(), "key")?,
                condition: u.condition_expression.as_deref(),
                update: Some(update.as_str()),
                names: u.expression_attribute_names.as_ref(),
                values: u.expression_attribute_values.as_ref(),
                on_failure: u.return_values_on_condition_check_failure.as_ref(),
            }
        }
        (None, None, None, None) => {
            return Err(Error::validation(
                "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request",
            ));
        }
        _ => {
            return Err(Error::validation(
                "TransactItems can only contain one of Check, Put, Update or Delete",
            ));
        }
    };
    Ok(action)
}

impl Action<'_, '_> {
    /// The bytes this action adds to the request size.
    fn size(&self) -> usize {
        let names: usize = self
            .names
            .map_or(0, |m| m.iter().map(|(k, v)| k.len() + v.len()).sum());
        let values: usize = self
            .values
            .map_or(0, |m| m.iter().map(|(k, v)| k.len() + v.size()).sum());
        self.table_name.len()
            + item_size(self.item_or_key)
            + self.condition.map_or(0, str::len)
            + self.update.map_or(0, str::len)
            + names
            + values
    }
}

pub(crate) fn cancelled(reasons: Vec<CancellationReason>) -> Error {
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    Error::TransactionCanceled {
        message: format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        ),
        reasons,
    }
}

pub(crate) fn none_reason() -> CancellationReason {
    CancellationReason {
        code: "None".into(),
        message: None,
        item: None,
        explanation: None,
    }
}

/// Cancellation with one `ValidationError` and `None` for every other action.
pub(crate) fn validation_cancel(count: usize, index: usize, error: &Error) -> Error {
    let reasons = (0..count)
        .map(|i| {
            if i == index {
                CancellationReason {
                    code: "ValidationError".into(),
                    message: Some(error.message().to_owned()),
                    item: None,
                    explanation: None,
                }
            } else {
                none_reason()
            }
        })
        .collect();
    cancelled(reasons)
}

/// Cancellation with a `TransactionConflict` reason for each action in
/// `held` (indexes in request order) and `None` for every other action.
fn conflict_cancel(count: usize, held: &[usize]) -> Error {
    let reasons = (0..count)
        .map(|i| {
            if held.contains(&i) {
                CancellationReason {
                    code: "TransactionConflict".into(),
                    message: Some(TRANSACTION_ONGOING.into()),
                    item: None,
                    explanation: None,
                }
            } else {
                none_reason()
            }
        })
        .collect();
    cancelled(reasons)
}

/// The table of each name, looked up together once per request (a missing table is
/// `ResourceNotFoundException`).
pub(crate) fn tables<'n>(
    store: &Store,
    names: impl Iterator<Item = &'n str>,
) -> Result<Vec<Arc<Table>>, Error> {
    // All under one lock: a restore is seen by every table or none.
    store.tables_at_once(names)
}

/// The answer to a TransactWriteItems replayed by its ClientRequestToken:
/// nothing is written, and the capacity reported is the read of each
/// action's item as it stands (spec §14.4: a replay reports read capacity
/// instead of write capacity), priced as a consistent read and mirrored as
/// `ReadCapacityUnits`.
fn replayed<'t>(
    capacity: Option<&ReturnConsumedCapacity>,
    targets: impl Iterator<Item = (&'t Table, &'t PrimaryKey)>,
) -> Option<Vec<ConsumedCapacity>> {
    let mut consumed = Consumed::new(capacity, Mirror::Read);
    if consumed.wanted() {
        for (table, key) in targets {
            consumed.read_item(table.name(), table.get(key).as_ref(), Read::Consistent);
        }
    }
    consumed.per_table()
}

/// The items of a read transaction, from one consistent snapshot: the
/// slots taken in the global lock order, held briefly, the items copied
/// out (one per target, in target order). Two targets naming one item are
/// refused; an item a write transaction holds cancels the read.
pub(crate) fn snapshot<'t>(
    targets: impl ExactSizeIterator<Item = (&'t Table, &'t PrimaryKey)>,
) -> Result<Vec<Option<Item>>, Error> {
    let count = targets.len();
    let slots = Slots::new(targets)?;
    let items = slots
        .lock(Hold::Brief)
        .map_err(|held| conflict_cancel(count, &held))?
        .iter()
        .map(|item| item.get().cloned())
        .collect();
    Ok(items)
}

/// DynamoDB's error for two actions (or Gets) on one item.
pub(crate) fn one_item_twice() -> Error {
    Error::validation("Transaction request cannot include multiple operations on one item")
}

/// A transaction's writes, planned against its locked items. `commit`
/// consumes the plan and makes every write (assignments, which cannot fail);
/// dropping it instead writes nothing.
struct WritePlan<'l, 's> {
    writes: Vec<(&'l mut LockedItem<'s>, Option<Item>)>,
}

impl WritePlan<'_, '_> {
    /// On a durable store the writes are logged first, as one record with
    /// the ClientRequestToken (`token`: token and fingerprint) and `millis`.
    fn commit(self, store: &Store, token: Option<(&str, &str)>, millis: i64) -> Result<(), Error> {
        crate::store::durable::commit_writes(store, self.writes, token, millis)
    }
}

impl Store {
    /// `TransactWriteItems`: all actions or none, serializable with every
    /// other operation.
    pub fn transact_write_items(
        &self,
        input: TransactWriteItemsInput,
    ) -> Result<TransactWriteItemsOutput, Error> {
        // 1. Whole-request validation.
        constraints::check(&input)?;
        // The ClientRequestToken's fingerprint is of the whole request, so
        // it is taken before the Puts' items leave it; they then move into
        // the table at commit instead of being copied.
        let mut input = input;
        let fingerprint = input.client_request_token.as_ref().map(|_| {
            serde_json::to_string(&input.transact_items).map_err(|e| Error::Internal(e.to_string()))
        });
        let put_items: Vec<Option<Item>> = input
            .transact_items
            .iter_mut()
            .flatten()
            .map(|t| t.put.as_mut().and_then(|p| p.item.take()))
            .collect();
        let transact_items = present(input.transact_items.as_ref(), "transactItems")?;
        let actions = transact_items
            .iter()
            .zip(&put_items)
            .map(|(t, item)| action_of(t, item.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let all_old: Vec<bool> = actions
            .iter()
            .map(|a| on_failure_all_old(a.on_failure))
            .collect();
        if actions.iter().map(Action::size).sum::<usize>() > MAX_REQUEST_BYTES {
            return Err(Error::validation(
                "Transaction request size cannot exceed 4 MB",
            ));
        }
        // Boxed, each action's compiled and bound expressions: a vector of
        // four of them inline is over 1 KiB, an allocation glibc serves by
        // first consolidating its fast bins (6% of a 4-action transaction
        // in the profile); boxes of a few hundred bytes come from its
        // per-thread cache.
        let compiled = actions
            .iter()
            .map(|a| {
                Request::new(
                    Operation::TransactWrite,
                    Params {
                        update: a.update,
                        condition: a.condition,
                        names: a.names,
                        values: a.values,
                        ..Params::default()
                    },
                )?
                .cached(self.expressions())
                .compile()
                .map(Box::new)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut bound: Vec<Box<Bound<'_>>> = Vec::with_capacity(actions.len());
        for c in &compiled {
            bound.push(Box::new(c.bind()?));
        }
        // What can be seen of the keys without the tables: empty key values
        // and two actions on one key map (validation.md §5.2).
        let key_maps: Vec<(&str, &Item)> = actions
            .iter()
            .filter(|a| a.kind != Kind::Put)
            .map(|a| (a.table_name, a.item_or_key))
            .collect();
        for (_, key) in &key_maps {
            KeySchema::check_key_map_not_empty(key)?;
        }
        for (i, target) in key_maps.iter().enumerate() {
            if key_maps.iter().take(i).any(|earlier| earlier == target) {
                return Err(one_item_twice());
            }
        }
        let tables = tables(self, actions.iter().map(|a| a.table_name))?;
        for ((a, b), table) in actions.iter().zip(&mut bound).zip(&tables) {
            b.check_schema(table.schema())?;
            b.check_index_keys(&table.index_key_names())?;
            table.schema().check_not_empty(a.item_or_key)?;
        }

        // An empty index key value is a whole-request error (indexes.md §4.2).
        for (a, table) in actions.iter().zip(&tables) {
            if a.kind == Kind::Put {
                if let Err(IndexKeyError::Empty(e)) = table.check_index_keys(a.item_or_key, None) {
                    return Err(e);
                }
            }
        }

        // 2. Keys and items against the tables (per action).
        let mut keys = Vec::with_capacity(actions.len());
        let mut first_invalid = None;
        for (i, (a, table)) in actions.iter().zip(&tables).enumerate() {
            let key = match a.kind {
                Kind::Put => table.schema().key_of_item(a.item_or_key).and_then(|k| {
                    validate_item(a.item_or_key)?;
                    table.check_index_keys(a.item_or_key, None)?;
                    Ok(k)
                }),
                _ => table.schema().key_of_map(a.item_or_key),
            };
            match key {
                Ok(k) => keys.push(Some(k)),
                Err(e) => {
                    keys.push(None);
                    first_invalid.get_or_insert((i, e));
                }
            }
        }
        let mut seen = HashSet::new();
        for (a, key) in actions.iter().zip(&keys) {
            if let Some(key) = key {
                if !seen.insert((a.table_name, key)) {
                    return Err(one_item_twice());
                }
            }
        }
        if let Some((i, e)) = first_invalid {
            return Err(validation_cancel(actions.len(), i, &e));
        }
        let keys: Vec<PrimaryKey> = keys.into_iter().flatten().collect();

        // 3. to 6.: the engine.
        let fingerprint = match (&input.client_request_token, fingerprint) {
            (Some(token), Some(fingerprint)) => Some((token.as_str(), fingerprint?)),
            _ => None,
        };
        let kinds: Vec<Kind> = actions.iter().map(|a| a.kind).collect();
        let mut planned: Vec<WriteAction<'_, '_>> = kinds
            .iter()
            .zip(put_items)
            .zip(&keys)
            .zip(&bound)
            .zip(&tables)
            .zip(&all_old)
            .map(
                |(((((kind, item), key), bound), table), all_old)| WriteAction {
                    kind: *kind,
                    table,
                    key,
                    item: item.filter(|_| *kind == Kind::Put).map(Cow::Owned),
                    bound,
                    all_old: *all_old,
                    on_failure: FailedCondition::ConditionalCheckFailed,
                },
            )
            .collect();
        let capacity = input.return_consumed_capacity.as_ref();
        let consumed_capacity =
            match self.run_write_transaction(&mut planned, fingerprint, capacity)? {
                Ran::Replayed(consumed) => {
                    return Ok(TransactWriteItemsOutput {
                        consumed_capacity: consumed,
                        item_collection_metrics: None,
                    });
                }
                Ran::Committed(consumed) => consumed,
            };
        let written = kinds
            .iter()
            .zip(tables.iter().map(|t| &**t).zip(&keys))
            .filter(|(kind, _)| **kind != Kind::Check)
            .map(|(_, target)| target);
        Ok(TransactWriteItemsOutput {
            consumed_capacity,
            item_collection_metrics: metrics_of_writes(
                input.return_item_collection_metrics.as_ref(),
                written,
            ),
        })
    }

    /// The engine of a write transaction, after every request check (steps
    /// 3 to 6 of the module docs): the ClientRequestToken (its token and the
    /// request's fingerprint), the locks, every condition and new item, then
    /// all writes or none. Shared by TransactWriteItems and PartiQL's
    /// ExecuteTransaction.
    pub(crate) fn run_write_transaction(
        &self,
        actions: &mut [WriteAction<'_, '_>],
        token: Option<(&str, String)>,
        capacity: Option<&ReturnConsumedCapacity>,
    ) -> Result<Ran, Error> {
        let targets = || actions.iter().map(|a| (a.table, a.key));
        // 3. Idempotency.
        let mut token_guard = TokenGuard {
            cache: &self.inner.tokens,
            clock: &self.inner.clock,
            token: None,
        };
        if let Some((token, fingerprint)) = token {
            match self
                .inner
                .tokens
                .begin(token, &fingerprint, self.inner.clock.now_millis())?
            {
                TokenCheck::Replay => return Ok(Ran::Replayed(replayed(capacity, targets()))),
                TokenCheck::Run => token_guard.token = Some((token.to_owned(), fingerprint)),
            }
        }

        // 4. Lock in (table name, key) order; another transaction's item
        //    cancels this one.
        let slots = Slots::new(targets())?;
        let mut locked = slots
            .lock(Hold::Transaction)
            .map_err(|held| conflict_cancel(actions.len(), &held))?;

        // 5. Evaluate every condition and compute every new item.
        let mut consumed = Consumed::new(capacity, Mirror::Write);
        let mut reasons = Vec::with_capacity(actions.len());
        let mut writes = Vec::with_capacity(actions.len());
        let mut failed = false;
        for (i, a) in actions.iter().enumerate() {
            let old = locked.get(i).and_then(LockedItem::get);
            if !holds(a.bound.condition.as_ref(), old) {
                failed = true;
                let mut reason = a.on_failure.reason(old.filter(|_| a.all_old));
                if a.on_failure == FailedCondition::ConditionalCheckFailed {
                    reason.explanation =
                        explain_failure(self.explains(), a.bound.condition.as_ref(), old);
                }
                reasons.push(reason);
                writes.push(None);
                continue;
            }
            reasons.push(none_reason());
            let write = match a.kind {
                Kind::Check => None,
                // The item itself is taken at commit (step 6).
                Kind::Put => Some(None),
                Kind::Delete => Some(None),
                Kind::Update => {
                    let new = updated_item(a.table.schema(), a.key, a.bound.update.as_ref(), old)
                        .and_then(|new| {
                            if let Some(item) = &new {
                                a.table.check_index_keys(item, Some(old))?;
                            }
                            Ok(new)
                        });
                    match new {
                        Ok(new) => Some(new),
                        Err(e) => return Err(validation_cancel(actions.len(), i, &e)),
                    }
                }
            };
            // A write that would grow a local-index item collection past
            // its limit cancels the transaction with its own reason.
            let new = match a.kind {
                Kind::Put => a.item.as_deref(),
                _ => write.as_ref().and_then(Option::as_ref),
            };
            if write.is_some() {
                if let Err(e) = a.table.check_collection(a.key, old, new) {
                    failed = true;
                    if let Some(reason) = reasons.last_mut() {
                        *reason = CancellationReason {
                            code: "ItemCollectionSizeLimitExceeded".into(),
                            message: Some(e.message().to_owned()),
                            item: None,
                            explanation: None,
                        };
                    }
                    writes.push(None);
                    continue;
                }
            }
            // A ConditionCheck is charged as a write of the item it read;
            // it charges no index.
            if a.kind == Kind::Check {
                consumed.write_item(a.table.name(), old, old, Write::Transactional);
            } else {
                consumed.write_indexed(a.table, old, new, Write::Transactional);
            }
            writes.push(write);
        }
        if failed {
            return Err(cancelled(reasons));
        }

        // 6. Apply (assignments only); the locks are released on return.
        let plan = WritePlan {
            writes: locked
                .iter_mut()
                .zip(writes)
                .zip(actions.iter_mut())
                .filter_map(|((item, new), a)| {
                    let new = match a.kind {
                        Kind::Put => a.item.take().map(Cow::into_owned),
                        _ => new?,
                    };
                    Some((item, new))
                })
                .collect(),
        };
        let millis = self.inner.clock.now_millis();
        let token = token_guard
            .token
            .as_ref()
            .map(|(t, f)| (t.as_str(), f.as_str()));
        plan.commit(self, token, millis)?;
        // The token is remembered at the time logged, while the items are
        // still locked: a checkpoint (which copies tokens with the write
        // gate closed) sees it with the writes, or sees neither.
        if let Some((token, fingerprint)) = token_guard.token.take() {
            self.inner.tokens.finish(&token, fingerprint, true, millis);
        }
        drop(locked);
        Ok(Ran::Committed(consumed.per_table()))
    }

    /// `TransactGetItems`: up to 100 reads from one consistent snapshot
    /// (module docs for the order of its checks).
    pub fn transact_get_items(
        &self,
        input: TransactGetItemsInput,
    ) -> Result<TransactGetItemsOutput, Error> {
        // 1. The constraint layer.
        constraints::check(&input)?;
        let gets = present(input.transact_items.as_ref(), "transactItems")?
            .iter()
            .map(|t| present(t.get.as_ref(), "get"))
            .collect::<Result<Vec<_>, _>>()?;
        let names = gets
            .iter()
            .map(|g| present(g.table_name.as_ref(), "tableName").map(String::as_str))
            .collect::<Result<Vec<_>, _>>()?;

        // 2. Per action, what needs no table (placeholders included).
        let compiled = gets
            .iter()
            .map(|get| {
                Request::new(
                    Operation::Read,
                    Params {
                        projection: get.projection_expression.as_deref(),
                        names: get.expression_attribute_names.as_ref(),
                        ..Params::default()
                    },
                )?
                .cached(self.expressions())
                .compile()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let projections = compiled
            .iter()
            .map(|c| Ok(c.bind()?.projection))
            .collect::<Result<Vec<_>, Error>>()?;

        // 3. The tables.
        let tables = tables(self, names.iter().copied())?;

        // 4. Each key against its table: the first problem cancels.
        let keys = gets
            .iter()
            .zip(&tables)
            .enumerate()
            .map(|(i, (get, table))| {
                present(get.key.as_ref(), "key")
                    .and_then(|key| table.schema().key_of_map(key))
                    .map_err(|e| validation_cancel(gets.len(), i, &e))
            })
            .collect::<Result<Vec<_>, _>>()?;

        // 5. One Get per item.
        let mut seen = HashSet::with_capacity(keys.len());
        if !names
            .iter()
            .zip(&keys)
            .all(|(name, key)| seen.insert((*name, key)))
        {
            return Err(one_item_twice());
        }

        // 6. The snapshot; the slots are given back before projecting.
        let snapshot = snapshot(tables.iter().map(|t| &**t).zip(&keys))?;
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::Read);
        for (item, table) in snapshot.iter().zip(&tables) {
            consumed.read_item(table.name(), item.as_ref(), Read::Transactional);
        }
        let responses = snapshot
            .into_iter()
            .zip(&projections)
            .map(|(item, projection)| ItemResponse {
                item: match (projection, item) {
                    (Some(p), Some(item)) => Some(p.project(&item)),
                    (_, item) => item,
                },
            })
            .collect();
        Ok(TransactGetItemsOutput {
            responses,
            consumed_capacity: consumed.per_table(),
        })
    }
}

mod slots;
#[cfg(test)]
mod tests;
