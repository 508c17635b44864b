//! TagResource, UntagResource and ListTagsOfResource (spec
//! streams-ttl-tags.md §6), and [`Tag`]'s builder.

use serde::{Deserialize, Serialize};

use super::Tag;

/// `TagResource` request: adds tags to a table (or a stream), overwriting
/// the values of keys it already has.
///
/// ```
/// use dynacond::api::*;
/// use dynacond::store::ScalarType;
/// use dynacond::Store;
///
/// let store = Store::new();
/// let arn = store
///     .create_table(CreateTableInput::new("users").with_hash_key("id", ScalarType::S))?
///     .table_description
///     .table_arn;
/// store.tag_resource(TagResourceInput::new(&arn).with_tag("env", "test"))?;
/// let listed = store.list_tags_of_resource(ListTagsOfResourceInput::new(&arn))?;
/// assert_eq!(listed.tags, [Tag::new("env", "test")]);
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TagResourceInput {
    /// The table's ARN (`TableArn` of its description), or one of its
    /// stream ARNs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    /// The tags to set: 1 or more; at most 50 on the resource afterwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// `TagResource` response: empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagResourceOutput {}

/// `UntagResource` request: removes tags by key (keys that are not set are
/// ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UntagResourceInput {
    /// The table's or stream's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    /// The keys to remove: 1 to 50.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_keys: Option<Vec<String>>,
}

/// `UntagResource` response: empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UntagResourceOutput {}

/// `ListTagsOfResource` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListTagsOfResourceInput {
    /// The table's or stream's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    /// Accepted and ignored: every tag fits in one page (DynamoDB never
    /// returns a `NextToken` either).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListTagsOfResource` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListTagsOfResourceOutput {
    /// Every tag, in the order its key was first set; `[]` when there is
    /// none.
    pub tags: Vec<Tag>,
    /// Never set: the whole list is one page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Tag {
    /// A tag with this key and value.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Tag {
            key: Some(key.into()),
            value: Some(value.into()),
        }
    }
}

impl TagResourceInput {
    /// A TagResource of this ARN, to be given tags with
    /// [`with_tag`](Self::with_tag).
    pub fn new(resource_arn: impl Into<String>) -> Self {
        TagResourceInput {
            resource_arn: Some(resource_arn.into()),
            tags: None,
        }
    }

    /// Adds a tag.
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags
            .get_or_insert_with(Vec::new)
            .push(Tag::new(key, value));
        self
    }
}

impl UntagResourceInput {
    /// An UntagResource of these keys.
    pub fn new<K: Into<String>>(
        resource_arn: impl Into<String>,
        keys: impl IntoIterator<Item = K>,
    ) -> Self {
        UntagResourceInput {
            resource_arn: Some(resource_arn.into()),
            tag_keys: Some(keys.into_iter().map(Into::into).collect()),
        }
    }
}

impl ListTagsOfResourceInput {
    /// A ListTagsOfResource of this ARN.
    pub fn new(resource_arn: impl Into<String>) -> Self {
        ListTagsOfResourceInput {
            resource_arn: Some(resource_arn.into()),
            next_token: None,
        }
    }
}
