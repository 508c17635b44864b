//! dynacond: Amazon DynamoDB's expression languages, conditional writes and
//! transactions, reproduced exactly and in memory.
