//! [`Store::call`]: one operation in DynamoDB JSON through the protocol
//! layer, as the endpoint serves it (fault rules and readiness included),
//! without HTTP.

use serde_json::Value;

use super::rule::injected_error;
use crate::error::{CancellationReason, Error};
use crate::protocol::{TARGET_PREFIX, dispatch};
use crate::store::Store;
use crate::value::Item;

impl Store {
    /// Runs one operation given by its DynamoDB name and its request in
    /// DynamoDB JSON, exactly as the endpoint would (the same decoding,
    /// checks and messages, and the [fault rules](crate::faults)), and
    /// answers the response's JSON or the error DynamoDB would send.
    ///
    /// ```
    /// use dynacond::Store;
    /// use serde_json::json;
    ///
    /// let store = Store::new();
    /// store.call("CreateTable", json!({"TableName": "tab",
    ///     "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
    ///     "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
    ///     "BillingMode": "PAY_PER_REQUEST"}))?;
    /// store.call("PutItem", json!({"TableName": "tab", "Item": {"p": {"S": "a"}}}))?;
    /// let got = store.call("GetItem", json!({"TableName": "tab", "Key": {"p": {"S": "a"}}}))?;
    /// assert_eq!(got["Item"]["p"]["S"], "a");
    /// let e = store.call("GetItem", json!({"TableName": "nope", "Key": {"p": {"S": "a"}}}));
    /// assert_eq!(e.unwrap_err().type_name(), "ResourceNotFoundException");
    /// # Ok::<(), dynacond::Error>(())
    /// ```
    pub fn call(&self, operation: &str, request: Value) -> Result<Value, Error> {
        let body = serde_json::to_vec(&request)
            .map_err(|e| Error::Internal(format!("encoding the request: {e}")))?;
        let target = format!("{TARGET_PREFIX}{operation}");
        let reply = dispatch(self, Some(&target), &body);
        let json = if reply.body.is_empty() {
            Value::Object(serde_json::Map::new())
        } else {
            serde_json::from_slice(&reply.body)
                .map_err(|e| Error::Internal(format!("decoding the response: {e}")))?
        };
        if reply.status == 200 {
            Ok(json)
        } else {
            Err(error_from_body(operation, &json))
        }
    }
}

/// The error a DynamoDB error body describes.
pub(crate) fn error_from_body(operation: &str, body: &Value) -> Error {
    let wire_type = body["__type"].as_str().unwrap_or("");
    let name = wire_type.rsplit_once('#').map_or(wire_type, |(_, n)| n);
    let message = body["message"]
        .as_str()
        .or_else(|| body["Message"].as_str())
        .map(str::to_owned);
    let text = || message.clone().unwrap_or_default();
    match name {
        "SerializationException" if message.is_none() => Error::MalformedJson,
        "UnknownOperationException" => Error::validation(format!("Unknown operation: {operation}")),
        "ConditionalCheckFailedException" => Error::ConditionalCheckFailed {
            message: text(),
            item: serde_json::from_value::<Item>(body["Item"].clone())
                .ok()
                .map(Box::new),
            explanation: None,
        },
        "TransactionCanceledException" => Error::TransactionCanceled {
            message: text(),
            reasons: serde_json::from_value::<Vec<CancellationReason>>(
                body["CancellationReasons"].clone(),
            )
            .unwrap_or_default(),
        },
        "TableNotFoundException" => Error::TableNotFound(text()),
        "GlobalTableNotFoundException" => Error::GlobalTableNotFound(text()),
        "PolicyNotFoundException" => Error::PolicyNotFound(text()),
        _ => injected_error(name, Some(&text()))
            .unwrap_or_else(|| Error::Internal(format!("{name}: {}", text()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::FaultRule;
    use serde_json::json;

    fn store() -> Store {
        let store = Store::new();
        store
            .call(
                "CreateTable",
                json!({"TableName": "tab",
                    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
                    "BillingMode": "PAY_PER_REQUEST"}),
            )
            .unwrap();
        store
    }

    #[test]
    fn errors_come_back_as_the_store_made_them() {
        let store = store();
        store
            .call(
                "PutItem",
                json!({"TableName": "tab", "Item": {"p": {"S": "a"}}}),
            )
            .unwrap();
        let failed = store
            .call(
                "PutItem",
                json!({"TableName": "tab", "Item": {"p": {"S": "a"}},
                    "ConditionExpression": "attribute_not_exists(p)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
            )
            .unwrap_err();
        let Error::ConditionalCheckFailed {
            item: Some(item), ..
        } = failed
        else {
            panic!("{failed:?}");
        };
        assert_eq!(item.len(), 1);
        let bad = store
            .call("PutItem", json!({"TableName": "tab"}))
            .unwrap_err();
        assert_eq!(bad.type_name(), "ValidationException");
        let unknown = store.call("Nope", json!({})).unwrap_err();
        assert_eq!(unknown.message(), "Unknown operation: Nope");
        // TagResource answers an empty body.
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/tab";
        let tagged = store.call(
            "TagResource",
            json!({"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}),
        );
        assert_eq!(tagged.unwrap(), json!({}));
    }

    #[test]
    fn rules_and_readiness_apply_to_calls() {
        let store = store();
        store
            .faults()
            .set(vec![FaultRule::transaction_conflict().action(1).times(1)])
            .unwrap();
        let transaction = json!({"TransactItems": [
            {"Put": {"TableName": "tab", "Item": {"p": {"S": "a"}}}},
            {"Put": {"TableName": "tab", "Item": {"p": {"S": "b"}}}}]});
        let Error::TransactionCanceled { reasons, .. } = store
            .call("TransactWriteItems", transaction.clone())
            .unwrap_err()
        else {
            panic!("not cancelled");
        };
        let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["None", "TransactionConflict"]);
        assert_eq!(store.table("tab").unwrap().item_count(), 0);
        store.call("TransactWriteItems", transaction).unwrap();
        assert_eq!(store.table("tab").unwrap().item_count(), 2);
        store.set_ready(false);
        let e = store.call("ListTables", json!({})).unwrap_err();
        assert_eq!(
            (e.type_name(), e.http_status()),
            ("ServiceUnavailable", 503)
        );
        store.set_ready(true);
        assert!(store.call("ListTables", json!({})).is_ok());
    }
}
