//! The typed request API: builders agree with DynamoDB's JSON, enum members
//! round-trip as plain strings, and unknown values still get the store's
//! exact messages.

use dynacond::api::{
    AttributeAction, AttributeValueUpdate, BillingMode, ComparisonOperator, Condition,
    CreateTableInput, DeleteTableInput, DescribeTableInput, KeyType, ListTablesInput, PutItemInput,
    QueryInput, ReturnValue, ScalarAttributeType, ScanInput, Select, TableStatus, UpdateItemInput,
};
use dynacond::{
    AttributeValue, CancellationReason, CancellationReasonCode, Error, Item, ScalarType, Store,
    wire,
};

fn key(pk: &str) -> Item {
    Item::from_iter([("pk".to_owned(), AttributeValue::s(pk))])
}

fn users() -> Store {
    let store = Store::new();
    store
        .create_table(CreateTableInput::new("users").with_hash_key("pk", ScalarType::S))
        .unwrap();
    store
}

#[test]
fn create_table_builder_equals_the_json_request() {
    let built = CreateTableInput::new("orders")
        .with_hash_key("customer", ScalarType::S)
        .with_range_key("placed", ScalarType::N)
        .with_billing_mode(BillingMode::PayPerRequest);
    let decoded: CreateTableInput = wire::from_str(
        r#"{"TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                          {"AttributeName": "placed", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "customer", "AttributeType": "S"},
                                     {"AttributeName": "placed", "AttributeType": "N"}]}"#,
    )
    .unwrap();
    assert_eq!(built, decoded);
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        serde_json::to_value(&decoded).unwrap()
    );

    let store = Store::new();
    let created = store.create_table(built).unwrap().table_description;
    assert_eq!(created.table_status, TableStatus::Creating);
    assert_eq!(created.key_schema[1].key_type, KeyType::Range);
    assert_eq!(
        created.attribute_definitions[1].attribute_type,
        ScalarAttributeType::from(ScalarType::N)
    );
    let described = store
        .describe_table(DescribeTableInput::new("orders"))
        .unwrap()
        .table;
    assert_eq!(
        described.billing_mode_summary.map(|s| s.billing_mode),
        Some(BillingMode::PayPerRequest)
    );
    let listed = store
        .list_tables(ListTablesInput::new().with_limit(10))
        .unwrap();
    assert_eq!(listed.table_names, ["orders"]);
    let deleted = store
        .delete_table(DeleteTableInput::new("orders"))
        .unwrap()
        .table_description;
    assert_eq!(deleted.table_status, TableStatus::Deleting);
}

#[test]
fn provisioned_throughput_builder() {
    let store = Store::new();
    let input = CreateTableInput::new("t_prov")
        .with_hash_key("pk", ScalarType::B)
        .with_provisioned_throughput(5, 7);
    let described = store.create_table(input).unwrap().table_description;
    assert_eq!(
        described.billing_mode_summary.map(|s| s.billing_mode),
        Some(BillingMode::Provisioned)
    );
    assert_eq!(
        (
            described.provisioned_throughput.read_capacity_units,
            described.provisioned_throughput.write_capacity_units
        ),
        (5, 7)
    );
}

#[test]
fn unknown_enum_values_keep_the_stores_messages() {
    let store = users();
    let err = store
        .put_item(PutItemInput::new("users", key("a")).with_return_values("BOGUS"))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
    );
    let err = store
        .scan(ScanInput::new("users").with_select(Select::Unknown("SOME".into())))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "1 validation error detected: Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
    );
    let err = store
        .create_table(
            CreateTableInput::new("other")
                .with_hash_key("pk", ScalarType::S)
                .with_billing_mode("FREE"),
        )
        .unwrap_err();
    assert_eq!(err.type_name(), "ValidationException");
    assert_eq!(
        err.message(),
        "1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"
    );
}

#[test]
fn enum_members_decode_as_strings_only() {
    let input: PutItemInput = wire::from_str(
        r#"{"TableName": "users", "Item": {"pk": {"S": "a"}}, "ReturnValues": "ALL_OLD"}"#,
    )
    .unwrap();
    assert_eq!(input.return_values, Some(ReturnValue::AllOld));
    let input: PutItemInput =
        wire::from_str(r#"{"TableName": "users", "Item": {}, "ReturnValues": "all_old"}"#).unwrap();
    assert_eq!(
        input.return_values,
        Some(ReturnValue::Unknown("all_old".into()))
    );
    let err =
        wire::from_str::<PutItemInput>(r#"{"TableName": "users", "ReturnValues": 1}"#).unwrap_err();
    assert_eq!(err.type_name(), "SerializationException");
    assert_eq!(err.message(), "NUMBER_VALUE cannot be converted to String");
    let input: PutItemInput =
        wire::from_str(r#"{"TableName": "users", "ReturnValues": null}"#).unwrap();
    assert_eq!(input.return_values, None);
}

#[test]
fn cancellation_reasons_serialise_as_before() {
    let reason = CancellationReason {
        code: CancellationReasonCode::ConditionalCheckFailed,
        message: Some("The conditional request failed".into()),
        item: None,
        explanation: None,
    };
    assert_eq!(
        serde_json::to_string(&reason).unwrap(),
        r#"{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}"#
    );
    let none = CancellationReason {
        code: "None".into(),
        message: None,
        item: None,
        explanation: None,
    };
    assert_eq!(serde_json::to_string(&none).unwrap(), r#"{"Code":"None"}"#);
    assert_eq!(none.code, CancellationReasonCode::None);
}

#[test]
fn legacy_builders_use_typed_members() {
    let store = users();
    let mut item = key("a");
    item.insert("n".into(), AttributeValue::n(1));
    store.put_item(PutItemInput::new("users", item)).unwrap();

    let update = UpdateItemInput::new("users", key("a"))
        .with_attribute_update("n", AttributeValueUpdate::add(AttributeValue::n(2)))
        .with_expected(
            "n",
            dynacond::api::ExpectedAttributeValue::compare(
                ComparisonOperator::Lt,
                [AttributeValue::n(5)],
            ),
        )
        .with_return_values(ReturnValue::UpdatedNew);
    assert_eq!(
        update.attribute_updates.as_ref().unwrap()["n"].action,
        Some(AttributeAction::Add)
    );
    let out = store.update_item(update).unwrap();
    assert_eq!(out.attributes.unwrap()["n"], AttributeValue::n(3));

    let query = QueryInput::new_legacy("users")
        .with_key_condition(
            "pk",
            Condition::new(ComparisonOperator::Eq, [AttributeValue::s("a")]),
        )
        .with_select(Select::Count);
    assert_eq!(store.query(query).unwrap().count, 1);

    let bad = UpdateItemInput::new("users", key("a")).with_attribute_update(
        "n",
        AttributeValueUpdate::action("REPLACE", Some(AttributeValue::n(1))),
    );
    let err = store.update_item(bad).unwrap_err();
    assert!(matches!(err, Error::Constraint { .. }));
    assert_eq!(
        err.message(),
        "1 validation error detected: Value 'REPLACE' at 'attributeUpdates.n.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
    );
}
