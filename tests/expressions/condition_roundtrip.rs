//! Random condition trees: their canonical text parses back to the same tree
//! and is a fixed point of print ∘ parse.

use std::sync::Arc;

use dynacond::ast::{Comparator, ConditionTree, Name, Operand, Path, PathElement, Span, ValueRef};
use dynacond::parser::{ExpressionKind, MAX_OPERATORS, parse_condition};
use proptest::prelude::*;

/// Bare names that are neither reserved words nor keywords.
const NAMES: &[&str] = &[
    "a", "b", "c", "foo", "pk", "x_1", "Ab", "ANDx", "n1", "owner_id",
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

fn operand() -> impl Strategy<Value = Operand> {
    let leaf = prop_oneof![
        path().prop_map(Operand::Path),
        value().prop_map(Operand::Value)
    ];
    leaf.prop_recursive(2, 4, 1, |inner| {
        inner.prop_map(|arg| Operand::Size {
            arg: Box::new(arg),
            span: Span::default(),
        })
    })
}

fn comparator() -> impl Strategy<Value = Comparator> {
    prop::sample::select(
        &[
            Comparator::Eq,
            Comparator::Ne,
            Comparator::Lt,
            Comparator::Le,
            Comparator::Gt,
            Comparator::Ge,
        ][..],
    )
}

fn primary() -> impl Strategy<Value = ConditionTree> {
    prop_oneof![
        (comparator(), operand(), operand()).prop_map(|(op, left, right)| ConditionTree::Compare {
            op,
            left,
            right
        }),
        (operand(), operand(), operand()).prop_map(|(value, low, high)| ConditionTree::Between {
            value,
            low,
            high
        }),
        (operand(), prop::collection::vec(operand(), 1..5))
            .prop_map(|(value, list)| ConditionTree::In { value, list }),
        path().prop_map(ConditionTree::AttributeExists),
        path().prop_map(ConditionTree::AttributeNotExists),
        (operand(), operand()).prop_map(|(a, b)| ConditionTree::AttributeType(a, b)),
        (operand(), operand()).prop_map(|(a, b)| ConditionTree::BeginsWith(a, b)),
        (operand(), operand()).prop_map(|(a, b)| ConditionTree::Contains(a, b)),
    ]
}

fn condition() -> impl Strategy<Value = ConditionTree> {
    primary().prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| ConditionTree::Not(Box::new(c))),
            (inner.clone(), inner.clone())
                .prop_map(|(l, r)| ConditionTree::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner).prop_map(|(l, r)| ConditionTree::Or(Box::new(l), Box::new(r))),
        ]
    })
}

fn operand_ops(o: &Operand) -> usize {
    match o {
        Operand::Size { arg, .. } => 1 + operand_ops(arg),
        _ => 0,
    }
}

/// Operators as DynamoDB counts them (functions included).
fn operators(c: &ConditionTree) -> usize {
    match c {
        ConditionTree::Compare { left, right, .. } => 1 + operand_ops(left) + operand_ops(right),
        ConditionTree::Between { value, low, high } => {
            1 + operand_ops(value) + operand_ops(low) + operand_ops(high)
        }
        ConditionTree::In { value, list } => {
            1 + operand_ops(value) + list.iter().map(operand_ops).sum::<usize>()
        }
        ConditionTree::AttributeExists(_) | ConditionTree::AttributeNotExists(_) => 1,
        ConditionTree::AttributeType(a, b)
        | ConditionTree::BeginsWith(a, b)
        | ConditionTree::Contains(a, b) => 1 + operand_ops(a) + operand_ops(b),
        ConditionTree::Not(c) => 1 + operators(c),
        ConditionTree::And(l, r) | ConditionTree::Or(l, r) => 1 + operators(l) + operators(r),
    }
}

fn parse(text: &str) -> Result<ConditionTree, String> {
    parse_condition(text, ExpressionKind::Condition).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn canonical_text_round_trips(c in condition()) {
        let text = c.to_string();
        prop_assume!(text.len() <= 4096 && operators(&c) <= MAX_OPERATORS);
        let parsed = parse(&text);
        prop_assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
        let parsed = parsed.unwrap_or_else(|_| c.clone());
        prop_assert_eq!(parsed.to_prefix(), c.to_prefix(), "{}", text);
        let again = parsed.to_string();
        prop_assert_eq!(&again, &text);
        prop_assert_eq!(parse(&again), Ok(parsed));
    }

    #[test]
    fn keyword_case_and_spacing_do_not_matter(c in condition()) {
        let text = c.to_string();
        prop_assume!(text.len() <= 2000 && operators(&c) <= MAX_OPERATORS);
        let noisy = text
            .replace(" AND ", "\n and\t")
            .replace(" OR ", "  oR ")
            .replace("NOT ", "not\r\n")
            .replace(" BETWEEN ", " BeTwEeN ")
            .replace(" IN (", " in(")
            .replace(", ", " ,")
            .replace('(', "( ");
        let parsed = parse(&noisy);
        prop_assert!(parsed.is_ok(), "{noisy:?}: {parsed:?}");
        prop_assert_eq!(
            parsed.map(|p| p.to_prefix()).unwrap_or_default(),
            c.to_prefix()
        );
    }
}

/// Pieces that make near-miss expressions when strung together.
const TOKENS: &[&str] = &[
    " ",
    " ",
    "\t",
    "a",
    "b.c",
    "#n",
    ":v",
    "x[1]",
    "(",
    "(",
    ")",
    ")",
    ",",
    "=",
    "<",
    ">",
    "<>",
    "<=",
    ">=",
    "!",
    "AND",
    "and",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "size",
    "contains",
    "attribute_exists",
    "attribute_type",
    "if_not_exists",
    "dog",
    "status",
    "[",
    "]",
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
    /// parameter and a syntax error's span is within the text.
    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        let text: String = tokens.concat();
        check_any(&text)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,80}") {
        check_any(&text)?;
    }
}

fn check_any(text: &str) -> Result<(), TestCaseError> {
    match parse_condition(text, ExpressionKind::Filter) {
        Ok(c) => {
            let canonical = c.to_string();
            let again = parse(&canonical);
            prop_assert!(again.is_ok(), "{text:?} -> {canonical:?}: {again:?}");
            prop_assert_eq!(
                again.map(|a| a.to_prefix()).unwrap_or_default(),
                c.to_prefix()
            );
        }
        Err(e) => {
            prop_assert!(e.to_string().starts_with("Invalid FilterExpression: "));
            if let Some(span) = e.span() {
                prop_assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "{e}: {span}"
                );
                prop_assert!(text.get(span.start..span.end).is_some());
            }
        }
    }
    Ok(())
}
