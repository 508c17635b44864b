//! UpdateExpression parsing: trees (as prefix forms), canonical printing,
//! and the exact error detail of each parse-time rule (spec §1, §2, §4, §7,
//! rows of §18 noted beside the cases).

use crate::parse_vectors;

use dynacond::ast::{SetValue, Span, UpdateClause, UpdateOperand, UpdateTree};
use dynacond::parser::{ErrorDetail, parse_update, placeholders};

fn parse(text: &str) -> Result<UpdateTree, String> {
    parse_update(text).map_err(|e| e.detail())
}

/// (expression, prefix form)
const PARSES: &[(&str, &str)] = &[
    // Clauses: any case, any order, whitespace between (spec §1, §7.1).
    ("SET b = :val1", "(SET (= b :val1))"),
    ("set b = :val1", "(SET (= b :val1))"),
    ("sEt b = :val1", "(SET (= b :val1))"),
    ("  set   b=:val1  ", "(SET (= b :val1))"),
    ("SET x = :val1, y = :val1", "(SET (= x :val1) (= y :val1))"),
    ("REMOVE a", "(REMOVE a)"),
    ("remove a.b, c[1], #d", "(REMOVE a.b c[1] #d)"),
    ("ADD a :v", "(ADD (a :v))"),
    ("add a :v, b.c[2] :w", "(ADD (a :v) (b.c[2] :w))"),
    ("DELETE a :v", "(DELETE (a :v))"),
    ("Delete #map.#sset :s", "(DELETE (#map.#sset :s))"),
    ("REMOVE a SET b = :v", "(REMOVE a) (SET (= b :v))"),
    ("SET c = :v REMOVE b", "(SET (= c :v)) (REMOVE b)"),
    (
        "DELETE s :e ADD n :d REMOVE x SET a = :v",
        "(DELETE (s :e)) (ADD (n :d)) (REMOVE x) (SET (= a :v))",
    ),
    ("SET\ta\n=\r\n:v\nREMOVE\tb", "(SET (= a :v)) (REMOVE b)"),
    ("REMOVE a[1]SET b = :v", "(REMOVE a[1]) (SET (= b :v))"),
    ("SET a=(b)REMOVE c", "(SET (= a b)) (REMOVE c)"),
    // Row 103.
    (
        "SET a.b = :x, a.c.d = :y, b.x = :z REMOVE a.x, b.y",
        "(SET (= a.b :x) (= a.c.d :y) (= b.x :z)) (REMOVE a.x b.y)",
    ),
    // Copies and arithmetic (rows 106-110, 138).
    ("SET b = a", "(SET (= b a))"),
    ("SET #one = #two", "(SET (= #one #two))"),
    ("SET #nn = :seven - #n", "(SET (= #nn (- :seven #n)))"),
    (
        "SET #n = #p, #nn = #c + #c",
        "(SET (= #n #p) (= #nn (+ #c #c)))",
    ),
    ("SET b = b+:v", "(SET (= b (+ b :v)))"),
    ("SET a = b-c", "(SET (= a (- b c)))"),
    ("SET x = :four, y = x", "(SET (= x :four) (= y x))"),
    ("REMOVE a SET b = a", "(REMOVE a) (SET (= b a))"),
    (
        "SET b = if_not_exists(b, :two) + :three",
        "(SET (= b (+ (if_not_exists b :two) :three)))",
    ),
    (
        "SET b = if_not_exists(b, :val1)+:val2",
        "(SET (= b (+ (if_not_exists b :val1) :val2)))",
    ),
    (
        "SET a = :v - if_not_exists(a.b[1], :z)",
        "(SET (= a (- :v (if_not_exists a.b[1] :z))))",
    ),
    // Functions (spec §7.2, rows 113-119).
    (
        "SET #nnnn = list_append(:val1, #nnn)",
        "(SET (= #nnnn (list_append :val1 #nnn)))",
    ),
    (
        "SET a = list_append(b, :v1)",
        "(SET (= a (list_append b :v1)))",
    ),
    (
        "SET a = list_append(if_not_exists(a, :val1), :val2)",
        "(SET (= a (list_append (if_not_exists a :val1) :val2)))",
    ),
    (
        "SET a = if_not_exists(a, if_not_exists(b, :v))",
        "(SET (= a (if_not_exists a (if_not_exists b :v))))",
    ),
    (
        "SET a = list_append(a, :v) + list_append(:w, b)",
        "(SET (= a (+ (list_append a :v) (list_append :w b))))",
    ),
    // Our choice: only a list_append directly inside list_append is refused.
    (
        "SET a = if_not_exists(a, list_append(b, :v))",
        "(SET (= a (if_not_exists a (list_append b :v))))",
    ),
    (
        "SET a = list_append(if_not_exists(a, list_append(:x, :y)), :z)",
        "(SET (= a (list_append (if_not_exists a (list_append :x :y)) :z)))",
    ),
    (
        "SET a = list_append((a), (:v))",
        "(SET (= a (list_append a :v)))",
    ),
    (
        "SET a = if_not_exists((a), :v)",
        "(SET (= a (if_not_exists a :v)))",
    ),
    (
        "SET a = if_not_exists ( a , :v )",
        "(SET (= a (if_not_exists a :v)))",
    ),
    // One pair of parentheses around a SET value or an operand (§7.1).
    ("SET a = (b + c)", "(SET (= a (+ b c)))"),
    ("SET a = (b) + (c)", "(SET (= a (+ b c)))"),
    ("SET a = ((b) + c)", "(SET (= a (+ b c)))"),
    ("SET a = ( b - (c) )", "(SET (= a (- b c)))"),
    ("SET a = (:v)", "(SET (= a :v))"),
    (
        "SET a = (if_not_exists(a, :v)) - :w",
        "(SET (= a (- (if_not_exists a :v) :w)))",
    ),
    // Lists and paths (rows 120-136, spec §2).
    ("SET a[7] = :hello", "(SET (= a[7] :hello))"),
    (
        "SET a[84] = :a1, a[37] = :a2, a[17] = :a3, a[50] = :a4",
        "(SET (= a[84] :a1) (= a[37] :a2) (= a[17] :a3) (= a[50] :a4))",
    ),
    (
        "REMOVE a[1] SET a[3] = :v17",
        "(REMOVE a[1]) (SET (= a[3] :v17))",
    ),
    ("ADD a.d[2] :s, a.i :t", "(ADD (a.d[2] :s) (a.i :t))"),
    ("SET l[4294967294] = :v", "(SET (= l[4294967294] :v))"),
    ("SET a . b [ 1 ] = :v", "(SET (= a.b[1] :v))"),
    // Names and placeholders (rows 93, 94).
    ("SET alnum = :val1", "(SET (= alnum :val1))"),
    (
        "SET Alpha_Numeric_123 = :val1",
        "(SET (= Alpha_Numeric_123 :val1))",
    ),
    ("SET A123_ = :val1", "(SET (= A123_ :val1))"),
    (
        "SET #Alpha_Numeric_123 = :v",
        "(SET (= #Alpha_Numeric_123 :v))",
    ),
    ("SET #123a = :v", "(SET (= #123a :v))"),
    ("SET #123 = :v", "(SET (= #123 :v))"),
    ("SET #_ = :v", "(SET (= #_ :v))"),
    (
        "SET a = :Alpha_Numeric_123",
        "(SET (= a :Alpha_Numeric_123))",
    ),
    ("SET a = :123a", "(SET (= a :123a))"),
    ("SET a = :_", "(SET (= a :_))"),
    // Words that only start like keywords are names.
    (
        "SET SETy = REMOVEd, ANDx = :v",
        "(SET (= SETy REMOVEd) (= ANDx :v))",
    ),
    ("ADD adder :v", "(ADD (adder :v))"),
];

#[test]
fn parses_to_prefix_form() {
    parse_vectors::check_prefix_forms(PARSES, parse, UpdateTree::to_prefix);
}

#[test]
fn canonical_text_is_a_fixed_point() {
    parse_vectors::check_fixed_points(
        PARSES.iter().map(|&(text, _)| text),
        parse,
        UpdateTree::to_prefix,
    );
}

#[test]
fn canonical_text_examples() {
    let canon = |t: &str| parse(t).map(|u| u.to_string());
    assert_eq!(
        canon("set a=:v,b=c+:one remove x[1] add n :d delete s :e").as_deref(),
        Ok("SET a = :v, b = c + :one REMOVE x[1] ADD n :d DELETE s :e")
    );
    assert_eq!(
        canon("remove  #a ,b.c[0]  set a=(if_not_exists(a,:z)-(:one))").as_deref(),
        Ok("REMOVE #a, b.c[0] SET a = if_not_exists(a, :z) - :one")
    );
    assert_eq!(
        canon("SET a = list_append( (if_not_exists(a,:e)) , :v)").as_deref(),
        Ok("SET a = list_append(if_not_exists(a, :e), :v)")
    );
}

#[test]
fn tree_shape_and_spans() {
    let u = parse("SET a = if_not_exists(b, :v) + :w REMOVE c").unwrap();
    let [UpdateClause::Set(actions), UpdateClause::Remove(paths)] = &u.clauses[..] else {
        panic!("clauses: {}", u.to_prefix())
    };
    let SetValue::Plus(left, right) = &actions[0].value else {
        panic!("not a sum")
    };
    assert_eq!(actions[0].path.span, Span::new(4, 5));
    let UpdateOperand::IfNotExists {
        path,
        default,
        span,
    } = left
    else {
        panic!("not if_not_exists")
    };
    assert_eq!(*span, Span::new(8, 28));
    assert_eq!(path.span, Span::new(22, 23));
    assert_eq!(default.span(), Span::new(25, 27));
    assert_eq!(right.span(), Span::new(31, 33));
    assert_eq!(actions[0].value.span(), Span::new(8, 33));
    assert_eq!(paths[0].span, Span::new(41, 42));
    assert_eq!(left.function_name(), Some("if_not_exists"));
    assert_eq!(u.clauses[1].keyword(), "REMOVE");
}

#[test]
fn references_in_first_use_order() {
    let u =
        parse("SET #a = :x + #b, c = list_append(#c, :x) REMOVE #a ADD d :y DELETE #e :z").unwrap();
    let refs: Vec<String> = u.references().iter().map(|r| r.to_string()).collect();
    assert_eq!(refs, ["#a", ":x", "#b", "#c", ":y", "#e", ":z"]);
}

#[test]
fn from_str_and_parameter_name() {
    let u: UpdateTree = "set a = :v".parse().unwrap();
    assert_eq!(u.to_string(), "SET a = :v");
    let e = "".parse::<UpdateTree>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid UpdateExpression: The expression can not be empty;"
    );
    let e = parse_update("SET _123 = :v").unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"Invalid UpdateExpression: Syntax error; token: "_", near: "SET _123""#
    );
    assert_eq!(e.span(), Some(Span::new(4, 5)));
    let e = parse_update("SET a = :v1 SET b = :v2").unwrap_err();
    assert_eq!(e.span(), Some(Span::new(12, 15)));
    assert_eq!(
        e.error_detail(),
        &ErrorDetail::DuplicateSection {
            section: "SET".into()
        }
    );
}

/// Errors DynamoDB checks after the placeholders are known to be defined,
/// and the lexical scan that lets a caller check those first (spec §7.2).
#[test]
fn errors_checked_after_placeholders() {
    let text = "SET b = if_not_exists(:v2, :v1)";
    let e = parse_update(text).unwrap_err();
    assert!(e.error_detail().is_checked_after_placeholders());
    assert_eq!(placeholders(text).collect::<Vec<_>>(), [":v2", ":v1"]);
    let e = parse_update("SET a = list_append(:v1)").unwrap_err();
    assert!(e.error_detail().is_checked_after_placeholders());
    let e = parse_update("SET a = f(:v1)").unwrap_err();
    assert!(!e.error_detail().is_checked_after_placeholders());
}

fn syntax(token: &str, near: &str) -> String {
    format!("Syntax error; token: \"{token}\", near: \"{near}\"")
}

/// (expression, exact detail)
fn error_cases() -> Vec<(String, String)> {
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    let syn = |a: &str, t: &str, n: &str| (a.to_owned(), syntax(t, n));
    let section =
        |k: &str| format!("The \"{k}\" section can only be used once in an update expression;");
    let this_way = |f: &str| {
        format!("The function is not allowed to be used this way in an expression; function: {f}")
    };
    let not_in_update =
        |f: &str| format!("The function is not allowed in an update expression; function: {f}");
    let invalid = |f: &str| format!("Invalid function name; function: {f}");
    let count = |f: &str, n: usize| {
        format!(
            "Incorrect number of operands for operator or function; operator or function: {f}, number of operands: {n}"
        )
    };
    let path = |f: &str| {
        format!("Operator or function requires a document path; operator or function: {f}")
    };
    let reserved = |w: &str| format!("Attribute name is a reserved keyword; reserved keyword: {w}");
    let redundant = "The expression has redundant parentheses;";
    let empty = "The expression can not be empty;";
    vec![
        // Row 145, spec §7.1.
        s("", empty),
        s(" \t\n ", empty),
        // Rows 93, 95, 119.
        syn("SET _123 = :v", "_", "SET _123"),
        syn("SET 123a = :v", "123", "SET 123a"),
        syn("SET hi-there = :v", "-", "hi-there"),
        syn("SET hi$there = :v", "$", "hi$there"),
        syn("SET \"hithere\" = :v", "\"", "SET \"hithere"),
        syn("SET #hi-there = :v", "-", "#hi-there"),
        syn("SET # = :v", "#", "SET # ="),
        syn("SET a = :", ":", "= :"),
        syn("SET a = :hi!there", "!", ":hi!there"),
        syn("SET :a = :b", ":a", "SET :a ="),
        syn("SET a = _f(b)", "_", "= _f"),
        // Clause structure (spec §7.1; the `near` of the AWS capture).
        syn("HELLO b = :v", "HELLO", "HELLO b"),
        syn("SET  REMOVE #Options", "REMOVE", "SET  REMOVE #Options"),
        syn("SET a = :v, REMOVE b", "REMOVE", ", REMOVE b"),
        syn("REMOVE a, SET b = :v", "SET", ", SET b"),
        syn("SET a = :v,", "<EOF>", ","),
        syn("SET a = :v,, b = :w", ",", ",, b"),
        syn("SET", "<EOF>", "SET"),
        syn("REMOVE", "<EOF>", "REMOVE"),
        syn("SET a", "<EOF>", "a"),
        syn("SET a :v", ":v", "a :v"),
        syn("SET a = ", "<EOF>", "= "),
        syn("SET a == :v", "=", "== :v"),
        syn("SET a <> :v", "<>", "a <> :v"),
        syn("SET a = b, c", "<EOF>", "c"),
        syn("SET a = :v REMOVE", "<EOF>", "REMOVE"),
        syn("SET a = b c", "c", "b c"),
        syn("REMOVE a,", "<EOF>", ","),
        syn("REMOVE a b", "b", "a b"),
        syn("REMOVE a = :v", "=", "a = :v"),
        syn("ADD a", "<EOF>", "a"),
        syn("ADD a b", "b", "a b"),
        syn("ADD a list_append(:a, :b)", "list_append", "a list_append("),
        syn("ADD a :v :w", ":w", ":v :w"),
        syn("DELETE a :v + :w", "+", ":v + :w"),
        syn("DELETE a = :v", "=", "a = :v"),
        syn("ADD a, b :v", ",", "a, b"),
        // No literals (spec §1).
        syn("SET a[1] = 1", "1", "= 1"),
        syn("SET a[1] = \"eight\"", "\"", "= \"eight"),
        // One `+` / `-`, at the top of a value only (rows 104, 105).
        syn("SET b = :v1 + :v2 + :v3", "+", ":v2 + :v3"),
        syn("SET b = :v1 - :v2 + :v3", "+", ":v2 + :v3"),
        syn("SET c = if_not_exists(c, :v1 + :v2)", "+", ":v1 + :v2"),
        syn("SET c = if_not_exists(c, :v1+:v2)", "+", ":v1+:v2"),
        syn("SET a = (b + c) + d", "+", ") + d"),
        syn("SET a = b + (c + d)", "+", "c + d"),
        syn("SET a = (b + c", "<EOF>", "c"),
        syn("SET a = (b c)", "c", "b c)"),
        syn("SET a = -b", "-", "= -b"),
        syn("SET a = b +", "<EOF>", "+"),
        syn("SET a = b * c", "*", "b * c"),
        syn("SET a = b / c", "/", "b / c"),
        syn("SET a = f()", ")", "()"),
        syn("SET (a) = :v", "(", "SET (a"),
        // Keywords are not names.
        syn("SET a = NOT", "NOT", "= NOT"),
        syn("SET a = remove", "remove", "= remove"),
        syn("SET a.remove = :v", "remove", ".remove ="),
        syn("SET a = set(b)", "set", "= set("),
        syn("SET add = :v", "add", "SET add ="),
        // A syntax error wins over a repeated clause.
        syn("SET a = :v SET", "<EOF>", "SET"),
        // Repeated clauses (row 99, spec §7.1).
        s("SET a = :v1 SET b = :v2", &section("SET")),
        s("SET a=:v REMOVE a SET b=:w", &section("SET")),
        s("set a = :v1 Set b = :v2", &section("SET")),
        s("REMOVE a remove b", &section("REMOVE")),
        s("ADD a :v ADD b :w", &section("ADD")),
        s("DELETE a :v delete b :w", &section("DELETE")),
        s(
            "REMOVE a SET b = :v REMOVE c SET d = :w",
            &section("REMOVE"),
        ),
        // Functions (rows 113, 117-119, spec §5.3, §7.2).
        s("SET a = list_append(:v1)", &count("list_append", 1)),
        s("SET a = list_append(:a, :b, :c)", &count("list_append", 3)),
        s("SET a = if_not_exists(a)", &count("if_not_exists", 1)),
        s(
            "SET a = if_not_exists(a, :b, :c)",
            &count("if_not_exists", 3),
        ),
        s(
            "SET a = list_append(list_append(:a, :b), :c)",
            &this_way("list_append"),
        ),
        s(
            "SET a = list_append(:a, list_append(:b, :c))",
            &this_way("list_append"),
        ),
        s(
            "SET a = list_append(list_append(list_append(:val1, :val2), :val3), :val4)",
            &this_way("list_append"),
        ),
        s("SET b = if_not_exists(:v2, :v1)", &path("if_not_exists")),
        s(
            "SET b = if_not_exists(if_not_exists(a, :v2), :v1)",
            &path("if_not_exists"),
        ),
        s(
            "SET b = if_not_exists(list_append(a, :v2), :v1)",
            &path("if_not_exists"),
        ),
        s("SET a = LIST_APPEND(:a, :b)", &invalid("LIST_APPEND")),
        s("SET a = If_Not_Exists(a, :b)", &invalid("If_Not_Exists")),
        s("SET a = f123_hi(b,c,d)", &invalid("f123_hi")),
        s("SET a = f(b,c,d)", &invalid("f")),
        s("SET a = list_append(f(:x), :y)", &invalid("f")),
        s("SET a = size(b)", &not_in_update("size")),
        s("SET a = size(b) + :one", &not_in_update("size")),
        s(
            "SET a = attribute_exists(b)",
            &not_in_update("attribute_exists"),
        ),
        s(
            "SET a = attribute_not_exists(b)",
            &not_in_update("attribute_not_exists"),
        ),
        s(
            "SET a = attribute_type(b, :t)",
            &not_in_update("attribute_type"),
        ),
        s("SET a = begins_with(b, :p)", &not_in_update("begins_with")),
        s("SET a = contains(b, :p)", &not_in_update("contains")),
        s("SET a = list_append(size(b), :v)", &not_in_update("size")),
        s(
            "SET a = if_not_exists(a, contains(b, :c))",
            &not_in_update("contains"),
        ),
        // Parentheses (spec §5.2, §7.1).
        s("SET a = ((b))", redundant),
        s("SET a = ((b + c))", redundant),
        s("SET a = ((b)) + c", redundant),
        s("SET a = b + ((c))", redundant),
        s("SET a = list_append(((a)), :v)", redundant),
        // Reserved words, depth and index range (spec §1, §2).
        s("SET status = :v", &reserved("status")),
        s("SET a = :v REMOVE Name", &reserved("Name")),
        s("SET a = if_not_exists(size, :v)", &reserved("size")),
        s("ADD a.abOrT :v", &reserved("abOrT")),
        s(
            &format!("SET a{} = :v", ".b".repeat(32)),
            "The document path has too many nesting levels; nesting levels: 33",
        ),
        s(
            &format!("REMOVE a{}", "[0]".repeat(40)),
            "The document path has too many nesting levels; nesting levels: 41",
        ),
        s(
            "SET l[4294967295] = :v",
            "List index is not within the allowable range; index: [4294967295]",
        ),
        // Which problem wins: a repeated clause, then redundant parentheses,
        // unknown and misused functions, reserved words, depth, index,
        // arity, document path.
        s("SET a = :v SET b = size(c)", &section("SET")),
        s("SET a = ((b)) SET c = f(x)", &section("SET")),
        s(
            "SET a = f(x) REMOVE ((b))",
            "Syntax error; token: \"(\", near: \"REMOVE ((\"",
        ),
        s("SET a = f(x), b = ((c))", redundant),
        s("SET a = size(x) REMOVE f", &not_in_update("size")),
        s("SET a = f(x), b = size(y)", &invalid("f")),
        s(
            "SET a = list_append(list_append(:a, :b), f(:c))",
            &invalid("f"),
        ),
        s("SET a = f(x) REMOVE status", &invalid("f")),
        s("SET a = list_append(:v) REMOVE status", &reserved("status")),
        s("SET a = if_not_exists(:v)", &count("if_not_exists", 1)),
        s(
            "SET a = list_append(:v), b = if_not_exists(:w, :x)",
            &count("list_append", 1),
        ),
        s(
            "SET a = if_not_exists(:w, :x), b = list_append(:v)",
            &count("list_append", 1),
        ),
        // Limits (spec §4, row 145).
        s(
            &format!("SET a = :v{}", " ".repeat(4087)),
            "Expression size has exceeded the maximum allowed size; expression size: 4097",
        ),
        s(
            &format!("SET {}", vec!["a = b + c"; 151].join(", ")),
            "The expression contains too many operators; operator count: 301",
        ),
        s(
            &format!(
                "SET a = {}b{}",
                "if_not_exists(a, ".repeat(300),
                ")".repeat(300)
            ),
            "Expression size has exceeded the maximum allowed size; expression size: 5409",
        ),
        s(
            &format!("SET a = {}b{}", "f(".repeat(300), ")".repeat(300)),
            &invalid("f"),
        ),
    ]
}

#[test]
fn error_details() {
    parse_vectors::check_errors(error_cases(), parse, UpdateTree::to_prefix);
}

#[test]
fn limits_at_the_boundary_are_accepted() {
    let ok = |t: &str| {
        let r = parse(t);
        assert!(
            r.is_ok(),
            "{}: {r:?}",
            t.chars().take(60).collect::<String>()
        );
    };
    let text = format!("SET a = :v{}", " ".repeat(4086));
    assert_eq!(text.len(), 4096);
    ok(&text);
    // 300 operators: `=` and `+` of 150 actions.
    ok(&format!("SET {}", vec!["a = b + c"; 150].join(", ")));
    ok(&format!("SET a{} = :v", ".b".repeat(31)));
    ok(&format!("REMOVE a{}", "[0]".repeat(31)));
    ok("SET l[4294967294] = :v");
}

/// The worst inputs for recursion within 4096 bytes, parsed on a thread
/// with a 2 MiB stack (the default for test threads) in whatever profile
/// the tests run in.
#[test]
fn deep_nesting_stays_on_a_small_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let deep: Vec<(String, bool)> = vec![
                ("(".repeat(4096), false),
                (format!("SET a = {}", "(".repeat(4088)), false),
                (
                    format!("SET a = {}b{}", "(".repeat(2040), ")".repeat(2040)),
                    false,
                ),
                (
                    format!("SET a = b + {}c{}", "(".repeat(2038), ")".repeat(2038)),
                    false,
                ),
                (
                    format!("SET a = {}b + c{}", "(".repeat(2038), ")".repeat(2038)),
                    false,
                ),
                (
                    format!(
                        "SET a = {}:v{}",
                        "if_not_exists(a, ".repeat(226),
                        ")".repeat(226)
                    ),
                    true,
                ),
                (
                    format!(
                        "SET a = {}:v{}",
                        "if_not_exists(a, list_append(:l, ".repeat(100),
                        "))".repeat(100)
                    ),
                    true,
                ),
                (
                    format!(
                        "SET a = {}:a{}",
                        "list_append(".repeat(240),
                        ", :b)".repeat(240)
                    ),
                    false,
                ),
                (
                    format!("SET a = {}b{}", "f(".repeat(299), ")".repeat(299)),
                    false,
                ),
                (
                    format!("SET a = {}b{}", "f((".repeat(299), "))".repeat(299)),
                    false,
                ),
                (format!("REMOVE {}a", "a,".repeat(2044)), true),
                (format!("SET {}a=b", "a=b,".repeat(299)), true),
                (format!("REMOVE a{}", "[0]".repeat(1361)), false),
            ];
            for (text, valid) in &deep {
                assert!(text.len() <= 4096, "{}", text.len());
                let r = parse_update(text);
                assert_eq!(
                    r.is_ok(),
                    *valid,
                    "{}...: {r:?}",
                    text.chars().take(40).collect::<String>()
                );
                // The canonical text may be longer (`a,a` prints `a, a`).
                let Ok(u) = r else { continue };
                let canonical = u.to_string();
                if canonical.len() <= 4096 {
                    let again = parse_update(&canonical).unwrap();
                    assert_eq!(again.to_prefix(), u.to_prefix());
                    assert_eq!(again.references(), u.references());
                }
            }
        })
        .unwrap();
    worker.join().unwrap();
}

/// Every UpdateExpression of the spec's vectors: those the parser rejects
/// are exactly the cases expecting that error; cases expecting a parse-time
/// error do not parse.
#[test]
fn spec_vectors() {
    let checked = parse_vectors::check(
        &[
            "updates.json",
            "numbers.json",
            "items.json",
            "transactions.json",
        ],
        "UpdateExpression",
        |t| parse_update(t).map(|_| ()).map_err(|e| e.to_string()),
    );
    assert!(checked >= 120, "{checked}");
}
