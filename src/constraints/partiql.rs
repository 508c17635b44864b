//! The constraint layer of ExecuteStatement, BatchExecuteStatement and
//! ExecuteTransaction (spec partiql.md §1): statements of 1 to 8192
//! characters, `Parameters` of at least one value, `Limit` of at least 1,
//! 1 to 25 batch members, 1 to 100 transaction members, the token lengths
//! and the enums, in the model's order.

use super::{Constrained, Violations, show_list};
use crate::api::{
    BatchExecuteStatementInput, ExecuteStatementInput, ExecuteTransactionInput, Parameters,
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

impl Constrained for BatchExecuteStatementInput {
    fn constraints(&self, v: &mut Violations) {
        let statements = self.statements.as_ref();
        if v.required(statements, "statements") {
            v.list_length(
                statements.map(Vec::len),
                || {
                    show_list(
                        statements
                            .into_iter()
                            .flatten()
                            .map(|_| "BatchStatementRequest"),
                    )
                },
                "statements",
                1,
                25,
            );
            for (i, s) in statements.into_iter().flatten().enumerate() {
                let at = |member: &str| format!("statements.{}.member.{member}", i + 1);
                statement(v, s.statement.as_ref(), &at("statement"));
                parameters(v, s.parameters.as_ref(), &at("parameters"));
                v.on_failure(
                    s.return_values_on_condition_check_failure.as_ref(),
                    &at("returnValuesOnConditionCheckFailure"),
                );
            }
        }
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
    }
}

impl Constrained for ExecuteTransactionInput {
    fn constraints(&self, v: &mut Violations) {
        let statements = self.transact_statements.as_ref();
        if v.required(statements, "transactStatements") {
            v.list_length(
                statements.map(Vec::len),
                || {
                    show_list(
                        statements
                            .into_iter()
                            .flatten()
                            .map(|_| "ParameterizedStatement"),
                    )
                },
                "transactStatements",
                1,
                100,
            );
            for (i, s) in statements.into_iter().flatten().enumerate() {
                let at = |member: &str| format!("transactStatements.{}.member.{member}", i + 1);
                statement(v, s.statement.as_ref(), &at("statement"));
                parameters(v, s.parameters.as_ref(), &at("parameters"));
                v.on_failure(
                    s.return_values_on_condition_check_failure.as_ref(),
                    &at("returnValuesOnConditionCheckFailure"),
                );
            }
        }
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
