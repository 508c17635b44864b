//! The constraint layer of UpdateTimeToLive and DescribeTimeToLive (spec
//! streams-ttl-tags.md §5.1, §5.2). Both check a missing or over-long
//! `TableName` first with the control-plane sentences
//! ([`super::control_plane_table_name`], in the store), so here the table
//! name can only fail its pattern. The specification's members follow in
//! the model's order (`Enabled`, then `AttributeName`, as DynamoDB's model
//! and the SDKs list them).

use super::{Constrained, Violations};
use crate::api::{DescribeTimeToLiveInput, UpdateTimeToLiveInput};

/// The longest TTL attribute name.
const MAX_TTL_ATTRIBUTE_NAME: usize = 255;

impl Constrained for UpdateTimeToLiveInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
        let spec = self.time_to_live_specification.as_ref();
        if v.required(spec, "timeToLiveSpecification") {
            let Some(spec) = spec else { return };
            v.required(spec.enabled.as_ref(), "timeToLiveSpecification.enabled");
            let name = spec.attribute_name.as_ref();
            if v.required(name, "timeToLiveSpecification.attributeName") {
                v.text(
                    name.map(String::as_str),
                    "timeToLiveSpecification.attributeName",
                    1,
                    MAX_TTL_ATTRIBUTE_NAME,
                    false,
                );
            }
        }
    }
}

impl Constrained for DescribeTimeToLiveInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{DescribeTimeToLiveInput, TimeToLiveSpecification, UpdateTimeToLiveInput};
    use crate::constraints::check;

    fn message<T: crate::constraints::Constrained>(input: &T) -> String {
        check(input).map_or_else(|e| e.message().to_owned(), |()| String::new())
    }

    #[test]
    fn members_and_messages() {
        let spec = |name: Option<&str>, enabled: Option<bool>| TimeToLiveSpecification {
            attribute_name: name.map(str::to_owned),
            enabled,
        };
        let update = |spec| UpdateTimeToLiveInput::new("tbl", spec);
        let cases = [
            (update(spec(Some("exp"), Some(true))), String::new()),
            (
                update(spec(None, Some(true))),
                "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null".to_owned(),
            ),
            (
                update(spec(Some("hello"), None)),
                "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null".to_owned(),
            ),
            (
                update(spec(None, None)),
                "2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null; Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null".to_owned(),
            ),
            (
                update(spec(Some(""), Some(true))),
                "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1".to_owned(),
            ),
            (
                update(spec(Some(&"é".repeat(256)), Some(false))),
                format!(
                    "1 validation error detected: Value '{}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255",
                    "é".repeat(256)
                ),
            ),
            // 255 characters (510 bytes) are fine: lengths count characters.
            (update(spec(Some(&"é".repeat(255)), Some(true))), String::new()),
            (
                UpdateTimeToLiveInput {
                    table_name: Some("abc;".into()),
                    time_to_live_specification: None,
                },
                "2 validation errors detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null".to_owned(),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(message(&input), expected, "{input:?}");
        }
        assert_eq!(
            message(&DescribeTimeToLiveInput::new("abc;")),
            "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        );
        assert_eq!(message(&DescribeTimeToLiveInput::new("abc")), "");
    }
}
