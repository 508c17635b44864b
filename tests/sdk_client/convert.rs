//! Conversions between dynacond's values and the SDK's: round trips over
//! the shared value strategies, DynamoDB's refusals, and `Unknown`.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use dynacond::sdk::{item_from_sdk, item_to_sdk};
use dynacond::{AttributeValue, Number, Store};
use proptest::prelude::*;

use crate::strategies::{RVal, arb_ritem, arb_rval, to_item};

/// The model's value as the SDK would carry it, numbers spelled as the
/// strategy spells them (`1.0`, `100e-2`, ...).
fn to_sdk_spelled(value: &RVal) -> SdkValue {
    match value {
        RVal::S(s) => SdkValue::S(s.clone()),
        RVal::N(num) => SdkValue::N(num.text()),
        RVal::B(b) => SdkValue::B(Blob::new(b.clone())),
        RVal::Ss(set) => SdkValue::Ss(set.iter().rev().cloned().collect()),
        RVal::Ns(set) => SdkValue::Ns(
            set.iter()
                .map(|&h| crate::strategies::spell(h, h.rem_euclid(6) as u8))
                .collect(),
        ),
        RVal::Bs(set) => SdkValue::Bs(set.iter().map(|b| Blob::new(b.clone())).collect()),
        RVal::Bool(b) => SdkValue::Bool(*b),
        RVal::Null => SdkValue::Null(true),
        RVal::L(list) => SdkValue::L(list.iter().map(to_sdk_spelled).collect()),
        RVal::M(map) => SdkValue::M(
            map.iter()
                .map(|(k, v)| (k.clone(), to_sdk_spelled(v)))
                .collect(),
        ),
    }
}

/// Numbers across DynamoDB's whole range, not only the strategies' small
/// hundredths.
fn arb_number() -> impl Strategy<Value = Number> {
    (any::<i64>(), -140i32..140).prop_filter_map("outside DynamoDB's range", |(m, e)| {
        Number::parse(&format!("{m}e{e}")).ok()
    })
}

proptest! {
    #[test]
    fn dynacond_to_sdk_and_back_is_the_identity(value in arb_rval()) {
        let value = value.to_av();
        let sdk = SdkValue::from(&value);
        prop_assert_eq!(AttributeValue::try_from(&sdk).unwrap(), value.clone());
        prop_assert_eq!(AttributeValue::try_from(sdk).unwrap(), value);
    }

    #[test]
    fn sdk_values_read_as_the_model_says(value in arb_rval()) {
        let sdk = to_sdk_spelled(&value);
        let read = AttributeValue::try_from(&sdk).unwrap();
        prop_assert_eq!(&read, &value.to_av());
        // Written back, numbers are canonical: a second trip changes nothing.
        let canonical = SdkValue::from(read);
        prop_assert_eq!(SdkValue::from(AttributeValue::try_from(&canonical).unwrap()), canonical);
    }

    #[test]
    fn items_round_trip(item in arb_ritem()) {
        let item = to_item(&item);
        let sdk = item_to_sdk(&item);
        prop_assert_eq!(sdk.len(), item.len());
        prop_assert_eq!(item_from_sdk(sdk).unwrap(), item);
    }

    #[test]
    fn numbers_round_trip_in_canonical_text(number in arb_number()) {
        let sdk = SdkValue::from(AttributeValue::N(number));
        prop_assert_eq!(sdk.as_n().unwrap(), &number.to_string());
        prop_assert_eq!(AttributeValue::try_from(sdk).unwrap(), AttributeValue::N(number));
    }
}

/// Whole items through the client and back, compared with the store's copy.
#[test]
fn items_through_the_in_process_client_arrive_as_stored() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = Store::new();
    let client = dynacond::sdk::client(&store);
    runtime.block_on(crate::support::create_table(&client, "props", "pk", None));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
    runner
        .run(&arb_ritem(), |item| {
            let mut item = to_item(&item);
            item.insert("pk".into(), AttributeValue::s("k"));
            let sdk = item_to_sdk(&item);
            let got = runtime.block_on(async {
                client
                    .put_item()
                    .table_name("props")
                    .set_item(Some(sdk))
                    .send()
                    .await
                    .unwrap();
                client
                    .get_item()
                    .table_name("props")
                    .key("pk", SdkValue::S("k".into()))
                    .send()
                    .await
                    .unwrap()
                    .item
                    .unwrap()
            });
            prop_assert_eq!(item_from_sdk(got).unwrap(), item.clone());
            prop_assert_eq!(store.table("props").unwrap().items(), vec![item]);
            Ok(())
        })
        .unwrap();
}

/// A connector answering every request with one GetItem body.
#[derive(Debug, Clone)]
struct Canned(&'static str);

impl HttpConnector for Canned {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        let mut response = HttpResponse::new(200u16.try_into().unwrap(), SdkBody::from(self.0));
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.0");
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// A value of a type this SDK does not know comes out of the SDK as
/// `Unknown`; converting it is an error, not a panic.
#[tokio::test]
async fn unknown_values_are_refused() {
    let store = Store::new();
    let canned = Canned(r#"{"Item": {"pk": {"S": "a"}, "x": {"FUTURE": "1"}}}"#);
    let config = dynacond::sdk::config_builder(&store)
        .http_client(http_client_fn(move |_, _| {
            SharedHttpConnector::new(canned.clone())
        }))
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let item: HashMap<String, SdkValue> = client
        .get_item()
        .table_name("t")
        .key("pk", SdkValue::S("a".into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(item["x"].is_unknown(), "{:?}", item["x"]);
    let message =
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    assert_eq!(
        AttributeValue::try_from(&item["x"])
            .unwrap_err()
            .to_string(),
        message
    );
    assert_eq!(item_from_sdk(item).unwrap_err().to_string(), message);
}
