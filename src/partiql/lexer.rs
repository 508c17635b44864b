//! The PartiQL lexer: statement text to tokens with byte spans (spec
//! partiql.md §2).
//!
//! The whole text is tokenised first, iteratively (each token by a nom
//! parser, the loop by hand), so nothing here recurses and the parser gets a
//! slice it can look ahead in freely. Comments (`-- ...`, `/* ... */`) and
//! whitespace separate tokens and disappear; `''` inside a string and `""`
//! inside a quoted identifier stand for one quote. A character that starts
//! no token (`#`, a backtick), an unterminated string, quoted name or block
//! comment, and a number DynamoDB cannot read (an exponent or scale outside
//! a signed 32-bit integer) are DynamoDB's syntax error with an empty
//! detail ([`LexError`]).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until, take_while, take_while1};
use nom::character::complete::{char, digit0, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::sequence::pair;
use nom::{IResult, Parser as _};

use crate::ast::Span;

/// A punctuation or operator token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sym {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Dot,
    Colon,
    Semicolon,
    /// `<<`
    BagOpen,
    /// `>>`
    BagClose,
    Star,
    Eq,
    /// `<>`
    Ne,
    /// `!=`
    BangEq,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Slash,
    Percent,
    /// `||`
    Concat,
}

/// What a token is; its text is the statement's, at its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A bare identifier or keyword, as written.
    Word,
    /// A double-quoted identifier, unescaped.
    Quoted(String),
    /// A single-quoted string, unescaped.
    Str(String),
    /// A number literal (unsigned; a sign is a separate token).
    Number,
    /// `?`
    Param,
    /// Punctuation or an operator.
    Sym(Sym),
}

/// One token and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Span,
}

/// Text the lexer cannot read; DynamoDB answers it with an empty detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexError;

type Res<'a, T> = IResult<&'a str, T>;

/// `-- ...` to the end of the line, or `/* ... */`; `Err` with `true` for
/// an unterminated block comment.
fn comment(input: &str) -> Res<'_, ()> {
    alt((
        (tag("--"), take_while(|c| c != '\n')).map(|_| ()),
        (tag("/*"), take_until("*/"), tag("*/")).map(|_| ()),
    ))
    .parse(input)
}

/// Whitespace and comments. An unterminated `/*` is a [`LexError`].
fn skip_trivia(mut input: &str) -> Result<&str, LexError> {
    loop {
        let trimmed = input.trim_start_matches([' ', '\t', '\r', '\n']);
        if let Ok((rest, ())) = comment(trimmed) {
            input = rest;
            continue;
        }
        if trimmed.starts_with("/*") {
            return Err(LexError);
        }
        return Ok(trimmed);
    }
}

fn word(input: &str) -> Res<'_, &str> {
    recognize(pair(
        take_while1(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$'),
    ))
    .parse(input)
}

/// `digits [. digits] [e [+-] digits]` or `. digits [e ...]`.
fn number(input: &str) -> Res<'_, &str> {
    let exponent = (one_of("eE"), opt(one_of("+-")), digit1);
    recognize((
        alt((
            recognize((digit1, opt((char('.'), digit0)))),
            recognize((char('.'), digit1)),
        )),
        opt(exponent),
    ))
    .parse(input)
}

/// A quoted run with the quote doubled inside: the unescaped text.
fn quoted(input: &str, quote: char) -> Result<(&str, String), LexError> {
    let mut chars = input.char_indices();
    if chars.next().map(|(_, c)| c) != Some(quote) {
        return Err(LexError);
    }
    let mut out = String::new();
    let mut chars = chars.peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if chars.peek().map(|(_, c)| *c) == Some(quote) {
                chars.next();
                out.push(quote);
                continue;
            }
            let rest = input.get(i + c.len_utf8()..).ok_or(LexError)?;
            return Ok((rest, out));
        }
        out.push(c);
    }
    Err(LexError)
}

fn symbol(input: &str) -> Res<'_, Sym> {
    alt((
        alt((
            tag("<<").map(|_| Sym::BagOpen),
            tag(">>").map(|_| Sym::BagClose),
            tag("<>").map(|_| Sym::Ne),
            tag("<=").map(|_| Sym::Le),
            tag(">=").map(|_| Sym::Ge),
            tag("!=").map(|_| Sym::BangEq),
            tag("||").map(|_| Sym::Concat),
        )),
        alt((
            char('(').map(|_| Sym::LParen),
            char(')').map(|_| Sym::RParen),
            char('[').map(|_| Sym::LBracket),
            char(']').map(|_| Sym::RBracket),
            char('{').map(|_| Sym::LBrace),
            char('}').map(|_| Sym::RBrace),
            char(',').map(|_| Sym::Comma),
            char('.').map(|_| Sym::Dot),
            char(':').map(|_| Sym::Colon),
            char(';').map(|_| Sym::Semicolon),
            char('*').map(|_| Sym::Star),
            char('=').map(|_| Sym::Eq),
            char('<').map(|_| Sym::Lt),
            char('>').map(|_| Sym::Gt),
            char('+').map(|_| Sym::Plus),
            char('-').map(|_| Sym::Minus),
            char('/').map(|_| Sym::Slash),
            char('%').map(|_| Sym::Percent),
        )),
    ))
    .parse(input)
}

/// Whether DynamoDB can read a number literal: its exponent, and its scale
/// (fraction digits minus exponent), fit a signed 32-bit integer, as a Java
/// `BigDecimal` requires (spec §5.1).
pub(crate) fn readable_number(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (
            text.get(..at).unwrap_or_default(),
            text.get(at + 1..).unwrap_or_default(),
        ),
        None => (text, ""),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i128);
    let exponent: i128 = if exponent.is_empty() {
        0
    } else {
        let digits = exponent.trim_start_matches(['+', '-']);
        if digits.len() > 12 {
            return false;
        }
        let value = digits.parse::<i128>().unwrap_or(i128::MAX);
        if exponent.starts_with('-') {
            -value
        } else {
            value
        }
    };
    let fits = |n: i128| i128::from(i32::MIN) <= n && n <= i128::from(i32::MAX);
    fits(exponent) && fits(fraction - exponent)
}

/// Tokenises a whole statement.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let mut tokens = Vec::new();
    let mut rest = skip_trivia(text)?;
    while !rest.is_empty() {
        let start = text.len() - rest.len();
        let (after, tok) = if let Ok((after, _)) = number(rest) {
            let written = rest.get(..rest.len() - after.len()).unwrap_or_default();
            if !readable_number(written) {
                return Err(LexError);
            }
            (after, Tok::Number)
        } else if let Ok((after, _)) = word(rest) {
            (after, Tok::Word)
        } else if rest.starts_with('\'') {
            let (after, s) = quoted(rest, '\'')?;
            (after, Tok::Str(s))
        } else if rest.starts_with('"') {
            let (after, s) = quoted(rest, '"')?;
            (after, Tok::Quoted(s))
        } else if let Some(after) = rest.strip_prefix('?') {
            (after, Tok::Param)
        } else if let Ok((after, sym)) = symbol(rest) {
            (after, Tok::Sym(sym))
        } else {
            return Err(LexError);
        };
        let end = text.len() - after.len();
        tokens.push(Token {
            tok,
            span: Span::new(start, end),
        });
        rest = skip_trivia(after)?;
    }
    Ok(tokens)
}

/// `<line>:<column>:<length>` of a span: 1-based line and column of its
/// first character (columns count characters), and its length in
/// characters, as DynamoDB prints source positions.
pub(crate) fn position(text: &str, span: Span) -> String {
    let before = text.get(..span.start).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    let length = text
        .get(span.start..span.end)
        .unwrap_or_default()
        .chars()
        .count();
    format!("{line}:{column}:{length}")
}

/// PartiQL's keywords (spec §2.4): reserved as bare names, in lower case,
/// sorted.
const KEYWORDS: &[&str] = &[
    "absolute",
    "action",
    "add",
    "all",
    "allocate",
    "alter",
    "and",
    "any",
    "are",
    "as",
    "asc",
    "assertion",
    "at",
    "authorization",
    "avg",
    "bag",
    "begin",
    "between",
    "bit",
    "bit_length",
    "blob",
    "bool",
    "boolean",
    "by",
    "cascade",
    "cascaded",
    "case",
    "cast",
    "catalog",
    "char",
    "char_length",
    "character",
    "character_length",
    "check",
    "clob",
    "close",
    "coalesce",
    "collate",
    "collation",
    "column",
    "commit",
    "conflict",
    "connect",
    "connection",
    "constraint",
    "constraints",
    "continue",
    "convert",
    "corresponding",
    "count",
    "create",
    "cross",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "date",
    "date_add",
    "date_diff",
    "deallocate",
    "dec",
    "decimal",
    "declare",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "describe",
    "descriptor",
    "diagnostics",
    "disconnect",
    "distinct",
    "do",
    "domain",
    "double",
    "drop",
    "else",
    "end",
    "end-exec",
    "escape",
    "except",
    "exception",
    "exec",
    "execute",
    "exists",
    "external",
    "extract",
    "false",
    "fetch",
    "first",
    "float",
    "for",
    "foreign",
    "found",
    "from",
    "full",
    "get",
    "global",
    "go",
    "goto",
    "grant",
    "group",
    "having",
    "identity",
    "immediate",
    "in",
    "index",
    "indicator",
    "initially",
    "inner",
    "input",
    "insensitive",
    "insert",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isolation",
    "join",
    "key",
    "language",
    "last",
    "left",
    "let",
    "level",
    "like",
    "limit",
    "list",
    "local",
    "lower",
    "match",
    "max",
    "min",
    "missing",
    "modified",
    "module",
    "names",
    "national",
    "natural",
    "nchar",
    "new",
    "next",
    "no",
    "not",
    "nothing",
    "null",
    "nullif",
    "numeric",
    "octet_length",
    "of",
    "old",
    "on",
    "only",
    "open",
    "option",
    "or",
    "order",
    "outer",
    "output",
    "overlaps",
    "pad",
    "partial",
    "pivot",
    "position",
    "precision",
    "prepare",
    "preserve",
    "primary",
    "prior",
    "privileges",
    "procedure",
    "public",
    "read",
    "real",
    "references",
    "relative",
    "remove",
    "restrict",
    "returning",
    "revoke",
    "right",
    "rollback",
    "rows",
    "schema",
    "scroll",
    "section",
    "select",
    "session",
    "session_user",
    "set",
    "sexp",
    "size",
    "smallint",
    "some",
    "space",
    "sql",
    "sqlcode",
    "sqlerror",
    "sqlstate",
    "string",
    "struct",
    "substring",
    "sum",
    "symbol",
    "system_user",
    "table",
    "temporary",
    "then",
    "time",
    "timestamp",
    "to",
    "transaction",
    "translate",
    "translation",
    "trim",
    "true",
    "tuple",
    "union",
    "unique",
    "unknown",
    "unpivot",
    "update",
    "upper",
    "usage",
    "user",
    "using",
    "value",
    "values",
    "varchar",
    "varying",
    "view",
    "when",
    "whenever",
    "where",
    "with",
    "work",
    "write",
    "zone",
];

/// Whether a bare word is one of PartiQL's keywords (any case).
pub(crate) fn is_keyword(word: &str) -> bool {
    if word.len() > 20 {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    KEYWORDS.binary_search(&lower.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Sym {
        /// The symbol as written (`!=` as `!=`).
        pub(crate) const fn text(self) -> &'static str {
            match self {
                Sym::LParen => "(",
                Sym::RParen => ")",
                Sym::LBracket => "[",
                Sym::RBracket => "]",
                Sym::LBrace => "{",
                Sym::RBrace => "}",
                Sym::Comma => ",",
                Sym::Dot => ".",
                Sym::Colon => ":",
                Sym::Semicolon => ";",
                Sym::BagOpen => "<<",
                Sym::BagClose => ">>",
                Sym::Star => "*",
                Sym::Eq => "=",
                Sym::Ne => "<>",
                Sym::BangEq => "!=",
                Sym::Lt => "<",
                Sym::Le => "<=",
                Sym::Gt => ">",
                Sym::Ge => ">=",
                Sym::Plus => "+",
                Sym::Minus => "-",
                Sym::Slash => "/",
                Sym::Percent => "%",
                Sym::Concat => "||",
            }
        }
    }

    fn kinds(text: &str) -> Vec<String> {
        tokenize(text)
            .unwrap()
            .iter()
            .map(|t| match &t.tok {
                Tok::Word => format!("w:{}", text.get(t.span.start..t.span.end).unwrap()),
                Tok::Quoted(s) => format!("q:{s}"),
                Tok::Str(s) => format!("s:{s}"),
                Tok::Number => format!("n:{}", text.get(t.span.start..t.span.end).unwrap()),
                Tok::Param => "?".into(),
                Tok::Sym(s) => s.text().into(),
            })
            .collect()
    }

    #[test]
    fn keywords_are_sorted() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_keyword("PAD") && is_keyword("Value") && !is_keyword("data"));
    }

    #[test]
    fn tokens_comments_and_escapes() {
        assert_eq!(
            kinds("-- lead\nSELECT/**/* FROM \"p\"\"q\" WHERE p/* k */='it''s' --"),
            [
                "w:SELECT", "*", "w:FROM", "q:p\"q", "w:WHERE", "w:p", "=", "s:it's"
            ]
        );
        assert_eq!(
            kinds("a<<1, .5e1>> <> != <= >= < > || n=n-1"),
            [
                "w:a", "<<", "n:1", ",", "n:.5e1", ">>", "<>", "!=", "<=", ">=", "<", ">", "||",
                "w:n", "=", "w:n", "-", "n:1"
            ]
        );
        assert_eq!(kinds("n=n--1"), ["w:n", "=", "w:n"]);
        assert_eq!(kinds("'a--b /*c*/'"), ["s:a--b /*c*/"]);
        assert_eq!(kinds("1 e5"), ["n:1", "w:e5"]);
    }

    #[test]
    fn unreadable_text() {
        for bad in [
            "a # b",
            "a /* b",
            "'open",
            "\"open",
            "`ion`",
            "p = 1e2147483648",
            "p = 1e99999999999",
            "p = 1.5e-2147483647",
        ] {
            assert_eq!(tokenize(bad), Err(LexError), "{bad}");
        }
        assert!(tokenize("p = 1e2147483647").is_ok());
    }

    #[test]
    fn positions_count_characters() {
        let text = "SELECT \"é\"\n  FROM x";
        let tokens = tokenize(text).unwrap();
        assert_eq!(position(text, tokens[1].span), "1:8:3");
        assert_eq!(position(text, tokens[2].span), "2:3:4");
    }
}
