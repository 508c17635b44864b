//! Document paths after `#name` substitution: the overlap and conflict rules
//! that UpdateExpression targets and ProjectionExpression paths share (spec
//! §7.3, §8), and the way DynamoDB prints a path in those messages.
//!
//! A path is compared as a slice of [`PathStep`]s, borrowed from the parsed
//! [`Path`] and the request's `ExpressionAttributeNames` ([`resolve`]). Two
//! paths are compared element by element up to the first difference:
//!
//! * no difference before one of them ends (one is a prefix of the other, or
//!   they are equal): [`PathRelation::Overlap`] — `a` and `a.b[2].c`;
//! * the first difference is a map key against a list index:
//!   [`PathRelation::Conflict`] — `a.b` and `a[1]`, `a.b[1]` and `a.b.c`;
//! * otherwise (two different keys, or two different indexes):
//!   [`PathRelation::Disjoint`] — `a.b` and `a.c[2]`, `a[1]` and `a[2]`.
//!
//! Names are compared after substitution, so `#a1` and `#a2` both mapping to
//! `a` overlap; a name is one element whatever it contains (`#d` mapping to
//! `[3]` is the key `[3]`, not an index).
//!
//! ```
//! use dynacond::paths::{PathRelation, PathStep, format_path, relate};
//!
//! let one = [PathStep::Key("a"), PathStep::Key("b")];
//! let two = [PathStep::Key("a"), PathStep::Index(1)];
//! assert_eq!(relate(&one, &two), PathRelation::Conflict);
//! let detail = PathRelation::Conflict.detail(&one, &two).unwrap();
//! assert_eq!(
//!     detail.to_string(),
//!     "Two document paths conflict with each other; must remove or rewrite one of these paths; \
//!      path one: [a, b], path two: [a, [1]]"
//! );
//! assert_eq!(format_path(&two), "[a, [1]]");
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::ast::{Name, Path, PathElement};
use crate::expr_error::ErrorDetail;
use crate::placeholders::ExpressionAttributeNames;

/// One element of a resolved document path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep<'a> {
    /// A map key (first: a top-level attribute name), after `#name`
    /// substitution.
    Key(&'a str),
    /// A list index.
    Index(u32),
}

/// How two resolved paths relate (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathRelation {
    /// Neither is a prefix of the other and they do not clash.
    Disjoint,
    /// One is a prefix of the other, or they are equal.
    Overlap,
    /// After a common prefix one continues with a key, the other with an
    /// index.
    Conflict,
}

impl PathRelation {
    /// DynamoDB's error detail for two clashing paths, `one` written first;
    /// `None` for [`Disjoint`](Self::Disjoint).
    #[must_use]
    pub fn detail(self, one: &[PathStep<'_>], two: &[PathStep<'_>]) -> Option<ErrorDetail> {
        let (one, two) = (format_path(one), format_path(two));
        match self {
            Self::Disjoint => None,
            Self::Overlap => Some(ErrorDetail::PathsOverlap { one, two }),
            Self::Conflict => Some(ErrorDetail::PathsConflict { one, two }),
        }
    }
}

/// How paths `a` and `b` relate. Symmetric: `relate(a, b) == relate(b, a)`.
#[must_use]
pub fn relate(a: &[PathStep<'_>], b: &[PathStep<'_>]) -> PathRelation {
    for (x, y) in a.iter().zip(b) {
        match (x, y) {
            _ if x == y => {}
            (PathStep::Key(_), PathStep::Key(_)) | (PathStep::Index(_), PathStep::Index(_)) => {
                return PathRelation::Disjoint;
            }
            _ => return PathRelation::Conflict,
        }
    }
    PathRelation::Overlap
}

/// Two clashing paths of a list: indexes into it, `first < second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Clash {
    /// The earlier path.
    pub first: usize,
    /// The later path.
    pub second: usize,
    /// [`PathRelation::Overlap`] or [`PathRelation::Conflict`].
    pub relation: PathRelation,
}

/// The first clash among `paths` (in text order): the earliest path that
/// overlaps or conflicts with a path before it, paired with the first such
/// path. DynamoDB names the earlier one `path one` (rows 100, 101); which
/// pair it reports when there are several is not documented, and this
/// order is our choice.
///
/// Paths with different top-level names never clash, so only paths that
/// share one are compared.
#[must_use]
pub fn first_clash<'s, P: AsRef<[PathStep<'s>]>>(paths: &[P]) -> Option<Clash> {
    let mut by_top: HashMap<Option<PathStep<'s>>, Vec<usize>> = HashMap::new();
    for (second, path) in paths.iter().enumerate() {
        let path = path.as_ref();
        let earlier = by_top.entry(path.first().copied()).or_default();
        for &first in earlier.iter() {
            let other = paths.get(first).map_or(&[][..], AsRef::as_ref);
            let relation = relate(other, path);
            if relation != PathRelation::Disjoint {
                return Some(Clash {
                    first,
                    second,
                    relation,
                });
            }
        }
        earlier.push(second);
    }
    None
}

/// A resolved path as DynamoDB prints it in messages: the elements joined
/// by `, ` in brackets, an index as `[n]`, a name as its substituted text:
/// `[a, b]`, `[a, [1]]`.
#[must_use]
pub fn format_path(steps: &[PathStep<'_>]) -> String {
    let mut out = String::from("[");
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match step {
            PathStep::Key(k) => out.push_str(k),
            PathStep::Index(n) => {
                let _ = write!(out, "[{n}]");
            }
        }
    }
    out.push(']');
    out
}

/// Resolves a parsed path: each `#name` is replaced by its value in
/// `names`.
///
/// # Errors
/// The first `#name` placeholder (with its `#`) that `names` does not
/// define.
pub fn resolve<'a>(
    path: &'a Path,
    names: Option<&'a ExpressionAttributeNames>,
) -> Result<Vec<PathStep<'a>>, &'a str> {
    path.elements
        .iter()
        .map(|e| match e {
            PathElement::Index(i) => Ok(PathStep::Index(*i)),
            PathElement::Name(Name::Bare(n)) => Ok(PathStep::Key(n)),
            PathElement::Name(Name::Placeholder(p)) => names
                .and_then(|m| m.get(&**p))
                .map(|n| PathStep::Key(n.as_str()))
                .ok_or(&**p),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_projection;

    /// Steps from text like `a.b[1]` (names are plain words here).
    fn steps(text: &str) -> Vec<PathStep<'_>> {
        let mut out = Vec::new();
        for part in text.split('.') {
            let mut pieces = part.split('[');
            if let Some(name) = pieces.next().filter(|n| !n.is_empty()) {
                out.push(PathStep::Key(name));
            }
            for index in pieces {
                let digits = index.trim_end_matches(']');
                out.push(PathStep::Index(digits.parse().unwrap_or(u32::MAX)));
            }
        }
        out
    }

    fn rel(a: &str, b: &str) -> PathRelation {
        let (a, b) = (steps(a), steps(b));
        let r = relate(&a, &b);
        assert_eq!(r, relate(&b, &a), "not symmetric");
        r
    }

    #[test]
    fn spec_rows() {
        use PathRelation::*;
        // Row 100, §7.3's overlap examples, row 102, row 150.
        for (a, b) in [
            ("a", "a"),
            ("a", "a.b"),
            ("a.b", "a.b.c.d.e"),
            ("a", "a[1]"),
            ("a[1][1]", "a[1]"),
            ("a", "a.b[2].c"),
            ("a.b.d", "a.b"),
            ("a.b", "a.b[2]"),
        ] {
            assert_eq!(rel(a, b), Overlap, "{a} / {b}");
        }
        // Row 101, §7.3, row 151.
        for (a, b) in [
            ("a.b", "a[1]"),
            ("a.b.c", "a.b[2]"),
            ("a.b[1]", "a.b.c"),
            ("a[1].b", "a.c"),
        ] {
            assert_eq!(rel(a, b), Conflict, "{a} / {b}");
        }
        // Row 152, §7.3's siblings.
        for (a, b) in [
            ("a", "b"),
            ("a.b", "a.c"),
            ("a[1]", "a[2]"),
            ("a.b", "a.c[2]"),
            ("a.b", "a.c.d"),
            ("a[1].b", "a[2][0]"),
            ("a.b", "b.x"),
        ] {
            assert_eq!(rel(a, b), Disjoint, "{a} / {b}");
        }
    }

    #[test]
    fn printing() {
        assert_eq!(format_path(&steps("a")), "[a]");
        assert_eq!(format_path(&steps("a.b")), "[a, b]");
        assert_eq!(format_path(&steps("a[1]")), "[a, [1]]");
        assert_eq!(format_path(&steps("ab.bc[1].a")), "[ab, bc, [1], a]");
        assert_eq!(format_path(&[PathStep::Key("[3]")]), "[[3]]");
        assert_eq!(format_path(&[]), "[]");
    }

    #[test]
    fn messages() {
        let d = |a: &str, b: &str| {
            let (a, b) = (steps(a), steps(b));
            relate(&a, &b).detail(&a, &b).map(|d| d.to_string())
        };
        assert_eq!(
            d("a", "a").as_deref(),
            Some(
                "Two document paths overlap with each other; must remove or rewrite one of these \
                 paths; path one: [a], path two: [a]"
            )
        );
        assert_eq!(
            d("a.b", "a[1]").as_deref(),
            Some(
                "Two document paths conflict with each other; must remove or rewrite one of these \
                 paths; path one: [a, b], path two: [a, [1]]"
            )
        );
        assert_eq!(d("a.b", "a.c"), None);
    }

    #[test]
    fn first_clash_in_text_order() {
        let clash = |list: &[&str]| {
            let paths: Vec<Vec<PathStep<'_>>> = list.iter().map(|p| steps(p)).collect();
            first_clash(&paths).map(|c| (c.first, c.second, c.relation))
        };
        assert_eq!(clash(&["a.b", "a.c", "b.x", "c"]), None);
        assert_eq!(
            clash(&["a.b", "x", "a[1]", "a"]),
            Some((0, 2, PathRelation::Conflict))
        );
        assert_eq!(
            clash(&["x", "a.b", "y", "a.c", "a.b.d"]),
            Some((1, 4, PathRelation::Overlap))
        );
        assert_eq!(clash(&[]), None);
    }

    #[test]
    fn resolves_names() {
        let p = parse_projection("#a.b[2].#d, #x").unwrap();
        let mut names = ExpressionAttributeNames::new();
        names.insert("#a".into(), "a.b".into());
        names.insert("#d".into(), "[3]".into());
        let first = p.paths.first().unwrap();
        let r = resolve(first, Some(&names)).unwrap();
        assert_eq!(
            r,
            [
                PathStep::Key("a.b"),
                PathStep::Key("b"),
                PathStep::Index(2),
                PathStep::Key("[3]")
            ]
        );
        assert_eq!(format_path(&r), "[a.b, b, [2], [3]]");
        assert_eq!(resolve(p.paths.get(1).unwrap(), Some(&names)), Err("#x"));
        assert_eq!(resolve(first, None), Err("#a"));
    }
}
