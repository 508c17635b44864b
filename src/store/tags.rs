//! Tags (spec streams-ttl-tags.md §6): TagResource, UntagResource,
//! ListTagsOfResource, and the tag checks CreateTable shares.
//!
//! # Order of checks
//!
//! The constraint layer (`resourceArn`, `tags` / `tagKeys` present) → the
//! ARN ([`parse_resource_arn`]) → an empty list → each tag in request order
//! (key, value, the `aws:` prefix, a repeated key) → the table (or stream) →
//! the number of tags after the change. A rejected request changes nothing.
//!
//! Tags are applied at once (DynamoDB applies them a few seconds later and
//! meanwhile refuses other tag writes; clients written for DynamoDB poll
//! and see the new tags on their first poll).

use indexmap::IndexMap;

use crate::api::{
    ListTagsOfResourceInput, ListTagsOfResourceOutput, Tag, TagResourceInput, TagResourceOutput,
    UntagResourceInput, UntagResourceOutput,
};
use crate::constraints::{self, present};
use crate::error::Error;
use crate::store::catalog::Store;
use crate::store::extras::Extras;
use crate::store::requests::EarlyChecks;
use crate::store::resource::{ArnUse, Resource, parse_resource_arn};
use crate::store::table::lock;

/// A resource's tags: key to value, in the order keys were first set.
pub(crate) type Tags = IndexMap<String, String>;

/// The most tags a table (or stream) carries.
pub const MAX_TAGS: usize = 50;
/// The longest tag key, in characters.
pub const MAX_TAG_KEY_CHARS: usize = 128;
/// The longest tag value, in characters.
pub const MAX_TAG_VALUE_CHARS: usize = 256;

/// More than [`MAX_TAGS`] tags (a ValidationException, not a
/// LimitExceededException).
const TOO_MANY: &str = "Number of Tags exceed the current limit for the provided ResourceArn";

/// Whether a character may appear in a tag key or value: Unicode letters and
/// digits of any script, space separators (`\p{Z}`: spaces, no-break and
/// ideographic spaces, not tabs or newlines) and `+ - = . _ : / @`.
fn tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || matches!(c, '+' | '-' | '=' | '.' | '_' | ':' | '/' | '@')
}

fn tag_text(text: &str, max: usize) -> bool {
    text.chars().count() <= max && text.chars().all(tag_char)
}

/// A tag key's checks: 1 to 128 allowed characters, then no `aws:` prefix
/// in any letter case.
fn check_key(key: Option<&String>) -> Result<&str, Error> {
    let Some(key) = key.filter(|k| !k.is_empty() && tag_text(k, MAX_TAG_KEY_CHARS)) else {
        let shown = key.map_or("null", String::as_str);
        return Err(Error::validation(format!(
            "The Tag Key provided is invalid, Key: {shown}"
        )));
    };
    Ok(key)
}

fn check_prefix(key: &str) -> Result<(), Error> {
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return Err(Error::validation(format!(
            "Tag Key cannot be prefixed with aws:, Key: {key}"
        )));
    }
    Ok(())
}

/// A tag value's checks: 0 to 256 allowed characters.
fn check_value(value: Option<&String>) -> Result<&str, Error> {
    match value {
        Some(v) if tag_text(v, MAX_TAG_VALUE_CHARS) => Ok(v),
        _ => Err(Error::validation(format!(
            "The Tag Value provided is invalid, Value: {}",
            value.map_or("null", String::as_str)
        ))),
    }
}

/// The per-tag checks of TagResource and CreateTable, in request order:
/// each tag's key, value and prefix, then whether an earlier tag had its
/// key. Gives the tags in request order.
pub(crate) fn checked_tags(tags: &[Tag]) -> Result<Vec<(String, String)>, Error> {
    let mut checked: Vec<(String, String)> = Vec::with_capacity(tags.len());
    for tag in tags {
        let key = check_key(tag.key.as_ref())?;
        let value = check_value(tag.value.as_ref())?;
        check_prefix(key)?;
        if checked.iter().any(|(k, _)| k == key) {
            return Err(Error::validation(format!(
                "Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}"
            )));
        }
        checked.push((key.to_owned(), value.to_owned()));
    }
    Ok(checked)
}

/// CreateTable's `Tags`: the per-tag checks and the limit; `[]` is fine.
pub(crate) fn creation_tags(tags: Option<&Vec<Tag>>) -> Result<Tags, Error> {
    let checked = checked_tags(tags.map_or(&[][..], Vec::as_slice))?;
    if checked.len() > MAX_TAGS {
        return Err(Error::validation(TOO_MANY));
    }
    Ok(checked.into_iter().collect())
}

/// The tags of a resource, inside its table's extras.
fn tags_of<'e>(extras: &'e mut Extras, resource: &Resource) -> &'e mut Tags {
    match resource {
        Resource::Table(_) => &mut extras.tags,
        Resource::Stream { label, .. } => extras.stream_tags.entry(label.clone()).or_default(),
    }
}

impl EarlyChecks for TagResourceInput {}
impl EarlyChecks for UntagResourceInput {}
impl EarlyChecks for ListTagsOfResourceInput {}

impl Store {
    /// `TagResource`: sets tags on a table (or stream), overwriting the
    /// values of keys it has; at most 50 tags afterwards.
    pub(crate) fn tag_resource_applied(
        &self,
        input: TagResourceInput,
    ) -> Result<TagResourceOutput, Error> {
        constraints::check(&input)?;
        let arn = present(input.resource_arn.as_ref(), "resourceArn")?;
        let name = parse_resource_arn(&self.inner.location, arn, ArnUse::Tags("TagResource"))?;
        let tags = present(input.tags.as_ref(), "tags")?;
        if tags.is_empty() {
            return Err(Error::validation(
                "Atleast one Tag needs to be provided as Input.",
            ));
        }
        let checked = checked_tags(tags)?;
        let resource = self.find_resource(&name, arn)?;
        let mut extras = lock(&resource.table().extras);
        let set = tags_of(&mut extras, &resource);
        let added = checked.iter().filter(|(k, _)| !set.contains_key(k)).count();
        if set.len() + added > MAX_TAGS {
            return Err(Error::validation(TOO_MANY));
        }
        for (key, value) in checked {
            set.insert(key, value);
        }
        Ok(TagResourceOutput {})
    }

    /// `UntagResource`: removes tags by key; keys that are not set are
    /// ignored.
    pub(crate) fn untag_resource_applied(
        &self,
        input: UntagResourceInput,
    ) -> Result<UntagResourceOutput, Error> {
        constraints::check(&input)?;
        let arn = present(input.resource_arn.as_ref(), "resourceArn")?;
        let name = parse_resource_arn(&self.inner.location, arn, ArnUse::Tags("UntagResource"))?;
        let keys = present(input.tag_keys.as_ref(), "tagKeys")?;
        if keys.is_empty() {
            return Err(Error::validation(
                "Atleast one Tag Key needs to be provided as Input.",
            ));
        }
        for key in keys {
            check_prefix(check_key(Some(key))?)?;
        }
        let resource = self.find_resource(&name, arn)?;
        if keys.len() > MAX_TAGS {
            return Err(Error::validation(TOO_MANY));
        }
        let mut extras = lock(&resource.table().extras);
        let set = tags_of(&mut extras, &resource);
        for key in keys {
            set.shift_remove(key);
        }
        Ok(UntagResourceOutput {})
    }

    /// `ListTagsOfResource`: every tag of a table (or stream), in the order
    /// keys were first set, in one page.
    pub fn list_tags_of_resource(
        &self,
        input: ListTagsOfResourceInput,
    ) -> Result<ListTagsOfResourceOutput, Error> {
        constraints::check(&input)?;
        let arn = present(input.resource_arn.as_ref(), "resourceArn")?;
        let resource = self.resolve_resource(arn, ArnUse::Tags("ListTagsOfResource"))?;
        let extras = lock(&resource.table().extras);
        let set = match &resource {
            Resource::Table(_) => Some(&extras.tags),
            Resource::Stream { label, .. } => extras.stream_tags.get(label),
        };
        let tags = set
            .into_iter()
            .flatten()
            .map(|(k, v)| Tag::new(k, v))
            .collect();
        Ok(ListTagsOfResourceOutput {
            tags,
            next_token: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(tags: &[Tag]) -> String {
        checked_tags(tags).map_or_else(|e| e.message().to_owned(), |_| String::new())
    }

    fn tag(key: &str, value: &str) -> Tag {
        Tag::new(key, value)
    }

    #[test]
    fn keys_values_and_their_characters() {
        let k128 = "k".repeat(128);
        let k129 = "k".repeat(129);
        let v256 = "v".repeat(256);
        let v257 = "v".repeat(257);
        for (tags, want) in [
            (vec![tag(&k128, "v")], String::new()),
            (
                vec![tag(&k129, "v")],
                format!("The Tag Key provided is invalid, Key: {k129}"),
            ),
            (vec![tag("k", &v256)], String::new()),
            (
                vec![tag("k", &v257)],
                format!("The Tag Value provided is invalid, Value: {v257}"),
            ),
            (vec![tag("k", "")], String::new()),
            (
                vec![tag("", "v")],
                "The Tag Key provided is invalid, Key: ".into(),
            ),
            (
                vec![Tag {
                    key: None,
                    value: Some("v".into()),
                }],
                "The Tag Key provided is invalid, Key: null".into(),
            ),
            (
                vec![Tag {
                    key: Some("k".into()),
                    value: None,
                }],
                "The Tag Value provided is invalid, Value: null".into(),
            ),
            // Letters of any script, digits, spaces and + - = . _ : / @.
            (vec![tag("sp ace", "a b+c-d=e.f_g:h/i@j")], String::new()),
            (
                vec![tag("ключ", "café 表\u{3000}x\u{a0}y 42")],
                String::new(),
            ),
            // 128 characters, more than 128 bytes.
            (vec![tag(&"é".repeat(128), "v")], String::new()),
            (
                vec![tag("bad#char", "x")],
                "The Tag Key provided is invalid, Key: bad#char".into(),
            ),
            (
                vec![tag("k", "100%")],
                "The Tag Value provided is invalid, Value: 100%".into(),
            ),
            (
                vec![tag("k", "a,b")],
                "The Tag Value provided is invalid, Value: a,b".into(),
            ),
            (
                vec![tag("tab\there", "x")],
                "The Tag Key provided is invalid, Key: tab\there".into(),
            ),
            (
                vec![tag("k", "\u{1F600}")],
                "The Tag Value provided is invalid, Value: \u{1F600}".into(),
            ),
        ] {
            assert_eq!(message(&tags), want, "{tags:?}");
        }
        for c in "#%,'\"()[]{}&*;?|\\<>~!".chars() {
            assert!(!tag_char(c), "{c}");
        }
    }

    #[test]
    fn prefixes_duplicates_and_request_order() {
        for (tags, want) in [
            (
                vec![tag("aws:team", "x")],
                "Tag Key cannot be prefixed with aws:, Key: aws:team",
            ),
            (
                vec![tag("AwS:team", "x")],
                "Tag Key cannot be prefixed with aws:, Key: AwS:team",
            ),
            (vec![tag("myaws:team", "x")], ""),
            (vec![tag("aws", "x")], ""),
            (
                vec![tag("dup", "1"), tag("dup", "2")],
                "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup",
            ),
            // The first offending tag is reported, whatever its fault.
            (
                vec![tag("good", "1"), tag("aws:zzz", "2"), tag("bad#", "3")],
                "Tag Key cannot be prefixed with aws:, Key: aws:zzz",
            ),
            (
                vec![tag("a", "1"), tag("a", "%"), tag("aws:x", "3")],
                "The Tag Value provided is invalid, Value: %",
            ),
            // A key's own checks come before its value's, the prefix after both.
            (
                vec![tag("aws:k", "%")],
                "The Tag Value provided is invalid, Value: %",
            ),
        ] {
            assert_eq!(message(&tags), want, "{tags:?}");
        }
    }

    #[test]
    fn creation_tags_limit() {
        let tags: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert_eq!(
            creation_tags(Some(&tags)).unwrap_err().message(),
            "Number of Tags exceed the current limit for the provided ResourceArn"
        );
        assert_eq!(creation_tags(Some(&tags[..50].to_vec())).unwrap().len(), 50);
        assert!(creation_tags(Some(&Vec::new())).unwrap().is_empty());
        assert!(creation_tags(None).unwrap().is_empty());
    }
}
