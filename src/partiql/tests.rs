//! Parser and translation tests: every grammar rule and every message the
//! front end writes, a print/parse round trip, and the depth limits on a
//! small stack.

use super::*;
use crate::ast::ConditionTree;
use crate::partiql::lower::Lowered;

mod translation;

fn parse(text: &str) -> Statement {
    Statement::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn error(text: &str) -> String {
    match Statement::parse(text) {
        Ok(s) => panic!("{text} parsed as {s}"),
        Err(e) => e.message().to_owned(),
    }
}

/// The message of a statement that parses but does not translate.
fn lower_error(text: &str, params: &[AttributeValue]) -> String {
    match parse(text).lower(params) {
        Ok(_) => panic!("{text} translated"),
        Err(e) => e.message().to_owned(),
    }
}

/// The WHERE of a statement, translated, in prefix form.
fn where_prefix(text: &str) -> String {
    let (lowered, _) = parse(text)
        .lower(&[])
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    let filter = match lowered {
        Lowered::Select { filter, .. }
        | Lowered::Delete { filter, .. }
        | Lowered::Exists { filter, .. }
        | Lowered::Update { filter, .. } => filter,
        Lowered::Insert { .. } => None,
    };
    filter.map_or_else(String::new, |f| f.ast().to_prefix())
}

const SYNTAX: &str = "Statement wasn't well formed, can't be processed: ";

#[test]
fn statements_of_every_kind() {
    let cases = [
        ("select * from t", StatementKind::Select, "t", None),
        (
            "SELECT a, b.c FROM \"t-1\".\"i\" WHERE a = 1",
            StatementKind::Select,
            "t-1",
            Some("i"),
        ),
        (
            "INSERT INTO t VALUE {'p': 1}",
            StatementKind::Insert,
            "t",
            None,
        ),
        (
            "UPDATE t SET a = 1 WHERE p = 1",
            StatementKind::Update,
            "t",
            None,
        ),
        (
            "FROM t WHERE p = 1 SET a = 1",
            StatementKind::Update,
            "t",
            None,
        ),
        (
            "DELETE FROM t WHERE p = 1",
            StatementKind::Delete,
            "t",
            None,
        ),
        (
            "EXISTS(SELECT * FROM t WHERE p = 1 AND a = 2)",
            StatementKind::Exists,
            "t",
            None,
        ),
    ];
    for (text, kind, table, index) in cases {
        let s = parse(text);
        assert_eq!(s.kind(), kind, "{text}");
        assert_eq!(s.table_name(), table, "{text}");
        assert_eq!(s.index_name(), index, "{text}");
        assert_eq!(s.text(), text);
    }
    assert!(StatementKind::Select.is_read() && !StatementKind::Update.is_read());
    assert!(parse("DELETE FROM t WHERE p = 1 RETURNING ALL OLD *").has_returning());
    assert_eq!(
        parse("SELECT * FROM t WHERE a = ? AND b IN [?, ?]").parameter_count(),
        3
    );
}

#[test]
fn canonical_text() {
    let cases = [
        (
            "select a, m.\"x y\"[2] from t where not a = 1 or b between 1 and 2",
            r#"SELECT "a", "m"."x y"[2] FROM "t" WHERE NOT "a" = 1 OR "b" BETWEEN 1 AND 2"#,
        ),
        (
            "update t set n = n - -1, l = list_append(l, [1, 'a']) remove x where p = 'it''s'",
            r#"UPDATE "t" SET "n" = "n" - - 1 SET "l" = list_append("l", [1, 'a']) REMOVE "x" WHERE "p" = 'it''s'"#,
        ),
        (
            "from t where p = ? set s = set_add(s, <<'a'>>) returning modified new *",
            r#"UPDATE "t" SET "s" = set_add("s", <<'a'>>) WHERE "p" = ? RETURNING MODIFIED NEW *"#,
        ),
        (
            "select * from t where x is not missing and y is null and z is boolean order by p desc, c",
            r#"SELECT * FROM "t" WHERE "x" IS NOT MISSING AND "y" IS NULL AND "z" IS BOOLEAN ORDER BY "p" DESC, "c" ASC"#,
        ),
        (
            "insert into t value {'p': 1, 'm': {'a': [true, null]}}",
            r#"INSERT INTO "t" VALUE {'p': 1, 'm': {'a': [TRUE, NULL]}}"#,
        ),
        (
            "select * from t where (a = 1 or b = 2) and not (c = 3 and d = (1 - (2 - 3)))",
            r#"SELECT * FROM "t" WHERE ("a" = 1 OR "b" = 2) AND NOT ("c" = 3 AND "d" = 1 - (2 - 3))"#,
        ),
        (
            "exists(select * from t where p = 1 and a in ('x', 'y'))",
            r#"EXISTS(SELECT * FROM "t" WHERE "p" = 1 AND "a" IN ['x', 'y'])"#,
        ),
    ];
    for (text, want) in cases {
        let s = parse(text);
        assert_eq!(s.to_string(), want, "{text}");
        let again = parse(&s.to_string());
        assert_eq!(again.to_string(), want, "{text} printed");
    }
}

#[test]
fn syntax_details() {
    let cases = [
        (
            "SELECT * FROM \"pqt\" WHERE p = 'k1' foo",
            "Unexpected token after expression",
        ),
        (
            "SELECT * FROM \"pqt\" WHERE p = 'k1')",
            "Unexpected token after expression",
        ),
        (
            "DELETE FROM \"pqt\" WHERE p = 'k1' ORDER BY p",
            "Unexpected token after expression",
        ),
        (
            "FROM \"pqt\" SET c = 1 WHERE p = 'k1'",
            "Unexpected token after expression",
        ),
        (
            "INSERT INTO \"pqt\" t VALUE {'p': 'k2'}",
            "Unexpected token after expression",
        ),
        (
            "SELECT * FROM t ORDER BY c WHERE p = 1",
            "Unexpected token after expression",
        ),
        (
            "SELECT * FROM t WHERE p = 1 e5",
            "Unexpected token after expression",
        ),
        (
            "SELECT * FROM t; SELECT * FROM t",
            "Unexpected token after expression",
        ),
        ("SELECT * FROM \"pqt\" WHERE", "Unexpected term"),
        ("SELECT * FROM \"pqt\" WHERE;", "Unexpected term"),
        ("SELECT * FROM \"pqt\" WHERE NOT", "Unexpected term"),
        ("SELECT * FROM \"pqt\" WHERE (", "Unexpected term"),
        ("SELECT * FROM", "Unexpected term"),
        ("UPDATE \"pqt\" SET a = 1 WHERE", "Unexpected term"),
        (
            "SELECT * FROM \"pqt\" WHERE p = 'k1' AND",
            "Missing right-hand side expression of infix operator",
        ),
        (
            "SELECT * FROM \"pqt\" WHERE p = 'k1' OR",
            "Missing right-hand side expression of infix operator",
        ),
        (
            "SELECT * FROM t WHERE p =",
            "Missing right-hand side expression of infix operator",
        ),
        ("SELECT * FROM t WHERE ORDER BY pk", "Unexpected keyword"),
        ("SELECT * FROM t WHERE pad = 'x'", "Unexpected keyword"),
        ("SELECT key FROM t", "Unexpected keyword"),
        ("SELECT * FROM t WHERE IS NULL", "Unexpected operator"),
        ("SELECT * FROM t WHERE pk = LIKE", "Unexpected operator"),
        ("SELECT * FROM t WHERE x IS FOO", "Expected type name"),
        ("DELETE FROM", "Expected identifier for simple path"),
        ("DELETE FROM;", "Expected identifier for simple path"),
        (
            "DELETE FROM WHERE p = 'a'",
            "Expected identifier for simple path",
        ),
        ("SLECT * FROM \"pqt\"", "Expected data manipulation"),
        ("", "Expected data manipulation"),
        (
            "UPDATE Payment-x SET a = 1",
            "Unexpected token after expression",
        ),
        ("SELECT m.inner FROM t", "Invalid path dot component"),
        (
            "UPDATE t SET m.inner = set_add(m.inner, <<1>>) WHERE p = 1",
            "Invalid path dot component",
        ),
        ("SELECT * FROM t WHERE (a = 1", "Expected RIGHT_PAREN"),
        ("SELECT * FROM t WHERE p = 1 # note", ""),
        ("SELECT * FROM t WHERE p = 1 /* note", ""),
        ("SELECT * FROM t WHERE p = 'open", ""),
        ("SELECT * FROM \"open", ""),
        ("SELECT * FROM t WHERE p = 1e2147483648", ""),
        ("SELECT * FROM t WHERE p = 1.5e-2147483647", ""),
        ("SELECT * FROM t WHERE p = `ion`", ""),
    ];
    for (text, detail) in cases {
        assert_eq!(error(text), format!("{SYNTAX}{detail}"), "{text}");
    }
}

#[test]
fn structure_messages() {
    let cases = [
        (
            "SELECT * FROM \"pqt\" t WHERE p = 'k1'",
            "Aliasing is not supported",
        ),
        (
            "SELECT * FROM \"pqt\" AS t WHERE p = 'k1'",
            "Aliasing is not supported",
        ),
        (
            "UPDATE \"pqt\" t SET a = 3 WHERE p = 'k1'",
            "Aliasing is not supported",
        ),
        (
            "DELETE FROM \"pqt\" t WHERE p = 'k1'",
            "Aliasing is not supported",
        ),
        ("SELECT a AS b FROM t", "Aliasing is not supported"),
        (
            "SELECT * FROM \"pqt\".\"a\".\"b\"",
            "A path may contain at most 2 components in the FROM clause",
        ),
        (
            "SELECT * FROM \"\"",
            "Path component cannot be an empty string",
        ),
        (
            "SELECT \"\" FROM t",
            "Path component cannot be an empty string",
        ),
        (
            "INSERT INTO \"pqt\".\"idx\" VALUE {'p':'k1'}",
            "FROM clause may only contain a single table name in data manipulation statements at 1:13:11",
        ),
        (
            "SELECT attribute_exists(s) FROM \"pqt\" WHERE p = 'k1'",
            "Unexpected path component at 1:8:16",
        ),
        (
            "SELECT COUNT(*) FROM \"pqt\"",
            "Unexpected path component at 1:8:5",
        ),
        (
            "SELECT l[-1] FROM \"pqt\" WHERE p = 'k1'",
            "List index is not within the allowable range; index: [-1] at 1:11:1",
        ),
        (
            "SELECT l[4294967295] FROM t",
            "List index is not within the allowable range; index: [4294967295] at 1:10:10",
        ),
        (
            "SELECT l[1.5] FROM t",
            "Unexpected path component at 1:10:3",
        ),
        (
            "SELECT l[*] FROM t",
            "Wildcard path component like a[*].b are not supported",
        ),
        (
            "SELECT l.* FROM t",
            "Unpivot path component like a.*.b are not supported",
        ),
        (
            "SELECT *, a FROM t",
            "Other attributes should not be present in the projection when '*' is used.",
        ),
        (
            "SELECT DISTINCT a FROM t",
            "Unsupported token in expression: DISTINCT",
        ),
        (
            "SELECT VALUE a FROM t",
            "Select projection doesn't support value or pivot keywords",
        ),
        (
            "SELECT * FROM t, u",
            "Only select from a single table or index is supported.",
        ),
        ("SELECT * FROM t GROUP BY a", "Unsupported clause: GROUP BY"),
        (
            "SELECT * FROM t WHERE a = 1 HAVING a",
            "Unsupported clause: HAVING at 1:29:6",
        ),
        (
            "SELECT * FROM t LIMIT 1",
            "Unsupported clause: LIMIT at 1:17:5",
        ),
        (
            "INSERT INTO t VALUES ({'p': 1})",
            "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead",
        ),
        (
            "INSERT INTO t (a, b) VALUES (1, 2)",
            "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead",
        ),
        (
            "INSERT INTO urls (key, a) VALUES (1, 2)",
            "Statement wasn't well formed, can't be processed: Unexpected keyword",
        ),
        (
            "INSERT INTO t VALUE {'p': 1} RETURNING ALL OLD *",
            "RETURNING is not supported in INSERT",
        ),
        (
            "INSERT INTO t VALUE {'p': 1} ON CONFLICT DO NOTHING",
            "Unsupported clause: ON CONFLICT",
        ),
        (
            "DELETE FROM t WHERE p = 1 RETURNING ALL OLD a",
            "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
        ),
        (
            "DELETE FROM t WHERE p = 1 RETURNING ALL OLD *, a",
            "Invalid syntax with multiple returning elements in RETURNING clause",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(error(text), message, "{text}");
    }
}

#[test]
fn where_translation() {
    let cases = [
        (
            "SELECT * FROM t WHERE a = 1 AND b <> 2 OR NOT c >= 3",
            "(OR (AND (= a :~q0) (<> b :~q1)) (NOT (>= c :~q2)))",
        ),
        ("SELECT * FROM t WHERE a != 'x'", "(<> a :~q0)"),
        (
            "SELECT * FROM t WHERE a NOT BETWEEN 1 AND 2",
            "(NOT (BETWEEN a :~q0 :~q1))",
        ),
        (
            "SELECT * FROM t WHERE a IN [1, 2] AND b NOT IN ('x')",
            "(AND (IN a :~q0 :~q1) (NOT (IN b :~q2)))",
        ),
        (
            "SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING",
            "(AND (attribute_not_exists a) (NOT (attribute_not_exists b)))",
        ),
        (
            "SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL",
            "(AND (= a :~q0) (NOT (= b :~q1)))",
        ),
        (
            "SELECT * FROM t WHERE a IS BOOL AND b IS STRING AND c IS NUMERIC",
            "(AND (AND (attribute_type a :~q0) (attribute_type b :~q1)) (attribute_type c :~q2))",
        ),
        (
            "SELECT * FROM t WHERE ATTRIBUTE_EXISTS(\"a b\".c[1]) = true",
            "(attribute_exists a b.c[1])",
        ),
        (
            "SELECT * FROM t WHERE attribute_exists(a) = false",
            "(NOT (attribute_exists a))",
        ),
        (
            "SELECT * FROM t WHERE size(a) > 3 AND begins_with(b, 'x') AND contains(c, 1)",
            "(AND (AND (> (size a) :~q0) (begins_with b :~q1)) (contains c :~q2))",
        ),
        ("SELECT * FROM t WHERE m['k'] = 1", "(= m.k :~q0)"),
        (
            "SELECT * FROM t WHERE (p = 'k1') AND data = 'x'",
            "(AND (= p :~q0) (= data :~q1))",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(where_prefix(text), want, "{text}");
    }
}

#[test]
fn literal_values() {
    let (lowered, _) = parse(
        "INSERT INTO t VALUE {'p':'k1','s':'it''s','n':1.50,'a':1E3,'b':-1.5e-3,'d':-0,'e':.73e1,\
         'y':TRUE,'z':NULL,'l':[1,'a',[]],'m':{'k':2},'ss':<<'b','a'>>,'ns':<<1,2>>}",
    )
    .lower(&[])
    .unwrap();
    let Lowered::Insert { item, .. } = lowered else {
        panic!("not an insert");
    };
    assert_eq!(
        crate::wire::item_to_json(&item),
        r#"{"p":{"S":"k1"},"s":{"S":"it's"},"n":{"N":"1.5"},"a":{"N":"1000"},"b":{"N":"-0.0015"},"d":{"N":"0"},"e":{"N":"7.3"},"y":{"BOOL":true},"z":{"NULL":true},"l":{"L":[{"N":"1"},{"S":"a"},{"L":[]}]},"m":{"M":{"k":{"N":"2"}}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]}}"#
    );
}

#[test]
fn update_translation() {
    let (lowered, _) = parse(
        "UPDATE t SET a = 1 SET n = n + 1, l = list_append(l, [2]), d = if_not_exists(d, 0) \
         REMOVE x SET s = set_add(s, <<'a'>>) REMOVE y SET r = set_delete(r, <<1>>) WHERE p = 1",
    )
    .lower(&[])
    .unwrap();
    let Lowered::Update { update, .. } = lowered else {
        panic!("not an update");
    };
    assert_eq!(
        update.ast().to_prefix(),
        "(SET (= a :~q0) (= n (+ n :~q1)) (= l (list_append l :~q2)) (= d (if_not_exists d :~q3))) \
         (REMOVE x y) (ADD (s :~q4)) (DELETE (r :~q5))"
    );
}

#[test]
fn the_cache_hands_back_one_statement() {
    let a = parse_cached("SELECT * FROM cached_t WHERE p = 1").unwrap();
    let b = parse_cached("SELECT * FROM cached_t WHERE p = 1").unwrap();
    assert!(Arc::ptr_eq(&a.inner, &b.inner));
    assert!(parse_cached("SELECT * FROM").is_err());
    fn check<T: Send + Sync + Clone>() {}
    check::<Statement>();
}

#[test]
fn limits_are_checked_before_parsing() {
    let long = format!(
        "SELECT * FROM t WHERE p = '{}'",
        "x".repeat(MAX_STATEMENT_BYTES)
    );
    assert!(error(&long).contains("8192"));
    let many = format!("SELECT * FROM t WHERE {}", vec!["a = 1"; 302].join(" AND "));
    assert_eq!(
        error(&many),
        "The expression contains too many operators; operator count: 301"
    );
    let deep = format!(
        "SELECT * FROM t WHERE {}a = 1{}",
        "(".repeat(65),
        ")".repeat(65)
    );
    assert_eq!(
        error(&deep),
        format!("{SYNTAX}Expression nested too deeply")
    );
}

/// The deepest and longest statements accepted parse, translate and drop
/// in a debug build on a thread with the default 2 MiB stack.
#[test]
fn deepest_statements_fit_a_small_stack() {
    let run = || {
        let depth = parser::MAX_NESTING;
        let mut texts = vec![
            format!(
                "SELECT * FROM t WHERE {}a = 1{}",
                "(".repeat(depth),
                ")".repeat(depth)
            ),
            format!(
                "INSERT INTO t VALUE {{'p': 1, 'l': {}1{}}}",
                "[".repeat(depth - 1),
                "]".repeat(depth - 1)
            ),
            format!(
                "SELECT * FROM t WHERE {}",
                vec!["a = 1"; parser::MAX_OPERATORS / 2].join(" AND ")
            ),
            format!(
                "SELECT * FROM t WHERE {}a = 1",
                "NOT ".repeat(parser::MAX_OPERATORS - 1)
            ),
            format!(
                "SELECT * FROM t WHERE a = {}1",
                "- ".repeat(parser::MAX_OPERATORS - 1)
            ),
            format!(
                "SELECT * FROM t WHERE {}a = 1{}",
                "(NOT ".repeat(depth),
                ")".repeat(depth)
            ),
        ];
        texts.push(format!(
            "SELECT * FROM t WHERE {}",
            vec!["(a = 1 OR (b = 2 AND c = 3))"; 50].join(" OR ")
        ));
        for text in texts {
            assert!(text.len() <= MAX_STATEMENT_BYTES, "{}", text.len());
            let statement = Statement::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let printed = statement.to_string();
            if let Ok((
                Lowered::Select {
                    filter: Some(filter),
                    ..
                },
                values,
            )) = statement.lower(&[])
            {
                let bound = filter.bind(None, Some(&values)).unwrap();
                bound.evaluate(&crate::Item::new());
                assert!(!filter.ast().to_prefix().is_empty());
            }
            drop(Statement::parse(&printed));
        }
    };
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn key_extraction() {
    use crate::partiql::keys::{KeyProblem, extract};
    use crate::store::{KeyAttribute, KeySchema, ScalarType};
    let schema = KeySchema {
        partition: KeyAttribute {
            name: "p".into(),
            scalar_type: ScalarType::S,
        },
        sort: Some(KeyAttribute {
            name: "c".into(),
            scalar_type: ScalarType::N,
        }),
    };
    let run = |text: &str| {
        let (lowered, values) = parse(text).lower(&[]).unwrap();
        let Lowered::Delete { filter, .. } = lowered else {
            panic!("not a delete");
        };
        extract(filter.as_ref().map(|f| f.ast()), &schema, &values)
            .map(|e| (e.key.len(), e.rest.as_ref().map(ConditionTree::to_prefix)))
    };
    assert_eq!(run("DELETE FROM t WHERE p = 'a' AND 1 = c"), Ok((2, None)));
    assert_eq!(
        run("DELETE FROM t WHERE (p = 'a' AND c = 1) AND x = 2 AND p = 'a'"),
        Ok((2, Some("(= x :~q2)".into())))
    );
    assert_eq!(run("DELETE FROM t WHERE p = 'a'"), Err(KeyProblem::Missing));
    assert_eq!(
        run("DELETE FROM t WHERE p = 'a' OR c = 1"),
        Err(KeyProblem::Missing)
    );
    assert_eq!(
        run("DELETE FROM t WHERE p IN ['a'] AND c = 1"),
        Err(KeyProblem::Missing)
    );
    assert_eq!(
        run("DELETE FROM t WHERE p = 'a' AND p = 'b' AND c = 1"),
        Err(KeyProblem::Multiple("p".into()))
    );
    assert_eq!(
        run("DELETE FROM t WHERE p = 'a' AND c = 'x'"),
        Err(KeyProblem::Mismatch("c".into()))
    );
    assert_eq!(
        run("DELETE FROM t WHERE p = [1] AND c = 1"),
        Err(KeyProblem::NotScalar {
            name: "p".into(),
            code: "L"
        })
    );
}
