//! PartiQL values: literals to attribute values (spec partiql.md §5.1), and
//! the checks `Parameters` get before the statement is parsed (§5.2).
//!
//! Literal problems name where they are, relative to the value being
//! converted: `under root`, `under root.x` inside a map, `under root[1]`
//! inside a list. Parameter numbers follow Java's `BigDecimal` text rules
//! (an exponent or scale outside a 32-bit integer cannot be converted at
//! all) and their own messages, without a path.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::error::Error;
use crate::number::{Number, NumberError};
use crate::partiql::error::StatementError;
use crate::partiql::lexer::readable_number;
use crate::partiql::syntax::Expr;
use crate::value::{AttributeValue, MAX_NESTING_DEPTH, Map, ValueError};

const INVALID: &str = "One or more parameter values were invalid: ";

/// Where a literal is, for messages: `root`, `root.x`, `root[1]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValuePath(String);

impl ValuePath {
    pub(crate) fn root() -> Self {
        ValuePath("root".to_owned())
    }

    fn key(&self, key: &str) -> Self {
        ValuePath(format!("{}.{key}", self.0))
    }

    fn index(&self, i: usize) -> Self {
        ValuePath(format!("{}[{i}]", self.0))
    }

    fn text(&self) -> &str {
        &self.0
    }
}

/// A number literal (`negative` for a leading minus) as a number.
fn number(text: &str, negative: bool, at: &ValuePath) -> Result<Number, StatementError> {
    let written = if negative {
        format!("-{text}")
    } else {
        text.to_owned()
    };
    match Number::parse(&written) {
        Ok(n) if negative && n.is_zero() && text.contains('.') => {
            Err(StatementError::new(format!(
                "Negative zero decimal is not supported under key {}",
                at.text()
            )))
        }
        Ok(n) => Ok(n),
        Err(e) => Err(StatementError::new(format!("{e} under {}", at.text()))),
    }
}

/// The number a literal expression holds, if it is one (`-1`, `+2.5`).
fn number_literal(e: &Expr) -> Option<(&str, bool)> {
    let mut negative = false;
    let mut e = e;
    loop {
        match e {
            Expr::Num(text, _) => return Some((text, negative)),
            Expr::Sign {
                negative: n,
                operand,
                ..
            } => {
                negative ^= *n;
                e = operand;
            }
            _ => return None,
        }
    }
}

/// A kind name for messages about values that are not literals.
fn kind_name(e: &Expr) -> String {
    match e {
        Expr::Call { name, .. } => name.clone(),
        Expr::Path(p) => p.root.text.clone(),
        Expr::Binary { op, .. } => op.text().to_owned(),
        _ => "UNKNOWN".to_owned(),
    }
}

/// A literal (or `?`) as an attribute value.
pub(crate) fn literal(
    e: &Expr,
    params: &[AttributeValue],
    at: &ValuePath,
) -> Result<AttributeValue, StatementError> {
    if let Some((text, negative)) = number_literal(e) {
        return Ok(AttributeValue::N(number(text, negative, at)?));
    }
    Ok(match e {
        Expr::Str(s, _) => AttributeValue::S(s.clone()),
        Expr::Bool(b, _) => AttributeValue::Bool(*b),
        Expr::Null(_) => AttributeValue::Null,
        Expr::Missing(_) => {
            return Err(StatementError::new(
                "MISSING must be compared using IS operator",
            ));
        }
        Expr::Param(i, _) => params.get(*i).cloned().ok_or_else(|| {
            StatementError::new("Number of parameters in request and statement don't match.")
        })?,
        Expr::List(items, _) => AttributeValue::L(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| literal(item, params, &at.index(i)))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Tuple(pairs, _) => AttributeValue::M(tuple(pairs, params, at, |key| at.key(key))?),
        Expr::Bag(items, _) => bag(items, at)?,
        Expr::Call {
            name, name_span, ..
        } => {
            return Err(StatementError::at(
                format!("Unsupported data type: {name} under key {}", at.text()),
                *name_span,
            ));
        }
        other => {
            return Err(StatementError::at(
                format!(
                    "Unsupported data type: {} under key {}",
                    kind_name(other),
                    at.text()
                ),
                other.span(),
            ));
        }
    })
}

/// A tuple's members; `member_at` says where each value is.
fn tuple(
    pairs: &[(Expr, Expr)],
    params: &[AttributeValue],
    at: &ValuePath,
    member_at: impl Fn(&str) -> ValuePath,
) -> Result<Map, StatementError> {
    let mut map = Map::with_capacity(pairs.len());
    for (key, value) in pairs {
        let Expr::Str(key, _) = key else {
            return Err(StatementError::new(format!(
                "Tuple keys must be of type String. Actual type: {} under {}",
                type_name(key),
                at.text()
            )));
        };
        if map.contains_key(key) {
            return Err(StatementError::new(format!(
                "Duplicate keys in tuple. Key: {key} under {}",
                at.text()
            )));
        }
        let value = literal(value, params, &member_at(key))?;
        map.insert(key.clone(), value);
    }
    Ok(map)
}

/// An INSERT's item: each attribute's value converted on its own, so
/// messages say where inside that value (`root`, `root.x`).
pub(crate) fn item(
    pairs: &[(Expr, Expr)],
    params: &[AttributeValue],
) -> Result<Map, StatementError> {
    let root = ValuePath::root();
    tuple(pairs, params, &root, |_| ValuePath::root())
}

/// The PartiQL type of a literal, for messages.
fn type_name(e: &Expr) -> &'static str {
    match e {
        Expr::Num(..) | Expr::Sign { .. } => "DECIMAL",
        Expr::Str(..) => "STRING",
        Expr::Bool(..) => "BOOL",
        Expr::Null(_) => "NULL",
        Expr::Missing(_) => "MISSING",
        Expr::List(..) => "LIST",
        Expr::Tuple(..) => "STRUCT",
        Expr::Bag(..) => "BAG",
        _ => "UNKNOWN",
    }
}

/// `<<...>>`: a string or number set.
pub(crate) fn bag(items: &[Expr], at: &ValuePath) -> Result<AttributeValue, StatementError> {
    let unsupported = || {
        StatementError::new(
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
        )
    };
    let Some(first) = items.first() else {
        return Err(StatementError::new("Empty bags are not supported"));
    };
    let duplicates = |written: Vec<String>, numbers: bool| {
        let mut message = format!(
            "{INVALID}Input collection [{}] contains duplicates",
            written.join(", ")
        );
        if numbers {
            let _ = write!(message, "! under {}", at.text());
        } else {
            message.push('.');
        }
        StatementError::new(message)
    };
    if matches!(first, Expr::Str(..)) {
        let mut set = BTreeSet::new();
        let mut written = Vec::with_capacity(items.len());
        for item in items {
            let Expr::Str(s, _) = item else {
                return Err(unsupported());
            };
            set.insert(s.clone());
            written.push(s.clone());
        }
        if set.len() < items.len() {
            return Err(duplicates(written, false));
        }
        return Ok(AttributeValue::Ss(set));
    }
    let mut set = BTreeSet::new();
    let mut written = Vec::with_capacity(items.len());
    for item in items {
        let Some((text, negative)) = number_literal(item) else {
            return Err(unsupported());
        };
        set.insert(number(text, negative, at)?);
        written.push(format!("{}{text}", if negative { "-" } else { "" }));
    }
    if set.len() < items.len() {
        return Err(duplicates(written, true));
    }
    Ok(AttributeValue::Ns(set))
}

// ---------------------------------------------------------------------------
// Parameters

/// The problem with one parameter number, with the parameter messages:
/// text a `BigDecimal` cannot hold cannot be converted; an adjusted
/// exponent that wraps a 32-bit integer reads as an underflow (spec §5.2).
fn parameter_number(text: &str) -> Option<Error> {
    if text.is_empty() {
        return Some(NumberError::Empty.into());
    }
    let well_formed = Number::parse(text).err() != Some(NumberError::NotNumeric(text.to_owned()));
    if well_formed && !readable_number(text) {
        return Some(NumberError::NotNumeric(text.to_owned()).into());
    }
    if !well_formed {
        return None;
    }
    // precision - scale, in BigDecimal's terms, computed as an int.
    let unsigned = text.trim_start_matches(['+', '-']);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            unsigned.get(at + 1..).unwrap_or_default(),
        ),
        None => (unsigned, "0"),
    };
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i64;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return None;
    }
    let precision = significant.len() as i64;
    let scale = fraction - exponent;
    let exact = precision - scale;
    let wrapped = i64::from((precision as i32).wrapping_sub(scale as i32));
    if exact != wrapped {
        return Some(if wrapped < 0 {
            NumberError::Underflow.into()
        } else {
            NumberError::Overflow.into()
        });
    }
    None
}

/// The first PartiQL-specific problem of one parameter in its wire form,
/// in document order: a number it cannot convert, or lists and maps nested
/// too deep.
pub(crate) fn parameter_problem(json: &serde_json::Value) -> Option<Error> {
    let mut stack: Vec<(&serde_json::Value, usize)> = vec![(json, 1)];
    while let Some((value, level)) = stack.pop() {
        let Some(object) = value.as_object() else {
            continue;
        };
        for (key, member) in object {
            match (key.as_str(), member) {
                ("N", serde_json::Value::String(text)) => {
                    if let Some(e) = parameter_number(text) {
                        return Some(e);
                    }
                }
                ("NS", serde_json::Value::Array(list)) => {
                    for text in list.iter().filter_map(serde_json::Value::as_str) {
                        if let Some(e) = parameter_number(text) {
                            return Some(e);
                        }
                    }
                }
                ("L", serde_json::Value::Array(list)) => {
                    if level > MAX_NESTING_DEPTH {
                        return Some(ValueError::TooDeep.into());
                    }
                    stack.extend(list.iter().rev().map(|v| (v, level + 1)));
                }
                ("M", serde_json::Value::Object(map)) => {
                    if level > MAX_NESTING_DEPTH {
                        return Some(ValueError::TooDeep.into());
                    }
                    stack.extend(map.values().rev().map(|v| (v, level + 1)));
                }
                _ => {}
            }
        }
    }
    None
}

/// Checks a parameter built in Rust (numbers are valid by construction):
/// sets not empty, nesting within the limit.
pub(crate) fn check_parameter(value: &AttributeValue) -> Result<(), Error> {
    value.validate().map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_numbers() {
        let msg = |t: &str| parameter_number(t).map(|e| e.message().to_owned());
        assert_eq!(
            msg("1e99999999999").as_deref(),
            Some("The parameter cannot be converted to a numeric value: 1e99999999999")
        );
        assert_eq!(
            msg("1e-2147483648").as_deref(),
            Some("The parameter cannot be converted to a numeric value: 1e-2147483648")
        );
        assert_eq!(
            msg("").as_deref(),
            Some("The parameter cannot be converted to a numeric value")
        );
        assert_eq!(
            msg("1e2147483647").as_deref(),
            Some(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range"
            )
        );
        assert_eq!(msg("1.5"), None);
        assert_eq!(msg("0e9"), None);
        assert_eq!(msg("abc"), None);
    }

    #[test]
    fn literal_paths_in_messages() {
        let at = ValuePath::root();
        assert_eq!(at.key("m").index(1).text(), "root.m[1]");
        let e = number("1e126", false, &at.key("x")).unwrap_err();
        assert_eq!(
            e.message(""),
            "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x"
        );
        assert!(number("0", true, &at).is_ok());
        assert!(number("0.0", true, &at).is_err());
    }
}
