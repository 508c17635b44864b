//! The shapes of DynamoDB's legacy (pre-expression) parameters: `Expected`,
//! `AttributeUpdates`, `KeyConditions`, `QueryFilter` and `ScanFilter`.
//! [`crate::legacy`] translates them into expression trees.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{AttributeAction, ComparisonOperator};
use crate::value::{AttributeValue, ValueType};

/// One entry of `Expected`: a condition on one attribute, given either as
/// `Value` / `Exists` or as `ComparisonOperator` + `AttributeValueList`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExpectedAttributeValue {
    /// The value the attribute must equal (with `Exists` absent or true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<AttributeValue>,
    /// `false`: the attribute must not exist; `true` (the default) needs a `Value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// `EQ`, `NE`, `LE`, `LT`, `GE`, `GT`, `NOT_NULL`, `NULL`, `CONTAINS`,
    /// `NOT_CONTAINS`, `BEGINS_WITH`, `IN` or `BETWEEN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison_operator: Option<ComparisonOperator>,
    /// The operator's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_value_list: Option<Vec<AttributeValue>>,
}

/// One entry of `KeyConditions`, `QueryFilter` or `ScanFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Condition {
    /// The operator (required), as for [`ExpectedAttributeValue`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison_operator: Option<ComparisonOperator>,
    /// The operator's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_value_list: Option<Vec<AttributeValue>>,
}

/// One entry of `AttributeUpdates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AttributeValueUpdate {
    /// The value to put, add or delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<AttributeValue>,
    /// `PUT` (the default), `ADD` or `DELETE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<AttributeAction>,
}

impl ExpectedAttributeValue {
    /// `{"Value": v}`: the attribute equals `v`.
    #[must_use]
    pub fn equals(value: impl Into<AttributeValue>) -> Self {
        ExpectedAttributeValue {
            value: Some(value.into()),
            ..Default::default()
        }
    }

    /// `{"Exists": false}`: the attribute does not exist.
    #[must_use]
    pub fn not_exists() -> Self {
        ExpectedAttributeValue {
            exists: Some(false),
            ..Default::default()
        }
    }

    /// `{"ComparisonOperator": op, "AttributeValueList": args}`.
    #[must_use]
    pub fn compare(op: ComparisonOperator, args: impl IntoIterator<Item = AttributeValue>) -> Self {
        ExpectedAttributeValue {
            comparison_operator: Some(op),
            attribute_value_list: Some(args.into_iter().collect()),
            ..Default::default()
        }
    }
}

impl Condition {
    /// `{"ComparisonOperator": op, "AttributeValueList": args}`.
    #[must_use]
    pub fn new(op: ComparisonOperator, args: impl IntoIterator<Item = AttributeValue>) -> Self {
        Condition {
            comparison_operator: Some(op),
            attribute_value_list: Some(args.into_iter().collect()),
        }
    }
}

impl AttributeValueUpdate {
    /// `{"Action": "PUT", "Value": v}`.
    #[must_use]
    pub fn put(value: impl Into<AttributeValue>) -> Self {
        Self::action(AttributeAction::Put, Some(value.into()))
    }

    /// `{"Action": "ADD", "Value": v}`.
    #[must_use]
    pub fn add(value: impl Into<AttributeValue>) -> Self {
        Self::action(AttributeAction::Add, Some(value.into()))
    }

    /// `{"Action": "DELETE"}` (remove the attribute) or
    /// `{"Action": "DELETE", "Value": set}` (remove those elements).
    #[must_use]
    pub fn delete(value: Option<AttributeValue>) -> Self {
        Self::action(AttributeAction::Delete, value)
    }

    /// Any action (an [`AttributeAction`] or its name) with an optional value.
    #[must_use]
    pub fn action(action: impl Into<AttributeAction>, value: Option<AttributeValue>) -> Self {
        AttributeValueUpdate {
            value,
            action: Some(action.into()),
        }
    }
}

/// `Expected`: attribute name to condition, in request order.
pub type ExpectedMap = IndexMap<String, ExpectedAttributeValue>;
/// `KeyConditions`, `QueryFilter`, `ScanFilter`: attribute name to condition.
pub type ConditionMap = IndexMap<String, Condition>;
/// `AttributeUpdates`: attribute name to update.
pub type AttributeUpdatesMap = IndexMap<String, AttributeValueUpdate>;

impl ComparisonOperator {
    /// Every operator, in the order of DynamoDB's documentation.
    pub const ALL: [ComparisonOperator; 13] = [
        Self::Eq,
        Self::Ne,
        Self::Le,
        Self::Lt,
        Self::Ge,
        Self::Gt,
        Self::NotNull,
        Self::Null,
        Self::Contains,
        Self::NotContains,
        Self::BeginsWith,
        Self::In,
        Self::Between,
    ];

    /// The operator named `name` (case-sensitive, as DynamoDB's enums are).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Some(Self::from(name)).filter(Self::is_known)
    }

    /// Whether `KeyConditions` accepts the operator.
    #[must_use]
    pub const fn is_key_operator(&self) -> bool {
        matches!(
            self,
            Self::Eq | Self::Le | Self::Lt | Self::Ge | Self::Gt | Self::BeginsWith | Self::Between
        )
    }

    /// The argument types the operator accepts (`None`: any type).
    pub(crate) const fn argument_types(&self) -> Option<&'static [ValueType]> {
        match self {
            Self::Eq | Self::Ne | Self::NotNull | Self::Null => None,
            Self::BeginsWith => Some(&[ValueType::S, ValueType::B]),
            _ => Some(&[ValueType::S, ValueType::N, ValueType::B]),
        }
    }
}
