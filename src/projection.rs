//! Projecting items onto document paths (ProjectionExpression, spec §8; also
//! the UPDATED_OLD / UPDATED_NEW return values of UpdateItem, §12.3).
//!
//! The result keeps the requested values inside their ancestors: `a.b[2].y`
//! gives `{a: {b: [{y: ...}]}}`. Indexes of one list are gathered into one list
//! in ascending original-index order, several paths merge into one document,
//! and paths that do not resolve contribute nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::ast::ProjectionTree;
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::parser::parse_projection;
use crate::path::{self, Step, resolve};
use crate::placeholders::{ExpressionAttributeNames, References, undefined_name};
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
pub(crate) fn project(item: &Item, paths: &[Vec<Step<'_>>]) -> Item {
    // Top-level names only (`a, b`; UpdateItem's `SET a = ..., b = ...`):
    // the values themselves, in first-named order, with no tree built.
    if paths.iter().all(|steps| steps.len() == 1) {
        let mut out = Map::with_capacity(paths.len());
        for steps in paths {
            if let Some(Step::Key(name)) = steps.first() {
                if let Some((key, value)) = item.get_key_value(*name) {
                    if !out.contains_key(key.as_str()) {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        return out;
    }
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

/// A parsed ProjectionExpression: immutable, `Send + Sync`, cheap to clone.
///
/// ```
/// use dynacond::projection::ProjectionExpression;
/// use dynacond::wire;
///
/// let item = wire::item_from_json(br#"{"p": {"S": "k"}, "a": {"M": {"b": {"L": [{"N": "2"}, {"N": "4"}]}, "c": {"N": "5"}}}}"#)?;
/// let projection = ProjectionExpression::parse("a.b[1], a.c")?;
/// let bound = projection.bind(None)?;
/// assert_eq!(wire::item_to_json(&bound.project(&item)), r#"{"a":{"M":{"b":{"L":[{"N":"4"}]},"c":{"N":"5"}}}}"#);
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct ProjectionExpression {
    ast: Arc<ProjectionTree>,
    /// The placeholders the tree uses, listed once when it is built.
    refs: Arc<References>,
}

impl ProjectionExpression {
    /// Parses a ProjectionExpression.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Ok(ProjectionExpression::from_ast(parse_projection(text)?))
    }

    /// Wraps a tree built by code rather than parsed (the legacy
    /// `AttributesToGet`, [`crate::legacy`]); [`ProjectionExpression::bind`]
    /// still checks names and overlapping paths.
    pub fn from_ast(ast: ProjectionTree) -> Self {
        let refs = Arc::new(References::from_placeholders(ast.references()));
        ProjectionExpression {
            ast: Arc::new(ast),
            refs,
        }
    }

    /// The syntax tree.
    pub fn ast(&self) -> &ProjectionTree {
        &self.ast
    }

    /// The `#name` placeholders the expression uses, in first-use order.
    pub fn references(&self) -> References {
        (*self.refs).clone()
    }

    /// [`ProjectionExpression::references`], without a copy.
    pub(crate) fn refs(&self) -> &References {
        &self.refs
    }

    /// Substitutes the `#name` placeholders and rejects paths that overlap or
    /// conflict (`a, a.b`; `a.b, a[1]`), as DynamoDB does.
    pub fn bind<'a>(
        &'a self,
        names: Option<&'a ExpressionAttributeNames>,
    ) -> Result<BoundProjection<'a>, Error> {
        let paths = self
            .ast
            .paths
            .iter()
            .map(|p| path::bind_path(p, names, |n| undefined_name(ExpressionKind::Projection, n)))
            .collect::<Result<Vec<_>, _>>()?;
        path::check_disjoint(&paths, ExpressionKind::Projection)?;
        Ok(BoundProjection { paths })
    }
}

impl fmt::Display for ProjectionExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ast.fmt(f)
    }
}

impl fmt::Debug for ProjectionExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProjectionExpression({self})")
    }
}

impl FromStr for ProjectionExpression {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ProjectionExpression::parse(s)
    }
}

/// A ProjectionExpression bound to its names, ready to project items.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundProjection<'a> {
    paths: Vec<Vec<Step<'a>>>,
}

impl BoundProjection<'_> {
    /// The parts of the item the projection asks for (§8): an empty item when
    /// none of the paths resolves.
    pub fn project(&self, item: &Item) -> Item {
        project(item, &self.paths)
    }

    /// The top-level attribute names the projection asks for, in order.
    pub(crate) fn top_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for steps in &self.paths {
            if let Some(Step::Key(name)) = steps.first() {
                if !names.contains(name) {
                    names.push(name);
                }
            }
        }
        names
    }
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
