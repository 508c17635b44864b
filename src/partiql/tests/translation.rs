//! Every message of the translation step (statements that parse but do
//! not translate), with the parameters that go with them.

use super::*;

#[test]
fn translation_messages() {
    let s = |v: &str| AttributeValue::s(v);
    let cases: Vec<(&str, Vec<AttributeValue>, &str)> = vec![
        (
            "UPDATE \"pqt\".\"idx\" SET a = 1 WHERE p = 'k1'",
            vec![],
            "This operation is not supported on an index",
        ),
        (
            "DELETE FROM \"t\".\"i\" WHERE p = 'k1'",
            vec![],
            "This operation is not supported on an index",
        ),
        (
            "DELETE FROM t WHERE p = 'k1' RETURNING MODIFIED OLD *",
            vec![],
            "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
        ),
        (
            "FROM \"pqt\" SET c = 1",
            vec![],
            "Where clause does not contain a mandatory equality on all key attributes",
        ),
        (
            "DELETE FROM t",
            vec![],
            "Where clause does not contain a mandatory equality on all key attributes",
        ),
        (
            "SELECT c FROM t ORDER BY c",
            vec![],
            "Must have WHERE clause in the statement when using ORDER BY clause.",
        ),
        (
            "SELECT * FROM t WHERE p = 'k1' AND EXISTS(s)",
            vec![],
            "Unrecognized function: exists at 1:36:6",
        ),
        (
            "SELECT * FROM t WHERE set_add(ss, <<'x'>>) = ss",
            vec![],
            "Unrecognized function: set_add at 1:23:7",
        ),
        (
            "SELECT * FROM t WHERE list_append(a, b) = c",
            vec![],
            "The function is not allowed in a condition expression; function: list_append",
        ),
        (
            "SELECT * FROM t WHERE attribute_exists('ss')",
            vec![],
            "Operator or function requires a document path; operator or function: attribute_exists",
        ),
        (
            "SELECT * FROM t WHERE attribute_exists(?)",
            vec![s("ss")],
            "Operator or function requires a document path; operator or function: attribute_exists",
        ),
        (
            "SELECT * FROM t WHERE attribute_exists()",
            vec![],
            "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0",
        ),
        (
            "SELECT * FROM t WHERE attribute_exists(a, b)",
            vec![],
            "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
        ),
        (
            "SELECT * FROM t WHERE attribute_type(l, 1)",
            vec![],
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
        ),
        (
            "SELECT * FROM t WHERE attribute_type(l, true)",
            vec![],
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: BOOL",
        ),
        (
            "SELECT * FROM t WHERE val < ?",
            vec![AttributeValue::Bool(true)],
            "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
        ),
        (
            "SELECT * FROM t WHERE val BETWEEN true AND 1",
            vec![],
            "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL",
        ),
        (
            "SELECT * FROM t WHERE size(s)",
            vec![],
            "WHERE clause must contain an expression that resolves to a boolean",
        ),
        (
            "SELECT * FROM t WHERE a",
            vec![],
            "WHERE clause must contain an expression that resolves to a boolean",
        ),
        (
            "SELECT * FROM t WHERE a = MISSING",
            vec![],
            "MISSING must be compared using IS operator",
        ),
        (
            "SELECT * FROM t WHERE 'a' IS NULL",
            vec![],
            "The left hand side argument to IS must be a Variable Reference, Literal, or Path",
        ),
        (
            "SELECT * FROM t WHERE a IS INT",
            vec![],
            "Unsupported data type for IS operator: INT. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]",
        ),
        (
            "SELECT * FROM t WHERE a IN []",
            vec![],
            "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member",
        ),
        (
            "SELECT * FROM t WHERE a IN 'x'",
            vec![],
            "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member",
        ),
        (
            "SELECT * FROM t WHERE a LIKE 'x%'",
            vec![],
            "Unsupported operator in Condition Expression. Operator: LIKE",
        ),
        (
            "SELECT * FROM t WHERE a + 1 = 2",
            vec![],
            "Unsupported operator in Condition Expression. Operator: +",
        ),
        (
            "SELECT a, b.a FROM t",
            vec![],
            "Duplicate identifiers in select clause: a",
        ),
        (
            "SELECT * FROM t WHERE p = 1e126",
            vec![],
            "Number overflow. Attempting to store a number with magnitude larger than supported range under root",
        ),
        (
            "SELECT * FROM t WHERE p = 1e-131",
            vec![],
            "Number underflow. Attempting to store a number with magnitude smaller than supported range under root",
        ),
        (
            "SELECT * FROM t WHERE p = 123456789012345678901234567890123456789",
            vec![],
            "Attempting to store more than 38 significant digits in a Number under root",
        ),
        (
            "SELECT * FROM t WHERE p = -0.0",
            vec![],
            "Negative zero decimal is not supported under key root",
        ),
        (
            "SELECT * FROM t WHERE p IN [[1, 1e126]]",
            vec![],
            "Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]",
        ),
        (
            "INSERT INTO t VALUE {'p': 5, 'm': {'x': 1e126}}",
            vec![],
            "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x",
        ),
        (
            "INSERT INTO t VALUE {'p': 6, 'l': [1, 1e126]}",
            vec![],
            "Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]",
        ),
        (
            "INSERT INTO t VALUE {'p':'k1','s':<<>>}",
            vec![],
            "Empty bags are not supported",
        ),
        (
            "INSERT INTO t VALUE {'p':'k1','s':<<1, 'a'>>}",
            vec![],
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
        ),
        (
            "INSERT INTO t VALUE {'p':'k1','s':<<?>>}",
            vec![s("x")],
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
        ),
        (
            "INSERT INTO t VALUE {'p':'k1','s':<<'a', 'a'>>}",
            vec![],
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
        ),
        (
            "UPDATE t SET n = set_add(n, <<2, 2.0>>) WHERE p = 'k1'",
            vec![],
            "One or more parameter values were invalid: Input collection [2, 2.0] contains duplicates! under root",
        ),
        (
            "INSERT INTO t VALUE {'p': 'k9', 'ss': set_add(<<'a'>>, <<'b'>>)}",
            vec![],
            "Unsupported data type: set_add under key root at 1:39:7",
        ),
        (
            "INSERT INTO t VALUE {1: 'a'}",
            vec![],
            "Tuple keys must be of type String. Actual type: DECIMAL under root",
        ),
        (
            "INSERT INTO t VALUE {'a': 1, 'a': 2}",
            vec![],
            "Duplicate keys in tuple. Key: a under root",
        ),
        (
            "INSERT INTO t VALUE ?",
            vec![s("x")],
            "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.",
        ),
        (
            "UPDATE t SET a = ?, b = ? WHERE p = ?",
            vec![s("x"), s("y")],
            "Number of parameters in request and statement don't match.",
        ),
        (
            "UPDATE t SET t = set_add(ss, <<'x'>>) WHERE p = 'k1'",
            vec![],
            "The first argument to SET_ADD must equal the assignment value at 1:18:7",
        ),
        (
            "UPDATE t SET ss = set_add(ss, 'x') WHERE p = 'k1'",
            vec![],
            "The second argument to SET_ADD must be a value with type SET at 1:27:2",
        ),
        (
            "UPDATE t SET ss = set_delete(ss, ['x']) WHERE p = 'k1'",
            vec![],
            "The second argument to SET_DELETE must be a value with type SET at 1:30:2",
        ),
        (
            "UPDATE t SET ss = set_add(ss, ?) WHERE p = 'k1'",
            vec![s("x")],
            "The second argument to SET_ADD must be a value with type SET at 1:27:2",
        ),
        (
            "UPDATE t SET ss = set_add(ss) WHERE p = 'k1'",
            vec![],
            "SET_ADD must have exactly two arguments at 1:19:7",
        ),
        (
            "UPDATE t SET ss = SET_ADD(ss, <<'x'>>, <<'y'>>) WHERE p = 'k1'",
            vec![],
            "SET_ADD must have exactly two arguments at 1:19:7",
        ),
        (
            "UPDATE t SET ss = set_add(ss, <<>>) WHERE p = 'k1'",
            vec![],
            "Empty bags are not supported",
        ),
        (
            "UPDATE t SET a = size(b) WHERE p = 1",
            vec![],
            "The function is not allowed in an update expression; function: size",
        ),
        (
            "UPDATE t SET a = nope(b) WHERE p = 1",
            vec![],
            "Unrecognized function: nope at 1:18:4",
        ),
        (
            "UPDATE t SET a = b IS NULL WHERE p = 1",
            vec![],
            "IS operator is not supported in update expressions",
        ),
        (
            "UPDATE t SET a = b || c WHERE p = 1",
            vec![],
            "Unsupported operator in Update Expression. Operator: ||",
        ),
        (
            "UPDATE t SET a = 1, a = 2 WHERE p = 1",
            vec![],
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
        ),
    ];
    for (text, params, message) in cases {
        assert_eq!(lower_error(text, &params), message, "{text}");
    }
}
