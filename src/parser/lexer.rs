//! Token-level rules shared by every expression language: whitespace, names,
//! placeholders, keywords, comparators, reserved words, and the tokenizer
//! that builds the `token` / `near` parts of syntax-error messages.

use std::sync::OnceLock;

use nom::bytes::complete::take_while1;
use nom::character::complete::char;
use nom::combinator::recognize;
use nom::sequence::pair;
use nom::{IResult, Parser as _};

use super::SyntaxFail;
use crate::ast::Comparator;

/// `[A-Za-z0-9_]`: the characters after the first of a name or placeholder.
pub(crate) const fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Skips spaces, tabs, carriage returns and line feeds.
#[must_use]
pub fn skip_ws(i: &str) -> &str {
    let n = i.bytes().take_while(|&b| is_ws_byte(b)).count();
    i.get(n..).unwrap_or_default()
}

/// Space, tab, carriage return or line feed.
pub(crate) const fn is_ws_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A word: `[A-Za-z][A-Za-z0-9_]*` (a bare name, a keyword or a function
/// name).
///
/// # Errors
/// A nom error when the input does not start with an ASCII letter.
pub fn word(i: &str) -> IResult<&str, &str, SyntaxFail> {
    if !i.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return Err(nom::Err::Error(SyntaxFail::at(i)));
    }
    let len = i.bytes().take_while(|&b| is_name_byte(b)).count();
    match (i.get(len..), i.get(..len)) {
        (Some(rest), Some(w)) => Ok((rest, w)),
        _ => Err(nom::Err::Error(SyntaxFail::at(i))),
    }
}

/// A `#name` placeholder (`#` then one or more of `[A-Za-z0-9_]`).
///
/// # Errors
/// A nom error at the start of the input when it does not start with one
/// (a lone `#` is a token of its own).
pub fn name_placeholder(i: &str) -> IResult<&str, &str, SyntaxFail> {
    recognize(pair(char('#'), take_while1(is_name_char)))
        .parse(i)
        .map_err(|e: nom::Err<SyntaxFail>| e.map(|_| SyntaxFail::at(i)))
}

/// A `:value` placeholder (`:` then one or more of `[A-Za-z0-9_]`).
///
/// # Errors
/// A nom error at the start of the input when it does not start with one.
pub fn value_placeholder(i: &str) -> IResult<&str, &str, SyntaxFail> {
    recognize(pair(char(':'), take_while1(is_name_char)))
        .parse(i)
        .map_err(|e: nom::Err<SyntaxFail>| e.map(|_| SyntaxFail::at(i)))
}

/// The keywords of the condition language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `NOT`
    Not,
    /// `BETWEEN`
    Between,
    /// `IN`
    In,
}

impl Keyword {
    /// The keyword in upper case.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::And => "AND",
            Self::Or => "OR",
            Self::Not => "NOT",
            Self::Between => "BETWEEN",
            Self::In => "IN",
        }
    }

    /// The keyword a word spells, case-insensitively.
    #[must_use]
    pub fn from_word(w: &str) -> Option<Self> {
        let candidates: &[Self] = match w.len() {
            2 => &[Self::Or, Self::In],
            3 => &[Self::And, Self::Not],
            7 => &[Self::Between],
            _ => return None,
        };
        candidates
            .iter()
            .copied()
            .find(|k| w.eq_ignore_ascii_case(k.as_str()))
    }
}

/// The clause keywords of the update language. In an `UpdateExpression`
/// they are tokens of their own, never attribute names: DynamoDB reports
/// `SET  REMOVE #Options` as a syntax error at `REMOVE` (spec §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClauseKeyword {
    /// `SET`
    Set,
    /// `REMOVE`
    Remove,
    /// `ADD`
    Add,
    /// `DELETE`
    Delete,
}

impl ClauseKeyword {
    /// All four, in the order DynamoDB documents them.
    pub const ALL: [Self; 4] = [Self::Set, Self::Remove, Self::Add, Self::Delete];

    /// The keyword in upper case.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Set => "SET",
            Self::Remove => "REMOVE",
            Self::Add => "ADD",
            Self::Delete => "DELETE",
        }
    }

    /// The keyword a word spells, case-insensitively.
    #[must_use]
    pub fn from_word(w: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| w.eq_ignore_ascii_case(k.as_str()))
    }

    /// If `i` (at a token start) is a clause keyword as a whole word, it and
    /// the input after it.
    #[must_use]
    pub fn at(i: &str) -> Option<(&str, Self)> {
        let (rest, w) = word(i).ok()?;
        Some((rest, Self::from_word(w)?))
    }
}

/// The `#name` and `:value` placeholder tokens of an expression text, in
/// text order, repeats included.
///
/// Expressions have no string literals, so this lexical scan finds exactly
/// the placeholders a successful parse would reference. It lets a caller
/// that holds the placeholder maps report an undefined placeholder before a
/// parse error that DynamoDB checks later (see
/// [`ErrorDetail::is_checked_after_placeholders`](crate::parser::error::ErrorDetail::is_checked_after_placeholders)).
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(['#', ':'])?;
            let from = rest.get(start..)?;
            let found = name_placeholder(from).or_else(|_| value_placeholder(from));
            match found {
                Ok((after, token)) => {
                    rest = after;
                    return Some(token);
                }
                Err(_) => rest = from.get(1..)?,
            }
        }
    })
}

/// If `i` (at a token start) is the keyword `kw` as a whole word, the input
/// after it.
#[must_use]
pub fn keyword(i: &str, kw: Keyword) -> Option<&str> {
    let n = kw.as_str().len();
    let head = i.get(..n)?;
    if !head.eq_ignore_ascii_case(kw.as_str()) {
        return None;
    }
    let rest = i.get(n..)?;
    match rest.as_bytes().first() {
        Some(&b) if is_name_byte(b) => None,
        _ => Some(rest),
    }
}

/// If `i` (at a token start) is a comparator, it and the input after it.
/// `<>`, `<=` and `>=` are single tokens.
#[must_use]
pub fn comparator(i: &str) -> Option<(&str, Comparator)> {
    let b = i.as_bytes();
    let (op, n) = match (b.first()?, b.get(1)) {
        (b'=', _) => (Comparator::Eq, 1),
        (b'<', Some(b'>')) => (Comparator::Ne, 2),
        (b'<', Some(b'=')) => (Comparator::Le, 2),
        (b'<', _) => (Comparator::Lt, 1),
        (b'>', Some(b'=')) => (Comparator::Ge, 2),
        (b'>', _) => (Comparator::Gt, 1),
        _ => return None,
    };
    Some((i.get(n..)?, op))
}

/// The end offset of the token that starts at `start`, by the lexical rules
/// of spec §1 (a character that starts no token is a token by itself, as
/// DynamoDB reports `token: "_"` for `_123`). `start` must not be
/// whitespace; at the end of the text this returns `start`.
#[must_use]
pub(crate) fn token_end(text: &str, start: usize) -> usize {
    let Some(rest) = text.get(start..) else {
        return start;
    };
    let b = rest.as_bytes();
    let run = |from: usize, pred: fn(u8) -> bool| {
        from + b
            .get(from..)
            .map_or(0, |s| s.iter().take_while(|&&c| pred(c)).count())
    };
    let len = match b.first() {
        None => 0,
        Some(c) if c.is_ascii_alphabetic() => run(1, is_name_byte),
        Some(b'#' | b':') => run(1, is_name_byte),
        Some(c) if c.is_ascii_digit() => run(1, |c| c.is_ascii_digit()),
        Some(b'<') if matches!(b.get(1), Some(b'>' | b'=')) => 2,
        Some(b'>') if b.get(1) == Some(&b'=') => 2,
        Some(_) => rest.chars().next().map_or(1, char::len_utf8),
    };
    start + len
}

/// The `token` and `near` parts of a syntax error at byte `pos`, and the
/// token's span (empty at the end of the input).
///
/// `near` runs from the start of the previous token (so it includes the
/// whitespace after it) to the end of the token after the offending one.
pub(crate) fn syntax_context(text: &str, pos: usize) -> (String, String, (usize, usize)) {
    let next_token = |from: usize| -> Option<(usize, usize)> {
        let rest = text.get(from..)?;
        let start = from + (rest.len() - skip_ws(rest).len());
        (start < text.len()).then(|| (start, token_end(text, start)))
    };
    let mut prev: Option<(usize, usize)> = None;
    let mut at = 0;
    let offending = loop {
        match next_token(at) {
            None => break None,
            Some((s, e)) if s >= pos => break Some((s, e)),
            // The position falls inside what the tokenizer sees as one
            // token: report the token that starts at the position.
            Some((_, e)) if e > pos => break Some((pos, token_end(text, pos).max(pos + 1))),
            Some(t) => {
                prev = Some(t);
                at = t.1;
            }
        }
    };
    let from = |s: usize| prev.map_or(s, |p| p.0);
    match offending {
        None => {
            let start = from(text.len());
            let near = text.get(start..).unwrap_or_default().to_owned();
            ("<EOF>".to_owned(), near, (text.len(), text.len()))
        }
        Some((s, e)) => {
            let token = text.get(s..e).unwrap_or_default().to_owned();
            let end = next_token(e).map_or(e, |n| n.1);
            let near = text.get(from(s)..end).unwrap_or_default().to_owned();
            (token, near, (s, e))
        }
    }
}

static RESERVED_WORDS_TEXT: &str = include_str!("../reserved_words.txt");

/// The reserved words as sorted keys (see [`key`]).
fn reserved_keys() -> &'static [u128] {
    static KEYS: OnceLock<Vec<u128>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<u128> = RESERVED_WORDS_TEXT
            .lines()
            .filter_map(|w| key(w.trim()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    })
}

/// A word of at most 16 bytes, upper-cased and zero-padded into one
/// big-endian integer, so that comparing keys is one integer comparison.
/// `None` for longer words (the longest reserved word has 14 letters) and
/// the empty word.
fn key(word: &str) -> Option<u128> {
    let mut bytes = [0u8; 16];
    if word.is_empty() || word.len() > bytes.len() {
        return None;
    }
    for (k, b) in bytes.iter_mut().zip(word.bytes()) {
        *k = b.to_ascii_uppercase();
    }
    Some(u128::from_be_bytes(bytes))
}

/// Whether a bare attribute name is one of DynamoDB's 573 reserved words
/// (compared in upper case; the list is upper case and ASCII).
#[must_use]
pub fn is_reserved_word(name: &str) -> bool {
    key(name).is_some_and(|k| reserved_keys().binary_search(&k).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_complete() {
        let words: Vec<&str> = RESERVED_WORDS_TEXT.lines().collect();
        assert_eq!(words.len(), 573);
        assert_eq!(reserved_keys().len(), 573);
        assert!(words.iter().all(|w| is_reserved_word(w)));
        assert!(
            words
                .iter()
                .all(|w| is_reserved_word(&w.to_ascii_lowercase()))
        );
        for w in [
            "status", "STATUS", "sTaTuS", "name", "size", "and", "zone", "abort",
        ] {
            assert!(is_reserved_word(w), "{w}");
        }
        for w in ["a", "status1", "foo", "pk", "zones", "", "remove", "_", "9"] {
            assert!(!is_reserved_word(w), "{w}");
        }
    }

    #[test]
    fn clause_keywords() {
        assert_eq!(ClauseKeyword::at("sEt a"), Some((" a", ClauseKeyword::Set)));
        assert_eq!(
            ClauseKeyword::at("remove"),
            Some(("", ClauseKeyword::Remove))
        );
        assert_eq!(ClauseKeyword::at("ADD:v"), Some((":v", ClauseKeyword::Add)));
        assert_eq!(
            ClauseKeyword::at("Delete("),
            Some(("(", ClauseKeyword::Delete))
        );
        assert_eq!(ClauseKeyword::at("SETS a"), None);
        assert_eq!(ClauseKeyword::at("ad"), None);
        assert_eq!(ClauseKeyword::at(" SET"), None);
    }

    #[test]
    fn placeholder_scan() {
        let found: Vec<_> = placeholders("SET #a.#b = :x + :x, c = # :").collect();
        assert_eq!(found, ["#a", "#b", ":x", ":x"]);
        let found: Vec<_> = placeholders("#:a ::b é#c_1").collect();
        assert_eq!(found, [":a", ":b", "#c_1"]);
    }

    #[test]
    fn keywords_are_whole_words() {
        assert_eq!(keyword("and b", Keyword::And), Some(" b"));
        assert_eq!(keyword("AnD(", Keyword::And), Some("("));
        assert_eq!(keyword("ANDx", Keyword::And), None);
        assert_eq!(keyword("AN", Keyword::And), None);
        assert_eq!(keyword("in", Keyword::In), Some(""));
    }

    #[test]
    fn tokens() {
        let t = "SET _123 a<>b #x:y [12]é";
        let ends: Vec<_> = [0, 4, 5, 9, 10, 12, 14, 16, 19, 20, 22, 23]
            .iter()
            .map(|&s| t.get(s..token_end(t, s)).unwrap_or("?"))
            .collect();
        assert_eq!(
            ends,
            [
                "SET", "_", "123", "a", "<>", "b", "#x", ":y", "[", "12", "]", "é"
            ]
        );
    }

    #[test]
    fn near_windows() {
        let ctx = |t: &str, pos| {
            let (tok, near, _) = syntax_context(t, pos);
            (tok, near)
        };
        assert_eq!(ctx("SET _123", 4), ("_".into(), "SET _123".into()));
        assert_eq!(
            ctx("SET  REMOVE #Options", 5),
            ("REMOVE".into(), "SET  REMOVE #Options".into())
        );
        assert_eq!(ctx("a = ", 4), ("<EOF>".into(), "= ".into()));
        assert_eq!(ctx("a", 1), ("<EOF>".into(), "a".into()));
        assert_eq!(ctx("!= a", 0), ("!".into(), "!=".into()));
    }
}
