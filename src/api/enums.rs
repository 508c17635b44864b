//! DynamoDB's enum members as Rust enums.
//!
//! Each enum lists the values DynamoDB documents and keeps any other text in
//! an `Unknown` variant, verbatim: a request decodes whatever string it
//! carries, and the store then refuses an unknown value with DynamoDB's own
//! constraint message (`1 validation error detected: Value 'BOGUS' at
//! 'returnValues' failed to satisfy constraint: Member must satisfy enum
//! value set: [...]`), in DynamoDB's order of checks.
//!
//! On the wire each is a plain JSON string; a JSON value of another type is
//! the same SerializationException a string member gives. Two values are
//! equal when their text is (`ReturnValue::Unknown("ALL_OLD".into())` equals
//! `ReturnValue::AllOld`); build them with [`From<&str>`](From) or
//! [`str::parse`] (never fails) to get the named variant.
//!
//! ```
//! use dynacond::api::{ReturnValue, Select};
//!
//! assert_eq!(ReturnValue::AllOld.as_str(), "ALL_OLD");
//! assert_eq!("UPDATED_NEW".parse::<ReturnValue>(), Ok(ReturnValue::UpdatedNew));
//! assert_eq!(Select::from("BOGUS"), Select::Unknown("BOGUS".into()));
//! assert_eq!(Select::Count.to_string(), "COUNT");
//! ```

use crate::enum_member::wire_enum;
pub use crate::error::CancellationReasonCode;

wire_enum! {
    /// `ReturnValues` of PutItem, UpdateItem and DeleteItem: what the reply's
    /// `Attributes` holds. PutItem and DeleteItem take only `NONE` and `ALL_OLD`.
    ReturnValue, default None {
        /// `NONE` (the default): nothing.
        None = "NONE",
        /// `ALL_OLD`: the whole item before the write.
        AllOld = "ALL_OLD",
        /// `UPDATED_OLD`: the updated attributes, before the update.
        UpdatedOld = "UPDATED_OLD",
        /// `ALL_NEW`: the whole item after the update.
        AllNew = "ALL_NEW",
        /// `UPDATED_NEW`: the updated attributes, after the update.
        UpdatedNew = "UPDATED_NEW",
    }
}

wire_enum! {
    /// `ReturnValuesOnConditionCheckFailure`: whether a failed condition
    /// reports the item as it was.
    ReturnValuesOnConditionCheckFailure, default None {
        /// `ALL_OLD`: the item in the ConditionalCheckFailedException (or
        /// the transaction's cancellation reason).
        AllOld = "ALL_OLD",
        /// `NONE` (the default).
        None = "NONE",
    }
}

wire_enum! {
    /// `ReturnConsumedCapacity`: whether, and how finely, a response reports
    /// the capacity it consumed ([`ConsumedCapacity`](crate::api::ConsumedCapacity)).
    ReturnConsumedCapacity, default None {
        /// `INDEXES`
        Indexes = "INDEXES",
        /// `TOTAL`
        Total = "TOTAL",
        /// `NONE` (the default)
        None = "NONE",
    }
}

wire_enum! {
    /// `ReturnItemCollectionMetrics`: whether a write reports the size of the
    /// item collection it touched ([`ItemCollectionMetrics`](crate::api::ItemCollectionMetrics);
    /// tables with a local secondary index only).
    ReturnItemCollectionMetrics, default None {
        /// `SIZE`
        Size = "SIZE",
        /// `NONE` (the default)
        None = "NONE",
    }
}

wire_enum! {
    /// `Select` of Query and Scan: what the reply holds.
    Select {
        /// `ALL_ATTRIBUTES` (the default without a projection).
        AllAttributes = "ALL_ATTRIBUTES",
        /// `ALL_PROJECTED_ATTRIBUTES` (secondary indexes only).
        AllProjectedAttributes = "ALL_PROJECTED_ATTRIBUTES",
        /// `SPECIFIC_ATTRIBUTES` (the default with a projection).
        SpecificAttributes = "SPECIFIC_ATTRIBUTES",
        /// `COUNT`: only `Count` and `ScannedCount`.
        Count = "COUNT",
    }
}

wire_enum! {
    /// `ConditionalOperator`: how legacy `Expected`, `QueryFilter` or
    /// `ScanFilter` entries combine.
    ConditionalOperator, default And {
        /// `AND` (the default): every entry holds.
        And = "AND",
        /// `OR`: at least one entry holds.
        Or = "OR",
    }
}

wire_enum! {
    /// `Action` of a legacy `AttributeUpdates` entry.
    AttributeAction, default Put {
        /// `ADD`: add to a number, a set or (legacy only) a list.
        Add = "ADD",
        /// `PUT` (the default): set the attribute.
        Put = "PUT",
        /// `DELETE`: remove the attribute, or elements of a set.
        Delete = "DELETE",
    }
}

wire_enum! {
    /// `KeyType` of a [`KeySchemaElement`](super::KeySchemaElement).
    KeyType, default Hash {
        /// `HASH`: the partition key.
        Hash = "HASH",
        /// `RANGE`: the sort key.
        Range = "RANGE",
    }
}

wire_enum! {
    /// `AttributeType` of an [`AttributeDefinition`](super::AttributeDefinition):
    /// a key attribute's type.
    ScalarAttributeType, default S {
        /// `S`: string.
        S = "S",
        /// `N`: number.
        N = "N",
        /// `B`: binary.
        B = "B",
    }
}

wire_enum! {
    /// A table's `BillingMode` (reported back; capacity is never enforced).
    BillingMode, default Provisioned {
        /// `PROVISIONED`: with `ProvisionedThroughput`.
        Provisioned = "PROVISIONED",
        /// `PAY_PER_REQUEST`: on demand, without `ProvisionedThroughput`.
        PayPerRequest = "PAY_PER_REQUEST",
    }
}

wire_enum! {
    /// A table's `TableStatus` (dynacond's tables are `ACTIVE` at once;
    /// CreateTable, UpdateTable and DeleteTable report `CREATING`,
    /// `UPDATING` and `DELETING` in their replies).
    TableStatus, default Active {
        /// `CREATING`
        Creating = "CREATING",
        /// `UPDATING`
        Updating = "UPDATING",
        /// `DELETING`
        Deleting = "DELETING",
        /// `ACTIVE`
        Active = "ACTIVE",
        /// `INACCESSIBLE_ENCRYPTION_CREDENTIALS`
        InaccessibleEncryptionCredentials = "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
        /// `ARCHIVING`
        Archiving = "ARCHIVING",
        /// `ARCHIVED`
        Archived = "ARCHIVED",
    }
}

wire_enum! {
    /// A legacy `ComparisonOperator` (`Expected`, `KeyConditions`,
    /// `QueryFilter`, `ScanFilter`).
    ComparisonOperator {
        /// `EQ`
        Eq = "EQ",
        /// `NE`
        Ne = "NE",
        /// `LE`
        Le = "LE",
        /// `LT`
        Lt = "LT",
        /// `GE`
        Ge = "GE",
        /// `GT`
        Gt = "GT",
        /// `NOT_NULL` (the attribute exists)
        NotNull = "NOT_NULL",
        /// `NULL` (the attribute does not exist)
        Null = "NULL",
        /// `CONTAINS`
        Contains = "CONTAINS",
        /// `NOT_CONTAINS`
        NotContains = "NOT_CONTAINS",
        /// `BEGINS_WITH`
        BeginsWith = "BEGINS_WITH",
        /// `IN`
        In = "IN",
        /// `BETWEEN`
        Between = "BETWEEN",
    }
}

impl From<crate::value::ScalarType> for ScalarAttributeType {
    fn from(scalar: crate::value::ScalarType) -> Self {
        use crate::value::ScalarType;
        match scalar {
            ScalarType::S => Self::S,
            ScalarType::N => Self::N,
            ScalarType::B => Self::B,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_unknown_is_kept() {
        for name in ReturnValue::NAMES {
            let value = ReturnValue::from(*name);
            assert!(value.is_known());
            assert_eq!(value.as_str(), *name);
            assert_eq!(value.to_string(), *name);
        }
        let bogus: ReturnValue = "all_old".parse().unwrap_or_default();
        assert_eq!(bogus, ReturnValue::Unknown("all_old".into()));
        assert!(!bogus.is_known());
        assert_eq!(ReturnValue::Unknown("ALL_OLD".into()), ReturnValue::AllOld);
        assert_eq!(KeyType::Range, "RANGE");
        assert_eq!(CancellationReasonCode::default().as_str(), "None");
    }

    #[test]
    fn serde_is_a_plain_string() {
        let json = serde_json::to_string(&BillingMode::PayPerRequest).unwrap_or_default();
        assert_eq!(json, r#""PAY_PER_REQUEST""#);
        let back: Result<Select, _> = serde_json::from_str(r#""BOGUS""#);
        assert_eq!(back.ok(), Some(Select::Unknown("BOGUS".into())));
        let number: Result<Select, _> = serde_json::from_str("1");
        let as_string: Result<String, _> = serde_json::from_str("1");
        assert_eq!(
            number.err().map(|e| e.to_string()),
            as_string.err().map(|e| e.to_string())
        );
    }
}

wire_enum! {
    /// `ProjectionType` of an index's [`Projection`](super::Projection).
    ProjectionType {
        /// `ALL`: every attribute.
        All = "ALL",
        /// `KEYS_ONLY`: the index and table keys.
        KeysOnly = "KEYS_ONLY",
        /// `INCLUDE`: the keys and the listed `NonKeyAttributes`.
        Include = "INCLUDE",
    }
}

wire_enum! {
    /// `StreamViewType` of a [`StreamSpecification`](super::StreamSpecification).
    StreamViewType, default KeysOnly {
        /// `KEYS_ONLY`
        KeysOnly = "KEYS_ONLY",
        /// `NEW_IMAGE`
        NewImage = "NEW_IMAGE",
        /// `OLD_IMAGE`
        OldImage = "OLD_IMAGE",
        /// `NEW_AND_OLD_IMAGES`
        NewAndOldImages = "NEW_AND_OLD_IMAGES",
    }
}

wire_enum! {
    /// A table's `TableClass`.
    TableClass, default Standard {
        /// `STANDARD` (the default).
        Standard = "STANDARD",
        /// `STANDARD_INFREQUENT_ACCESS`
        StandardInfrequentAccess = "STANDARD_INFREQUENT_ACCESS",
    }
}
