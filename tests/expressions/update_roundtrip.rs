//! Random update and projection trees: their canonical text parses back to
//! the same tree and is a fixed point of print ∘ parse; and no input makes
//! either parser panic.

use std::sync::Arc;

use dynacond::ast::{
    AddAction, DeleteAction, Name, Path, PathElement, ProjectionTree, SetAction, SetValue, Span,
    UpdateClause, UpdateOperand, UpdateTree, ValueRef,
};
use dynacond::parser::{ExprError, MAX_OPERATORS, parse_projection, parse_update};
use proptest::prelude::*;

/// Bare names that are neither reserved words nor keywords of any
/// expression language.
const NAMES: &[&str] = &[
    "a", "b", "c", "foo", "pk", "x_1", "Ab", "ANDx", "n1", "owner_id", "SETy", "REMOVEd",
];

fn name() -> impl Strategy<Value = Name> {
    prop_oneof![
        3 => prop::sample::select(NAMES).prop_map(|n| Name::Bare(Arc::from(n))),
        1 => "#[A-Za-z0-9_]{1,4}".prop_map(|n| Name::Placeholder(Arc::from(n))),
    ]
}

fn path() -> impl Strategy<Value = Path> {
    let element = prop_oneof![
        2 => name().prop_map(PathElement::Name),
        1 => (0u32..=4_294_967_294).prop_map(PathElement::Index),
    ];
    (name(), prop::collection::vec(element, 0..4)).prop_map(|(first, rest)| Path {
        elements: std::iter::once(PathElement::Name(first))
            .chain(rest)
            .collect(),
        span: Span::default(),
    })
}

fn value() -> impl Strategy<Value = ValueRef> {
    ":[A-Za-z0-9_]{1,4}".prop_map(|n| ValueRef {
        name: Arc::from(n),
        span: Span::default(),
    })
}

/// `list_append` may not be a direct argument of `list_append`: such an
/// argument is replaced by its own first argument (never a `list_append`).
fn not_list_append(o: UpdateOperand) -> Box<UpdateOperand> {
    match o {
        UpdateOperand::ListAppend { first, .. } => first,
        other => Box::new(other),
    }
}

fn operand() -> impl Strategy<Value = UpdateOperand> {
    let leaf = prop_oneof![
        path().prop_map(UpdateOperand::Path),
        value().prop_map(UpdateOperand::Value),
    ];
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (path(), inner.clone()).prop_map(|(path, default)| UpdateOperand::IfNotExists {
                path,
                default: Box::new(default),
                span: Span::default(),
            }),
            (inner.clone(), inner).prop_map(|(a, b)| UpdateOperand::ListAppend {
                first: not_list_append(a),
                second: not_list_append(b),
                span: Span::default(),
            }),
        ]
    })
}

fn set_value() -> impl Strategy<Value = SetValue> {
    prop_oneof![
        2 => operand().prop_map(SetValue::Operand),
        1 => (operand(), operand()).prop_map(|(l, r)| SetValue::Plus(l, r)),
        1 => (operand(), operand()).prop_map(|(l, r)| SetValue::Minus(l, r)),
    ]
}

fn clauses() -> impl Strategy<Value = [UpdateClause; 4]> {
    let actions = 1..4;
    (
        prop::collection::vec(
            (path(), set_value()).prop_map(|(path, value)| SetAction { path, value }),
            actions.clone(),
        ),
        prop::collection::vec(path(), actions.clone()),
        prop::collection::vec(
            (path(), value()).prop_map(|(path, value)| AddAction { path, value }),
            actions.clone(),
        ),
        prop::collection::vec(
            (path(), value()).prop_map(|(path, value)| DeleteAction { path, value }),
            actions,
        ),
    )
        .prop_map(|(s, r, a, d)| {
            [
                UpdateClause::Set(s),
                UpdateClause::Remove(r),
                UpdateClause::Add(a),
                UpdateClause::Delete(d),
            ]
        })
}

/// Each clause kind at most once, in any order.
fn update() -> impl Strategy<Value = UpdateTree> {
    (
        clauses(),
        Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        1usize..=4,
    )
        .prop_map(|(all, order, n)| {
            let mut all = all.map(Some);
            UpdateTree {
                clauses: order
                    .into_iter()
                    .take(n)
                    .filter_map(|k| all[k].take())
                    .collect(),
            }
        })
}

fn operand_ops(o: &UpdateOperand) -> usize {
    match o {
        UpdateOperand::Path(_) | UpdateOperand::Value(_) => 0,
        UpdateOperand::IfNotExists { default, .. } => 1 + operand_ops(default),
        UpdateOperand::ListAppend { first, second, .. } => {
            1 + operand_ops(first) + operand_ops(second)
        }
    }
}

/// Operators as the limits pre-scan counts them: `=`, `+`, `-`, calls.
fn operators(u: &UpdateTree) -> usize {
    u.clauses
        .iter()
        .map(|c| match c {
            UpdateClause::Set(actions) => actions
                .iter()
                .map(|a| match &a.value {
                    SetValue::Operand(o) => 1 + operand_ops(o),
                    SetValue::Plus(l, r) | SetValue::Minus(l, r) => {
                        2 + operand_ops(l) + operand_ops(r)
                    }
                })
                .sum(),
            _ => 0,
        })
        .sum()
}

fn parse(text: &str) -> Result<UpdateTree, String> {
    parse_update(text).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn update_canonical_text_round_trips(u in update()) {
        let text = u.to_string();
        prop_assume!(text.len() <= 4096 && operators(&u) <= MAX_OPERATORS);
        let parsed = parse(&text);
        prop_assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
        let parsed = parsed.unwrap_or_else(|_| u.clone());
        prop_assert_eq!(parsed.to_prefix(), u.to_prefix(), "{}", text);
        prop_assert_eq!(parsed.references(), u.references());
        let again = parsed.to_string();
        prop_assert_eq!(&again, &text);
        prop_assert_eq!(parse(&again), Ok(parsed));
    }

    #[test]
    fn update_case_spacing_and_parentheses_do_not_matter(u in update()) {
        let text = u.to_string();
        prop_assume!(text.len() <= 2000 && operators(&u) <= MAX_OPERATORS);
        // Clause keywords are the only words followed by a space that end
        // in upper-case letters after a non-name character.
        let mut noisy = format!(" {text}");
        for (from, to) in [
            (" SET ", " sEt\n"),
            (" REMOVE ", "\tremove  "),
            (" ADD ", " Add\r\n"),
            (" DELETE ", "  delete\t"),
        ] {
            noisy = noisy.replace(from, to);
        }
        let noisy = noisy
            .replace(" = ", "=( ")
            .replace(", ", " ,")
            .replace(" + ", " ) +")
            .replace(" - ", " ) -");
        // Every `=( ` opened one parenthesis; close those that a `+` or `-`
        // did not close, at the end of each SET value.
        let parsed = parse(&close_values(&noisy));
        prop_assert!(parsed.is_ok(), "{noisy:?}: {parsed:?}");
        prop_assert_eq!(parsed.map(|p| p.to_prefix()).unwrap_or_default(), u.to_prefix());
    }

    #[test]
    fn projection_canonical_text_round_trips(paths in prop::collection::vec(path(), 1..8)) {
        let p = ProjectionTree { paths };
        let text = p.to_string();
        let parsed = parse_projection(&text).map_err(|e| e.to_string());
        prop_assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
        let parsed = parsed.unwrap_or_else(|_| p.clone());
        let stripped: Vec<Vec<PathElement>> = parsed.paths.iter().map(|p| p.elements.clone()).collect();
        let expected: Vec<Vec<PathElement>> = p.paths.iter().map(|p| p.elements.clone()).collect();
        prop_assert_eq!(stripped, expected);
        prop_assert_eq!(parsed.references(), p.references());
        let again = parsed.to_string();
        prop_assert_eq!(&again, &text);
        prop_assert_eq!(parse_projection(&again).ok(), Some(parsed));
    }
}

/// Inserts the `)` that closes each `=(` of
/// [`update_case_spacing_and_parentheses_do_not_matter`] where no `+` / `-`
/// closed it: before the `,` ending the action, or before the next clause.
fn close_values(text: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    let mut depth = 0i32;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '=' && chars.get(i + 1) == Some(&'(') {
            out.push_str("=(");
            i += 2;
            open = true;
            depth = 0;
            continue;
        }
        if open {
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                ')' => open = false,
                ',' if depth == 0 => {
                    out.push(')');
                    open = false;
                }
                _ if depth == 0 && starts_clause(&chars[i..]) => {
                    out.push(')');
                    open = false;
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    if open {
        out.push(')');
    }
    out
}

/// Whether whitespace followed by a clause keyword starts here.
fn starts_clause(rest: &[char]) -> bool {
    let Some((&first, tail)) = rest.split_first() else {
        return false;
    };
    if !first.is_whitespace() {
        return false;
    }
    let word: String = tail
        .iter()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
        .collect();
    ["SET", "REMOVE", "ADD", "DELETE"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

/// Pieces that make near-miss expressions when strung together.
const TOKENS: &[&str] = &[
    " ",
    " ",
    "\t",
    "SET",
    "set",
    "REMOVE",
    "ADD",
    "DELETE",
    "a",
    "b.c",
    "#n",
    ":v",
    "x[1]",
    "[",
    "]",
    "(",
    "(",
    ")",
    ")",
    ",",
    ",",
    "=",
    "=",
    "+",
    "-",
    "if_not_exists",
    "list_append",
    "size",
    "f",
    "status",
    ".",
    "_",
    "0",
    "é",
    "#",
    ":",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Any input gives a result without panicking; what parses prints to
    /// canonical text that parses to the same tree; errors name the
    /// parameter and their span is within the text.
    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        let text: String = tokens.concat();
        check_update(&text)?;
        check_projection(&text)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,80}") {
        check_update(&text)?;
        check_projection(&text)?;
    }
}

fn check_error(text: &str, e: &ExprError, head: &str) -> Result<(), TestCaseError> {
    prop_assert!(e.to_string().starts_with(head), "{e}");
    if let Some(span) = e.span() {
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{e}: {span}"
        );
        prop_assert!(text.get(span.start..span.end).is_some());
    }
    Ok(())
}

fn check_update(text: &str) -> Result<(), TestCaseError> {
    match parse_update(text) {
        Ok(u) => {
            let canonical = u.to_string();
            let again = parse(&canonical);
            prop_assert!(again.is_ok(), "{text:?} -> {canonical:?}: {again:?}");
            prop_assert_eq!(
                again.map(|a| a.to_prefix()).unwrap_or_default(),
                u.to_prefix()
            );
        }
        Err(e) => check_error(text, &e, "Invalid UpdateExpression: ")?,
    }
    Ok(())
}

fn check_projection(text: &str) -> Result<(), TestCaseError> {
    match parse_projection(text) {
        Ok(p) => {
            let canonical = p.to_string();
            let again = parse_projection(&canonical);
            prop_assert!(again.is_ok(), "{text:?} -> {canonical:?}: {again:?}");
            prop_assert_eq!(again.map(|a| a.to_string()).unwrap_or_default(), canonical);
        }
        Err(e) => check_error(text, &e, "Invalid ProjectionExpression: ")?,
    }
    Ok(())
}
