//! The one request pipeline: every operation hands its expression
//! parameters, legacy parameters and placeholder maps to a [`Request`], which
//! runs DynamoDB's request-time order once (spec §12.1, validation.md §5):
//!
//! 1. [`Request::new`], before the table is looked up: legacy and expression
//!    parameters not mixed; for the writes, placeholder maps not given
//!    without an expression that could use them (the reads check this in step
//!    2, after translating their legacy parameters).
//! 2. [`Request::compile`] ([`Request::translate`], then
//!    [`Translated::parse`]): legacy parameters translated into the same trees
//!    (their generated `#~n`/`:~v` placeholders cannot collide with a
//!    request's own, and mixing was refused, so the generated maps simply
//!    become the request's maps); Query's key-condition requirement; the maps'
//!    keys; every expression parsed.
//! 3. [`Compiled::bind`], against the table's key schema: every expression
//!    bound (placeholders defined, operand types, key attributes not updated,
//!    key conditions analysed, Query filters free of key attributes), then
//!    the values' contents, then unused map entries.
//!
//! New front ends (PartiQL, index reads) fill in [`Params`] and get the same
//! checks in the same order; PartiQL hands in its trees ready built
//! ([`Prebuilt`]) and joins at step 3.

use std::borrow::Cow;

use crate::api::{ConditionalOperator, ReturnValue, ReturnValuesOnConditionCheckFailure};
use crate::ast::{ConditionTree, ProjectionTree, UpdateTree};
use crate::condition::{BoundCondition, ConditionExpression};
use crate::error::Error;
use crate::legacy::{self, AttributeUpdatesMap, Builder, ConditionMap, ExpectedMap, TYPE_MISMATCH};
use crate::parser::error::ExpressionKind;
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, References, check_all_used, validate_maps,
    validate_value_contents,
};
use crate::projection::{BoundProjection, ProjectionExpression};
use crate::store::expression_cache::ExpressionCache;
use crate::store::key::{KeyAttribute, KeySchema};
use crate::store::key_condition::{
    ComponentCondition, KeyCondition, analyse_components, check_filter_keys,
};
use crate::update::{BoundUpdate, UpdateExpression};

/// The operation a request belongs to. It decides which placeholder maps an
/// expression must accompany and how that is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    /// One action of TransactWriteItems.
    TransactWrite,
    /// One Get of TransactGetItems, or one table of BatchGetItem.
    Read,
    /// One PartiQL statement: its trees come prebuilt ([`Prebuilt`]), and a
    /// filter may name key attributes.
    Statement,
}

/// A request's expression parameters, legacy parameters and placeholder
/// maps, borrowed from its input. Members an operation does not have stay
/// `None`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Params<'r> {
    pub(crate) key_condition: Option<&'r str>,
    pub(crate) update: Option<&'r str>,
    pub(crate) condition: Option<&'r str>,
    pub(crate) filter: Option<&'r str>,
    pub(crate) projection: Option<&'r str>,
    pub(crate) names: Option<&'r ExpressionAttributeNames>,
    pub(crate) values: Option<&'r ExpressionAttributeValues>,
    pub(crate) key_conditions: Option<&'r ConditionMap>,
    pub(crate) query_filter: Option<&'r ConditionMap>,
    pub(crate) scan_filter: Option<&'r ConditionMap>,
    pub(crate) attribute_updates: Option<&'r AttributeUpdatesMap>,
    pub(crate) expected: Option<&'r ExpectedMap>,
    pub(crate) conditional_operator: Option<&'r ConditionalOperator>,
    pub(crate) attributes_to_get: Option<&'r [String]>,
    pub(crate) prebuilt: Option<&'r Prebuilt>,
}

/// Expressions a front end built as trees (PartiQL, [`crate::partiql`]),
/// in the place of parsed text, with the values of their generated
/// placeholders (checked by the front end, and not all used: key
/// equalities become the key).
#[derive(Debug, Default)]
pub(crate) struct Prebuilt {
    pub(crate) key_condition: Option<ConditionExpression>,
    pub(crate) condition: Option<ConditionExpression>,
    pub(crate) update: Option<UpdateExpression>,
    pub(crate) filter: Option<ConditionExpression>,
    pub(crate) projection: Option<ProjectionExpression>,
    pub(crate) values: ExpressionAttributeValues,
}

impl Params<'_> {
    /// The legacy parameters, in the order DynamoDB lists them (validation.md
    /// §7.1), as the mixing check counts them: `KeyConditions` only beside a
    /// `KeyConditionExpression`, so a Query may combine `KeyConditions` with
    /// `FilterExpression` or `ProjectionExpression`.
    fn legacy(&self) -> [(&'static str, bool); 7] {
        let mut list = self.legacy_given();
        if let Some(last) = list.last_mut() {
            last.1 = self.key_conditions.is_some() && self.key_condition.is_some();
        }
        list
    }

    /// The legacy parameters the request gives, `KeyConditions` last.
    fn legacy_given(&self) -> [(&'static str, bool); 7] {
        [
            ("AttributesToGet", self.attributes_to_get.is_some()),
            ("QueryFilter", self.query_filter.is_some()),
            ("ScanFilter", self.scan_filter.is_some()),
            ("AttributeUpdates", self.attribute_updates.is_some()),
            ("Expected", self.expected.is_some()),
            ("ConditionalOperator", self.conditional_operator.is_some()),
            ("KeyConditions", self.key_conditions.is_some()),
        ]
    }

    /// The expression parameters, in the order DynamoDB lists them.
    fn expressions(&self) -> [(&'static str, bool); 5] {
        [
            ("ProjectionExpression", self.projection.is_some()),
            ("FilterExpression", self.filter.is_some()),
            ("KeyConditionExpression", self.key_condition.is_some()),
            ("UpdateExpression", self.update.is_some()),
            ("ConditionExpression", self.condition.is_some()),
        ]
    }
}

impl Operation {
    /// Whether the operation checks that its placeholder maps accompany an
    /// expression before the table is looked up (the writes), or only after
    /// translating its legacy parameters (the reads, whose order the tests
    /// pin: Query reports a missing key condition first).
    fn checks_maps_before_table(self) -> bool {
        matches!(
            self,
            Operation::PutItem
                | Operation::UpdateItem
                | Operation::DeleteItem
                | Operation::TransactWrite
        )
    }

    /// The expression parameters whose presence allows
    /// `ExpressionAttributeNames`, and those that allow
    /// `ExpressionAttributeValues` (named in the message when none is given).
    fn placeholder_users(self) -> (&'static [&'static str], &'static [&'static str]) {
        const WRITE: &[&str] = &["ConditionExpression"];
        const UPDATE: &[&str] = &["UpdateExpression", "ConditionExpression"];
        const QUERY: &[&str] = &[
            "KeyConditionExpression",
            "FilterExpression",
            "ProjectionExpression",
        ];
        const READ: &[&str] = &["ProjectionExpression"];
        match self {
            Operation::PutItem | Operation::DeleteItem => (WRITE, WRITE),
            Operation::UpdateItem | Operation::TransactWrite => (UPDATE, UPDATE),
            Operation::Query => (QUERY, QUERY),
            Operation::Scan => (
                &["FilterExpression", "ProjectionExpression"],
                &["FilterExpression"],
            ),
            Operation::GetItem | Operation::Read => (READ, &[]),
            Operation::Statement => (&[], &[]),
        }
    }
}

/// DynamoDB's error for a request that mixes legacy and expression
/// parameters. Each list names the operation's parameters of one
/// generation, in DynamoDB's order, with whether the request has it; the
/// message lists the present ones. No error when either side is empty.
pub(crate) fn check_mixing(
    legacy: &[(&str, bool)],
    expressions: &[(&str, bool)],
) -> Result<(), Error> {
    fn given<'n>(list: &[(&'n str, bool)]) -> Vec<&'n str> {
        list.iter()
            .filter(|(_, present)| *present)
            .map(|(name, _)| *name)
            .collect()
    }
    let present = |list: &[(&str, bool)]| list.iter().any(|(_, present)| *present);
    if !present(legacy) || !present(expressions) {
        return Ok(());
    }
    let (old, new) = (given(legacy), given(expressions));
    Err(Error::validation(format!(
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
        old.join(", "),
        new.join(", ")
    )))
}

/// The first step of the pipeline: a request whose parameters are not mixed
/// and whose placeholder maps each accompany an expression that can use them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'r> {
    operation: Operation,
    params: Params<'r>,
    /// The store's parsed expressions, when the request may use them.
    cache: Option<&'r ExpressionCache>,
}

impl<'r> Request<'r> {
    /// Checks what needs no table: no mixing of legacy and expression
    /// parameters, then no `ExpressionAttributeNames` / `Values` without an
    /// expression that could use them.
    pub(crate) fn new(operation: Operation, params: Params<'r>) -> Result<Self, Error> {
        check_mixing(&params.legacy(), &params.expressions())?;
        let request = Request {
            operation,
            params,
            cache: None,
        };
        if operation.checks_maps_before_table() {
            request.check_placeholder_maps()?;
        }
        Ok(request)
    }

    /// The request, taking its parsed expressions from `cache` (the
    /// store's, [`ExpressionCache`]) and parsing only texts it lacks.
    pub(crate) fn cached(self, cache: &'r ExpressionCache) -> Self {
        Request {
            cache: Some(cache),
            ..self
        }
    }

    /// No `ExpressionAttributeNames` / `Values` without an expression that
    /// could use them.
    fn check_placeholder_maps(&self) -> Result<(), Error> {
        let (operation, params) = (self.operation, &self.params);
        let given = |list: &[&str]| {
            params
                .expressions()
                .iter()
                .any(|(name, present)| *present && list.contains(name))
        };
        let (for_names, for_values) = operation.placeholder_users();
        if params.names.is_some() && !given(for_names) {
            return Err(Error::validation(
                "ExpressionAttributeNames can only be specified when using expressions",
            ));
        }
        if params.values.is_some() && !given(for_values) {
            // A transaction action's message names no parameter.
            if operation == Operation::TransactWrite || for_values.is_empty() {
                return Err(Error::validation(
                    "ExpressionAttributeValues can only be specified when using expressions",
                ));
            }
            let verb = if for_values.len() > 1 { "are" } else { "is" };
            return Err(Error::validation(format!(
                "ExpressionAttributeValues can only be specified when using expressions: {} {verb} null",
                for_values.join(" and ")
            )));
        }
        Ok(())
    }

    /// Translates the legacy parameters, checks the placeholder maps' keys and
    /// parses every expression: [`Request::translate`], then
    /// [`Translated::parse`].
    pub(crate) fn compile(&self) -> Result<Compiled<'r>, Error> {
        self.translate()?.parse()
    }

    /// Translates the legacy parameters into trees; checks Query's
    /// key-condition requirement, and the placeholder maps of the operations
    /// that check them only now.
    pub(crate) fn translate(&self) -> Result<Translated<'r>, Error> {
        let p = &self.params;
        let op = self.operation;
        // Translating needs a placeholder builder; most requests have no
        // legacy parameter and skip it.
        let legacy_given = p.legacy_given().iter().any(|(_, present)| *present);
        let legacy = if legacy_given {
            Legacy::translate(op, p)?
        } else {
            Legacy::default()
        };
        if op == Operation::Query && p.key_condition.is_none() && legacy.key.is_none() {
            return Err(Error::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ));
        }
        if !op.checks_maps_before_table() {
            self.check_placeholder_maps()?;
        }
        Ok(Translated {
            request: *self,
            legacy,
        })
    }
}

/// A request whose legacy parameters are translated, ready to parse its
/// expressions.
pub(crate) struct Translated<'r> {
    request: Request<'r>,
    legacy: Legacy,
}

impl<'r> Translated<'r> {
    /// Checks the placeholder maps' keys and parses every expression.
    pub(crate) fn parse(self) -> Result<Compiled<'r>, Error> {
        let (p, op) = (&self.request.params, self.request.operation);
        if let Some(pre) = p.prebuilt {
            return Ok(Compiled {
                operation: op,
                legacy_update: false,
                prebuilt: true,
                own_values: None,
                names: None,
                values: Some(Cow::Borrowed(&pre.values)),
                update: pre.update.clone(),
                condition: pre.condition.clone(),
                key_condition: pre.key_condition.clone(),
                filter: pre.filter.clone(),
                projection: pre.projection.clone(),
            });
        }
        let Legacy {
            key: legacy_key,
            condition: legacy_condition,
            update: legacy_update,
            filter: legacy_filter,
            projection: legacy_projection,
            names: legacy_names,
            values: legacy_values,
        } = self.legacy;
        let legacy = legacy_key.is_some()
            || legacy_condition.is_some()
            || legacy_update.is_some()
            || legacy_filter.is_some()
            || legacy_projection.is_some();

        let (names, values) = (p.names, p.values);
        validate_maps(names, values)?;
        let cache = self.request.cache;
        let condition = |text: &str, kind| match cache {
            Some(cache) => cache.condition(text, kind, names, values),
            None => ConditionExpression::parse_in_request(text, kind, names, values),
        };
        let update = p
            .update
            .map(|text| match cache {
                Some(cache) => cache.update(text, names, values),
                None => UpdateExpression::parse_in_request(text, names, values),
            })
            .transpose()?;
        let parsed_condition = p
            .condition
            .map(|t| condition(t, ExpressionKind::Condition))
            .transpose()?;
        let key_condition = p
            .key_condition
            .map(|t| condition(t, ExpressionKind::KeyCondition))
            .transpose()?;
        let filter = p
            .filter
            .map(|t| condition(t, ExpressionKind::Filter))
            .transpose()?;
        let projection = p
            .projection
            .map(|text| match cache {
                Some(cache) => cache.projection(text),
                None => ProjectionExpression::parse(text),
            })
            .transpose()?;

        // Translated trees use generated placeholders (`#~n`, `:~v`) that
        // cannot collide with a request's own, so the maps simply merge (a
        // Query may give KeyConditions beside a FilterExpression).
        let (names, values) = if legacy {
            let mut all_names = names.cloned().unwrap_or_default();
            all_names.extend(legacy_names);
            let mut all_values = values.cloned().unwrap_or_default();
            all_values.extend(legacy_values);
            (Some(Cow::Owned(all_names)), Some(Cow::Owned(all_values)))
        } else {
            (names.map(Cow::Borrowed), values.map(Cow::Borrowed))
        };
        Ok(Compiled {
            operation: op,
            legacy_update: legacy_update.is_some(),
            prebuilt: false,
            own_values: p.values,
            names,
            values,
            update: update.or_else(|| legacy_update.map(UpdateExpression::from_ast)),
            condition: parsed_condition.or_else(|| {
                legacy_condition
                    .map(|c| ConditionExpression::from_ast(c, ExpressionKind::Condition))
            }),
            key_condition: key_condition.or_else(|| {
                legacy_key.map(|c| ConditionExpression::from_ast(c, ExpressionKind::KeyCondition))
            }),
            filter: filter.or_else(|| {
                legacy_filter.map(|c| ConditionExpression::from_ast(c, ExpressionKind::Filter))
            }),
            projection: projection
                .or_else(|| legacy_projection.map(ProjectionExpression::from_ast)),
        })
    }
}

/// The trees translated from a request's legacy parameters.
#[derive(Default)]
struct Legacy {
    key: Option<ConditionTree>,
    condition: Option<ConditionTree>,
    update: Option<UpdateTree>,
    filter: Option<ConditionTree>,
    projection: Option<ProjectionTree>,
    /// The generated placeholders the trees use.
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
}

impl Legacy {
    /// Translates the legacy parameters `op` has, in DynamoDB's order, with
    /// one placeholder builder.
    fn translate(op: Operation, p: &Params<'_>) -> Result<Legacy, Error> {
        let b = &mut Builder::default();
        let legacy_key = match p.key_conditions {
            Some(map) => legacy::key_conditions_tree(b, map)?,
            None => None,
        };
        let legacy_condition = match op {
            Operation::PutItem | Operation::UpdateItem | Operation::DeleteItem => {
                legacy::expected_tree(
                    b,
                    p.expected,
                    p.conditional_operator.map(ConditionalOperator::as_str),
                )?
            }
            _ => None,
        };
        let legacy_update = match p.attribute_updates {
            Some(map) => legacy::attribute_updates_tree(b, map)?,
            None => None,
        };
        let legacy_filter = match op {
            Operation::Query => legacy::filter_tree(
                b,
                "queryFilter",
                p.query_filter,
                p.conditional_operator.map(ConditionalOperator::as_str),
            )?,
            Operation::Scan => legacy::filter_tree(
                b,
                "scanFilter",
                p.scan_filter,
                p.conditional_operator.map(ConditionalOperator::as_str),
            )?,
            _ => None,
        };
        let legacy_projection = p
            .attributes_to_get
            .map(|names| legacy::attributes_to_get_tree(b, names))
            .transpose()?;
        let (names, values) = std::mem::take(b).into_maps();
        Ok(Legacy {
            key: legacy_key,
            condition: legacy_condition,
            update: legacy_update,
            filter: legacy_filter,
            projection: legacy_projection,
            names,
            values,
        })
    }
}

/// A request's parsed expressions (from either generation) and the maps they
/// bind to.
#[derive(Debug, Clone)]
pub(crate) struct Compiled<'r> {
    operation: Operation,
    /// True when the update comes from `AttributeUpdates` (its type errors
    /// read differently).
    legacy_update: bool,
    /// True when the trees came prebuilt: their generated values are not
    /// all referenced, and that is no error.
    prebuilt: bool,
    /// The request's own `ExpressionAttributeValues` (the generated values
    /// were checked while translating).
    own_values: Option<&'r ExpressionAttributeValues>,
    names: Option<Cow<'r, ExpressionAttributeNames>>,
    values: Option<Cow<'r, ExpressionAttributeValues>>,
    update: Option<UpdateExpression>,
    condition: Option<ConditionExpression>,
    key_condition: Option<ConditionExpression>,
    filter: Option<ConditionExpression>,
    projection: Option<ProjectionExpression>,
}

/// An absent expression's placeholders.
static NO_REFERENCES: References = References::NONE;

/// A request's bound expressions, ready to run against items.
#[derive(Debug)]
pub(crate) struct Bound<'c> {
    pub(crate) update: Option<BoundUpdate<'c>>,
    pub(crate) condition: Option<BoundCondition<'c>>,
    pub(crate) key_condition: Option<KeyCondition>,
    pub(crate) filter: Option<BoundCondition<'c>>,
    pub(crate) projection: Option<BoundProjection<'c>>,
    compiled: &'c Compiled<'c>,
}

impl Compiled<'_> {
    /// Binds every expression to the maps (placeholders defined, operand
    /// types), then checks the values' contents and rejects unused map
    /// entries: everything that needs no table. The checks against the key
    /// schema follow in [`Bound::check_schema`].
    pub(crate) fn bind(&self) -> Result<Bound<'_>, Error> {
        let names = self.names.as_deref();
        let values = self.values.as_deref();
        let update = match &self.update {
            Some(u) => {
                let bound = u.bind(names, values, &[])?;
                Some(if self.legacy_update {
                    bound.with_type_mismatch_message(TYPE_MISMATCH)
                } else {
                    bound
                })
            }
            None => None,
        };
        let condition = self
            .condition
            .as_ref()
            .map(|c| c.bind(names, values))
            .transpose()?;
        if let Some(k) = &self.key_condition {
            k.bind(names, values)?;
        }
        let filter = self
            .filter
            .as_ref()
            .map(|f| f.bind(names, values))
            .transpose()?;
        let projection = self
            .projection
            .as_ref()
            .map(|p| p.bind(names))
            .transpose()?;
        // Values are checked after the static checks (spec §12.1); the
        // generated values were checked while translating.
        if let Some(values) = self.own_values {
            validate_value_contents(values)?;
        }
        let refs = [
            self.update.as_ref().map(UpdateExpression::refs),
            self.condition.as_ref().map(ConditionExpression::refs),
            self.key_condition.as_ref().map(ConditionExpression::refs),
            self.filter.as_ref().map(ConditionExpression::refs),
            self.projection.as_ref().map(ProjectionExpression::refs),
        ]
        .map(|r| r.unwrap_or(&NO_REFERENCES));
        if !self.prebuilt {
            check_all_used(names, values, &refs)?;
        }
        Ok(Bound {
            update,
            condition,
            key_condition: None,
            filter,
            projection,
            compiled: self,
        })
    }
}

impl Bound<'_> {
    /// The checks against the table's key schema: no key attribute updated,
    /// the key condition analysed, Query filters free of key attributes.
    pub(crate) fn check_schema(&mut self, schema: &KeySchema) -> Result<(), Error> {
        self.check_reads(schema)?;
        if let Some(u) = &self.update {
            u.check_key_attributes(&schema.names())?;
        }
        Ok(())
    }

    /// Refuses an update of a path inside an index key attribute.
    pub(crate) fn check_index_keys(&self, index_keys: &[String]) -> Result<(), Error> {
        if let Some(u) = &self.update {
            let names: Vec<&str> = index_keys.iter().map(String::as_str).collect();
            u.check_index_key_paths(&names)?;
        }
        Ok(())
    }

    /// The key condition and filter checks of [`Bound::check_schema`].
    fn check_reads(&mut self, schema: &KeySchema) -> Result<(), Error> {
        let compiled = self.compiled;
        let names = compiled.names.as_deref();
        let values = compiled.values.as_deref();
        if let Some(k) = &compiled.key_condition {
            self.key_condition = Some(KeyCondition::analyse(k, schema, names, values)?);
        }
        if let (Some(f), Operation::Query) = (&compiled.filter, compiled.operation) {
            check_filter_keys(f.ast(), &schema.names(), names)?;
        }
        Ok(())
    }

    /// [`Bound::check_schema`] for a read of a secondary index whose key is
    /// `hash` then `range` components: the key condition analysed against
    /// them (returned), a Query filter free of every one of them.
    pub(crate) fn check_index_schema(
        &self,
        hash: &[KeyAttribute],
        range: &[KeyAttribute],
    ) -> Result<Option<ComponentCondition>, Error> {
        let compiled = self.compiled;
        let names = compiled.names.as_deref();
        let values = compiled.values.as_deref();
        let condition = compiled
            .key_condition
            .as_ref()
            .map(|k| analyse_components(k, hash, range, names, values))
            .transpose()?;
        if let (Some(f), Operation::Query) = (&compiled.filter, compiled.operation) {
            let keys: Vec<&str> = hash.iter().chain(range).map(|a| a.name.as_str()).collect();
            check_filter_keys(f.ast(), &keys, names)?;
        }
        Ok(condition)
    }
}

// ---------------------------------------------------------------------------
// Return-value parameters

/// What `ReturnValues` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

/// `ReturnValues` (its enum checked by the constraint layer), against what
/// the operation allows (`updates`: UpdateItem allows every member).
pub(crate) fn return_values(
    value: Option<&ReturnValue>,
    updates: bool,
) -> Result<ReturnValues, Error> {
    let parsed = match value.map(ReturnValue::as_str) {
        Some("ALL_OLD") => ReturnValues::AllOld,
        Some("UPDATED_OLD") => ReturnValues::UpdatedOld,
        Some("ALL_NEW") => ReturnValues::AllNew,
        Some("UPDATED_NEW") => ReturnValues::UpdatedNew,
        _ => ReturnValues::None,
    };
    if !updates && !matches!(parsed, ReturnValues::None | ReturnValues::AllOld) {
        return Err(Error::validation(
            "ReturnValues can only be ALL_OLD or NONE",
        ));
    }
    Ok(parsed)
}

/// `ReturnValuesOnConditionCheckFailure` (its enum checked by the
/// constraint layer): true for `ALL_OLD`.
pub(crate) fn on_failure_all_old(value: Option<&ReturnValuesOnConditionCheckFailure>) -> bool {
    value.is_some_and(|v| v.as_str() == "ALL_OLD")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributeValue;

    #[test]
    fn placeholder_map_messages() {
        let names: ExpressionAttributeNames = [("#n".to_owned(), "a".to_owned())].into();
        let values: ExpressionAttributeValues = [(":v".to_owned(), AttributeValue::n(1))].into();
        let m = |op, n: bool, v: bool, update: Option<&'static str>, condition| {
            let params = Params {
                update,
                condition,
                names: n.then_some(&names),
                values: v.then_some(&values),
                ..Params::default()
            };
            Request::new(op, params)
                .map(|_| ())
                .map_err(|e| e.message().to_owned())
        };
        assert_eq!(
            m(Operation::UpdateItem, false, true, None, None).unwrap_err(),
            "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"
        );
        assert_eq!(
            m(Operation::PutItem, false, true, None, None).unwrap_err(),
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"
        );
        assert_eq!(
            m(Operation::UpdateItem, true, true, None, None).unwrap_err(),
            "ExpressionAttributeNames can only be specified when using expressions"
        );
        assert!(m(Operation::PutItem, true, true, None, Some("#n = :v")).is_ok());
        assert!(check_mixing(&[("Expected", true)], &[("ConditionExpression", false)]).is_ok());
        assert_eq!(
            check_mixing(
                &[("Expected", true), ("ConditionalOperator", true)],
                &[("ConditionExpression", true)]
            )
            .unwrap_err()
            .message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected, ConditionalOperator} Expression parameters: {ConditionExpression}"
        );
    }
}
