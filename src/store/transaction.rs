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
//!    order. All transactions use that order, and single-item operations hold
//!    one slot at a time, so no cycle of waits (deadlock) can form.
//! 5. **Evaluate** every condition against the locked state and compute every
//!    new item (update errors become a `ValidationError` reason). All failed
//!    conditions are reported, in request order.
//! 6. **Apply** all writes (plain assignments, which cannot fail), or none if
//!    anything failed, then unlock. Readers lock slots too, so no reader sees
//!    part of a transaction.
//!
//! TransactGetItems locks its items in the same order and copies them out:
//! one consistent snapshot.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::api::{
    ItemResponse, ReturnValuesOnConditionCheckFailure, TransactGetItemsInput,
    TransactGetItemsOutput, TransactWriteItem, TransactWriteItemsInput, TransactWriteItemsOutput,
};
use crate::constraints::{self, present};
use crate::error::{CancellationReason, Error};
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::store::catalog::Store;
use crate::store::items::{CONDITION_FAILED, holds, updated_item};
use crate::store::key::PrimaryKey;
use crate::store::pipeline::{Bound, Operation, Params, Request, on_failure_all_old};
use crate::store::table::{LockedItem, SlotRef, Table};
pub use crate::store::tokens::TOKEN_TTL;
use crate::store::tokens::{TokenCheck, TokenGuard};
use crate::value::{Item, item_size, validate_item};

/// The most actions of one transaction.
pub const MAX_ACTIONS: usize = 100;

/// The largest transaction request, in bytes (as dynacond counts them: item
/// and key sizes, expression texts and placeholder maps).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Check,
    Put,
    Delete,
    Update,
}

/// One action's members, whatever its kind.
struct Action<'a> {
    kind: Kind,
    table_name: &'a str,
    /// The `Item` of a Put, the `Key` of the others.
    item_or_key: &'a Item,
    condition: Option<&'a str>,
    update: Option<&'a str>,
    names: Option<&'a ExpressionAttributeNames>,
    values: Option<&'a ExpressionAttributeValues>,
    on_failure: Option<&'a ReturnValuesOnConditionCheckFailure>,
}

fn action_of(item: &TransactWriteItem) -> Result<Action<'_>, Error> {
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
            item_or_key: present(p.item.as_ref(), "item")?,
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

impl Action<'_> {
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

fn cancelled(reasons: Vec<CancellationReason>) -> Error {
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    Error::TransactionCanceled {
        message: format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        ),
        reasons,
    }
}

fn none_reason() -> CancellationReason {
    CancellationReason {
        code: "None".into(),
        message: None,
        item: None,
    }
}

/// Cancellation with one `ValidationError` and `None` for every other action.
fn validation_cancel(count: usize, index: usize, error: &Error) -> Error {
    let reasons = (0..count)
        .map(|i| {
            if i == index {
                CancellationReason {
                    code: "ValidationError".into(),
                    message: Some(error.message().to_owned()),
                    item: None,
                }
            } else {
                none_reason()
            }
        })
        .collect();
    cancelled(reasons)
}

/// The table of each name, looked up once per request (a missing table is
/// `ResourceNotFoundException`).
fn tables<'n>(
    store: &Store,
    names: impl Iterator<Item = &'n str>,
) -> Result<Vec<Arc<Table>>, Error> {
    let mut seen: HashMap<&str, Arc<Table>> = HashMap::new();
    names
        .map(|name| match seen.get(name) {
            Some(table) => Ok(table.clone()),
            None => {
                let table = store.table(name)?;
                seen.insert(name, table.clone());
                Ok(table)
            }
        })
        .collect()
}

/// The slots of a request's items (one per action, all distinct), held in
/// ascending (table name, key) order, the global lock order.
struct Slots<'t> {
    /// (action index, slot), in lock order.
    held: Vec<(usize, SlotRef<'t>)>,
}

impl<'t> Slots<'t> {
    /// The slots of the targets, one per target. Two targets naming one
    /// item are DynamoDB's `Transaction request cannot include multiple
    /// operations on one item` (and could not both be locked).
    fn new(targets: impl Iterator<Item = (&'t Table, &'t PrimaryKey)>) -> Result<Self, Error> {
        let mut held: Vec<(usize, SlotRef<'t>)> = targets
            .enumerate()
            .map(|(i, (table, key))| (i, table.slot(key)))
            .collect();
        held.sort_by(|(_, a), (_, b)| (a.table_name(), a.key()).cmp(&(b.table_name(), b.key())));
        let same = |a: &SlotRef<'_>, b: &SlotRef<'_>| {
            a.table_name() == b.table_name() && a.key() == b.key()
        };
        if held
            .windows(2)
            .any(|w| matches!(w, [(_, a), (_, b)] if same(a, b)))
        {
            return Err(one_item_twice());
        }
        Ok(Slots { held })
    }

    /// Locks every slot in lock order; the items come back in action order.
    fn lock(&self) -> Vec<LockedItem<'_>> {
        let mut locked: Vec<(usize, LockedItem<'_>)> = self
            .held
            .iter()
            .map(|(i, slot)| (*i, slot.lock()))
            .collect();
        locked.sort_by_key(|(i, _)| *i);
        locked.into_iter().map(|(_, item)| item).collect()
    }
}

/// DynamoDB's error for two actions (or Gets) on one item.
fn one_item_twice() -> Error {
    Error::validation("Transaction request cannot include multiple operations on one item")
}

/// A transaction's writes, planned against its locked items. `commit`
/// consumes the plan and makes every write (assignments, which cannot fail);
/// dropping it instead writes nothing.
struct WritePlan<'l, 's> {
    writes: Vec<(&'l mut LockedItem<'s>, Option<Item>)>,
}

impl WritePlan<'_, '_> {
    fn commit(self) {
        for (item, new) in self.writes {
            item.replace(new);
        }
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
        let transact_items = present(input.transact_items.as_ref(), "transactItems")?;
        let actions = transact_items
            .iter()
            .map(action_of)
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
                .compile()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut bound: Vec<Bound<'_>> = Vec::with_capacity(actions.len());
        for c in &compiled {
            bound.push(c.bind()?);
        }
        let tables = tables(self, actions.iter().map(|a| a.table_name))?;
        for ((a, b), table) in actions.iter().zip(&mut bound).zip(&tables) {
            b.check_schema(table.schema())?;
            table.schema().check_not_empty(a.item_or_key)?;
        }

        // 2. Keys and items against the tables (per action).
        let mut keys = Vec::with_capacity(actions.len());
        let mut first_invalid = None;
        for (i, (a, table)) in actions.iter().zip(&tables).enumerate() {
            let key = match a.kind {
                Kind::Put => table
                    .schema()
                    .key_of_item(a.item_or_key)
                    .and_then(|k| Ok(validate_item(a.item_or_key).map(|()| k)?)),
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

        // 3. Idempotency.
        let mut token_guard = TokenGuard {
            cache: &self.inner.tokens,
            token: None,
        };
        if let Some(token) = &input.client_request_token {
            let fingerprint = serde_json::to_string(transact_items)
                .map_err(|e| Error::Internal(e.to_string()))?;
            match self.inner.tokens.begin(token, &fingerprint)? {
                TokenCheck::Replay => return Ok(TransactWriteItemsOutput::default()),
                TokenCheck::Run => token_guard.token = Some((token.clone(), fingerprint)),
            }
        }

        // 4. Lock in (table name, key) order.
        let slots = Slots::new(tables.iter().map(|t| &**t).zip(&keys))?;
        let mut locked = slots.lock();

        // 5. Evaluate every condition and compute every new item.
        let mut reasons = Vec::with_capacity(actions.len());
        let mut writes = Vec::with_capacity(actions.len());
        let mut failed = false;
        let steps = actions
            .iter()
            .zip(&keys)
            .zip(&bound)
            .zip(&tables)
            .zip(&all_old);
        for (i, ((((a, key), bound), table), all_old)) in steps.enumerate() {
            let old = locked.get(i).and_then(LockedItem::get);
            if !holds(bound.condition.as_ref(), old) {
                failed = true;
                reasons.push(CancellationReason {
                    code: "ConditionalCheckFailed".into(),
                    message: Some(CONDITION_FAILED.into()),
                    item: old.filter(|_| *all_old).cloned(),
                });
                writes.push(None);
                continue;
            }
            reasons.push(none_reason());
            writes.push(match a.kind {
                Kind::Check => None,
                Kind::Put => Some(Some(a.item_or_key.clone())),
                Kind::Delete => Some(None),
                Kind::Update => {
                    match updated_item(table.schema(), key, bound.update.as_ref(), old) {
                        Ok(new) => Some(new),
                        Err(e) => return Err(validation_cancel(actions.len(), i, &e)),
                    }
                }
            });
        }
        if failed {
            return Err(cancelled(reasons));
        }

        // 6. Apply (assignments only); the locks are released on return.
        let plan = WritePlan {
            writes: locked
                .iter_mut()
                .zip(writes)
                .filter_map(|(item, new)| new.map(|new| (item, new)))
                .collect(),
        };
        plan.commit();
        token_guard.finish(true);
        Ok(TransactWriteItemsOutput::default())
    }

    /// `TransactGetItems`: up to 100 reads from one consistent snapshot.
    pub fn transact_get_items(
        &self,
        input: TransactGetItemsInput,
    ) -> Result<TransactGetItemsOutput, Error> {
        constraints::check(&input)?;
        let gets = present(input.transact_items.as_ref(), "transactItems")?
            .iter()
            .map(|t| present(t.get.as_ref(), "get"))
            .collect::<Result<Vec<_>, _>>()?;
        let names = gets
            .iter()
            .map(|g| present(g.table_name.as_ref(), "tableName").map(String::as_str))
            .collect::<Result<Vec<_>, _>>()?;
        let tables = tables(self, names.into_iter())?;
        let mut keys = Vec::with_capacity(gets.len());
        let mut compiled = Vec::with_capacity(gets.len());
        for (get, table) in gets.iter().zip(&tables) {
            keys.push(
                table
                    .schema()
                    .key_of_map(present(get.key.as_ref(), "key")?)?,
            );
            let request = Request::new(
                Operation::Read,
                Params {
                    projection: get.projection_expression.as_deref(),
                    names: get.expression_attribute_names.as_ref(),
                    ..Params::default()
                },
            )?
            .compile()?;
            request.bind()?.check_schema(table.schema())?;
            compiled.push(request);
        }
        let slots = Slots::new(tables.iter().map(|t| &**t).zip(&keys))?;
        let snapshot: Vec<Option<Item>> = slots
            .lock()
            .iter()
            .map(|item| item.get().cloned())
            .collect();
        drop(slots);
        let mut responses = Vec::with_capacity(gets.len());
        for (item, request) in snapshot.into_iter().zip(&compiled) {
            let projection = request.bind()?.projection;
            let item = match (projection, item) {
                (Some(p), Some(item)) => Some(p.project(&item)),
                (_, item) => item,
            };
            responses.push(ItemResponse { item });
        }
        Ok(TransactGetItemsOutput { responses })
    }
}
