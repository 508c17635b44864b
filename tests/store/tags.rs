//! Tags (spec streams-ttl-tags.md §6, rows 69–87 of §9.6): TagResource,
//! UntagResource, ListTagsOfResource and CreateTable's `Tags`, sent as
//! DynamoDB JSON through [`dispatch`] so absent members and JSON nulls reach
//! the decoder as a client sends them. Each rule is a table of requests with
//! the exception and exact message; every refused request is checked to
//! change nothing.

use dynacond::api::{
    CreateTableInput, DeleteTableInput, ListTagsOfResourceInput, TagResourceInput,
    UntagResourceInput,
};
use dynacond::protocol::{TARGET_PREFIX, dispatch};
use dynacond::{ScalarType, Store};
use serde_json::{Value, json};

const T: &str = "tagged";

fn call(store: &Store, operation: &str, body: Value) -> (u16, Value) {
    let reply = dispatch(
        store,
        Some(&format!("{TARGET_PREFIX}{operation}")),
        body.to_string().as_bytes(),
    );
    (reply.status, serde_json::from_slice(&reply.body).unwrap())
}

/// `Ok(reply)` or `Err("<Exception>: <message>")`.
fn run(store: &Store, operation: &str, body: Value) -> Result<Value, String> {
    match call(store, operation, body) {
        (200, v) => Ok(v),
        (_, v) => Err(format!(
            "{}: {}",
            v["__type"].as_str().unwrap().rsplit('#').next().unwrap(),
            v["message"].as_str().unwrap_or("")
        )),
    }
}

fn create(store: &Store, name: &str, extra: Value) -> Result<Value, String> {
    let mut body = json!({
        "TableName": name,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    run(store, "CreateTable", body)
}

/// A store with table [`T`] and its ARN.
fn store() -> (Store, String) {
    let store = Store::new();
    let created = create(&store, T, json!({})).unwrap();
    let arn = created["TableDescription"]["TableArn"]
        .as_str()
        .unwrap()
        .to_owned();
    (store, arn)
}

fn list(store: &Store, arn: &str) -> Value {
    run(store, "ListTagsOfResource", json!({"ResourceArn": arn})).unwrap()
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    pairs
        .iter()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect()
}

fn tag(store: &Store, arn: &str, pairs: &[(&str, &str)]) -> Result<Value, String> {
    run(
        store,
        "TagResource",
        json!({"ResourceArn": arn, "Tags": tags(pairs)}),
    )
}

#[test]
fn an_untagged_table_lists_no_tags() {
    // Row 69: exactly {"Tags": []}.
    let (store, arn) = store();
    assert_eq!(list(&store, &arn), json!({"Tags": []}));
}

#[test]
fn tag_overwrite_and_untag() {
    // Row 70.
    let (store, arn) = store();
    assert_eq!(
        tag(&store, &arn, &[("env", "test"), ("project", "conformity")]),
        Ok(json!({}))
    );
    tag(&store, &arn, &[("team", "platform")]).unwrap();
    assert_eq!(
        list(&store, &arn),
        json!({"Tags": tags(&[("env", "test"), ("project", "conformity"), ("team", "platform")])})
    );
    tag(&store, &arn, &[("env", "production")]).unwrap();
    let untag = json!({"ResourceArn": arn, "TagKeys": ["team", "not-there"]});
    assert_eq!(run(&store, "UntagResource", untag), Ok(json!({})));
    // Keys keep the place where they were first set; no NextToken.
    assert_eq!(
        list(&store, &arn),
        json!({"Tags": tags(&[("env", "production"), ("project", "conformity")])})
    );
    // Untagging only absent keys is fine too.
    let untag = json!({"ResourceArn": arn, "TagKeys": ["never"]});
    assert_eq!(run(&store, "UntagResource", untag), Ok(json!({})));
    // A NextToken is accepted and changes nothing.
    let listed = run(
        &store,
        "ListTagsOfResource",
        json!({"ResourceArn": arn, "NextToken": "whatever"}),
    );
    assert_eq!(listed.unwrap()["Tags"].as_array().unwrap().len(), 2);
}

#[test]
fn tag_rules_and_messages() {
    // Rows 72–80: each request alone on a fresh table; a refused one applies
    // nothing, not even its good tags.
    let k128 = "k".repeat(128);
    let k129 = "k".repeat(129);
    let v256 = "v".repeat(256);
    let v257 = "v".repeat(257);
    let vi = "ValidationException: ";
    let cases: Vec<(Value, String)> = vec![
        (tags(&[(&k128, "v")]), String::new()),
        (
            tags(&[(&k129, "v")]),
            format!("{vi}The Tag Key provided is invalid, Key: {k129}"),
        ),
        (tags(&[("a", &v256)]), String::new()),
        (
            tags(&[("b", &v257)]),
            format!("{vi}The Tag Value provided is invalid, Value: {v257}"),
        ),
        (tags(&[("empty", "")]), String::new()),
        (
            tags(&[("", "dog")]),
            format!("{vi}The Tag Key provided is invalid, Key: "),
        ),
        (
            json!([{"Key": "novalue"}]),
            format!("{vi}The Tag Value provided is invalid, Value: null"),
        ),
        (
            json!([{"Value": "nokey"}]),
            format!("{vi}The Tag Key provided is invalid, Key: null"),
        ),
        (
            json!([{"Key": null, "Value": "v"}]),
            format!("{vi}The Tag Key provided is invalid, Key: null"),
        ),
        (
            tags(&[("aws:team", "x")]),
            format!("{vi}Tag Key cannot be prefixed with aws:, Key: aws:team"),
        ),
        (
            tags(&[("AWS:team", "x")]),
            format!("{vi}Tag Key cannot be prefixed with aws:, Key: AWS:team"),
        ),
        (tags(&[("myaws:team", "x")]), String::new()),
        (
            tags(&[("dup", "1"), ("dup", "2")]),
            format!("{vi}Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"),
        ),
        (
            json!([]),
            format!("{vi}Atleast one Tag needs to be provided as Input."),
        ),
        (tags(&[("sp ace", "a b+c-d=e.f_g:h/i@j")]), String::new()),
        (tags(&[("ключ", "café 表")]), String::new()),
        (
            tags(&[("bad#char", "x")]),
            format!("{vi}The Tag Key provided is invalid, Key: bad#char"),
        ),
        (
            tags(&[("k", "100%")]),
            format!("{vi}The Tag Value provided is invalid, Value: 100%"),
        ),
        (
            tags(&[("k", "a,b")]),
            format!("{vi}The Tag Value provided is invalid, Value: a,b"),
        ),
        (
            tags(&[("hi!", "dog")]),
            format!("{vi}The Tag Key provided is invalid, Key: hi!"),
        ),
        (
            tags(&[("good", "1"), (&"x".repeat(129), "2")]),
            format!(
                "{vi}The Tag Key provided is invalid, Key: {}",
                "x".repeat(129)
            ),
        ),
        (
            tags(&[("good", "1"), ("aws:zzz", "2")]),
            format!("{vi}Tag Key cannot be prefixed with aws:, Key: aws:zzz"),
        ),
        (
            json!(null),
            format!(
                "{vi}1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"
            ),
        ),
    ];
    for (list_of_tags, want) in cases {
        let (store, arn) = store();
        let mut body = json!({"ResourceArn": arn});
        if !list_of_tags.is_null() {
            body["Tags"] = list_of_tags.clone();
        }
        let got = run(&store, "TagResource", body);
        if want.is_empty() {
            assert_eq!(got, Ok(json!({})), "{list_of_tags}");
            assert_eq!(list(&store, &arn)["Tags"], list_of_tags);
        } else {
            assert_eq!(got, Err(want), "{list_of_tags}");
            assert_eq!(list(&store, &arn), json!({"Tags": []}), "{list_of_tags}");
        }
    }
}

#[test]
fn fifty_tags_at_most() {
    // Row 77: 50, then a 51st; overwriting at 50; an overwrite with a new key.
    let (store, arn) = store();
    let keys: Vec<(String, String)> = (1..=50)
        .map(|i| (format!("k{i:02}"), format!("v{i:02}")))
        .collect();
    let fifty: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    tag(&store, &arn, &fifty).unwrap();
    let too_many =
        "ValidationException: Number of Tags exceed the current limit for the provided ResourceArn";
    assert_eq!(tag(&store, &arn, &[("k51", "v51")]), Err(too_many.into()));
    assert_eq!(tag(&store, &arn, &[("k01", "v01b")]), Ok(json!({})));
    assert_eq!(
        tag(&store, &arn, &[("k02", "v02b"), ("k51", "v51")]),
        Err(too_many.into())
    );
    let listed = list(&store, &arn);
    let listed = listed["Tags"].as_array().unwrap();
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[0], json!({"Key": "k01", "Value": "v01b"}));
    assert_eq!(listed[1], json!({"Key": "k02", "Value": "v02"}));
    // Row 87: UntagResource with 51 keys, the same text; 50 are fine.
    let mut many: Vec<String> = (1..=51).map(|i| format!("k{i:02}")).collect();
    let untag = json!({"ResourceArn": arn, "TagKeys": many});
    assert_eq!(run(&store, "UntagResource", untag), Err(too_many.into()));
    many.pop();
    let untag = json!({"ResourceArn": arn, "TagKeys": many});
    assert_eq!(run(&store, "UntagResource", untag), Ok(json!({})));
    assert_eq!(list(&store, &arn), json!({"Tags": []}));
}

#[test]
fn untag_rules() {
    // Row 75 (untag `aws:`), row 78 (`TagKeys: []`), key checks.
    let (store, arn) = store();
    tag(&store, &arn, &[("keep", "1")]).unwrap();
    let vi = "ValidationException: ";
    for (keys, want) in [
        (
            json!(["aws:team"]),
            format!("{vi}Tag Key cannot be prefixed with aws:, Key: aws:team"),
        ),
        (
            json!([]),
            format!("{vi}Atleast one Tag Key needs to be provided as Input."),
        ),
        (
            json!(["keep", ""]),
            format!("{vi}The Tag Key provided is invalid, Key: "),
        ),
        (
            json!(["keep", "bad#"]),
            format!("{vi}The Tag Key provided is invalid, Key: bad#"),
        ),
        (
            json!(null),
            format!(
                "{vi}1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"
            ),
        ),
    ] {
        let mut body = json!({"ResourceArn": arn});
        if !keys.is_null() {
            body["TagKeys"] = keys.clone();
        }
        assert_eq!(run(&store, "UntagResource", body), Err(want), "{keys}");
    }
    assert_eq!(list(&store, &arn), json!({"Tags": tags(&[("keep", "1")])}));
}

#[test]
fn resource_arn_checks() {
    // Rows 81–84 and §6.2's order.
    let store = Store::new();
    let created = create(
        &store,
        T,
        json!({
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                     {"AttributeName": "g", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"}}],
        }),
    )
    .unwrap();
    let table = &created["TableDescription"];
    let arn = table["TableArn"].as_str().unwrap().to_owned();
    let index_arn = table["GlobalSecondaryIndexes"][0]["IndexArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(arn, "arn:aws:dynamodb:us-east-1:123456789012:table/tagged");
    let vi = "ValidationException: One or more parameter values were invalid: ";
    let foreign = "arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz";
    let other_region = "arn:aws:dynamodb:eu-west-1:123456789012:table/tagged";
    let backup = format!("{arn}/backup/01700000000000-0123abcd");
    let stream = format!("{arn}/stream/2026-10-08T23:07:31.275");
    let cases: Vec<(&str, String, String)> = vec![
        (
            "TagResource",
            "not-a-valid-arn".into(),
            format!("{vi}ARNs must start with 'arn:': not-a-valid-arn"),
        ),
        (
            "ListTagsOfResource",
            "arn:aws:s3:::bucket".into(),
            format!("{vi}Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket"),
        ),
        (
            "UntagResource",
            backup.clone(),
            format!("{vi}Provided Arn is not a DynamoDB resource arn: {backup}"),
        ),
        (
            "ListTagsOfResource",
            index_arn.clone(),
            format!(
                "{vi}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {index_arn}"
            ),
        ),
        (
            "TagResource",
            index_arn.clone(),
            format!(
                "{vi}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {index_arn}"
            ),
        ),
        (
            "ListTagsOfResource",
            other_region.into(),
            format!(
                "ValidationException: Invalid TableArn: Invalid ResourceArn provided as input {other_region}"
            ),
        ),
        (
            "TagResource",
            foreign.into(),
            format!(
                "AccessDeniedException: User: arn:aws:iam::123456789012:root is not authorized to perform: dynamodb:TagResource on resource: {foreign}"
            ),
        ),
        (
            "ListTagsOfResource",
            foreign.into(),
            format!(
                "AccessDeniedException: User: arn:aws:iam::123456789012:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: {foreign}"
            ),
        ),
        (
            "TagResource",
            format!("{arn}x"),
            format!("ResourceNotFoundException: Requested resource not found: ResourceArn: {arn}x not found"),
        ),
        (
            "UntagResource",
            format!("{arn}x"),
            format!("ResourceNotFoundException: Requested resource not found: ResourceArn: {arn}x not found"),
        ),
        (
            // No stream exists yet (streams are not implemented).
            "ListTagsOfResource",
            stream.clone(),
            format!("ResourceNotFoundException: Requested resource not found: ResourceArn: {stream} not found"),
        ),
        (
            "ListTagsOfResource",
            String::new(),
            "ValidationException: 1 validation error detected: Value '' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
        ),
    ];
    for (operation, resource, want) in cases {
        let body = match operation {
            "TagResource" => json!({"ResourceArn": resource, "Tags": tags(&[("k", "v")])}),
            "UntagResource" => json!({"ResourceArn": resource, "TagKeys": ["k"]}),
            _ => json!({"ResourceArn": resource}),
        };
        assert_eq!(
            run(&store, operation, body),
            Err(want),
            "{operation} {resource}"
        );
    }
    assert_eq!(
        run(&store, "ListTagsOfResource", json!({})),
        Err("ValidationException: 1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null".into())
    );
    assert_eq!(list(&store, &arn), json!({"Tags": []}));
}

#[test]
fn the_order_of_the_checks() {
    // §6.3: shape → ARN → empty list → each tag → table → merged count.
    let (store, arn) = store();
    let missing = format!("{arn}_gone");
    let vi = "ValidationException: ";
    for (body, want) in [
        (
            json!({"ResourceArn": "nope", "Tags": []}),
            format!(
                "{vi}One or more parameter values were invalid: ARNs must start with 'arn:': nope"
            ),
        ),
        (
            json!({"ResourceArn": missing, "Tags": []}),
            format!("{vi}Atleast one Tag needs to be provided as Input."),
        ),
        (
            json!({"ResourceArn": missing, "Tags": tags(&[("aws:x", "1")])}),
            format!("{vi}Tag Key cannot be prefixed with aws:, Key: aws:x"),
        ),
        (
            json!({"ResourceArn": missing, "Tags": tags(&[("x", "1")])}),
            format!(
                "ResourceNotFoundException: Requested resource not found: ResourceArn: {missing} not found"
            ),
        ),
    ] {
        assert_eq!(
            run(&store, "TagResource", body.clone()),
            Err(want),
            "{body}"
        );
    }
    let untag = json!({"ResourceArn": missing, "TagKeys": (0..51).map(|i| format!("k{i}")).collect::<Vec<_>>()});
    assert_eq!(
        run(&store, "UntagResource", untag),
        Err(format!(
            "ResourceNotFoundException: Requested resource not found: ResourceArn: {missing} not found"
        ))
    );
}

#[test]
fn create_table_tags() {
    // Row 71: listed afterwards, in request order; not in the description.
    let store = Store::new();
    let created = create(
        &store,
        T,
        json!({"Tags": tags(&[("stage", "dev"), ("owner", "qa")])}),
    )
    .unwrap();
    let arn = created["TableDescription"]["TableArn"].as_str().unwrap();
    assert!(created["TableDescription"].get("Tags").is_none());
    assert_eq!(
        list(&store, arn),
        json!({"Tags": tags(&[("stage", "dev"), ("owner", "qa")])})
    );
    let described = run(&store, "DescribeTable", json!({"TableName": T})).unwrap();
    assert!(described["Table"].get("Tags").is_none());
    // Row 86: `Tags: []` is accepted.
    let created = create(&store, "empty_tags", json!({"Tags": []})).unwrap();
    let arn = created["TableDescription"]["TableArn"].as_str().unwrap();
    assert_eq!(list(&store, arn), json!({"Tags": []}));
}

#[test]
fn create_table_tag_rules() {
    // Row 85 and §6.5: the §6.3 texts; the table is not created.
    let fifty_one: Vec<(String, String)> =
        (1..=51).map(|i| (format!("k{i:02}"), "v".into())).collect();
    let fifty_one: Vec<(&str, &str)> = fifty_one
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let vi = "ValidationException: ";
    for (list_of_tags, want) in [
        (
            tags(&fifty_one),
            format!("{vi}Number of Tags exceed the current limit for the provided ResourceArn"),
        ),
        (
            tags(&[("aws:x", "1")]),
            format!("{vi}Tag Key cannot be prefixed with aws:, Key: aws:x"),
        ),
        (
            tags(&[("a", "1"), ("a", "2")]),
            format!("{vi}Duplicate Tag Keys provided as input: Duplicate Tag Key found a"),
        ),
        (
            json!([{"Key": "k"}]),
            format!("{vi}The Tag Value provided is invalid, Value: null"),
        ),
        (
            tags(&[("k", "{}")]),
            format!("{vi}The Tag Value provided is invalid, Value: {{}}"),
        ),
    ] {
        let store = Store::new();
        assert_eq!(
            create(&store, T, json!({"Tags": list_of_tags})),
            Err(want),
            "{list_of_tags}"
        );
        assert_eq!(
            run(&store, "DescribeTable", json!({"TableName": T})),
            Err(format!(
                "ResourceNotFoundException: Requested resource not found: Table: {T} not found"
            ))
        );
    }
    // The key schema's checks come first.
    let store = Store::new();
    let bad_schema = json!({
        "KeySchema": [{"AttributeName": "q", "KeyType": "HASH"}],
        "Tags": tags(&[("aws:x", "1")]),
    });
    assert!(
        create(&store, T, bad_schema)
            .unwrap_err()
            .contains("Some index key attributes")
    );
}

#[test]
fn deleting_a_table_drops_its_tags() {
    let (store, arn) = store();
    tag(&store, &arn, &[("a", "1")]).unwrap();
    run(&store, "DeleteTable", json!({"TableName": T})).unwrap();
    assert_eq!(
        run(&store, "ListTagsOfResource", json!({"ResourceArn": arn})),
        Err(format!(
            "ResourceNotFoundException: Requested resource not found: ResourceArn: {arn} not found"
        ))
    );
    create(&store, T, json!({})).unwrap();
    assert_eq!(list(&store, &arn), json!({"Tags": []}));
}

#[test]
fn the_typed_api_and_another_region() {
    let store = Store::builder()
        .region("eu-central-1")
        .account_id("000000000000")
        .build()
        .unwrap();
    let created = store
        .create_table(CreateTableInput::new(T).with_hash_key("p", ScalarType::S))
        .unwrap();
    let arn = created.table_description.table_arn;
    assert_eq!(
        arn,
        "arn:aws:dynamodb:eu-central-1:000000000000:table/tagged"
    );
    store
        .tag_resource(
            TagResourceInput::new(&arn)
                .with_tag("a", "1")
                .with_tag("b", "2"),
        )
        .unwrap();
    store
        .untag_resource(UntagResourceInput::new(&arn, ["a"]))
        .unwrap();
    let listed = store
        .list_tags_of_resource(ListTagsOfResourceInput::new(&arn))
        .unwrap();
    assert_eq!(listed.tags, [dynacond::api::Tag::new("b", "2")]);
    assert_eq!(listed.next_token, None);
    // us-east-1 is another region for this store.
    let elsewhere = arn.replace("eu-central-1", "us-east-1");
    let e = store
        .list_tags_of_resource(ListTagsOfResourceInput::new(&elsewhere))
        .unwrap_err();
    assert_eq!(
        e.message(),
        format!("Invalid TableArn: Invalid ResourceArn provided as input {elsewhere}")
    );
    store.delete_table(DeleteTableInput::new(T)).unwrap();
}
