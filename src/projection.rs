//! Projecting items onto document paths (ProjectionExpression, spec §8; also
//! the UPDATED_OLD / UPDATED_NEW return values of UpdateItem, §12.3).
//!
//! The result keeps the requested values inside their ancestors: `a.b[2].y`
//! gives `{a: {b: [{y: ...}]}}`. Indexes of one list are gathered into one list
//! in ascending original-index order, several paths merge into one document,
//! and paths that do not resolve contribute nothing.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::path::{Step, resolve};
use crate::value::{AttributeValue, Item, Map};

/// A partly built result: a value taken whole, or a map or list of which only
/// some members were requested.
enum Node<'x> {
    Whole(&'x AttributeValue),
    Map(IndexMap<&'x str, Option<Node<'x>>>),
    List(BTreeMap<usize, Option<Node<'x>>>),
}

impl Node<'_> {
    fn into_value(self) -> AttributeValue {
        match self {
            Node::Whole(v) => v.clone(),
            Node::Map(m) => AttributeValue::M(
                m.into_iter()
                    .filter_map(|(k, n)| Some((k.to_owned(), n?.into_value())))
                    .collect(),
            ),
            Node::List(l) => {
                AttributeValue::L(l.into_values().flatten().map(Node::into_value).collect())
            }
        }
    }
}

/// Adds the value that `rest` reaches below `value` to `slot`; the caller
/// has checked that the whole path resolves. A slot that already holds the
/// whole value absorbs deeper paths (only overlapping paths do that, and the
/// expressions reject them; this keeps the function total).
fn insert<'x>(slot: &mut Option<Node<'x>>, value: &'x AttributeValue, rest: &[Step<'_>]) {
    let Some((step, deeper)) = rest.split_first() else {
        *slot = Some(Node::Whole(value));
        return;
    };
    match (*step, value) {
        (Step::Key(k), AttributeValue::M(map)) => {
            let Some((key, next)) = map.get_key_value(k) else {
                return;
            };
            if let Node::Map(children) = slot.get_or_insert_with(|| Node::Map(IndexMap::new())) {
                insert(children.entry(key.as_str()).or_default(), next, deeper);
            }
        }
        (Step::Index(i), AttributeValue::L(list)) => {
            let Some(next) = list.get(i) else {
                return;
            };
            if let Node::List(children) = slot.get_or_insert_with(|| Node::List(BTreeMap::new())) {
                insert(children.entry(i).or_default(), next, deeper);
            }
        }
        _ => {}
    }
}

/// The parts of `item` that the paths reach, nested as in the item. Paths that
/// do not resolve are skipped; if none resolves the result is empty.
pub fn project(item: &Item, paths: &[Vec<Step<'_>>]) -> Item {
    let mut top: IndexMap<&str, Option<Node<'_>>> = IndexMap::new();
    for steps in paths {
        let Some((Step::Key(name), rest)) = steps.split_first() else {
            continue;
        };
        if resolve(steps, item).is_none() {
            continue;
        }
        let Some((key, value)) = item.get_key_value(*name) else {
            continue;
        };
        let slot = top.entry(key.as_str()).or_insert(None);
        insert(slot, value, rest);
    }
    let mut out = Map::with_capacity(top.len());
    for (name, node) in top {
        if let Some(node) = node {
            out.insert(name.to_owned(), node.into_value());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;
    use Step::{Index as I, Key as K};

    fn item() -> Item {
        // Spec row 146.
        wire::item_from_json(
            br#"{"p": {"S": "k1"}, "a": {"M": {"b": {"L": [{"N": "2"}, {"N": "4"},
                {"M": {"x": {"S": "hi"}, "y": {"S": "yo"}}}]}, "c": {"N": "5"}}}, "b": {"S": "hello"}}"#,
        )
        .unwrap()
    }

    fn json(item: &Item) -> String {
        wire::item_to_json(item)
    }

    #[test]
    fn rows_146_to_148() {
        let i = item();
        assert_eq!(
            json(&project(&i, &[vec![K("a"), K("b"), I(2), K("y")]])),
            r#"{"a":{"M":{"b":{"L":[{"M":{"y":{"S":"yo"}}}]}}}}"#
        );
        assert_eq!(
            json(&project(
                &i,
                &[vec![K("a"), K("b"), I(1)], vec![K("a"), K("b"), I(0)]]
            )),
            r#"{"a":{"M":{"b":{"L":[{"N":"2"},{"N":"4"}]}}}}"#
        );
        assert_eq!(
            json(&project(
                &i,
                &[vec![K("a"), K("b"), I(0)], vec![K("a"), K("c")]]
            )),
            r#"{"a":{"M":{"b":{"L":[{"N":"2"}]},"c":{"N":"5"}}}}"#
        );
        assert_eq!(
            json(&project(&i, &[vec![K("a"), K("c")], vec![K("b")]])),
            r#"{"a":{"M":{"c":{"N":"5"}}},"b":{"S":"hello"}}"#
        );
        for missing in [
            vec![K("x")],
            vec![K("a"), K("b"), I(3)],
            vec![K("a"), K("x"), K("y")],
            vec![K("a"), K("b"), K("x")],
            vec![K("a"), I(0)],
            vec![K("a"), K("b"), I(0), I(0)],
        ] {
            assert!(project(&i, &[missing]).is_empty());
        }
    }
}
