//! Document paths after name substitution: resolving them against items,
//! comparing them (overlap and conflict, spec §7.3 and §8) and printing them
//! as DynamoDB's messages do.
//!
//! A parsed [`crate::ast::Path`] still holds `#name` placeholders; binding it
//! to a request's ExpressionAttributeNames gives a list of [`Step`]s, where a
//! `#name` mapping to `a.b` is the single key `a.b`.

use std::collections::HashMap;

use crate::ast::{Name, Path, PathElement};
use crate::error::Error;
use crate::parser::error::{ErrorDetail, ExprError, ExpressionKind};
use crate::placeholders::ExpressionAttributeNames;
use crate::value::{AttributeValue, Item};

/// One step of a resolved document path: a map key (or top-level attribute
/// name) or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step<'a> {
    /// `.name` (or the first element).
    Key(&'a str),
    /// `[n]`.
    Index(usize),
}

/// Substitutes `#name` placeholders, giving the steps of the path. `invalid`
/// builds the error for an undefined placeholder (its head names the
/// expression parameter).
pub fn bind_path<'a>(
    path: &'a Path,
    names: Option<&'a ExpressionAttributeNames>,
    undefined: impl Fn(&str) -> Error,
) -> Result<Vec<Step<'a>>, Error> {
    path.elements
        .iter()
        .map(|element| match element {
            PathElement::Name(Name::Bare(n)) => Ok(Step::Key(n)),
            PathElement::Name(Name::Placeholder(p)) => names
                .and_then(|m| m.get(p.as_ref()))
                .map(|n| Step::Key(n.as_str()))
                .ok_or_else(|| undefined(p)),
            PathElement::Index(i) => Ok(Step::Index(*i as usize)),
        })
        .collect()
}

/// The value a path leads to, or `None` when it does not resolve: a missing
/// attribute or key, an index past the end, a key applied to a non-map or an
/// index to a non-list.
pub fn resolve<'x>(steps: &[Step<'_>], item: &'x Item) -> Option<&'x AttributeValue> {
    let (first, rest) = steps.split_first()?;
    let Step::Key(key) = first else {
        return None;
    };
    let mut current = item.get(*key)?;
    for step in rest {
        current = child(current, *step)?;
    }
    Some(current)
}

/// Like [`resolve`], for changing the value in place.
pub fn resolve_mut<'x>(steps: &[Step<'_>], item: &'x mut Item) -> Option<&'x mut AttributeValue> {
    let (first, rest) = steps.split_first()?;
    let Step::Key(key) = first else {
        return None;
    };
    let mut current = item.get_mut(*key)?;
    for step in rest {
        current = match (step, current) {
            (Step::Key(k), AttributeValue::M(m)) => m.get_mut(*k)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// One step down from a value.
pub fn child<'x>(value: &'x AttributeValue, step: Step<'_>) -> Option<&'x AttributeValue> {
    match (step, value) {
        (Step::Key(k), AttributeValue::M(m)) => m.get(k),
        (Step::Index(i), AttributeValue::L(l)) => l.get(i),
        _ => None,
    }
}

/// How two paths of one expression relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Neither touches the other.
    Disjoint,
    /// Equal, or one is a prefix of the other.
    Overlap,
    /// They agree up to a position where one continues with a key and the
    /// other with an index.
    Conflict,
}

/// Classifies two paths (§7.3): `a` and `a.b` overlap, `a.b` and `a[1]`
/// conflict, `a.b` and `a.c` are disjoint.
pub fn relation(a: &[Step<'_>], b: &[Step<'_>]) -> Relation {
    for (x, y) in a.iter().zip(b) {
        match (x, y) {
            _ if x == y => {}
            (Step::Key(_), Step::Key(_)) | (Step::Index(_), Step::Index(_)) => {
                return Relation::Disjoint;
            }
            _ => return Relation::Conflict,
        }
    }
    Relation::Overlap
}

/// Prints a path the way DynamoDB's messages do: `[a, b, [1]]`.
pub fn display(steps: &[Step<'_>]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => (*k).to_owned(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Rejects two paths of one list that overlap or conflict, with DynamoDB's
/// message under `head` (`Invalid UpdateExpression: `). The clash reported
/// is the earliest path that clashes with a path before it, paired with the
/// first such path ("path one"); which pair DynamoDB names when there are
/// several is not documented, so this order is our choice. Only paths with
/// the same top-level name are compared.
pub fn check_disjoint(paths: &[Vec<Step<'_>>], kind: ExpressionKind) -> Result<(), Error> {
    let mut by_top: HashMap<Option<&Step<'_>>, Vec<&[Step<'_>]>> = HashMap::new();
    for two in paths {
        let earlier = by_top.entry(two.first()).or_default();
        for one in earlier.iter() {
            let detail = match relation(one, two) {
                Relation::Disjoint => continue,
                Relation::Overlap => ErrorDetail::PathsOverlap {
                    one: display(one),
                    two: display(two),
                },
                Relation::Conflict => ErrorDetail::PathsConflict {
                    one: display(one),
                    two: display(two),
                },
            };
            return Err(ExprError::new(kind, detail, None).into());
        }
        earlier.push(two);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::{Index as I, Key as K};

    #[test]
    fn relations_from_the_spec() {
        // Rows 100-102 and 150-152.
        assert_eq!(relation(&[K("a")], &[K("a")]), Relation::Overlap);
        assert_eq!(
            relation(&[K("a"), K("b")], &[K("a"), I(1)]),
            Relation::Conflict
        );
        assert_eq!(
            relation(&[K("a"), I(1), I(1)], &[K("a"), I(1)]),
            Relation::Overlap
        );
        assert_eq!(
            relation(&[K("a")], &[K("a"), K("b"), I(2), K("c")]),
            Relation::Overlap
        );
        assert_eq!(
            relation(&[K("a"), K("b"), I(1)], &[K("a"), K("b"), K("c")]),
            Relation::Conflict
        );
        assert_eq!(relation(&[K("a")], &[K("b")]), Relation::Disjoint);
        assert_eq!(
            relation(&[K("a"), K("b")], &[K("a"), K("c")]),
            Relation::Disjoint
        );
        assert_eq!(
            relation(&[K("a"), I(1)], &[K("a"), I(2)]),
            Relation::Disjoint
        );
        assert_eq!(
            relation(&[K("a"), K("b")], &[K("a"), K("c"), I(2)]),
            Relation::Disjoint
        );
    }

    #[test]
    fn first_clash_in_text_order() {
        let clash = |paths: Vec<Vec<Step<'_>>>| {
            check_disjoint(&paths, ExpressionKind::Update)
                .err()
                .map(|e| {
                    e.message()
                        .rsplit("; ")
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
        };
        assert_eq!(
            clash(vec![
                vec![K("a"), K("b")],
                vec![K("a"), K("c")],
                vec![K("b"), K("x")],
                vec![K("c")]
            ]),
            None
        );
        assert_eq!(
            clash(vec![
                vec![K("a"), K("b")],
                vec![K("x")],
                vec![K("a"), I(1)],
                vec![K("a")]
            ]),
            Some("path one: [a, b], path two: [a, [1]]".to_owned())
        );
        assert_eq!(
            clash(vec![
                vec![K("x")],
                vec![K("a"), K("b")],
                vec![K("y")],
                vec![K("a"), K("c")],
                vec![K("a"), K("b"), K("d")]
            ]),
            Some("path one: [a, b], path two: [a, b, d]".to_owned())
        );
        assert_eq!(clash(vec![]), None);
    }

    #[test]
    fn messages() {
        let paths = vec![vec![K("a"), K("b")], vec![K("a"), I(1)]];
        assert_eq!(
            check_disjoint(&paths, ExpressionKind::Update)
                .unwrap_err()
                .message(),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"
        );
        assert_eq!(
            display(&[K("3can include any character!.#=")]),
            "[3can include any character!.#=]"
        );
    }
}
