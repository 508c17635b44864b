//! The two ways to reach a store, and small builders the bodies share.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::create_table::CreateTableOutput;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use dynacond::Store;
use dynacond::server::{RunningServer, Server};

/// The same SDK configuration as `dynacond::sdk::client`, but sending HTTP
/// with the SDK's own hyper client (no TLS) to `dynacond serve` on a
/// loopback port. Keep the server alive as long as the client is used.
pub fn over_http() -> (Client, RunningServer) {
    let store = Store::new();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let config = dynacond::sdk::config_builder(&store)
        .endpoint_url(server.url())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build();
    (Client::from_conf(config), server)
}

pub fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

pub fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.to_owned())
}

/// An item from `(name, value)` pairs.
pub fn item<const N: usize>(pairs: [(&str, AttributeValue); N]) -> HashMap<String, AttributeValue> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Creates an on-demand table whose key is `hash` (a string) and, if
/// given, `range` (a number).
pub async fn create_table(
    client: &Client,
    name: &str,
    hash: &str,
    range: Option<&str>,
) -> CreateTableOutput {
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(hash, KeyType::Hash))
        .attribute_definitions(definition(hash, ScalarAttributeType::S));
    if let Some(range) = range {
        request = request
            .key_schema(key(range, KeyType::Range))
            .attribute_definitions(definition(range, ScalarAttributeType::N));
    }
    request.send().await.unwrap()
}

pub fn key(name: &str, key_type: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .unwrap()
}

pub fn definition(name: &str, attribute_type: ScalarAttributeType) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(attribute_type)
        .build()
        .unwrap()
}

/// An SDK item as dynacond's (numbers canonical, sets ordered), so two
/// items compare as DynamoDB compares them.
pub fn model(item: &HashMap<String, AttributeValue>) -> dynacond::Item {
    dynacond::sdk::item_from_sdk(item.clone()).unwrap()
}
