//! Decoding the JSON requests of the expression commands.

use dynacond::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, values_from_json,
};
use dynacond::{Error, Item, ShownValue, wire};
use serde_json::Value;

/// An expression with its placeholder maps and the item it applies to.
pub struct ExpressionRequest {
    pub expression: String,
    pub names: Option<ExpressionAttributeNames>,
    pub values: Option<ExpressionAttributeValues>,
    /// `None`: the item does not exist.
    pub item: Option<Item>,
}

/// Decodes `{"<member>": "...", "ExpressionAttributeNames": {...},
/// "ExpressionAttributeValues": {...}, "Item": {...}}`, rejecting other members.
pub fn decode(input: &[u8], member: &str) -> Result<ExpressionRequest, Error> {
    let request: Value = serde_json::from_slice(input)
        .map_err(|_| Error::serialization("The request is not valid JSON"))?;
    let Value::Object(members) = &request else {
        return Err(Error::serialization("The request must be a JSON object"));
    };
    let known = [
        member,
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "Item",
    ];
    if let Some(unknown) = members.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(Error::validation(format!(
            "Unknown request member `{unknown}`; expected {}",
            known.join(", ")
        )));
    }
    let expression = match members.get(member) {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(Error::serialization(format!("{member} must be a string"))),
        None => {
            let mut camel = member.to_owned();
            if let Some(first) = camel.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            return Err(Error::constraint(
                ShownValue::Null,
                camel,
                "Member must not be null",
            ));
        }
    };
    let names = match members.get("ExpressionAttributeNames") {
        None | Some(Value::Null) => None,
        Some(v) => Some(wire::from_value(v.clone())?),
    };
    let values = match members.get("ExpressionAttributeValues") {
        None | Some(Value::Null) => None,
        Some(v) => Some(values_from_json(v)?),
    };
    let item = match members.get("Item") {
        None | Some(Value::Null) => None,
        Some(v) => Some(wire::from_value(v.clone())?),
    };
    Ok(ExpressionRequest {
        expression,
        names,
        values,
        item,
    })
}
