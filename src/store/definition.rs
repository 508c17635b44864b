//! A CreateTable request checked into a table definition: the table's key
//! schema, its billing, and its secondary indexes, with DynamoDB's service
//! checks in DynamoDB's order (spec indexes.md §2.2; the constraint layer,
//! `crate::constraints`, has run before).

use crate::api::{
    CreateTableInput, GlobalSecondaryIndex, KeySchemaElement, LocalSecondaryIndex, Projection,
};
use crate::error::Error;
use crate::store::index::{Index, IndexKind, IndexSchema, Projected};
use crate::store::key::{KeyAttribute, KeySchema, ScalarType};
use crate::store::table::Billing;

fn invalid(detail: &str) -> Error {
    Error::validation(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

/// The most local secondary indexes of a table.
pub const MAX_LOCAL_INDEXES: usize = 5;
/// The most global secondary indexes of a table.
pub const MAX_GLOBAL_INDEXES: usize = 20;

/// What CreateTable asked for, checked.
#[derive(Debug)]
pub(crate) struct Definition {
    pub(crate) schema: KeySchema,
    pub(crate) billing: Billing,
    /// The secondary indexes, local ones first, each in request order.
    pub(crate) indexes: Vec<Index>,
}

/// Checks a CreateTable request whose constraints were checked: billing,
/// the table's key schema, the attribute definitions, the local then the
/// global secondary indexes, names across both.
pub(crate) fn definition_from(input: &CreateTableInput) -> Result<Definition, Error> {
    let billing = billing_from(input)?;
    let schema = schema_from(input)?;
    let definitions = input.attribute_definitions.as_deref().unwrap_or_default();
    let local = input.local_secondary_indexes.as_deref();
    let global = input.global_secondary_indexes.as_deref();
    if local.is_some() || global.is_some() {
        definitions_used(input)?;
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(local) = local {
        if local.is_empty() {
            return Err(invalid("List of LocalSecondaryIndexes is empty"));
        }
        if schema.sort.is_none() {
            return Err(invalid(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        for index in local {
            let name = index.index_name.clone().unwrap_or_default();
            check_local(index, &name, &schema, definitions)?;
            if names.contains(&name) {
                return Err(invalid(&format!("Duplicate index name: {name}")));
            }
            names.push(name);
        }
        if local.len() > MAX_LOCAL_INDEXES {
            return Err(invalid(&format!(
                "Number of LocalSecondaryIndexes exceeds per-table limit of {MAX_LOCAL_INDEXES}"
            )));
        }
    }
    let mut global_names: Vec<String> = Vec::new();
    if let Some(global) = global {
        if global.is_empty() {
            return Err(invalid("List of GlobalSecondaryIndexes is empty"));
        }
        for index in global {
            let name = index.index_name.clone().unwrap_or_default();
            check_global(index, &name, &billing, definitions)?;
            if global_names.contains(&name) {
                return Err(invalid(&format!("Duplicate index name: {name}")));
            }
            global_names.push(name);
        }
        if global.len() > MAX_GLOBAL_INDEXES {
            return Err(invalid(&format!(
                "GlobalSecondaryIndex count exceeds the per-table limit of {MAX_GLOBAL_INDEXES}"
            )));
        }
    }
    if let Some(name) = global_names.iter().find(|n| names.contains(n)) {
        return Err(invalid(&format!("Duplicate index name: {name}")));
    }
    let mut indexes = Vec::new();
    for index in local.into_iter().flatten() {
        indexes.push(index_of(
            IndexKind::Local,
            index.index_name.as_deref(),
            index.key_schema.as_deref(),
            index.projection.as_ref(),
            None,
            definitions,
        )?);
    }
    for index in global.into_iter().flatten() {
        indexes.push(index_of(
            IndexKind::Global,
            index.index_name.as_deref(),
            index.key_schema.as_deref(),
            index.projection.as_ref(),
            index.provisioned_throughput,
            definitions,
        )?);
    }
    Ok(Definition {
        schema,
        billing,
        indexes,
    })
}

/// A checked index definition as an [`Index`] (CreateTable's indexes, and
/// UpdateTable's `Create`).
pub(crate) fn index_of(
    kind: IndexKind,
    name: Option<&str>,
    key_schema: Option<&[KeySchemaElement]>,
    projection: Option<&Projection>,
    throughput: Option<crate::api::ProvisionedThroughput>,
    definitions: &[crate::api::AttributeDefinition],
) -> Result<Index, Error> {
    let unchecked = || Error::Internal("index definition was not checked".into());
    let attribute = |element: &KeySchemaElement| -> Result<KeyAttribute, Error> {
        let scalar_type = definitions
            .iter()
            .find(|d| d.attribute_name == element.attribute_name)
            .and_then(|d| ScalarType::from_code(d.attribute_type.as_str()))
            .ok_or_else(unchecked)?;
        Ok(KeyAttribute {
            name: element.attribute_name.clone(),
            scalar_type,
        })
    };
    // The shape was checked: HASH elements, then RANGE elements (one and
    // at most one for a local index).
    let elements = key_schema.unwrap_or_default();
    if elements.is_empty() {
        return Err(unchecked());
    }
    let mut schema = IndexSchema {
        hash: Vec::new(),
        range: Vec::new(),
    };
    for element in elements {
        let list = match element.key_type.as_str() {
            "HASH" if schema.range.is_empty() => &mut schema.hash,
            "RANGE" if !schema.hash.is_empty() => &mut schema.range,
            _ => return Err(unchecked()),
        };
        list.push(attribute(element)?);
    }
    let projection = projection.ok_or_else(unchecked)?;
    let projected = match projection.projection_type.as_ref().map(|t| t.as_str()) {
        Some("ALL") => Projected::All,
        Some("KEYS_ONLY") => Projected::KeysOnly,
        Some("INCLUDE") => {
            let mut names = projection.non_key_attributes.clone().unwrap_or_default();
            names.sort();
            Projected::Include(names)
        }
        _ => return Err(unchecked()),
    };
    Ok(Index::new(
        name.ok_or_else(unchecked)?.to_owned(),
        kind,
        schema,
        projected,
        throughput,
    ))
}

/// With indexes, every attribute definition must be a key attribute of the
/// table or of an index (indexes.md §2.2 step 5); this runs before the
/// per-index rules.
fn definitions_used(input: &CreateTableInput) -> Result<(), Error> {
    let definitions = input.attribute_definitions.as_deref().unwrap_or_default();
    let mut used: Vec<&str> = Vec::new();
    let keys = input
        .key_schema
        .iter()
        .flatten()
        .chain(
            input
                .local_secondary_indexes
                .iter()
                .flatten()
                .flat_map(|i| i.key_schema.iter().flatten()),
        )
        .chain(
            input
                .global_secondary_indexes
                .iter()
                .flatten()
                .flat_map(|i| i.key_schema.iter().flatten()),
        );
    for k in keys {
        if !used.contains(&k.attribute_name.as_str()) {
            used.push(&k.attribute_name);
        }
    }
    if definitions
        .iter()
        .any(|d| !used.contains(&d.attribute_name.as_str()))
    {
        let all: Vec<&str> = definitions
            .iter()
            .map(|d| d.attribute_name.as_str())
            .collect();
        return Err(invalid(&format!(
            "Some AttributeDefinitions are not used. AttributeDefinitions: [{}], keys used: [{}]",
            all.join(", "),
            used.join(", ")
        )));
    }
    Ok(())
}

/// The attributes of a key schema are defined in AttributeDefinitions.
pub(crate) fn keys_defined(
    key_schema: &[KeySchemaElement],
    definitions: &[crate::api::AttributeDefinition],
) -> Result<(), Error> {
    let defined = |k: &KeySchemaElement| {
        definitions
            .iter()
            .any(|d| d.attribute_name == k.attribute_name)
    };
    if key_schema.iter().all(defined) {
        return Ok(());
    }
    let keys: Vec<&str> = key_schema
        .iter()
        .map(|k| k.attribute_name.as_str())
        .collect();
    let all: Vec<&str> = definitions
        .iter()
        .map(|d| d.attribute_name.as_str())
        .collect();
    Err(invalid(&format!(
        "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
        keys.join(", "),
        all.join(", ")
    )))
}

/// The shared rules of a one-HASH, optional-RANGE key schema.
pub(crate) fn simple_key_shape(key_schema: &[KeySchemaElement]) -> Result<(), Error> {
    if let [hash, range] = key_schema {
        if hash.attribute_name == range.attribute_name {
            return Err(Error::validation(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            ));
        }
    }
    if key_schema.first().is_some_and(|k| k.key_type != "HASH") {
        return Err(Error::validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if key_schema.get(1).is_some_and(|k| k.key_type != "RANGE") {
        return Err(Error::validation(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
        ));
    }
    Ok(())
}

fn check_local(
    index: &LocalSecondaryIndex,
    name: &str,
    table: &KeySchema,
    definitions: &[crate::api::AttributeDefinition],
) -> Result<(), Error> {
    let key_schema = index.key_schema.as_deref().unwrap_or_default();
    keys_defined(key_schema, definitions)?;
    simple_key_shape(key_schema)?;
    if key_schema.len() < 2 {
        return Err(invalid(&format!(
            "Index KeySchema does not have a range key for index: {name}"
        )));
    }
    if let Some(hash) = key_schema.first() {
        if hash.attribute_name != table.partition.name {
            return Err(invalid(&format!(
                "Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. index hash key: {}, table hash key: {}",
                hash.attribute_name, table.partition.name
            )));
        }
    }
    check_projection(index.projection.as_ref())
}

fn check_global(
    index: &GlobalSecondaryIndex,
    name: &str,
    billing: &Billing,
    definitions: &[crate::api::AttributeDefinition],
) -> Result<(), Error> {
    let key_schema = index.key_schema.as_deref().unwrap_or_default();
    keys_defined(key_schema, definitions)?;
    global_key_shape(key_schema)?;
    check_projection(index.projection.as_ref())?;
    let provisioned = match billing.mode.as_deref() {
        Some("PAY_PER_REQUEST") => Some(false),
        Some(_) => Some(true),
        None => None,
    };
    match (provisioned, &index.provisioned_throughput) {
        (Some(true), None) => Err(invalid(&format!(
            "ProvisionedThroughput is not specified for index: {name}"
        ))),
        (Some(false), Some(_)) => Err(invalid(&format!(
            "ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST"
        ))),
        _ => Ok(()),
    }
}

/// The shape of a GSI key schema (indexes.md §2.5): the one-HASH,
/// optional-RANGE rules and messages for `[HASH]` and `[HASH, RANGE]`
/// (and for a two-element schema that is neither), the multi-attribute
/// rules for two HASH elements and for longer schemas.
pub(crate) fn global_key_shape(key_schema: &[KeySchemaElement]) -> Result<(), Error> {
    let both_hash = matches!(key_schema, [a, b] if a.key_type == "HASH" && b.key_type == "HASH");
    if key_schema.len() <= 2 && !both_hash {
        simple_key_shape(key_schema)
    } else {
        multi_attribute_key_shape(key_schema)
    }
}

/// A GSI key of 1..4 HASH elements followed by 0..4 RANGE elements
/// (indexes.md §2.5).
fn multi_attribute_key_shape(key_schema: &[KeySchemaElement]) -> Result<(), Error> {
    if key_schema.first().is_some_and(|k| k.key_type != "HASH") {
        return Err(Error::validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    let hashes = key_schema.iter().filter(|k| k.key_type == "HASH").count();
    let ranges = key_schema.len() - hashes;
    if hashes > 4 {
        return Err(invalid(
            "The KeySchema exceeds the maximum allowed number of HASH key attributes",
        ));
    }
    if ranges > 4 {
        return Err(invalid(
            "The KeySchema exceeds the maximum allowed number of RANGE key attributes",
        ));
    }
    let first_range = key_schema.iter().position(|k| k.key_type == "RANGE");
    if let Some(at) = first_range {
        if key_schema.iter().skip(at).any(|k| k.key_type == "HASH") {
            return Err(invalid(
                "All HASH key attributes must precede RANGE key attributes in the KeySchema",
            ));
        }
    }
    for (i, k) in key_schema.iter().enumerate() {
        if key_schema
            .iter()
            .take(i)
            .any(|e| e.attribute_name == k.attribute_name)
        {
            return Err(invalid(
                "The KeySchema contains multiple key attributes with the same name",
            ));
        }
    }
    Ok(())
}

/// An index's projection (indexes.md §2.4).
pub(crate) fn check_projection(projection: Option<&Projection>) -> Result<(), Error> {
    let Some(projection) = projection else {
        return Ok(());
    };
    let attributes = projection.non_key_attributes.as_deref();
    match projection.projection_type.as_ref().map(|t| t.as_str()) {
        None => Err(invalid("Unknown ProjectionType: null")),
        Some(kind @ ("ALL" | "KEYS_ONLY")) if attributes.is_some() => Err(invalid(&format!(
            "ProjectionType is {kind}, but NonKeyAttributes is specified"
        ))),
        Some("INCLUDE") if attributes.is_none() => Err(invalid(
            "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
        )),
        _ => {
            let attributes = attributes.unwrap_or_default();
            for (i, name) in attributes.iter().enumerate() {
                if attributes.iter().take(i).any(|n| n == name) {
                    return Err(invalid(&format!(
                        "Duplicate element in NonKeyAttributes: {name}"
                    )));
                }
            }
            Ok(())
        }
    }
}

/// The table's key schema from a CreateTable request whose constraints
/// were checked, with DynamoDB's service checks in its order (spec
/// indexes.md §1 steps 4 and 5).
fn schema_from(input: &CreateTableInput) -> Result<KeySchema, Error> {
    let invalid = |detail: &str| {
        Error::validation(format!(
            "One or more parameter values were invalid: {detail}"
        ))
    };
    let key_schema = input.key_schema.as_deref().unwrap_or_default();
    let definitions = input.attribute_definitions.as_deref().unwrap_or_default();
    if key_schema.len() > definitions.len() {
        return Err(Error::validation(
            "Invalid KeySchema: Some index key attribute have no definition",
        ));
    }
    let definition = |element: &KeySchemaElement| {
        definitions
            .iter()
            .find(|d| d.attribute_name == element.attribute_name)
    };
    if key_schema.iter().any(|k| definition(k).is_none()) {
        let list = |names: Vec<&str>| names.join(", ");
        return Err(invalid(&format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
            list(
                key_schema
                    .iter()
                    .map(|k| k.attribute_name.as_str())
                    .collect()
            ),
            list(
                definitions
                    .iter()
                    .map(|d| d.attribute_name.as_str())
                    .collect()
            ),
        )));
    }
    for (i, d) in definitions.iter().enumerate() {
        let earlier = definitions.iter().take(i);
        if earlier
            .clone()
            .any(|e| e.attribute_name == d.attribute_name)
        {
            return Err(Error::validation(format!(
                "Attribute Name is duplicated: {}",
                d.attribute_name
            )));
        }
    }
    simple_key_shape(key_schema)?;
    let indexes =
        input.local_secondary_indexes.is_some() || input.global_secondary_indexes.is_some();
    if definitions.len() != key_schema.len() && !indexes {
        return Err(invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }
    let attribute = |element: &KeySchemaElement| -> Result<KeyAttribute, Error> {
        let scalar_type = definition(element)
            .and_then(|d| ScalarType::from_code(d.attribute_type.as_str()))
            .ok_or_else(|| Error::Internal("key attribute type not checked".into()))?;
        Ok(KeyAttribute {
            name: element.attribute_name.clone(),
            scalar_type,
        })
    };
    match key_schema {
        [hash] => Ok(KeySchema {
            partition: attribute(hash)?,
            sort: None,
        }),
        [hash, range] => Ok(KeySchema {
            partition: attribute(hash)?,
            sort: Some(attribute(range)?),
        }),
        _ => Err(Error::Internal("key schema length not checked".into())),
    }
}

/// Checks `BillingMode` against `ProvisionedThroughput` as DynamoDB does,
/// except that a table with neither is accepted (DynamoDB requires the
/// capacity of the default `PROVISIONED` mode; dynacond never enforces
/// capacity). The enum and the units' ranges belong to the constraint layer.
fn billing_from(input: &CreateTableInput) -> Result<Billing, Error> {
    let throughput = input.provisioned_throughput;
    let mode = input.billing_mode.as_ref().map(|m| m.as_str());
    if mode == Some("PAY_PER_REQUEST") && throughput.is_some() {
        return Err(Error::validation(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if mode == Some("PROVISIONED") && throughput.is_none() {
        return Err(Error::validation(
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        ));
    }
    let mode = match (&input.billing_mode, throughput) {
        (Some(mode), _) => Some(mode.to_string()),
        (None, Some(_)) => Some("PROVISIONED".to_owned()),
        (None, None) => None,
    };
    Ok(Billing { mode, throughput })
}

/// The members of CreateTable that dynacond does not implement yet, refused
/// by name rather than dropped (checked after every DynamoDB rule, so an
/// invalid request still gets DynamoDB's answer).
pub(crate) fn refuse_unimplemented(input: &CreateTableInput) -> Result<(), Error> {
    let mut given: Vec<&str> = Vec::new();
    if input.on_demand_throughput.is_some() {
        given.push("OnDemandThroughput");
    }
    if input.warm_throughput.is_some() {
        given.push("WarmThroughput");
    }
    if input.resource_policy.is_some() {
        given.push("ResourcePolicy");
    }
    match given.as_slice() {
        [] => Ok(()),
        names => Err(Error::validation(format!(
            "dynacond does not implement {} yet (see the README's known differences)",
            names.join(", ")
        ))),
    }
}
