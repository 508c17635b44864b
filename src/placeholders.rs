//! ExpressionAttributeNames and ExpressionAttributeValues: the placeholder maps
//! of a request (spec §3).
//!
//! One pair of maps serves every expression of a request. The rules checked
//! here are the request-level ones: a map given but empty, malformed keys,
//! invalid values, and entries that no expression of the request uses.
//! Whether each placeholder an expression uses is defined is checked when the
//! expression is bound to the maps.

use std::sync::Arc;

use indexmap::IndexMap;

use crate::error::Error;
use crate::parser::error::{ErrorDetail, ExprError, ExpressionKind};
use crate::parser::lexer;
use crate::value::{AttributeValue, MAX_ATTRIBUTE_NAME_BYTES};

/// `ExpressionAttributeNames`: `#placeholder` to attribute name.
pub type ExpressionAttributeNames = IndexMap<String, String>;

/// `ExpressionAttributeValues`: `:placeholder` to value.
pub type ExpressionAttributeValues = IndexMap<String, AttributeValue>;

/// The placeholders an expression uses, in first-use order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// `#name` placeholders.
    pub names: Vec<Arc<str>>,
    /// `:value` placeholders.
    pub values: Vec<Arc<str>>,
}

impl References {
    /// No placeholders.
    pub const NONE: References = References {
        names: Vec::new(),
        values: Vec::new(),
    };

    /// Splits an AST's placeholder list (`#` and `:` mixed) into names and values.
    pub fn from_placeholders(all: Vec<Arc<str>>) -> Self {
        let (names, values) = all.into_iter().partition(|r| r.starts_with('#'));
        References { names, values }
    }

    /// Checks that the maps define every placeholder used (names first), with
    /// DynamoDB's message for the expression `kind`.
    pub fn check_defined(
        &self,
        kind: ExpressionKind,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<(), Error> {
        if let Some(name) = self
            .names
            .iter()
            .find(|n| names.and_then(|m| m.get(n.as_ref())).is_none())
        {
            return Err(undefined_name(kind, name));
        }
        if let Some(value) = self
            .values
            .iter()
            .find(|v| values.and_then(|m| m.get(v.as_ref())).is_none())
        {
            return Err(undefined_value(kind, value));
        }
        Ok(())
    }
}

/// `Invalid <kind>: An expression attribute name used in the document path is not defined; ...`
pub(crate) fn undefined_name(kind: ExpressionKind, name: &str) -> Error {
    let detail = ErrorDetail::UndefinedName {
        name: name.to_owned(),
    };
    ExprError::new(kind, detail, None).into()
}

/// `Invalid <kind>: An expression attribute value used in expression is not defined; ...`
pub(crate) fn undefined_value(kind: ExpressionKind, value: &str) -> Error {
    let detail = ErrorDetail::UndefinedValue {
        value: value.to_owned(),
    };
    ExprError::new(kind, detail, None).into()
}

/// The error a request gets for an expression that failed to parse. DynamoDB
/// finds some problems (operand counts, a non-path where a path belongs) only
/// after checking that every placeholder is defined, so for those an
/// undefined placeholder anywhere in the text is reported instead (§7.2).
pub(crate) fn parse_failure(
    error: ExprError,
    text: &str,
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
) -> Error {
    if error.error_detail().is_checked_after_placeholders() {
        let used =
            References::from_placeholders(lexer::placeholders(text).map(Arc::from).collect());
        if let Err(undefined) = used.check_defined(error.kind(), names, values) {
            return undefined;
        }
    }
    error.into()
}

/// The checks of a request's maps (`None`: not given) that come before its
/// expressions are parsed: names fully, values' keys. The values themselves
/// are checked after the expressions' static checks, with
/// [`validate_value_contents`] (spec §12.1: parse, placeholder and static
/// checks, then value validation, then unused placeholders).
pub(crate) fn validate_maps(
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
) -> Result<(), Error> {
    if let Some(names) = names {
        validate_names(names)?;
    }
    if let Some(values) = values {
        validate_value_keys(values)?;
    }
    Ok(())
}

/// Rejects map entries that none of a request's expressions uses.
pub(crate) fn check_all_used(
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    expressions: &[&References],
) -> Result<(), Error> {
    // Requests name a few placeholders: look each key up in the lists, with
    // no set built, and build the error (below) only when one is unused.
    fn all_used<V>(
        map: Option<&IndexMap<String, V>>,
        expressions: &[&References],
        list: fn(&References) -> &[Arc<str>],
    ) -> bool {
        map.is_none_or(|map| {
            let used: usize = expressions.iter().map(|r| list(r).len()).sum();
            map.len().saturating_mul(used) <= 4096
                && map.keys().all(|key| {
                    expressions
                        .iter()
                        .any(|r| list(r).iter().any(|u| **u == **key))
                })
        })
    }
    if all_used(names, expressions, |r| &r.names) && all_used(values, expressions, |r| &r.values) {
        return Ok(());
    }
    check_unused(
        names,
        values,
        expressions
            .iter()
            .flat_map(|r| r.names.iter().map(AsRef::as_ref)),
        expressions
            .iter()
            .flat_map(|r| r.values.iter().map(AsRef::as_ref)),
    )
}

/// The longest placeholder key, `#`/`:` included, in bytes.
pub const MAX_PLACEHOLDER_BYTES: usize = 255;

fn valid_key(key: &str, sigil: char) -> bool {
    key.strip_prefix(sigil).is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

fn check_key(key: &str, sigil: char, map: &str) -> Result<(), Error> {
    if !valid_key(key, sigil) {
        return Err(Error::validation(format!(
            "{map} contains invalid key: Syntax error; key: \"{key}\""
        )));
    }
    if key.len() > MAX_PLACEHOLDER_BYTES {
        return Err(Error::validation(format!(
            "{map} contains invalid key: The expression attribute map contains a key that is too long; key: \"{key}\""
        )));
    }
    Ok(())
}

/// Checks an `ExpressionAttributeNames` map that was given: not empty, keys of
/// the form `#[A-Za-z0-9_]+` (at most 255 bytes), names of 1 to 65535 bytes.
pub fn validate_names(names: &ExpressionAttributeNames) -> Result<(), Error> {
    if names.is_empty() {
        return Err(Error::validation(
            "ExpressionAttributeNames must not be empty",
        ));
    }
    for (key, name) in names {
        check_key(key, '#', "ExpressionAttributeNames")?;
        if name.is_empty() {
            return Err(Error::validation(format!(
                "ExpressionAttributeNames contains invalid value: Empty attribute name for key {key}"
            )));
        }
        if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
            return Err(Error::validation(format!(
                "ExpressionAttributeNames contains invalid value: Attribute name exceeds the limit of {MAX_ATTRIBUTE_NAME_BYTES} bytes for key {key}"
            )));
        }
    }
    Ok(())
}

/// Wraps a value problem the way DynamoDB reports it for a placeholder value.
pub(crate) fn invalid_value(key: &str, problem: &dyn std::fmt::Display) -> Error {
    Error::validation(format!(
        "ExpressionAttributeValues contains invalid value: {problem} for key {key}"
    ))
}

/// Checks an `ExpressionAttributeValues` map that was given: not empty, keys
/// of the form `:[A-Za-z0-9_]+` (at most 255 bytes), values valid as stored
/// values (non-empty sets, nesting at most 32 levels).
pub fn validate_values(values: &ExpressionAttributeValues) -> Result<(), Error> {
    validate_value_keys(values)?;
    validate_value_contents(values)
}

/// The shape checks of an `ExpressionAttributeValues` map: not empty, valid keys.
pub(crate) fn validate_value_keys(values: &ExpressionAttributeValues) -> Result<(), Error> {
    if values.is_empty() {
        return Err(Error::validation(
            "ExpressionAttributeValues must not be empty",
        ));
    }
    for key in values.keys() {
        check_key(key, ':', "ExpressionAttributeValues")?;
    }
    Ok(())
}

/// The content checks of an `ExpressionAttributeValues` map: every value is
/// valid as a stored value. DynamoDB makes them after the expressions' static
/// checks (spec §12.1).
pub(crate) fn validate_value_contents(values: &ExpressionAttributeValues) -> Result<(), Error> {
    for (key, value) in values {
        value.validate().map_err(|e| invalid_value(key, &e))?;
    }
    Ok(())
}

/// Decodes an `ExpressionAttributeValues` map from DynamoDB JSON, reporting a
/// bad value as DynamoDB does (`ExpressionAttributeValues contains invalid
/// value: <problem> for key <key>`); shape errors stay SerializationExceptions.
pub fn values_from_json(json: &serde_json::Value) -> Result<ExpressionAttributeValues, Error> {
    let serde_json::Value::Object(entries) = json else {
        return Err(Error::serialization(
            "Expected an object for ExpressionAttributeValues",
        ));
    };
    // Shape errors anywhere first, as DynamoDB deserialises before validating.
    let mut decoded = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        decoded.push((
            key,
            crate::wire::from_value::<AttributeValue>(value.clone()),
        ));
    }
    if let Some(Err(e)) = decoded
        .iter()
        .map(|(_, r)| r)
        .find(|r| matches!(r, Err(Error::Serialization(_))))
    {
        return Err(e.clone());
    }
    let mut values = ExpressionAttributeValues::with_capacity(decoded.len());
    for (key, result) in decoded {
        match result {
            Ok(value) => {
                values.insert(key.clone(), value);
            }
            Err(e) => return Err(invalid_value(key, &e)),
        }
    }
    Ok(values)
}

/// Rejects entries of the placeholder maps that no expression of the request
/// uses. `used_names` and `used_values` are every placeholder the request's
/// expressions reference (see each expression's `references()`). Names are
/// checked before values; unused keys are listed in the maps' order.
pub fn check_unused<'a>(
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    used_names: impl IntoIterator<Item = &'a str>,
    used_values: impl IntoIterator<Item = &'a str>,
) -> Result<(), Error> {
    fn unused<'u, V>(
        map: Option<&IndexMap<String, V>>,
        used: impl IntoIterator<Item = &'u str>,
        what: &str,
    ) -> Result<(), Error> {
        let Some(map) = map else { return Ok(()) };
        let used: std::collections::HashSet<&str> = used.into_iter().collect();
        let unused: Vec<&str> = map
            .keys()
            .map(String::as_str)
            .filter(|k| !used.contains(k))
            .collect();
        if unused.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(format!(
                "Value provided in {what} unused in expressions: keys: {{{}}}",
                unused.join(", ")
            )))
        }
    }
    unused(names, used_names, "ExpressionAttributeNames")?;
    unused(values, used_values, "ExpressionAttributeValues")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_emptiness() {
        let mut names = ExpressionAttributeNames::new();
        assert_eq!(
            validate_names(&names).unwrap_err().message(),
            "ExpressionAttributeNames must not be empty"
        );
        names.insert("a".into(), "x".into());
        assert_eq!(
            validate_names(&names).unwrap_err().message(),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
        );
        let mut names = ExpressionAttributeNames::new();
        names.insert("#_1".into(), "x".into());
        assert!(validate_names(&names).is_ok());
        names.insert("#e".into(), String::new());
        assert!(
            validate_names(&names)
                .unwrap_err()
                .message()
                .contains("Empty attribute name")
        );
    }

    #[test]
    fn invalid_values_are_wrapped() {
        let json = serde_json::json!({":v": {"SS": []}});
        assert_eq!(
            values_from_json(&json).unwrap_err().message(),
            "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"
        );
        let json = serde_json::json!({":a": {"N": "dog"}, ":b": {"N": 1}});
        assert_eq!(
            values_from_json(&json).unwrap_err().type_name(),
            "SerializationException"
        );
    }

    #[test]
    fn unused_entries() {
        let mut values = ExpressionAttributeValues::new();
        values.insert(":val1".into(), AttributeValue::n(3));
        values.insert(":val2".into(), AttributeValue::n(4));
        let e = check_unused(None, Some(&values), [], [":val1"]).unwrap_err();
        assert_eq!(
            e.message(),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:val2}"
        );
        assert!(check_unused(None, Some(&values), [], [":val1", ":val2"]).is_ok());
    }
}
