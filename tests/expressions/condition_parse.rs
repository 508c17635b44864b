//! Condition parsing: precedence (as prefix forms), canonical printing, and
//! the exact error detail for each parse-time rule (spec §1, §2, §4, §5,
//! rows of §18 noted beside the cases).

use crate::parse_vectors;

use dynacond::ast::{ConditionTree, Span};
use dynacond::parser::{ExpressionKind, parse_condition};

fn parse(text: &str) -> Result<ConditionTree, String> {
    parse_condition(text, ExpressionKind::Condition).map_err(|e| e.detail())
}

/// (expression, prefix form)
const PARSES: &[(&str, &str)] = &[
    // Precedence, spec §5.1 (rows 73-77).
    (
        "a < b OR c < b AND b < c",
        "(OR (< a b) (AND (< c b) (< b c)))",
    ),
    ("NOT a < b AND c < b", "(AND (NOT (< a b)) (< c b))"),
    (
        "b BETWEEN a AND c AND a < b",
        "(AND (BETWEEN b a c) (< a b))",
    ),
    ("NOT NOT NOT NOT a < b", "(NOT (NOT (NOT (NOT (< a b)))))"),
    (
        "(a < b OR b < a) AND (b < c AND (a < b OR b < c))",
        "(AND (OR (< a b) (< b a)) (AND (< b c) (OR (< a b) (< b c))))",
    ),
    (
        "a = b OR c = d OR e = f",
        "(OR (OR (= a b) (= c d)) (= e f))",
    ),
    (
        "a = b AND c = d AND e = f",
        "(AND (AND (= a b) (= c d)) (= e f))",
    ),
    (
        "a = b AND NOT c = d OR e = f AND g = h",
        "(OR (AND (= a b) (NOT (= c d))) (AND (= e f) (= g h)))",
    ),
    (
        "a = b AND (c = d OR e = f)",
        "(AND (= a b) (OR (= c d) (= e f)))",
    ),
    ("NOT (a = b AND c = d)", "(NOT (AND (= a b) (= c d)))"),
    ("NOT(a=b)", "(NOT (= a b))"),
    // Keywords are case-insensitive whole words (row 76).
    ("a < b aNd b < c", "(AND (< a b) (< b c))"),
    ("a < b oR b < c", "(OR (< a b) (< b c))"),
    ("nOt b < a", "(NOT (< b a))"),
    ("a between x and y", "(BETWEEN a x y)"),
    ("a BetWEeN x AnD y", "(BETWEEN a x y)"),
    (
        "ANDx = ORy AND NOTz = INa",
        "(AND (= ANDx ORy) (= NOTz INa))",
    ),
    ("Between_ = In1", "(= Between_ In1)"),
    // Comparators.
    ("a = :v", "(= a :v)"),
    ("a<>b", "(<> a b)"),
    ("a<b", "(< a b)"),
    ("a<=b", "(<= a b)"),
    ("a>b", "(> a b)"),
    ("a>=:b", "(>= a :b)"),
    (":a > :b", "(> :a :b)"),
    // Paths (spec §2).
    ("a.b[2].c = :v", "(= a.b[2].c :v)"),
    ("#n[0] <> :v", "(<> #n[0] :v)"),
    ("#n1.#n2 = :two", "(= #n1.#n2 :two)"),
    ("b.x < b.y[1]", "(< b.x b.y[1])"),
    ("a[0][1].b[4294967294] = :v", "(= a[0][1].b[4294967294] :v)"),
    ("#_ = :_", "(= #_ :_)"),
    ("#1 = :123", "(= #1 :123)"),
    // IN (rows 27, 30).
    ("a IN (:x, :y)", "(IN a :x :y)"),
    ("i in (j, :k)", "(IN i j :k)"),
    ("a IN (:x)", "(IN a :x)"),
    ("size(a) IN (size(b), (c))", "(IN (size a) (size b) c)"),
    // Functions.
    ("attribute_exists(a.b[2])", "(attribute_exists a.b[2])"),
    ("attribute_not_exists(#p)", "(attribute_not_exists #p)"),
    ("attribute_type(a, :t)", "(attribute_type a :t)"),
    ("begins_with(#a, :p)", "(begins_with #a :p)"),
    ("contains(a, :v)", "(contains a :v)"),
    ("contains(size(a), :v)", "(contains (size a) :v)"),
    ("size(a) > :n", "(> (size a) :n)"),
    ("size (a) = :n", "(= (size a) :n)"),
    ("size(:x) >= :n", "(>= (size :x) :n)"),
    ("size(size(a)) >= :n", "(>= (size (size a)) :n)"),
    ("a BETWEEN size(b) AND (c)", "(BETWEEN a (size b) c)"),
    (
        "attribute_not_exists(pk) AND #v = :v",
        "(AND (attribute_not_exists pk) (= #v :v))",
    ),
    ("NOT attribute_exists(a)", "(NOT (attribute_exists a))"),
    // One pair of parentheses around anything (spec §5.2, row 79).
    ("(p <> :p)", "(<> p :p)"),
    ("((p <> :p) and p <> :p)", "(AND (<> p :p) (<> p :p))"),
    ("((c=:c) AND (p=:p))", "(AND (= c :c) (= p :p))"),
    ("(a) = (b)", "(= a b)"),
    ("((a) = b)", "(= a b)"),
    ("(size(a)) > :n", "(> (size a) :n)"),
    (
        "(attribute_exists(a)) AND (b) IN ((c))",
        "(AND (attribute_exists a) (IN b c))",
    ),
    ("(attribute_exists((a)))", "(attribute_exists a)"),
    ("(NOT (a = b))", "(NOT (= a b))"),
    ("NOT (a) = b", "(NOT (= a b))"),
    (
        "((a = b) AND c = d) OR e = f",
        "(OR (AND (= a b) (= c d)) (= e f))",
    ),
    // Whitespace anywhere between tokens and at both ends (spec §1).
    ("\t a\r\n=\n:v \n", "(= a :v)"),
    ("a . b [ 1 ] = :v", "(= a.b[1] :v)"),
    ("  (  a  )  =  (  :v  )  ", "(= a :v)"),
    ("attribute_exists ( a )", "(attribute_exists a)"),
];

#[test]
fn parses_to_prefix_form() {
    parse_vectors::check_prefix_forms(PARSES, parse, ConditionTree::to_prefix);
}

#[test]
fn canonical_text_is_a_fixed_point() {
    parse_vectors::check_fixed_points(
        PARSES.iter().map(|&(text, _)| text),
        parse,
        ConditionTree::to_prefix,
    );
}

#[test]
fn canonical_text_examples() {
    let canon = |t: &str| parse(t).map(|c| c.to_string());
    assert_eq!(
        canon("a<b or c<b and (b<c or NOT(a=b))").as_deref(),
        Ok("a < b OR c < b AND (b < c OR NOT a = b)")
    );
    assert_eq!(
        canon("not (a=b and c=d)").as_deref(),
        Ok("NOT (a = b AND c = d)")
    );
    assert_eq!(
        canon("a=b and (c=d and e=f)").as_deref(),
        Ok("a = b AND (c = d AND e = f)")
    );
    assert_eq!(
        canon("x in(:a,:b)and begins_with(y,:p)and size(z)between :l and :h").as_deref(),
        Ok("x IN (:a, :b) AND begins_with(y, :p) AND size(z) BETWEEN :l AND :h")
    );
}

#[test]
fn spans() {
    let c = parse("  size( a.b ) > :n").unwrap();
    let ConditionTree::Compare { left, right, .. } = c else {
        panic!("not a comparison")
    };
    assert_eq!(left.span(), Span::new(2, 13));
    assert_eq!(right.span(), Span::new(16, 18));
    let dynacond::ast::Operand::Size { arg, .. } = left else {
        panic!("not size")
    };
    assert_eq!(arg.span(), Span::new(8, 11));
}

#[test]
fn references_in_first_use_order() {
    let c = parse("#a.#b = :x AND (:y BETWEEN #b AND :x OR contains(#c, :z))").unwrap();
    let refs: Vec<String> = c.references().iter().map(|r| r.to_string()).collect();
    assert_eq!(refs, ["#a", "#b", ":x", ":y", "#c", ":z"]);
}

#[test]
fn from_str() {
    let c: ConditionTree = "a = :v".parse().unwrap();
    assert_eq!(c.to_prefix(), "(= a :v)");
    let e = "a".parse::<ConditionTree>().unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a""#
    );
}

#[test]
fn error_names_the_parameter() {
    let e = parse_condition("", ExpressionKind::Filter).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid FilterExpression: The expression can not be empty;"
    );
    let e = parse_condition("p", ExpressionKind::KeyCondition).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Invalid KeyConditionExpression: Syntax error;")
    );
}

fn syntax(token: &str, near: &str) -> String {
    format!("Syntax error; token: \"{token}\", near: \"{near}\"")
}

/// (expression, exact detail)
fn error_cases() -> Vec<(String, String)> {
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    let syn = |a: &str, t: &str, n: &str| (a.to_owned(), syntax(t, n));
    let redundant = "The expression has redundant parentheses;";
    let this_way = |f: &str| {
        format!("The function is not allowed to be used this way in an expression; function: {f}")
    };
    let not_in_condition =
        |f: &str| format!("The function is not allowed in a condition expression; function: {f}");
    let arity = |f: &str, n: usize| {
        format!(
            "Incorrect number of operands for operator or function; operator or function: {f}, number of operands: {n}"
        )
    };
    let in_list = |n: usize| {
        let entries: Vec<String> = (0..n).map(|k| format!(":v{k}")).collect();
        format!("a IN ({})", entries.join(", "))
    };
    vec![
        // Empty and size (rows 81, 83, 84).
        s("", "The expression can not be empty;"),
        s(" \t\r\n ", "The expression can not be empty;"),
        (
            format!("a{} = :oldval", " ".repeat(4086)),
            "Expression size has exceeded the maximum allowed size; expression size: 4097".into(),
        ),
        (
            "(".repeat(15000),
            "Expression size has exceeded the maximum allowed size; expression size: 15000".into(),
        ),
        // Operators (row 85).
        (
            format!("a<b {}{}", "or (a<b ".repeat(454), ")".repeat(454)),
            "The expression contains too many operators; operator count: 301".into(),
        ),
        (
            format!("a < {}b{}", "size(".repeat(300), ")".repeat(300)),
            "The expression contains too many operators; operator count: 301".into(),
        ),
        (
            format!("{}a = b", "NOT ".repeat(300)),
            "The expression contains too many operators; operator count: 301".into(),
        ),
        // Bare operands as conditions (row 72).
        syn("a", "<EOF>", "a"),
        syn(":v", "<EOF>", ":v"),
        syn("NOT a", "<EOF>", "a"),
        syn("a AND :v", "AND", "a AND :v"),
        syn("a OR NOT :v", "OR", "a OR NOT"),
        syn("a = :v OR NOT :v", "<EOF>", ":v"),
        syn("(a)", "<EOF>", ")"),
        syn("(a = b AND c)", ")", "c)"),
        s("a = b AND size(c)", &this_way("size")),
        // IN (row 29).
        syn("a IN ()", ")", "()"),
        syn("a IN (b,)", ")", ",)"),
        syn("a IN b", "b", "IN b"),
        syn("a IN (b c)", "c", "b c)"),
        // Operators that do not exist (row 80) and split ones.
        syn("i != :i", "!", "i !="),
        syn("a == :v", "=", "== :v"),
        syn("a < > b", ">", "< > b"),
        syn("a => b", ">", "=> b"),
        // Tokens (spec §1, rows 93, 95).
        syn("_123 = :v", "_", "_123"),
        syn("a = _f(b)", "_", "= _f"),
        syn("_f(a)", "_", "_f"),
        syn("1a = :v", "1", "1a"),
        syn("# = :v", "#", "# ="),
        syn("a = :", ":", "= :"),
        syn("a-b = :v", "-", "a-b"),
        syn("a = 1", "1", "= 1"),
        syn("a = 'x'", "'", "= 'x"),
        syn("a = \"x\"", "\"", "= \"x"),
        syn("a = é", "é", "= é"),
        syn("a.:x = :v", ":x", ".:x ="),
        syn("a[:i] = :v", ":i", "[:i]"),
        syn("a[#i] = :v", "#i", "[#i]"),
        syn("a[-1] = :v", "-", "[-1"),
        syn("a[0.4] = :v", ".", "0.4"),
        syn("a[] = :v", "]", "[] ="),
        syn("[1] = :v", "[", "[1"),
        syn("a.b(c) = :v", "(", "b(c"),
        syn("#f(a)", "(", "#f(a"),
        // Keywords are not names.
        syn("and = :v", "and", "and ="),
        syn("a = NOT b", "NOT", "= NOT b"),
        syn("a.in = :v", "in", ".in ="),
        syn("in(a) = :v", "in", "in("),
        // Incomplete or extra input.
        syn("a = :v AND", "<EOF>", "AND"),
        syn("a = :v AND ", "<EOF>", "AND "),
        syn("(a = b", "<EOF>", "b"),
        syn("a = b)", ")", "b)"),
        syn("a = b c", "c", "b c"),
        syn("(a = b) = c", "=", ") = c"),
        syn("a BETWEEN b", "<EOF>", "b"),
        syn("a BETWEEN b OR c", "OR", "b OR c"),
        syn("a BETWEEN b AND c AND", "<EOF>", "AND"),
        syn("f()", ")", "()"),
        syn("size(a,)", ")", ",)"),
        syn("NOT", "<EOF>", "NOT"),
        syn("AND a = b", "AND", "AND a"),
        syn(&"(".repeat(4096), "<EOF>", "("),
        // Redundant parentheses (row 78, spec §5.2).
        s("((p <> :p))", redundant),
        s("a=a AND ((a=a AND a=a)) AND a=a", redundant),
        s("a > ((views))", redundant),
        s("f((:x), ((a)))", redundant),
        s("((c=:c) AND ((p=:p)))", redundant),
        s("((((a<b))))", redundant),
        s("((a)) = b", redundant),
        s("(((a)) = b)", redundant),
        s("a IN (((b)))", redundant),
        s("((attribute_exists(a)))", redundant),
        s("NOT ((a = b))", redundant),
        // Functions (rows 37, 66-71).
        s("size(a)", &this_way("size")),
        s("(size(a))", &this_way("size")),
        s("attribute_exists(a) < :v", &this_way("attribute_exists")),
        s(
            "a IN (b, attribute_exists(x))",
            &this_way("attribute_exists"),
        ),
        s("size(contains(a, b)) > a", &this_way("contains")),
        s(
            "a BETWEEN begins_with(a, b) AND c",
            &this_way("begins_with"),
        ),
        s("size(a, a) = :n", &arity("size", 2)),
        s("attribute_exists(a, b)", &arity("attribute_exists", 2)),
        s(
            "attribute_not_exists(a, :b)",
            &arity("attribute_not_exists", 2),
        ),
        s("begins_with(a)", &arity("begins_with", 1)),
        s("contains(a, b, c)", &arity("contains", 3)),
        s("attribute_type(a)", &arity("attribute_type", 1)),
        s("dog(a) = :v", "Invalid function name; function: dog"),
        s("dog(a)", "Invalid function name; function: dog"),
        s(
            "ATTRIBUTE_EXISTS(a)",
            "Invalid function name; function: ATTRIBUTE_EXISTS",
        ),
        s(
            "BEGINS_WITH(a, :p)",
            "Invalid function name; function: BEGINS_WITH",
        ),
        s("Size(a) = :n", "Invalid function name; function: Size"),
        s(
            "if_not_exists(a, a) = :v",
            &not_in_condition("if_not_exists"),
        ),
        s("list_append(a, a) = :v", &not_in_condition("list_append")),
        s("if_not_exists(a, :v)", &not_in_condition("if_not_exists")),
        s(
            "attribute_exists(:v)",
            "Operator or function requires a document path; operator or function: attribute_exists",
        ),
        s(
            "attribute_not_exists(size(a))",
            "Operator or function requires a document path; operator or function: attribute_not_exists",
        ),
        // Reserved words (rows 96, 97), with the user's spelling.
        s(
            "status = :s",
            "Attribute name is a reserved keyword; reserved keyword: status",
        ),
        s(
            "a.sTaTuS = :s",
            "Attribute name is a reserved keyword; reserved keyword: sTaTuS",
        ),
        s(
            "a = b AND #x.name[1] = :v",
            "Attribute name is a reserved keyword; reserved keyword: name",
        ),
        s(
            "attribute_exists(Comment)",
            "Attribute name is a reserved keyword; reserved keyword: Comment",
        ),
        s(
            "size(a) IN (b, c, Zone)",
            "Attribute name is a reserved keyword; reserved keyword: Zone",
        ),
        // Paths (spec §2.1).
        (
            format!("a{} = :v", ".b".repeat(32)),
            "The document path has too many nesting levels; nesting levels: 33".into(),
        ),
        (
            format!("attribute_exists(a{})", "[0]".repeat(40)),
            "The document path has too many nesting levels; nesting levels: 41".into(),
        ),
        s(
            "a[4294967295] = :v",
            "List index is not within the allowable range; index: [4294967295]",
        ),
        s(
            "a[99999999999999] = :v",
            "List index is not within the allowable range; index: [99999999999999]",
        ),
        s(
            "a.b[184467440737095516160] = :v",
            "List index is not within the allowable range; index: [184467440737095516160]",
        ),
        // IN list size (spec §4).
        (
            in_list(101),
            "The IN operator is provided with too many operands; number of operands: 101".into(),
        ),
        // Order (spec §5.4): syntax, then redundant parentheses, unknown
        // function, misused function, reserved word, ... First in the text
        // within one kind.
        syn("status = :v AND ((a = b)) AND dog(a) AND", "<EOF>", "AND"),
        s("status = :v AND dog(a) AND ((a = b))", redundant),
        s(
            "size(status) AND dog(a)",
            "Invalid function name; function: dog",
        ),
        s("size(status, b)", &this_way("size")),
        s(
            "if_not_exists(a, b) = size(a) AND size(b)",
            &not_in_condition("if_not_exists"),
        ),
        s(
            "dog(a) = :v AND cat(b) = :v",
            "Invalid function name; function: dog",
        ),
        s("dog(cat(a)) = :v", "Invalid function name; function: dog"),
        s(
            "size(dog(a), b) = :v",
            "Invalid function name; function: dog",
        ),
        s(
            "a[4294967295] = name",
            "Attribute name is a reserved keyword; reserved keyword: name",
        ),
        s("attribute_exists(:a, :b)", &arity("attribute_exists", 2)),
        s(
            "size(a, b) = :v AND attribute_exists(:c)",
            &arity("size", 2),
        ),
        (
            format!("{} AND status = :v", in_list(101)),
            "Attribute name is a reserved keyword; reserved keyword: status".into(),
        ),
        // More than 300 operators, but an unknown function: spec §16.5.
        (
            format!("a < {}b{}", "f(".repeat(600), ")".repeat(600)),
            "Invalid function name; function: f".into(),
        ),
    ]
}

#[test]
fn error_details() {
    parse_vectors::check_errors(error_cases(), parse, ConditionTree::to_prefix);
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
    // Row 83: exactly 4096 bytes.
    let text = format!("a{} = :oldval", " ".repeat(4085));
    assert_eq!(text.len(), 4096);
    ok(&text);
    // Row 85: 299 operators.
    ok(&format!(
        "a<b {}{}",
        "or (a<b ".repeat(149),
        ")".repeat(149)
    ));
    // Exactly 300 operators.
    ok(&format!("a<b{}", " OR a<b".repeat(149)));
    ok(&format!("{}a = b", "NOT ".repeat(299)));
    // 32 path elements, the largest index, 100 IN entries (row 28 uses 99).
    ok(&format!("a{} = :v", ".b".repeat(31)));
    ok("a[4294967294] = :v");
    for n in [99, 100] {
        let entries: Vec<String> = (0..n).map(|k| format!(":v{k}")).collect();
        ok(&format!("a IN ({})", entries.join(",")));
    }
}

/// The worst inputs for recursion, parsed on a thread with a 2 MiB stack
/// (the default for test threads) in whatever profile the tests run in.
#[test]
fn deep_nesting_stays_on_a_small_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let deep: Vec<(String, bool)> = vec![
                ("(".repeat(4096), false),
                (")".repeat(4096), false),
                (
                    format!("{}a<b{}", "(".repeat(2046), ")".repeat(2046)),
                    false,
                ),
                ("NOT ".repeat(1024), false),
                (format!("{}a < b", "NOT ".repeat(1000)), false),
                (format!("{}a < b", "NOT ".repeat(299)), true),
                (
                    format!("{}a < b{}", "NOT (".repeat(299), ")".repeat(299)),
                    true,
                ),
                (
                    format!("{}a < b{}", "NOT ((".repeat(299), "))".repeat(299)),
                    false,
                ),
                (
                    format!("{}a{} < :v", "size(".repeat(299), ")".repeat(299)),
                    true,
                ),
                (
                    format!("{}a{} < :v", "size((".repeat(299), "))".repeat(299)),
                    true,
                ),
                (
                    format!("{}a{}", "size(".repeat(682), ")".repeat(682)),
                    false,
                ),
                (format!("a = {}b", "size(".repeat(800)), false),
                (
                    format!("{}a < b{}", "a < b AND (".repeat(150), ")".repeat(150)),
                    false,
                ),
                (
                    format!("{}a < b{}", "a < b AND (".repeat(149), ")".repeat(149)),
                    true,
                ),
                (
                    format!("{}a < b{}", "(a < b) AND (".repeat(149), ")".repeat(149)),
                    true,
                ),
                (format!("{}:v", "a IN (".repeat(400)), false),
                (
                    format!("{}:v{}", "contains(a, ".repeat(299), ")".repeat(299)),
                    false,
                ),
            ];
            for (text, valid) in &deep {
                assert!(text.len() <= 4096 || !valid);
                let r = parse_condition(text, ExpressionKind::Condition);
                assert_eq!(
                    r.is_ok(),
                    *valid,
                    "{}...: {r:?}",
                    text.chars().take(40).collect::<String>()
                );
            }
        })
        .unwrap();
    worker.join().unwrap();
}
