//! The constraint layer of the tag operations and of GetResourcePolicy
//! (spec streams-ttl-tags.md §6.1, §6.3): `resourceArn` (1 to 1283
//! characters), `tags` / `tagKeys` present. What a tag holds is checked by
//! the service, with its own messages (`crate::store::tags`).

use super::{Constrained, Violations};
use crate::api::{
    GetResourcePolicyInput, ListTagsOfResourceInput, TagResourceInput, UntagResourceInput,
};

/// The longest resource ARN.
const MAX_ARN_CHARS: usize = 1283;

fn resource_arn(v: &mut Violations, arn: Option<&String>) {
    if v.required(arn, "resourceArn") {
        v.text(
            arn.map(String::as_str),
            "resourceArn",
            1,
            MAX_ARN_CHARS,
            false,
        );
    }
}

impl Constrained for TagResourceInput {
    fn constraints(&self, v: &mut Violations) {
        resource_arn(v, self.resource_arn.as_ref());
        v.required(self.tags.as_ref(), "tags");
    }
}

impl Constrained for UntagResourceInput {
    fn constraints(&self, v: &mut Violations) {
        resource_arn(v, self.resource_arn.as_ref());
        v.required(self.tag_keys.as_ref(), "tagKeys");
    }
}

impl Constrained for ListTagsOfResourceInput {
    fn constraints(&self, v: &mut Violations) {
        resource_arn(v, self.resource_arn.as_ref());
    }
}

impl Constrained for GetResourcePolicyInput {
    fn constraints(&self, v: &mut Violations) {
        resource_arn(v, self.resource_arn.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{TagResourceInput, UntagResourceInput};
    use crate::constraints::check;

    #[test]
    fn arn_and_lists() {
        let message = |e: crate::Error| e.message().to_owned();
        assert_eq!(
            check(&TagResourceInput::default()).map_err(message),
            Err("2 validation errors detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null; Value null at 'tags' failed to satisfy constraint: Member must not be null".into())
        );
        let mut untag = UntagResourceInput::new("", ["k"]);
        assert_eq!(
            check(&untag).map_err(message),
            Err("1 validation error detected: Value '' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 1".into())
        );
        untag.resource_arn = Some("a".repeat(1284));
        untag.tag_keys = None;
        assert!(
            check(&untag)
                .map_err(message)
                .unwrap_err()
                .starts_with("2 validation errors detected: Value 'aaa")
        );
        assert!(check(&TagResourceInput::new("arn:x").with_tag("k", "v")).is_ok());
    }
}
