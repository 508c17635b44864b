//! ProjectionExpression parsing: canonical text and the exact error detail
//! of each parse-time rule (spec §1, §2, §4, §8; rows 97, 146-156), and the
//! path rules the binder applies (rows 150-152).

use crate::parse_vectors;

use dynacond::ast::{ProjectionTree, Span};
use dynacond::parser::parse_projection;
use dynacond::projection::ProjectionExpression;

fn parse(text: &str) -> Result<ProjectionTree, String> {
    parse_projection(text).map_err(|e| e.detail())
}

/// (expression, canonical text)
const PARSES: &[(&str, &str)] = &[
    // Rows 146-149, 152, 155, 156.
    ("a.b[2].y", "a.b[2].y"),
    ("a.b[0],a.b[1]", "a.b[0], a.b[1]"),
    ("a.b[0],a.c", "a.b[0], a.c"),
    ("a.c,b", "a.c, b"),
    ("x", "x"),
    ("a.b[3]", "a.b[3]"),
    ("a.x.y", "a.x.y"),
    ("a[0]", "a[0]"),
    ("a.b[0][0]", "a.b[0][0]"),
    ("a, b", "a, b"),
    ("a.b, a.c", "a.b, a.c"),
    ("a[1], a[2]", "a[1], a[2]"),
    ("a.b, a.c[2]", "a.b, a.c[2]"),
    ("a[999]", "a[999]"),
    ("#n", "#n"),
    ("#n1.#n2", "#n1.#n2"),
    // Overlaps parse; the binder rejects them (rows 150, 151).
    ("a,a", "a, a"),
    ("a.b, a[1]", "a.b, a[1]"),
    // Whitespace around commas and inside paths (spec §2.1, §8).
    ("  a ,\tb\n,\r\nc  ", "a, b, c"),
    ("a . b [ 1 ] , c", "a.b[1], c"),
    ("a[4294967294]", "a[4294967294]"),
    ("a[007]", "a[7]"),
    // Not keywords in a projection: clause words, words starting like
    // keywords.
    ("remove, ANDx, SETy", "remove, ANDx, SETy"),
    ("#_, #1, #123a", "#_, #1, #123a"),
];

#[test]
fn parses_to_canonical_text() {
    let mut failures = Vec::new();
    for &(text, expected) in PARSES {
        match parse(text) {
            Ok(p) if p.to_string() == expected => {
                let again = parse(expected).unwrap();
                if again.to_string() != expected {
                    failures.push(format!("{text:?}: {expected:?} is not a fixed point"));
                }
                if parse(&again.to_string()).as_ref() != Ok(&again) {
                    failures.push(format!("{text:?}: re-parse differs"));
                }
            }
            Ok(p) => failures.push(format!("{text:?}: got {p}")),
            Err(e) => failures.push(format!("{text:?}: error {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spans_references_from_str() {
    let p = parse(" a.#b[2] , #c,#b").unwrap();
    let spans: Vec<Span> = p.paths.iter().map(|p| p.span).collect();
    assert_eq!(
        spans,
        [Span::new(1, 8), Span::new(11, 13), Span::new(14, 16)]
    );
    let refs: Vec<String> = p.references().iter().map(|r| r.to_string()).collect();
    assert_eq!(refs, ["#b", "#c"]);
    let p: ProjectionTree = "a,b".parse().unwrap();
    assert_eq!(p.paths.len(), 2);
    let e = "a,".parse::<ProjectionTree>().unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ",""#
    );
}

fn syntax(token: &str, near: &str) -> String {
    format!("Syntax error; token: \"{token}\", near: \"{near}\"")
}

/// (expression, exact detail)
fn error_cases() -> Vec<(String, String)> {
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    let syn = |a: &str, t: &str, n: &str| (a.to_owned(), syntax(t, n));
    let reserved = |w: &str| format!("Attribute name is a reserved keyword; reserved keyword: {w}");
    let empty = "The expression can not be empty;";
    vec![
        s("", empty),
        s("  \n", empty),
        // Row 153.
        syn("a,", "<EOF>", ","),
        syn(",a", ",", ",a"),
        syn("a,,b", ",", ",,b"),
        syn("a[-1]", "-", "[-1"),
        syn("a[]", "]", "[]"),
        // More syntax (spec §1, §2).
        syn("a b", "b", "a b"),
        syn("a.b[2] c", "c", "] c"),
        syn("a, b c", "c", "b c"),
        syn("#", "#", "#"),
        syn(":v", ":v", ":v"),
        syn("a = :v", "=", "a = :v"),
        syn("a.:x", ":x", ".:x"),
        syn("a[0.4]", ".", "0.4"),
        syn("a[#i]", "#i", "[#i]"),
        syn("[1]", "[", "[1"),
        syn("_a", "_", "_a"),
        syn("a.", "<EOF>", "."),
        syn("size(a)", "(", "size(a"),
        syn("(a)", "(", "(a"),
        syn("a;b", ";", "a;b"),
        syn("a.and", "and", ".and"),
        // Reserved words (row 97; spelling kept).
        s("name", &reserved("name")),
        s("a, Comment", &reserved("Comment")),
        s("a.sTaTuS[1]", &reserved("sTaTuS")),
        // Depth and index range (rows 154, 155).
        s(
            &format!("a{}", ".b".repeat(32)),
            "The document path has too many nesting levels; nesting levels: 33",
        ),
        s(
            &format!("x, a{}", "[0]".repeat(32)),
            "The document path has too many nesting levels; nesting levels: 33",
        ),
        s(
            "a[99999999999999]",
            "List index is not within the allowable range; index: [99999999999999]",
        ),
        s(
            "a[4294967295]",
            "List index is not within the allowable range; index: [4294967295]",
        ),
        // Reserved words come before depth and range; the first in the
        // text among equals.
        s(
            &format!("a[99999999999], b{}, name", ".c".repeat(40)),
            &reserved("name"),
        ),
        s(
            &format!("a[99999999999], b{}", ".c".repeat(40)),
            "The document path has too many nesting levels; nesting levels: 41",
        ),
        s("b, Name, size", &reserved("Name")),
        // Limits (spec §4).
        s(
            &format!("a{}", " ".repeat(4096)),
            "Expression size has exceeded the maximum allowed size; expression size: 4097",
        ),
    ]
}

#[test]
fn error_details() {
    parse_vectors::check_errors(error_cases(), parse, ProjectionTree::to_string);
}

#[test]
fn limits_at_the_boundary_are_accepted() {
    for text in [
        format!("a{}", ".b".repeat(31)),
        format!("a{}", "[4294967294]".repeat(31)),
        format!("a{}", " ".repeat(4095)),
    ] {
        assert!(parse(&text).is_ok(), "{}", text.len());
    }
}

/// Rows 150-152 end to end: parsed, bound without names, compared.
#[test]
fn overlap_and_conflict_rows() {
    let clash = |text: &str| {
        let projection = ProjectionExpression::parse(text).unwrap();
        projection.bind(None).err().map(|e| e.message().to_owned())
    };
    let overlap = "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths";
    let conflict = "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths";
    assert_eq!(
        clash("a,a"),
        Some(format!("{overlap}; path one: [a], path two: [a]"))
    );
    assert_eq!(
        clash("a, a.b[2].c"),
        Some(format!(
            "{overlap}; path one: [a], path two: [a, b, [2], c]"
        ))
    );
    assert_eq!(
        clash("a.b.d, a.b"),
        Some(format!("{overlap}; path one: [a, b, d], path two: [a, b]"))
    );
    assert_eq!(
        clash("a.b, a[1]"),
        Some(format!("{conflict}; path one: [a, b], path two: [a, [1]]"))
    );
    assert_eq!(
        clash("a.b[1], a.b.c"),
        Some(format!(
            "{conflict}; path one: [a, b, [1]], path two: [a, b, c]"
        ))
    );
    for text in ["a, b", "a.b, a.c", "a[1], a[2]", "a.b, a.c[2]"] {
        assert_eq!(clash(text), None, "{text}");
    }
}

/// The worst inputs within 4096 bytes on a 2 MiB stack.
#[test]
fn worst_inputs_stay_on_a_small_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let cases = [
                (format!("{}a", "a,".repeat(2047)), true),
                (format!("a{}", "[0]".repeat(1365)), false),
                (format!("a{}", ".b".repeat(2047)), false),
                (",".repeat(4096), false),
                ("[".repeat(4096), false),
                (format!("a{}", "[".repeat(4095)), false),
            ];
            for (text, valid) in &cases {
                assert!(text.len() <= 4096);
                assert_eq!(parse_projection(text).is_ok(), *valid);
            }
        })
        .unwrap();
    worker.join().unwrap();
}

/// Every ProjectionExpression of the spec's vectors.
#[test]
fn spec_vectors() {
    let checked = parse_vectors::check(
        &["projections.json", "key-conditions.json"],
        "ProjectionExpression",
        |t| parse_projection(t).map(|_| ()).map_err(|e| e.to_string()),
    );
    assert!(checked >= 30, "{checked}");
}
