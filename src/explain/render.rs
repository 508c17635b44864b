//! The text form of an explanation: an indented tree, one node a line
//! (`✓` true, `✗` false, `·` not evaluated), each leaf's operands below it
//! with their values in DynamoDB JSON.
//!
//! ```text
//! result: false
//! ✗ OR  ← decisive
//!   ✗ attribute_not_exists(pk)  ← decisive
//!       pk: {"S":"k1"}
//!   ✗ version = :v  ← decisive
//!       version: {"N":"4"}
//!       :v: {"N":"3"}
//! ```

use std::fmt::{self, Write as _};

use super::{ExplainNode, Explanation, NodeKind};
use crate::wire::value_to_json;

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = writeln!(out, "result: {}", self.result);
        write_node(&mut out, &self.tree, 0);
        f.write_str(&out)
    }
}

/// Writes a node and its subtree at `depth` levels of indentation.
fn write_node(out: &mut String, node: &ExplainNode, depth: usize) {
    let indent = "  ".repeat(depth);
    let mark = match node.outcome {
        Some(true) => '✓',
        Some(false) => '✗',
        None => '·',
    };
    let head = match node.kind {
        NodeKind::And => "AND",
        NodeKind::Or => "OR",
        NodeKind::Not => "NOT",
        _ => node.text.as_str(),
    };
    let _ = write!(out, "{indent}{mark} {head}");
    if node.outcome.is_none() {
        out.push_str("  (not evaluated)");
    } else if node.decisive {
        out.push_str("  ← decisive");
    }
    out.push('\n');
    for o in &node.operands {
        let value = match (&o.value, o.omitted) {
            (_, true) => "(omitted: the explanation's values are too large)".to_owned(),
            (Some(v), false) => value_to_json(v),
            (None, false) => "missing".to_owned(),
        };
        let _ = writeln!(out, "{indent}    {}: {value}", o.text);
    }
    if let Some(note) = &node.note {
        let _ = writeln!(out, "{indent}    note: {note}");
    }
    for child in &node.children {
        write_node(out, child, depth.saturating_add(1));
    }
}
