//! Modelled errors as the SDK parses them, and the response headers it
//! reads.

use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::interceptors::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::{BoxError, ProvideErrorMetadata};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
};

use crate::support::{create_table, item, n, s};

pub async fn conditional_check_failed_with_item(client: Client) {
    create_table(&client, "conditional", "pk", None).await;
    let stored = item([("pk", s("a")), ("version", n("3"))]);
    client
        .put_item()
        .table_name("conditional")
        .set_item(Some(stored.clone()))
        .send()
        .await
        .unwrap();

    // PutItem: with ALL_OLD on failure the exception carries the item.
    let error = client
        .put_item()
        .table_name("conditional")
        .set_item(Some(item([("pk", s("a")), ("version", n("4"))])))
        .condition_expression("version = :expected")
        .expression_attribute_values(":expected", n("2"))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.request_id().map(str::len), Some(52));
    let PutItemError::ConditionalCheckFailedException(failed) = error.into_service_error() else {
        panic!("not ConditionalCheckFailedException");
    };
    assert_eq!(failed.message(), Some("The conditional request failed"));
    assert_eq!(failed.item(), Some(&stored));

    // Without it, no item.
    let error = client
        .put_item()
        .table_name("conditional")
        .set_item(Some(item([("pk", s("a"))])))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let PutItemError::ConditionalCheckFailedException(failed) = error else {
        panic!("not ConditionalCheckFailedException: {error:?}");
    };
    assert_eq!(failed.item(), None);

    // UpdateItem and DeleteItem parse the same exception.
    let error = client
        .update_item()
        .table_name("conditional")
        .key("pk", s("a"))
        .update_expression("SET version = :v")
        .condition_expression("version < :v")
        .expression_attribute_values(":v", n("1"))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let UpdateItemError::ConditionalCheckFailedException(failed) = error else {
        panic!("not ConditionalCheckFailedException: {error:?}");
    };
    assert_eq!(failed.item(), Some(&stored));
    let error = client
        .delete_item()
        .table_name("conditional")
        .key("pk", s("missing"))
        .condition_expression("attribute_exists(pk)")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let DeleteItemError::ConditionalCheckFailedException(failed) = error else {
        panic!("not ConditionalCheckFailedException: {error:?}");
    };
    assert_eq!(failed.item(), None, "no item to return");
}

pub async fn transaction_canceled_with_reasons(client: Client) {
    create_table(&client, "transfers", "pk", None).await;
    let stored = item([("pk", s("a")), ("balance", n("10"))]);
    client
        .put_item()
        .table_name("transfers")
        .set_item(Some(stored.clone()))
        .send()
        .await
        .unwrap();
    let error = client
        .transact_write_items()
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name("transfers")
                        .set_item(Some(item([("pk", s("new"))])))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name("transfers")
                        .key("pk", s("a"))
                        .update_expression("SET balance = balance - :x")
                        .condition_expression("balance >= :x")
                        .expression_attribute_values(":x", n("50"))
                        .return_values_on_condition_check_failure(
                            ReturnValuesOnConditionCheckFailure::AllOld,
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let TransactWriteItemsError::TransactionCanceledException(canceled) = error else {
        panic!("not TransactionCanceledException: {error:?}");
    };
    assert_eq!(
        canceled.message(),
        Some(
            "Transaction cancelled, please refer cancellation reasons for specific reasons \
             [None, ConditionalCheckFailed]"
        )
    );
    let reasons = canceled.cancellation_reasons();
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0].code(), Some("None"));
    assert_eq!(reasons[0].item(), None);
    assert_eq!(reasons[1].code(), Some("ConditionalCheckFailed"));
    assert_eq!(reasons[1].message(), Some("The conditional request failed"));
    assert_eq!(reasons[1].item(), Some(&stored));

    // Nothing was written.
    let new = client
        .get_item()
        .table_name("transfers")
        .key("pk", s("new"))
        .send()
        .await
        .unwrap();
    assert_eq!(new.item, None);
}

pub async fn service_errors(client: Client) {
    // ResourceNotFoundException, modelled.
    let error = client
        .get_item()
        .table_name("missing")
        .key("pk", s("a"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
    assert_eq!(error.message(), Some("Requested resource not found"));

    // ResourceInUseException, modelled.
    create_table(&client, "dup", "pk", None).await;
    let error = client
        .create_table()
        .table_name("dup")
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .key_schema(crate::support::key(
            "pk",
            aws_sdk_dynamodb::types::KeyType::Hash,
        ))
        .attribute_definitions(crate::support::definition(
            "pk",
            aws_sdk_dynamodb::types::ScalarAttributeType::S,
        ))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_resource_in_use_exception(), "{error:?}");

    // ValidationException is not modelled (PutItemError::Unhandled): its
    // code and message.
    for (value, message) in [
        (
            n("dog"),
            "The parameter cannot be converted to a numeric value: dog",
        ),
        (
            AttributeValue::Ss(vec![]),
            "One or more parameter values were invalid: An string set  may not be empty",
        ),
    ] {
        let error = client
            .put_item()
            .table_name("dup")
            .set_item(Some(item([("pk", s("a")), ("v", value)])))
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.request_id().map(str::len), Some(52));
        let error = error.into_service_error();
        assert_eq!(error.code(), Some("ValidationException"));
        assert_eq!(error.message(), Some(message));
    }
}

/// A response as recorded: status, headers (lowercased names) and body.
type Recorded = (u16, Vec<(String, String)>, Vec<u8>);

/// What the SDK sent and received, recorded by an interceptor.
#[derive(Debug, Default)]
struct Seen {
    targets: Vec<String>,
    responses: Vec<Recorded>,
}

#[derive(Debug)]
struct Recorder(Arc<Mutex<Seen>>);

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "Recorder"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let target = context.request().headers().get("x-amz-target");
        self.0
            .lock()
            .unwrap()
            .targets
            .push(target.unwrap_or_default().to_owned());
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
            .collect();
        let body = response.body().bytes().unwrap_or_default().to_vec();
        self.0
            .lock()
            .unwrap()
            .responses
            .push((response.status().as_u16(), headers, body));
        Ok(())
    }
}

/// The headers SDKs rely on, on success and on error, and a request id the
/// SDK exposes.
pub async fn response_headers(client: Client) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let client = Client::from_conf(
        client
            .config()
            .to_builder()
            .interceptor(Recorder(Arc::clone(&seen)))
            .build(),
    );
    let listed = client.list_tables().send().await.unwrap();
    let missing = client
        .describe_table()
        .table_name("missing")
        .send()
        .await
        .unwrap_err();

    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.targets,
        [
            "DynamoDB_20120810.ListTables",
            "DynamoDB_20120810.DescribeTable"
        ]
    );
    assert_eq!(seen.responses.len(), 2);
    let request_ids = [listed.request_id(), missing.request_id()];
    for ((status, headers, body), (want_status, request_id)) in seen
        .responses
        .iter()
        .zip([(200, request_ids[0]), (400, request_ids[1])])
    {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(*status, want_status);
        assert_eq!(header("content-type"), Some("application/x-amz-json-1.0"));
        let crc = crc32fast::hash(body).to_string();
        assert_eq!(header("x-amz-crc32"), Some(crc.as_str()));
        assert_eq!(
            header("content-length"),
            Some(body.len().to_string().as_str())
        );
        assert!(
            header("date").is_some_and(|d| d.ends_with(" GMT")),
            "{headers:?}"
        );
        assert_eq!(header("server"), Some("dynacond"));
        let id = header("x-amzn-requestid").unwrap();
        assert_eq!(id.len(), 52);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        );
        assert_eq!(request_id, Some(id));
    }
    assert_eq!(seen.responses[0].2, br#"{"TableNames":[]}"#);
    assert_eq!(
        seen.responses[1].2,
        br#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: Table: missing not found"}"#
    );
}
