use super::*;
use crate::value::Item;
use crate::wire;

fn value(json: &str) -> AttributeValue {
    wire::from_str(json).unwrap()
}

fn cond(op: &str, args: &[&str]) -> Condition {
    Condition {
        comparison_operator: Some(op.into()),
        attribute_value_list: Some(args.iter().map(|a| value(a)).collect()),
    }
}

fn item(json: &str) -> Item {
    wire::item_from_json(json.as_bytes()).unwrap()
}

#[test]
fn placeholders_cannot_collide_with_request_keys() {
    let mut names = ExpressionAttributeNames::new();
    names.insert(format!("{NAME_PREFIX}0"), "a".into());
    assert!(crate::placeholders::validate_names(&names).is_err());
    let mut values = ExpressionAttributeValues::new();
    values.insert(format!("{VALUE_PREFIX}0"), AttributeValue::n(1));
    assert!(crate::placeholders::validate_value_keys(&values).is_err());
}

#[test]
fn expected_translates_to_composed_trees() {
    let mut e = ExpectedMap::new();
    e.insert(
        "a.b".into(),
        ExpectedAttributeValue {
            comparison_operator: Some("NOT_CONTAINS".into()),
            attribute_value_list: Some(vec![AttributeValue::n(1)]),
            ..Default::default()
        },
    );
    e.insert(
        "size".into(),
        ExpectedAttributeValue {
            exists: Some(false),
            ..Default::default()
        },
    );
    let c = expected(Some(&e), Some("OR")).unwrap().unwrap();
    assert_eq!(
        c.ast().to_prefix(),
        "(OR (AND (attribute_exists #~n0) (NOT (contains #~n0 :~v0))) (attribute_not_exists #~n1))"
    );
    assert_eq!(c.names()["#~n0"], "a.b");
    assert_eq!(c.names()["#~n1"], "size");
    assert_eq!(c.values()[":~v0"], AttributeValue::n(1));
    let bound = c.bind().unwrap();
    // The dotted name is one top-level attribute, not a path.
    assert!(bound.evaluate(&item(r#"{"a.b": {"L": [{"N": "2"}]}, "size": {"N": "1"}}"#)));
    assert!(!bound.evaluate(&item(r#"{"a.b": {"L": [{"N": "1"}]}, "size": {"N": "1"}}"#)));
    assert!(!bound.evaluate(&item(
        r#"{"a": {"M": {"b": {"N": "2"}}}, "size": {"N": "1"}}"#
    )));
    assert!(bound.evaluate(&item(r#"{"a": {"M": {"b": {"N": "2"}}}}"#)));
}

#[test]
fn expected_entry_shapes() {
    let msg = |entry: ExpectedAttributeValue| {
        let mut e = ExpectedMap::new();
        e.insert("a".into(), entry);
        expected(Some(&e), None).unwrap_err().message().to_owned()
    };
    let one = Some(AttributeValue::n(1));
    assert_eq!(
        msg(ExpectedAttributeValue {
            exists: Some(true),
            ..Default::default()
        }),
        "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a"
    );
    assert_eq!(
        msg(ExpectedAttributeValue::default()),
        "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a"
    );
    assert_eq!(
        msg(ExpectedAttributeValue {
            exists: Some(false),
            value: one.clone(),
            ..Default::default()
        }),
        "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a"
    );
    assert_eq!(
        msg(ExpectedAttributeValue {
            exists: Some(false),
            comparison_operator: Some("EQ".into()),
            attribute_value_list: Some(vec![AttributeValue::n(1)]),
            ..Default::default()
        }),
        "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a"
    );
    assert_eq!(
        msg(ExpectedAttributeValue {
            value: one.clone(),
            comparison_operator: Some("EQ".into()),
            attribute_value_list: Some(vec![AttributeValue::n(1)]),
            ..Default::default()
        }),
        "One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: a"
    );
    assert_eq!(
        msg(ExpectedAttributeValue {
            attribute_value_list: Some(vec![]),
            ..Default::default()
        }),
        "One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: a"
    );
    assert!(
        msg(ExpectedAttributeValue {
            comparison_operator: Some("eq".into()),
            value: one,
            ..Default::default()
        })
        .starts_with(
            "1 validation error detected: Value 'eq' at 'expected.a.member.comparisonOperator'"
        )
    );
}

#[test]
fn argument_checks() {
    let e = |op: &str, args: &[&str]| {
        let mut m = ConditionMap::new();
        m.insert("a".into(), cond(op, args));
        scan_filter(Some(&m), None)
            .map(|_| ())
            .map_err(|e| e.message().to_owned())
    };
    let n = r#"{"N": "1"}"#;
    let s = r#"{"S": "x"}"#;
    assert_eq!(
        e("EQ", &[n, n]).unwrap_err(),
        "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"
    );
    assert!(e("NULL", &[n]).is_err());
    assert!(e("NOT_NULL", &[]).is_ok());
    assert!(e("IN", &[]).is_err());
    assert!(e("BETWEEN", &[n]).is_err());
    assert!(e("EQ", &[r#"{"L": [{"N": "1"}]}"#]).is_ok());
    assert_eq!(
        e("CONTAINS", &[r#"{"L": [{"N": "1"}]}"#]).unwrap_err(),
        "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L AttributeValue type"
    );
    assert!(e("BEGINS_WITH", &[n]).is_err());
    assert!(e("LT", &[r#"{"SS": ["a"]}"#]).is_err());
    assert_eq!(
        e("IN", &[n, s]).unwrap_err(),
        "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"
    );
    assert_eq!(
        e("BETWEEN", &[r#"{"N": "4"}"#, r#"{"N": "3"}"#]).unwrap_err(),
        BETWEEN_REVERSED
    );
    assert!(e("BETWEEN", &[r#"{"N": "3"}"#, r#"{"N": "3"}"#]).is_ok());
    let mut m = ConditionMap::new();
    m.insert(
        "a".into(),
        Condition::new(
            ComparisonOperator::Eq,
            [AttributeValue::Ss(Default::default())],
        ),
    );
    assert!(
        scan_filter(Some(&m), None)
            .unwrap_err()
            .message()
            .contains("may not be empty")
    );
}

#[test]
fn conditional_operator_needs_two_conditions() {
    let mut m = ConditionMap::new();
    assert_eq!(
        scan_filter(Some(&m), Some("OR")).unwrap_err().message(),
        CONDITIONAL_OPERATOR_WITHOUT
    );
    assert!(scan_filter(Some(&m), None).unwrap().is_none());
    m.insert("a".into(), cond("NULL", &[]));
    assert_eq!(
        scan_filter(Some(&m), Some("AND")).unwrap_err().message(),
        CONDITIONAL_OPERATOR_ONE
    );
    m.insert("b".into(), cond("NULL", &[]));
    assert!(
        scan_filter(Some(&m), Some("XOR"))
            .unwrap_err()
            .message()
            .contains("enum value set: [AND, OR]")
    );
    let f = scan_filter(Some(&m), Some("OR")).unwrap().unwrap();
    assert_eq!(f.expression().kind(), ExpressionKind::Filter);
    assert_eq!(
        f.ast().to_prefix(),
        "(OR (attribute_not_exists #~n0) (attribute_not_exists #~n1))"
    );
    assert_eq!(
        expected(None, Some("AND")).unwrap_err().message(),
        CONDITIONAL_OPERATOR_WITHOUT
    );
    assert!(query_filter(None, None).unwrap().is_none());
    assert_eq!(
        scan_filter(None, Some("OR")).unwrap_err().message(),
        CONDITIONAL_OPERATOR_WITHOUT
    );
}

#[test]
fn filters_evaluate_with_legacy_semantics() {
    let mut m = ConditionMap::new();
    m.insert("q".into(), cond("NOT_CONTAINS", &[r#"{"S": "x"}"#]));
    m.insert("n".into(), cond("NE", &[r#"{"N": "2"}"#]));
    let f = query_filter(Some(&m), Some("OR")).unwrap().unwrap();
    let bound = f.bind().unwrap();
    // q missing: NOT_CONTAINS false; n missing: NE true.
    assert!(bound.evaluate(&item(r#"{}"#)));
    assert!(!bound.evaluate(&item(r#"{"n": {"N": "2"}}"#)));
    assert!(bound.evaluate(&item(r#"{"n": {"N": "2"}, "q": {"S": "abc"}}"#)));
    let f = query_filter(Some(&m), None).unwrap().unwrap();
    assert!(!f.bind().unwrap().evaluate(&item(r#"{}"#)));
}

#[test]
fn key_conditions_look_like_a_key_condition_expression() {
    let mut m = ConditionMap::new();
    m.insert("p".into(), cond("EQ", &[r#"{"S": "k"}"#]));
    m.insert(
        "c".into(),
        cond("BETWEEN", &[r#"{"N": "1"}"#, r#"{"N": "9"}"#]),
    );
    let k = key_conditions(&m).unwrap().unwrap();
    assert_eq!(k.expression().kind(), ExpressionKind::KeyCondition);
    assert_eq!(
        k.ast().to_prefix(),
        "(AND (= #~n0 :~v0) (BETWEEN #~n1 :~v1 :~v2))"
    );
    assert_eq!(
        k.ast().to_string(),
        "#~n0 = :~v0 AND #~n1 BETWEEN :~v1 AND :~v2"
    );
    m.insert("d".into(), cond("BEGINS_WITH", &[r#"{"S": "x"}"#]));
    assert!(key_conditions(&m).is_ok());
    m.insert("e".into(), cond("NE", &[r#"{"S": "x"}"#]));
    assert_eq!(key_conditions(&m).unwrap_err().message(), NOT_INDEXABLE);
    let mut bad = ConditionMap::new();
    bad.insert("p".into(), Condition::default());
    assert_eq!(
        key_conditions(&bad).unwrap_err().message(),
        "1 validation error detected: Value null at 'keyConditions.p.member.comparisonOperator' failed to satisfy constraint: Member must not be null"
    );
    assert!(key_conditions(&ConditionMap::new()).unwrap().is_none());
}

#[test]
fn attributes_to_get_projects_literal_names() {
    let p = attributes_to_get(&["a.b".into(), "c".into()]).unwrap();
    assert_eq!(p.ast().to_string(), "#~n0, #~n1");
    let got = p.bind().unwrap().project(&item(
        r#"{"a.b": {"N": "1"}, "a": {"M": {"b": {"N": "2"}}}, "d": {"N": "3"}}"#,
    ));
    assert_eq!(got, item(r#"{"a.b": {"N": "1"}}"#));
    assert_eq!(
        attributes_to_get(&["a".into(), "a".into()])
            .unwrap_err()
            .message(),
        "One or more parameter values were invalid: Duplicate value in attribute name: a"
    );
    assert!(attributes_to_get(&[]).is_err());
    assert!(attributes_to_get(&[String::new()]).is_err());
}

#[test]
fn attribute_updates_translate_to_update_clauses() {
    let mut u = AttributeUpdatesMap::new();
    let put = |v: &str, action: Option<&str>| AttributeValueUpdate {
        value: Some(value(v)),
        action: action.map(Into::into),
    };
    u.insert("a".into(), put(r#"{"N": "1"}"#, None));
    u.insert("l".into(), put(r#"{"L": [{"S": "x"}]}"#, Some("ADD")));
    u.insert(
        "gone".into(),
        AttributeValueUpdate {
            value: None,
            action: Some("DELETE".into()),
        },
    );
    u.insert("n".into(), put(r#"{"N": "2"}"#, Some("ADD")));
    u.insert("s".into(), put(r#"{"SS": ["x"]}"#, Some("DELETE")));
    let t = attribute_updates(&u).unwrap().unwrap();
    assert_eq!(
        t.ast().to_prefix(),
        "(SET (= #~n0 :~v0) (= #~n1 (list_append (if_not_exists #~n1 :~v1) :~v2))) \
         (REMOVE #~n2) (ADD (#~n3 :~v3)) (DELETE (#~n4 :~v4))"
    );
    let bound = t.bind(&["p"]).unwrap();
    let new = bound
        .apply(Some(&item(
            r#"{"l": {"L": [{"S": "w"}]}, "gone": {"N": "1"}, "n": {"N": "1"}, "s": {"SS": ["x", "y"]}}"#,
        )))
        .unwrap()
        .unwrap();
    assert_eq!(
        new,
        item(
            r#"{"a": {"N": "1"}, "l": {"L": [{"S": "w"}, {"S": "x"}]}, "n": {"N": "3"}, "s": {"SS": ["y"]}}"#
        )
    );
    assert!(
        attribute_updates(&AttributeUpdatesMap::new())
            .unwrap()
            .is_none()
    );
}

#[test]
fn attribute_update_errors() {
    let e = |v: Option<&str>, action: Option<&str>| {
        let mut u = AttributeUpdatesMap::new();
        u.insert(
            "a".into(),
            AttributeValueUpdate {
                value: v.map(value),
                action: action.map(Into::into),
            },
        );
        attribute_updates(&u).unwrap_err().message().to_owned()
    };
    assert_eq!(
        e(None, None),
        "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified"
    );
    assert_eq!(e(None, Some("ADD")), e(None, None));
    assert_eq!(
        e(Some(r#"{"S": "x"}"#), Some("ADD")),
        "One or more parameter values were invalid: ADD action is not supported for the type S"
    );
    assert_eq!(
        e(Some(r#"{"N": "1"}"#), Some("DELETE")),
        "One or more parameter values were invalid: DELETE action with value is not supported for the type N"
    );
    assert!(e(Some(r#"{"N": "1"}"#), Some("put")).contains("enum value set: [ADD, PUT, DELETE]"));
    let mut u = AttributeUpdatesMap::new();
    u.insert(
        "p".into(),
        AttributeValueUpdate {
            value: Some(AttributeValue::s("x")),
            action: None,
        },
    );
    let t = attribute_updates(&u).unwrap().unwrap();
    assert_eq!(
        t.bind(&["p"]).unwrap_err().message(),
        "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key"
    );
}

#[test]
fn run_time_type_errors_are_legacy_mismatches() {
    let mut u = AttributeUpdatesMap::new();
    u.insert(
        "a".into(),
        AttributeValueUpdate {
            value: Some(AttributeValue::n(1)),
            action: Some("ADD".into()),
        },
    );
    let t = attribute_updates(&u).unwrap().unwrap();
    let err = t
        .bind(&[])
        .unwrap()
        .apply(Some(&item(r#"{"a": {"S": "x"}}"#)))
        .unwrap_err();
    assert_eq!(err.message(), TYPE_MISMATCH);
    // Other run-time errors (here a number overflow) keep their message.
    let big = AttributeValue::N(
        "9.9999999999999999999999999999999999999E+125"
            .parse()
            .unwrap(),
    );
    u.insert(
        "a".into(),
        AttributeValueUpdate {
            value: Some(big.clone()),
            action: Some("ADD".into()),
        },
    );
    let t = attribute_updates(&u).unwrap().unwrap();
    let mut old = Item::new();
    old.insert("a".into(), big);
    let err = t.bind(&[]).unwrap().apply(Some(&old)).unwrap_err();
    assert!(err.message().contains("overflow"), "{err}");
}
