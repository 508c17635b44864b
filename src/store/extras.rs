//! What a table carries besides its schema, items, indexes and capacity:
//! its tags, its encryption, its table class and its point-in-time recovery
//! ([`Extras`], behind the table's `extras` lock). Each part's rules live in
//! its own module (`tags`, `encryption`, `backups`); deleting the table
//! drops them all.

use std::collections::BTreeMap;

use crate::api::{CreateTableInput, SseDescription, TableClassSummary};
use crate::error::Error;
use crate::store::backups::Pitr;
use crate::store::builder::Location;
use crate::store::encryption::{ClassState, Sse, sse_target};
use crate::store::tags::{Tags, creation_tags};

/// A table's tags, encryption, table class and point-in-time recovery.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extras {
    /// The table's tags, in the order their keys were first set.
    pub(crate) tags: Tags,
    /// The tags of the table's streams, by stream label.
    pub(crate) stream_tags: BTreeMap<String, Tags>,
    /// Encryption with a KMS key; `None` for the AWS-owned key.
    pub(crate) sse: Option<Sse>,
    /// The table class and its changes.
    pub(crate) class: ClassState,
    /// Point-in-time recovery.
    pub(crate) pitr: Pitr,
}

impl Extras {
    /// The table description's `SSEDescription` and `TableClassSummary`.
    pub(crate) fn describe(&self) -> (Option<SseDescription>, Option<TableClassSummary>) {
        let sse = self.sse.as_ref().map(|sse| sse.describe("ENABLED"));
        (sse, self.class.summary())
    }
}

/// A CreateTable's encryption, class and tags, checked in that order (the
/// constraint layer and the key schema and index checks ran before).
pub(crate) fn creation_extras(
    input: &CreateTableInput,
    location: &Location,
) -> Result<Extras, Error> {
    let sse = match &input.sse_specification {
        Some(spec) => sse_target(spec, location)?,
        None => None,
    };
    let tags = creation_tags(input.tags.as_ref())?;
    Ok(Extras {
        tags,
        sse,
        class: ClassState::created(input.table_class.as_ref()),
        ..Extras::default()
    })
}
