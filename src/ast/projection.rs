//! The syntax tree of `ProjectionExpression` (spec §8).

use std::fmt;
use std::sync::Arc;

use super::Path;

/// A `ProjectionExpression`: the paths in order (at least one).
///
/// [`Display`](fmt::Display) prints the canonical text, the paths joined by
/// `, `: `a.b[2], #n`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectionTree {
    /// The projected paths, in text order.
    pub paths: Vec<Path>,
}

impl ProjectionTree {
    /// Calls `f` with every `#name` placeholder occurrence, in text order.
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        for p in &self.paths {
            p.visit_references(f);
        }
    }

    /// The `#name` placeholders used, each once, in order of first use (the
    /// same convention as
    /// [`ConditionTree::references`](super::ConditionTree::references); a
    /// projection has no `:value` placeholders).
    #[must_use]
    pub fn references(&self) -> Vec<Arc<str>> {
        super::collect_references(|f| self.visit_references(&mut |r| f(r)))
    }
}

impl fmt::Display for ProjectionTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.paths.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            p.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Name, PathElement, Span};
    use super::*;

    #[test]
    fn display_and_references() {
        let name = |n: &str| {
            PathElement::Name(if n.starts_with('#') {
                Name::Placeholder(n.into())
            } else {
                Name::Bare(n.into())
            })
        };
        let path = |elements| Path {
            elements,
            span: Span::default(),
        };
        let p = ProjectionTree {
            paths: vec![
                path(vec![name("a"), name("#b"), PathElement::Index(2)]),
                path(vec![name("#n")]),
                path(vec![name("#b")]),
            ],
        };
        assert_eq!(p.to_string(), "a.#b[2], #n, #b");
        let refs: Vec<String> = p.references().iter().map(ToString::to_string).collect();
        assert_eq!(refs, ["#b", "#n"]);
        fn check<T: Send + Sync + Clone + Eq + std::hash::Hash>() {}
        check::<ProjectionTree>();
    }
}
