//! The constraint layer of TransactGetItems and TransactWriteItems. Most
//! actions are valid, so each is checked first with blank member paths and
//! the paths (`transactItems.3.member.put.tableName`, one `format!` each)
//! are spelled only for an action that fails, checked again.

use super::{Constrained, Violations, show_list};
use crate::api::{TransactGetItemsInput, TransactWriteItem, TransactWriteItemsInput};

impl Constrained for TransactGetItemsInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        let items = self.transact_items.as_ref();
        if v.required(items, "transactItems") {
            let items = items.into_iter().flatten();
            v.list_length(
                self.transact_items.as_ref().map(Vec::len),
                || show_list(items.clone().map(|_| "TransactGetItem")),
                "transactItems",
                1,
                100,
            );
            for (i, item) in items.enumerate() {
                // As for TransactWriteItems: blank paths first, spelled
                // only for a Get that fails.
                let check = |v: &mut Violations, at: &dyn Fn(&str) -> String| {
                    if v.required(item.get.as_ref(), &at("")) {
                        if let Some(get) = &item.get {
                            v.table_name(get.table_name.as_ref(), &at(".tableName"), 1);
                            v.required(get.key.as_ref(), &at(".key"));
                        }
                    }
                };
                let mut probe = Violations::default();
                check(&mut probe, &|_| String::new());
                if !probe.list.is_empty() {
                    check(v, &|member| {
                        format!("transactItems.{}.member.get{member}", i + 1)
                    });
                }
            }
        }
    }
}

impl Constrained for TransactWriteItemsInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.return_item_collection_metrics(self.return_item_collection_metrics.as_ref());
        v.text(
            self.client_request_token.as_deref(),
            "clientRequestToken",
            1,
            36,
            false,
        );
        let items = self.transact_items.as_ref();
        if !v.required(items, "transactItems") {
            return;
        }
        let items = items.into_iter().flatten();
        v.list_length(
            self.transact_items.as_ref().map(Vec::len),
            || show_list(items.clone().map(|_| "TransactWriteItem")),
            "transactItems",
            1,
            100,
        );
        for (i, item) in items.enumerate() {
            // Most actions are valid: check each with blank member paths
            // first, and spell the paths (a `format!` each) only for an
            // action that fails, checking it again.
            let mut probe = Violations::default();
            transact_write_item(&mut probe, item, |_, _| String::new());
            if !probe.list.is_empty() {
                transact_write_item(v, item, |action, member| {
                    format!("transactItems.{}.member.{action}.{member}", i + 1)
                });
            }
        }
    }
}

/// The constraints of one action of TransactWriteItems; `at` spells the
/// member path of one of its members.
fn transact_write_item(
    v: &mut Violations,
    item: &TransactWriteItem,
    at: impl Fn(&str, &str) -> String,
) {
    if let Some(c) = &item.condition_check {
        v.table_name(c.table_name.as_ref(), &at("conditionCheck", "tableName"), 1);
        v.required(c.key.as_ref(), &at("conditionCheck", "key"));
        v.required(
            c.condition_expression.as_ref(),
            &at("conditionCheck", "conditionExpression"),
        );
        v.on_failure(
            c.return_values_on_condition_check_failure.as_ref(),
            &at("conditionCheck", "returnValuesOnConditionCheckFailure"),
        );
    }
    if let Some(p) = &item.put {
        v.table_name(p.table_name.as_ref(), &at("put", "tableName"), 1);
        v.required(p.item.as_ref(), &at("put", "item"));
        v.on_failure(
            p.return_values_on_condition_check_failure.as_ref(),
            &at("put", "returnValuesOnConditionCheckFailure"),
        );
    }
    if let Some(d) = &item.delete {
        v.table_name(d.table_name.as_ref(), &at("delete", "tableName"), 1);
        v.required(d.key.as_ref(), &at("delete", "key"));
        v.on_failure(
            d.return_values_on_condition_check_failure.as_ref(),
            &at("delete", "returnValuesOnConditionCheckFailure"),
        );
    }
    if let Some(u) = &item.update {
        v.table_name(u.table_name.as_ref(), &at("update", "tableName"), 1);
        v.required(u.key.as_ref(), &at("update", "key"));
        v.required(
            u.update_expression.as_ref(),
            &at("update", "updateExpression"),
        );
        v.on_failure(
            u.return_values_on_condition_check_failure.as_ref(),
            &at("update", "returnValuesOnConditionCheckFailure"),
        );
    }
}
