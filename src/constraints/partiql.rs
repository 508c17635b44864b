//! The constraint layer of ExecuteStatement, BatchExecuteStatement and
//! ExecuteTransaction (spec partiql.md §1): statements of 1 to 8192
//! characters, `Parameters` of at least one value, `Limit` of at least 1,
//! 1 to 25 batch members, 1 to 100 transaction members, the token lengths
//! and the enums, in the model's order.

use super::{Constrained, Violations, show_list};
use crate::api::{
    BatchExecuteStatementInput, ExecuteStatementInput, ExecuteTransactionInput, Parameters,
    ReturnValuesOnConditionCheckFailure,
};

/// The longest statement (characters).
const MAX_STATEMENT: usize = 8192;

fn statement(v: &mut Violations, text: Option<&String>, at: &str) {
    if v.required(text, at) {
        v.text(text.map(String::as_str), at, 1, MAX_STATEMENT, false);
    }
}

fn parameters(v: &mut Violations, parameters: Option<&Parameters>, at: &str) {
    v.list_length(
        parameters.map(Parameters::len),
        || {
            show_list(
                parameters
                    .into_iter()
                    .flat_map(Parameters::values)
                    .map(crate::wire::value_to_json),
            )
        },
        at,
        1,
        usize::MAX,
    );
}

impl Constrained for ExecuteStatementInput {
    fn constraints(&self, v: &mut Violations) {
        statement(v, self.statement.as_ref(), "statement");
        parameters(v, self.parameters.as_ref(), "parameters");
        v.text(self.next_token.as_deref(), "nextToken", 1, 32768, false);
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.range(self.limit, "limit", 1, None);
        v.on_failure(
            self.return_values_on_condition_check_failure.as_ref(),
            "returnValuesOnConditionCheckFailure",
        );
    }
}

/// A member of a statement list: its statement, parameters and
/// `ReturnValuesOnConditionCheckFailure`.
type Member<'a> = (
    Option<&'a String>,
    Option<&'a Parameters>,
    Option<&'a ReturnValuesOnConditionCheckFailure>,
);

/// BatchExecuteStatement's `statements` and ExecuteTransaction's
/// `transactStatements`: required, `min..=max` members (shown by their
/// model name), then each member's statement, parameters and enum.
fn statement_list<'a>(
    v: &mut Violations,
    members: Option<Vec<Member<'a>>>,
    at: &str,
    shown: &str,
    max: usize,
) {
    if !v.required(members.as_ref(), at) {
        return;
    }
    let members = members.unwrap_or_default();
    v.list_length(
        Some(members.len()),
        || show_list(members.iter().map(|_| shown)),
        at,
        1,
        max,
    );
    for (i, (text, params, on_failure)) in members.iter().enumerate() {
        let member = |name: &str| format!("{at}.{}.member.{name}", i + 1);
        statement(v, *text, &member("statement"));
        parameters(v, *params, &member("parameters"));
        v.on_failure(*on_failure, &member("returnValuesOnConditionCheckFailure"));
    }
}

impl Constrained for BatchExecuteStatementInput {
    fn constraints(&self, v: &mut Violations) {
        let members = self.statements.as_ref().map(|list| {
            list.iter()
                .map(|s| {
                    (
                        s.statement.as_ref(),
                        s.parameters.as_ref(),
                        s.return_values_on_condition_check_failure.as_ref(),
                    )
                })
                .collect()
        });
        statement_list(v, members, "statements", "BatchStatementRequest", 25);
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
    }
}

impl Constrained for ExecuteTransactionInput {
    fn constraints(&self, v: &mut Violations) {
        let members = self.transact_statements.as_ref().map(|list| {
            list.iter()
                .map(|s| {
                    (
                        s.statement.as_ref(),
                        s.parameters.as_ref(),
                        s.return_values_on_condition_check_failure.as_ref(),
                    )
                })
                .collect()
        });
        statement_list(
            v,
            members,
            "transactStatements",
            "ParameterizedStatement",
            100,
        );
        v.text(
            self.client_request_token.as_deref(),
            "clientRequestToken",
            1,
            36,
            false,
        );
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
    }
}
