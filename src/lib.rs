//! dynacond: Amazon DynamoDB's expression languages, conditional writes and
//! transactions, reproduced exactly and in memory.

pub mod ast;
pub mod expr_error;
pub mod parser;
