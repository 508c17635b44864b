//! The condition library API (`dynacond::condition`): parse once, bind to many
//! placeholder maps, evaluate many items; thread safety; references;
//! printing; parameter names in errors; `check_condition`'s request-level
//! checks; missing items.

use std::sync::Arc;

use dynacond::condition::{BoundCondition, ConditionExpression, References, check_condition};
use dynacond::parser::ExpressionKind;
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Error, Item, Number};

fn n(v: i64) -> AttributeValue {
    AttributeValue::n(v)
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::s(v)
}

fn values(entries: &[(&str, AttributeValue)]) -> ExpressionAttributeValues {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn names(entries: &[(&str, &str)]) -> ExpressionAttributeNames {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn item(entries: &[(&str, AttributeValue)]) -> Item {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn message(r: Result<impl std::fmt::Debug, Error>) -> String {
    let e = r.expect_err("an error");
    assert_eq!(e.type_name(), "ValidationException", "{e:?}");
    e.message().to_owned()
}

#[test]
fn parse_once_bind_and_evaluate_many() {
    let expr = ConditionExpression::parse(
        "attribute_not_exists(#pk) OR (#v BETWEEN :lo AND :hi AND contains(tags, :tag))",
    )
    .unwrap();
    let ean = names(&[("#pk", "pk"), ("#v", "version")]);
    let narrow = values(&[(":lo", n(1)), (":hi", n(2)), (":tag", s("red"))]);
    let wide = values(&[(":lo", n(0)), (":hi", n(100)), (":tag", s("blue"))]);
    let tags = AttributeValue::Ss(["red".to_owned(), "blue".to_owned()].into());
    let items = [
        item(&[("pk", s("k")), ("version", n(1)), ("tags", tags.clone())]),
        item(&[("pk", s("k")), ("version", n(50)), ("tags", tags.clone())]),
        item(&[
            ("pk", s("k")),
            ("version", n(2)),
            ("tags", AttributeValue::Ss(["blue".to_owned()].into())),
        ]),
        Item::new(),
    ];
    // Two bindings of one parsed expression, alive at the same time.
    let b1 = expr.bind(Some(&ean), Some(&narrow)).unwrap();
    let b2 = expr.bind(Some(&ean), Some(&wide)).unwrap();
    let r1: Vec<bool> = items.iter().map(|i| b1.evaluate(i)).collect();
    let r2: Vec<bool> = items.iter().map(|i| b2.evaluate(i)).collect();
    assert_eq!(r1, [true, false, false, true]);
    assert_eq!(r2, [true, true, true, true]);
    // Evaluating again gives the same answers; the one-call form agrees.
    for (i, it) in items.iter().enumerate() {
        assert_eq!(b1.evaluate(it), r1[i]);
        assert_eq!(
            expr.evaluate(Some(&ean), Some(&narrow), Some(it)),
            Ok(r1[i])
        );
        assert_eq!(expr.evaluate(Some(&ean), Some(&wide), Some(it)), Ok(r2[i]));
    }
    // The same expression with maps that fail binding, then valid ones again.
    let bad = values(&[(":lo", n(5)), (":hi", n(1)), (":tag", s("red"))]);
    assert!(message(expr.bind(Some(&ean), Some(&bad))).contains("upper bound"));
    assert!(expr.bind(Some(&ean), Some(&narrow)).is_ok());
}

#[test]
fn bound_conditions_are_clone_and_comparable() {
    let expr = ConditionExpression::parse("a = :v").unwrap();
    let v = values(&[(":v", n(1))]);
    let bound = expr.bind(None, Some(&v)).unwrap();
    let copy: BoundCondition<'_> = bound.clone();
    assert_eq!(copy, bound);
    assert!(copy.evaluate(&item(&[("a", n(1))])));
}

#[test]
fn condition_expression_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<ConditionExpression>();
    check::<References>();
    fn check_bound<T: Send + Sync>() {}
    check_bound::<BoundCondition<'static>>();
}

#[test]
fn usable_from_several_threads() {
    let expr = ConditionExpression::parse("a < :limit AND attribute_exists(#k)").unwrap();
    let shared = Arc::new(expr.clone());
    let ean = names(&[("#k", "k")]);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4i64)
            .map(|t| {
                let expr = if t % 2 == 0 {
                    (*shared).clone()
                } else {
                    expr.clone()
                };
                let ean = &ean;
                scope.spawn(move || {
                    let v = values(&[(":limit", n(t * 10))]);
                    let bound = expr.bind(Some(ean), Some(&v)).unwrap();
                    (0..40i64)
                        .filter(|a| bound.evaluate(&item(&[("a", n(*a)), ("k", s("x"))])))
                        .count()
                })
            })
            .collect();
        let counts: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(counts, [0, 10, 20, 30]);
    });
    // One binding shared by several threads.
    let v = values(&[(":limit", n(3))]);
    let bound = expr.bind(Some(&ean), Some(&v)).unwrap();
    let it = item(&[("a", n(2)), ("k", s("x"))]);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| assert!(bound.evaluate(&it)));
        }
    });
}

#[test]
fn references_in_first_use_order_without_repeats() {
    let expr = ConditionExpression::parse(
        "#b.x = :z AND #a BETWEEN :y AND :z OR size(#b) > :x AND contains(#c[0].#a, :y)",
    )
    .unwrap();
    let refs = expr.references();
    let strs = |v: &[Arc<str>]| v.iter().map(|r| r.to_string()).collect::<Vec<_>>();
    assert_eq!(strs(&refs.names), ["#b", "#a", "#c"]);
    assert_eq!(strs(&refs.values), [":z", ":y", ":x"]);
    let none = ConditionExpression::parse("a = b").unwrap().references();
    assert_eq!(none, References::default());
    // In IN lists and attribute_type too.
    let refs = ConditionExpression::parse("attribute_type(#t, :t) OR #t IN (:a, #u, :t, :a)")
        .unwrap()
        .references();
    assert_eq!(strs(&refs.names), ["#t", "#u"]);
    assert_eq!(strs(&refs.values), [":t", ":a"]);
}

#[test]
fn display_and_from_str_round_trip() {
    let cases = [
        ("a  =  :v and  not  (b <> c)", "a = :v AND NOT b <> c"),
        (
            "(a < b OR b < a) AND (b < c AND (a < b OR b < c))",
            "(a < b OR b < a) AND (b < c AND (a < b OR b < c))",
        ),
        (
            "\tsize( #n[2].x )\nbetween :lo and :hi",
            "size(#n[2].x) BETWEEN :lo AND :hi",
        ),
        ("x iN (:a,b , (c))", "x IN (:a, b, c)"),
        (
            "NOT NOT attribute_exists(a) or begins_with(b, :p)",
            "NOT NOT attribute_exists(a) OR begins_with(b, :p)",
        ),
    ];
    for (text, canonical) in cases {
        let expr: ConditionExpression = text.parse().unwrap();
        assert_eq!(expr.to_string(), canonical, "{text}");
        let again: ConditionExpression = canonical.parse().unwrap();
        assert_eq!(again.to_string(), canonical);
        assert_eq!(again.ast().to_prefix(), expr.ast().to_prefix());
        assert_eq!(
            format!("{again:?}"),
            format!("ConditionExpression({canonical})")
        );
    }
    let err = "a = ".parse::<ConditionExpression>().unwrap_err();
    assert!(
        err.message()
            .starts_with("Invalid ConditionExpression: Syntax error")
    );
}

#[test]
fn filter_expression_errors_name_the_parameter() {
    const HEAD: &str = "Invalid FilterExpression: ";
    let parse = |t: &str| ConditionExpression::parse_as(t, ExpressionKind::Filter);
    assert_eq!(
        message(parse("")),
        format!("{HEAD}The expression can not be empty;")
    );
    assert_eq!(
        message(parse("a = :v AND")),
        format!("{HEAD}Syntax error; token: \"<EOF>\", near: \"AND\"")
    );
    assert_eq!(
        message(parse("((a = :v))")),
        format!("{HEAD}The expression has redundant parentheses;")
    );
    assert_eq!(
        message(parse("name = :v")),
        format!("{HEAD}Attribute name is a reserved keyword; reserved keyword: name")
    );
    assert_eq!(
        message(parse("size(a)")),
        format!(
            "{HEAD}The function is not allowed to be used this way in an expression; function: size"
        )
    );
    let expr = parse("#n < :v AND begins_with(a, a)").unwrap();
    assert_eq!(expr.kind(), ExpressionKind::Filter);
    assert_eq!(
        message(expr.bind(None, None)),
        format!(
            "{HEAD}An expression attribute name used in the document path is not defined; attribute name: #n"
        )
    );
    let ean = names(&[("#n", "n")]);
    assert_eq!(
        message(expr.bind(Some(&ean), None)),
        format!(
            "{HEAD}An expression attribute value used in expression is not defined; attribute value: :v"
        )
    );
    let v = values(&[(":v", AttributeValue::Bool(true))]);
    assert_eq!(
        message(expr.bind(Some(&ean), Some(&v))),
        format!(
            "{HEAD}Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"
        )
    );
    let v = values(&[(":v", n(1))]);
    assert_eq!(
        message(expr.bind(Some(&ean), Some(&v))),
        format!(
            "{HEAD}The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a]"
        )
    );
    // The same text parsed as a ConditionExpression names that parameter.
    let cond = ConditionExpression::parse("#n < :v").unwrap();
    assert_eq!(cond.kind(), ExpressionKind::Condition);
    assert!(message(cond.bind(None, None)).starts_with("Invalid ConditionExpression: "));
}

#[test]
fn check_condition_unused_placeholders() {
    let ean = names(&[("#a", "a"), ("#x", "x"), ("#y", "y")]);
    let eav = values(&[(":v", n(1)), (":w", n(2)), (":z", n(3))]);
    // Names are reported before values, unused keys in the maps' order.
    assert_eq!(
        message(check_condition("#a = :v", Some(&ean), Some(&eav), None)),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x, #y}"
    );
    let ean_used = names(&[("#a", "a")]);
    assert_eq!(
        message(check_condition(
            "#a = :v",
            Some(&ean_used),
            Some(&eav),
            None
        )),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w, :z}"
    );
    // Used anywhere counts, even in a branch evaluation never reaches.
    let it = item(&[("a", n(1))]);
    assert_eq!(
        check_condition(
            "#a = :v OR (#x = :w AND #y IN (:z))",
            Some(&ean),
            Some(&eav),
            Some(&it)
        ),
        Ok(true)
    );
    // Judged statically, whatever the item.
    for it in [None, Some(&it)] {
        assert!(message(check_condition("a = :v", None, Some(&eav), it)).contains("{:w, :z}"));
    }
    // The request-level map checks come first.
    assert_eq!(
        message(check_condition(
            "a = b",
            Some(&ExpressionAttributeNames::new()),
            None,
            None
        )),
        "ExpressionAttributeNames must not be empty"
    );
    assert_eq!(
        message(check_condition(
            "a = b",
            None,
            Some(&ExpressionAttributeValues::new()),
            None
        )),
        "ExpressionAttributeValues must not be empty"
    );
    assert_eq!(
        message(check_condition(
            "a = b",
            Some(&names(&[("x", "a")])),
            None,
            None
        )),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"x\""
    );
    assert_eq!(
        message(check_condition(
            "a = b",
            None,
            Some(&values(&[("v", n(1))])),
            None
        )),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""
    );
    // Undefined placeholders are reported before unused ones.
    assert_eq!(
        message(check_condition("#q = :v", Some(&ean), Some(&eav), None)),
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #q"
    );
}

#[test]
fn missing_item_is_an_empty_item() {
    let empty = Item::new();
    let eav = values(&[(":v", n(1)), (":s", s("k"))]);
    for text in [
        "attribute_not_exists(pk)",
        "attribute_exists(pk)",
        "pk <> :s",
        "pk = :s",
        "NOT pk < :s",
        "size(pk) >= :v",
        ":v = :v",
        "contains(:s, :s)",
        "a.b[1] <> :v",
    ] {
        let expr = ConditionExpression::parse(text).unwrap();
        let refs = expr.references();
        let used: ExpressionAttributeValues = eav
            .iter()
            .filter(|(k, _)| refs.values.iter().any(|r| r.as_ref() == k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let used = (!used.is_empty()).then_some(&used);
        let missing = expr.evaluate(None, used, None).unwrap();
        assert_eq!(
            expr.evaluate(None, used, Some(&empty)),
            Ok(missing),
            "{text}"
        );
        assert_eq!(expr.bind(None, used).unwrap().evaluate(&empty), missing);
        assert_eq!(
            check_condition(text, None, used, None),
            Ok(missing),
            "{text}"
        );
        assert_eq!(check_condition(text, None, used, Some(&empty)), Ok(missing));
    }
    let not_exists = ConditionExpression::parse("attribute_not_exists(pk)").unwrap();
    assert_eq!(not_exists.evaluate(None, None, None), Ok(true));
}

#[test]
fn evaluation_borrows_the_item() {
    let big = "x".repeat(300 * 1024);
    let it = item(&[
        ("pk", s("k")),
        ("big", s(&big)),
        ("l", AttributeValue::L((0..1000).map(n).collect::<Vec<_>>())),
    ]);
    let before = it.clone();
    let expr = ConditionExpression::parse("pk = :k AND l[999] = :n AND size(big) = :size").unwrap();
    let eav = values(&[
        (":k", s("k")),
        (":n", n(999)),
        (":size", AttributeValue::N(Number::from(300 * 1024))),
    ]);
    let bound = expr.bind(None, Some(&eav)).unwrap();
    // A shared borrow of the item stays valid across evaluations, which only
    // need `&Item`.
    let inside: &AttributeValue = &it["big"];
    let shared: &Item = &it;
    for _ in 0..100 {
        assert!(bound.evaluate(shared));
    }
    assert_eq!(inside.as_s().map(str::len), Some(300 * 1024));
    assert_eq!(it, before);
    // Attribute order does not matter.
    let reversed: Item = it
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert!(bound.evaluate(&reversed));
}

#[test]
fn evaluation_cannot_fail_after_binding() {
    // Wrong types in the item make comparisons false, never errors.
    let expr = ConditionExpression::parse(
        "a < :n OR begins_with(a, :s) OR size(a) > :n OR a BETWEEN :n AND :n OR contains(a, :s)",
    )
    .unwrap();
    let eav = values(&[(":n", n(1)), (":s", s("x"))]);
    let bound = expr.bind(None, Some(&eav)).unwrap();
    for a in [
        AttributeValue::Null,
        AttributeValue::Bool(true),
        AttributeValue::L(vec![]),
        AttributeValue::Ns([Number::from(1)].into()),
        AttributeValue::M(Default::default()),
    ] {
        assert!(!bound.evaluate(&item(&[("a", a.clone())])), "{a:?}");
    }
}
