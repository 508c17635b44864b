//! The projection grammar (spec §8): `path ( ',' path )*`.
//!
//! At least one path, a comma between each two, no empty entry (`a,`, `,a`
//! and `a,,b` are syntax errors, row 153). The path rules are those of
//! every expression (spec §2): at most 32 elements, indexes up to
//! 4294967294, no reserved word as a bare name. Overlapping and conflicting
//! paths (rows 150, 151) can only be judged after `#name` substitution, when
//! the expression is bound: see [`crate::path`].

use super::lexer::skip_ws;
use super::{ExprParser, PResult, cut};
use crate::ast::ProjectionTree;
use crate::parser::error::{ExprError, ExpressionKind};

/// Parses a `ProjectionExpression`, with every check that needs no
/// placeholder maps.
///
/// ```
/// use dynacond::parser::parse_projection;
///
/// let p = parse_projection("a.b[2] ,#n")?;
/// assert_eq!(p.to_string(), "a.b[2], #n");
///
/// let e = parse_projection("a,,b").unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     r#"Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b""#
/// );
/// # Ok::<(), dynacond::parser::ExprError>(())
/// ```
///
/// # Errors
/// The first problem by DynamoDB's order: a limit, a syntax error, then a
/// reserved word, a path too deep, an index out of range.
pub fn parse_projection(text: &str) -> Result<ProjectionTree, ExprError> {
    let mut p = ExprParser::new(text, ExpressionKind::Projection)?;
    let result = p.projection(text);
    p.finish(result)
}

impl std::str::FromStr for ProjectionTree {
    type Err = ExprError;

    /// Parses a `ProjectionExpression`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_projection(s)
    }
}

impl<'a> ExprParser<'a> {
    /// A whole projection, up to (not including) trailing whitespace.
    ///
    /// # Errors
    /// A nom failure at the first token that cannot continue the list;
    /// whether input is left over is checked by [`finish`](Self::finish).
    pub fn projection(&mut self, i: &'a str) -> PResult<'a, ProjectionTree> {
        let (mut i, first) = cut(self.document_path(i))?;
        let mut paths = vec![first];
        while let Some(after) = skip_ws(i).strip_prefix(',') {
            let (rest, path) = cut(self.document_path(after))?;
            paths.push(path);
            i = rest;
        }
        Ok((i, ProjectionTree { paths }))
    }
}
