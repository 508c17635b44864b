//! Writing answers: one JSON document per line.

use std::io::Write;

use dynacond::Error;
use serde_json::json;

/// DynamoDB's JSON error body for an error.
pub fn error_body(error: &Error) -> serde_json::Value {
    let mut body = json!({ "__type": error.wire_type(), "message": error.message() });
    if let (
        Error::ConditionalCheckFailed {
            item: Some(item), ..
        },
        Some(map),
    ) = (error, body.as_object_mut())
    {
        map.insert(
            "Item".into(),
            serde_json::to_value(item.as_ref()).unwrap_or_default(),
        );
    }
    body
}

/// Prints one JSON value on its own line. A closed stdout is not an error worth
/// reporting (the reader went away), so the result is ignored.
pub fn print_line(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, value);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}
