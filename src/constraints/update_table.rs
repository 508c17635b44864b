//! UpdateTable's constraint layer: DynamoDB's member paths, in the model's
//! order (dynalite's validation table for the index actions; indexes.md
//! §6.2), with a `Create`'s members in CreateTable's GSI order (§2.2).

use super::{
    Constrained, Violations, attribute_definitions, key_schema, projection, sets, throughput,
};
use crate::api::UpdateTableInput;

impl Constrained for UpdateTableInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
        attribute_definitions(v, self.attribute_definitions.as_ref());
        v.enumeration(
            self.billing_mode.as_ref(),
            "billingMode",
            sets::BILLING_MODE,
        );
        throughput(
            v,
            self.provisioned_throughput.as_ref(),
            "provisionedThroughput",
        );
        let updates = self.global_secondary_index_updates.iter().flatten();
        for (i, entry) in updates.enumerate() {
            let at = |action: &str, member: &str| {
                format!(
                    "globalSecondaryIndexUpdates.{}.member.{action}.{member}",
                    i + 1
                )
            };
            if let Some(update) = &entry.update {
                v.table_name(update.index_name.as_ref(), &at("update", "indexName"), 3);
                // Required unless the update changes the on-demand or warm
                // throughput instead (members DynamoDB added later).
                if update.on_demand_throughput.is_none() && update.warm_throughput.is_none() {
                    v.required(
                        update.provisioned_throughput.as_ref(),
                        &at("update", "provisionedThroughput"),
                    );
                }
                throughput(
                    v,
                    update.provisioned_throughput.as_ref(),
                    &at("update", "provisionedThroughput"),
                );
            }
            if let Some(create) = &entry.create {
                key_schema(v, create.key_schema.as_ref(), &at("create", "keySchema"), 8);
                projection(v, create.projection.as_ref(), &at("create", "projection"));
                v.table_name(create.index_name.as_ref(), &at("create", "indexName"), 3);
                throughput(
                    v,
                    create.provisioned_throughput.as_ref(),
                    &at("create", "provisionedThroughput"),
                );
            }
            if let Some(delete) = &entry.delete {
                v.table_name(delete.index_name.as_ref(), &at("delete", "indexName"), 3);
            }
        }
        if let Some(stream) = &self.stream_specification {
            v.required(
                stream.stream_enabled.as_ref(),
                "streamSpecification.streamEnabled",
            );
            v.enumeration(
                stream.stream_view_type.as_ref(),
                "streamSpecification.streamViewType",
                sets::STREAM_VIEW_TYPE,
            );
        }
        super::control_plane::sse_specification(v, self.sse_specification.as_ref());
        v.enumeration(self.table_class.as_ref(), "tableClass", sets::TABLE_CLASS);
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{
        CreateGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate, Projection,
        UpdateGlobalSecondaryIndexAction, UpdateTableInput,
    };
    use crate::constraints::check;

    fn message(input: &UpdateTableInput) -> String {
        check(input).map_or_else(|e| e.message().to_owned(), |()| String::new())
    }

    #[test]
    fn index_action_paths() {
        let input = UpdateTableInput::new("tbl")
            .with_index_update(GlobalSecondaryIndexUpdate {
                update: Some(UpdateGlobalSecondaryIndexAction {
                    index_name: Some("ab".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .with_create_index(CreateGlobalSecondaryIndexAction {
                index_name: Some("bad name".into()),
                projection: Some(Projection::all()),
                ..Default::default()
            })
            .with_delete_index("gi")
            .with_provisioned_throughput(0, 1);
        assert_eq!(
            message(&input),
            "6 validation errors detected: \
             Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; \
             Value 'ab' at 'globalSecondaryIndexUpdates.1.member.update.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; \
             Value null at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput' failed to satisfy constraint: Member must not be null; \
             Value null at 'globalSecondaryIndexUpdates.2.member.create.keySchema' failed to satisfy constraint: Member must not be null; \
             Value 'bad name' at 'globalSecondaryIndexUpdates.2.member.create.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; \
             Value 'gi' at 'globalSecondaryIndexUpdates.3.member.delete.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        );
        assert_eq!(message(&UpdateTableInput::new("tbl")), "");
    }
}
