//! Proptest strategies and an independent reference for the update tests.
//!
//! * Values of all ten types ([`arb_value`]), lists and maps nesting up to
//!   three levels, map keys and top-level names from a small pool ([`NAMES`],
//!   plus [`ODD_NAME`] reachable only through `#n1`), so generated paths
//!   often hit. Numbers are whole hundredths spelled in several ways, so the
//!   tests can do their own exact arithmetic ([`hundredths`]).
//! * Update expressions as trees ([`Upd`]) rendered to text by the tests,
//!   with their `ExpressionAttributeValues` collected while rendering.
//! * Updates built from an item's own paths with operands of fitting types
//!   ([`arb_item_and_valid_update`]), most of which succeed, some editing
//!   several indexes of one list.
//! * A reference written for the tests ([`resolve`], [`eval_set`], [`add`],
//!   [`delete`], [`reference_apply`]): it calls none of the crate's path,
//!   arithmetic or update code.
//!
//! (Copied in spirit from `tests/strategies/mod.rs`, which belongs to the
//! condition tests.)

use std::collections::BTreeSet;
use std::fmt::Write as _;

use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Item, Map, Number};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::select;

/// Top-level attribute names and map keys.
pub const NAMES: [&str; 4] = ["a", "b", "c", "d"];

/// A top-level name only reachable through `#n1`.
pub const ODD_NAME: &str = "x.y";

/// The key attribute every generated item has; no generated target uses it.
pub const KEY: &str = "k";

/// `#name` placeholders and the names they stand for.
pub const NAME_PLACEHOLDERS: [(&str, &str); 3] = [("#n0", "a"), ("#n1", ODD_NAME), ("#n2", "c")];

/// Every `#n` placeholder, defined.
pub fn all_names() -> ExpressionAttributeNames {
    NAME_PLACEHOLDERS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------
// Values

/// Spells `hundredths / 100` in one of several equivalent ways.
pub fn spell(hundredths: i64, spelling: u8) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    let plain = if frac == 0 {
        format!("{sign}{int}")
    } else if frac % 10 == 0 {
        format!("{sign}{int}.{}", frac / 10)
    } else {
        format!("{sign}{int}.{frac:02}")
    };
    match spelling % 5 {
        0 => plain,
        1 => format!("{hundredths}e-2"),
        2 => format!("{sign}{int}.{frac:02}000"),
        3 => format!("{}E-3", i128::from(hundredths) * 10),
        _ => format!("{sign}00{int}.{frac:02}E0"),
    }
}

/// The number as whole hundredths, read from its canonical text (the
/// tests' own decimal reading); `None` for numbers with more than two
/// decimals or out of `i128` range.
pub fn hundredths(n: &Number) -> Option<i128> {
    let text = n.to_string();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 2 || int.len() > 30 {
        return None;
    }
    let frac = format!("{frac:0<2}");
    let value: i128 = format!("{int}{frac}").parse().ok()?;
    Some(if negative { -value } else { value })
}

fn from_hundredths(h: i128) -> Number {
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
        .parse()
        .unwrap()
}

pub fn arb_hundredths() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => select(&[-250i64, -100, -1, 0, 1, 50, 100, 150, 1000][..]),
        1 => -100_000i64..100_000,
    ]
}

pub fn arb_number() -> impl Strategy<Value = Number> {
    (arb_hundredths(), any::<u8>()).prop_map(|(h, s)| spell(h, s).parse().unwrap())
}

const STRINGS: [&str; 6] = ["", "a", "b", "ab", "é", "😀"];
const BYTES: [u8; 4] = [0x00, 0x01, 0x7f, 0xff];

pub fn arb_string() -> impl Strategy<Value = String> {
    select(&STRINGS[..]).prop_map(str::to_owned)
}

pub fn arb_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(select(&BYTES[..]), 0..3)
}

pub fn arb_ss() -> impl Strategy<Value = AttributeValue> {
    btree_set(arb_string(), 1..4).prop_map(AttributeValue::Ss)
}

pub fn arb_ns() -> impl Strategy<Value = AttributeValue> {
    // Small members, so that unions and differences meet often.
    btree_set((-2i64..4, any::<u8>()), 1..4).prop_map(|members| {
        AttributeValue::Ns(
            members
                .into_iter()
                .map(|(n, s)| spell(n * 50, s).parse().unwrap())
                .collect(),
        )
    })
}

pub fn arb_bs() -> impl Strategy<Value = AttributeValue> {
    btree_set(arb_bytes(), 1..4).prop_map(AttributeValue::Bs)
}

pub fn arb_set() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![arb_ss(), arb_ns(), arb_bs()]
}

/// Scalars and sets.
pub fn arb_leaf() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        2 => arb_string().prop_map(AttributeValue::S),
        3 => arb_number().prop_map(AttributeValue::N),
        1 => arb_bytes().prop_map(AttributeValue::B),
        2 => arb_set(),
        1 => any::<bool>().prop_map(AttributeValue::Bool),
        1 => Just(AttributeValue::Null),
    ]
}

/// Values of all ten types; lists (0 to 3 elements) and maps (keys from
/// [`NAMES`]) nest up to three levels.
pub fn arb_value() -> impl Strategy<Value = AttributeValue> {
    arb_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(AttributeValue::L),
            vec((select(&NAMES[..]), inner), 0..4).prop_map(|entries| {
                AttributeValue::M(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map>(),
                )
            }),
        ]
    })
}

/// Lists and maps more often than [`arb_value`], for top-level attributes.
pub fn arb_attribute() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        2 => arb_value(),
        1 => vec(arb_value(), 0..4).prop_map(AttributeValue::L),
        1 => vec((select(&NAMES[..]), arb_value()), 0..4).prop_map(|entries| {
            AttributeValue::M(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map>())
        }),
    ]
}

/// An item: the key attribute [`KEY`], then each name of the pool (and
/// [`ODD_NAME`]) with probability 3/4.
pub fn arb_item() -> impl Strategy<Value = Item> {
    let names = [NAMES[0], NAMES[1], NAMES[2], NAMES[3], ODD_NAME];
    vec(
        proptest::option::weighted(0.75, arb_attribute()),
        names.len(),
    )
    .prop_map(move |values| {
        let mut item = Item::new();
        item.insert(KEY.to_owned(), AttributeValue::s("key"));
        for (name, value) in names.iter().zip(values) {
            if let Some(v) = value {
                item.insert((*name).to_owned(), v);
            }
        }
        item
    })
}

// ---------------------------------------------------------------------------
// Paths

/// One element of a generated path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elem {
    /// A bare name.
    Name(&'static str),
    /// A `#n` placeholder (the index into [`NAME_PLACEHOLDERS`]).
    Placeholder(usize),
    /// `[i]`
    Index(u32),
}

/// A resolved step, for the reference evaluator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum St {
    Key(String),
    Index(usize),
}

/// A document path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct P(pub Vec<Elem>);

impl P {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, e) in self.0.iter().enumerate() {
            match e {
                Elem::Name(n) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(n);
                }
                Elem::Placeholder(p) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(NAME_PLACEHOLDERS[*p].0);
                }
                Elem::Index(k) => {
                    let _ = write!(out, "[{k}]");
                }
            }
        }
        out
    }

    /// The steps after substituting the names.
    pub fn steps(&self) -> Vec<St> {
        self.0
            .iter()
            .map(|e| match e {
                Elem::Name(n) => St::Key((*n).to_owned()),
                Elem::Placeholder(p) => St::Key(NAME_PLACEHOLDERS[*p].1.to_owned()),
                Elem::Index(i) => St::Index(*i as usize),
            })
            .collect()
    }

    /// True when every step is a name (no list index anywhere).
    pub fn keys_only(&self) -> bool {
        self.0.iter().all(|e| !matches!(e, Elem::Index(_)))
    }

    pub fn top(&self) -> String {
        match self.steps().first() {
            Some(St::Key(k)) => k.clone(),
            _ => String::new(),
        }
    }
}

pub fn arb_first() -> impl Strategy<Value = Elem> {
    prop_oneof![
        4 => select(&NAMES[..]).prop_map(Elem::Name),
        1 => (0..NAME_PLACEHOLDERS.len()).prop_map(Elem::Placeholder),
    ]
}

pub fn arb_path() -> impl Strategy<Value = P> {
    let rest = prop_oneof![
        1 => select(&NAMES[..]).prop_map(Elem::Name),
        1 => (0u32..5).prop_map(Elem::Index),
    ];
    (
        arb_first(),
        prop_oneof![3 => Just(0usize), 2 => Just(1usize), 1 => Just(2usize)],
        vec(rest, 2),
    )
        .prop_map(|(first, len, rest)| {
            let mut elems = vec![first];
            elems.extend(rest.into_iter().take(len));
            P(elems)
        })
}

/// How two resolved paths relate (the tests' own version of §7.3).
pub fn clashes(a: &[St], b: &[St]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x == y {
            continue;
        }
        return !matches!(
            (x, y),
            (St::Key(_), St::Key(_)) | (St::Index(_), St::Index(_))
        );
    }
    true
}

// ---------------------------------------------------------------------------
// Update expressions

/// An operand of a SET value.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(P),
    Value(AttributeValue),
    IfNotExists(P, Box<Operand>),
    ListAppend(Box<Operand>, Box<Operand>),
}

/// A SET value.
#[derive(Debug, Clone, PartialEq)]
pub enum Rhs {
    One(Operand),
    Plus(Operand, Operand),
    Minus(Operand, Operand),
}

/// One action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Set(P, Rhs),
    Remove(P),
    Add(P, AttributeValue),
    Delete(P, AttributeValue),
}

impl Action {
    pub fn target(&self) -> &P {
        match self {
            Action::Set(p, _) | Action::Remove(p) | Action::Add(p, _) | Action::Delete(p, _) => p,
        }
    }

    fn clause(&self) -> usize {
        match self {
            Action::Set(..) => 0,
            Action::Remove(_) => 1,
            Action::Add(..) => 2,
            Action::Delete(..) => 3,
        }
    }
}

/// A generated update: its actions, the order its clauses are written in
/// (a permutation of 0..4: SET, REMOVE, ADD, DELETE) and whether to leave
/// one value placeholder undefined.
#[derive(Debug, Clone)]
pub struct Upd {
    pub actions: Vec<Action>,
    pub clause_order: Vec<usize>,
    pub drop_value: Option<usize>,
}

/// Assigns placeholder names while rendering.
#[derive(Default)]
pub struct Render {
    pub values: ExpressionAttributeValues,
}

impl Render {
    fn value(&mut self, v: &AttributeValue) -> String {
        let name = format!(":v{}", self.values.len());
        self.values.insert(name.clone(), v.clone());
        name
    }

    fn operand(&mut self, o: &Operand) -> String {
        match o {
            Operand::Path(p) => p.text(),
            Operand::Value(v) => self.value(v),
            Operand::IfNotExists(p, d) => {
                let d = self.operand(d);
                format!("if_not_exists({}, {d})", p.text())
            }
            Operand::ListAppend(a, b) => {
                let a = self.operand(a);
                let b = self.operand(b);
                format!("list_append({a}, {b})")
            }
        }
    }

    fn action(&mut self, a: &Action) -> String {
        match a {
            Action::Set(p, rhs) => {
                let rhs = match rhs {
                    Rhs::One(o) => self.operand(o),
                    Rhs::Plus(l, r) => {
                        let l = self.operand(l);
                        format!("{l} + {}", self.operand(r))
                    }
                    Rhs::Minus(l, r) => {
                        let l = self.operand(l);
                        format!("{l} - {}", self.operand(r))
                    }
                };
                format!("{} = {rhs}", p.text())
            }
            Action::Remove(p) => p.text(),
            Action::Add(p, v) | Action::Delete(p, v) => format!("{} {}", p.text(), self.value(v)),
        }
    }
}

impl Upd {
    /// The actions in the order the bound update holds them: clause by
    /// clause in the written order, actions in generated order.
    pub fn ordered(&self) -> Vec<&Action> {
        let mut out = Vec::new();
        for clause in &self.clause_order {
            out.extend(self.actions.iter().filter(|a| a.clause() == *clause));
        }
        out
    }

    /// The expression text and its value placeholders.
    pub fn render(&self) -> (String, ExpressionAttributeValues) {
        let (text, values, _) = self.render_full();
        (text, values)
    }

    /// The expression text, its value placeholders, and whether one used
    /// placeholder was left out of them.
    pub fn render_full(&self) -> (String, ExpressionAttributeValues, bool) {
        let mut r = Render::default();
        let mut clauses = Vec::new();
        for clause in &self.clause_order {
            let texts: Vec<String> = self
                .actions
                .iter()
                .filter(|a| a.clause() == *clause)
                .map(|a| r.action(a))
                .collect();
            if !texts.is_empty() {
                let keyword = ["SET", "REMOVE", "ADD", "DELETE"][*clause];
                clauses.push(format!("{keyword} {}", texts.join(", ")));
            }
        }
        let mut values = r.values;
        let mut dropped = false;
        if let Some(i) = self.drop_value {
            if !values.is_empty() {
                let i = i % values.len();
                values.shift_remove_index(i);
                dropped = true;
            }
        }
        (clauses.join(" "), values, dropped)
    }

    /// True when no two targets overlap or conflict.
    pub fn disjoint(&self) -> bool {
        let steps: Vec<Vec<St>> = self.actions.iter().map(|a| a.target().steps()).collect();
        steps
            .iter()
            .enumerate()
            .all(|(i, a)| steps.iter().skip(i + 1).all(|b| !clashes(a, b)))
    }
}

/// Mostly numbers, sometimes anything.
fn arb_number_value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![9 => arb_number().prop_map(AttributeValue::N), 1 => arb_value()]
}

/// Mostly lists, sometimes anything.
fn arb_list_value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        9 => vec(arb_value(), 0..3).prop_map(AttributeValue::L),
        1 => arb_value(),
    ]
}

/// An operand whose placeholder values come from `value`.
fn arb_operand_with(value: BoxedStrategy<AttributeValue>) -> BoxedStrategy<Operand> {
    let leaf = prop_oneof![
        2 => arb_path().prop_map(Operand::Path),
        2 => value.clone().prop_map(Operand::Value),
    ];
    prop_oneof![
        4 => leaf.clone(),
        2 => (arb_path(), leaf.clone()).prop_map(|(p, d)| Operand::IfNotExists(p, Box::new(d))),
        1 => (arb_path(), arb_path(), value).prop_map(|(p, q, v)| Operand::IfNotExists(
            p,
            Box::new(Operand::IfNotExists(q, Box::new(Operand::Value(v))))
        )),
    ]
    .boxed()
}

pub fn arb_rhs() -> impl Strategy<Value = Rhs> {
    let list_operand = arb_operand_with(arb_list_value().boxed());
    let number_operand = arb_operand_with(arb_number_value().boxed());
    prop_oneof![
        3 => arb_operand_with(arb_value().boxed()).prop_map(Rhs::One),
        2 => (number_operand.clone(), number_operand.clone())
            .prop_map(|(a, b)| Rhs::Plus(a, b)),
        1 => (number_operand.clone(), number_operand)
            .prop_map(|(a, b)| Rhs::Minus(a, b)),
        2 => (list_operand.clone(), list_operand)
            .prop_map(|(a, b)| Rhs::One(Operand::ListAppend(Box::new(a), Box::new(b)))),
    ]
}

pub fn arb_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        5 => (arb_path(), arb_rhs()).prop_map(|(p, r)| Action::Set(p, r)),
        2 => arb_path().prop_map(Action::Remove),
        2 => (arb_path(), prop_oneof![
            3 => arb_number().prop_map(AttributeValue::N),
            3 => arb_set(),
            1 => arb_value(),
        ]).prop_map(|(p, v)| Action::Add(p, v)),
        2 => (arb_path(), prop_oneof![5 => arb_set(), 1 => arb_value()])
            .prop_map(|(p, v)| Action::Delete(p, v)),
    ]
}

/// Updates of one to five actions, in nine cases out of ten with disjoint
/// targets (so that most of them bind), and in one out of twenty with an
/// undefined value placeholder.
pub fn arb_update() -> impl Strategy<Value = Upd> {
    (
        vec(arb_action(), 1..6),
        Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        proptest::option::weighted(0.05, any::<usize>()),
        0u8..10,
    )
        .prop_map(|(actions, clause_order, drop_value, keep_clashes)| {
            let actions = if keep_clashes == 0 {
                actions
            } else {
                let mut kept: Vec<Action> = Vec::new();
                for a in actions {
                    let steps = a.target().steps();
                    if kept.iter().all(|k| !clashes(&k.target().steps(), &steps)) {
                        kept.push(a);
                    }
                }
                kept
            };
            Upd {
                actions,
                clause_order,
                drop_value,
            }
        })
}

// ---------------------------------------------------------------------------
// The reference evaluator

/// The value a path leads to (§2.2).
pub fn resolve<'x>(item: &'x Item, steps: &[St]) -> Option<&'x AttributeValue> {
    let (St::Key(first), rest) = steps.split_first()? else {
        return None;
    };
    let mut current = item.get(first)?;
    for step in rest {
        current = match (step, current) {
            (St::Key(k), AttributeValue::M(m)) => m.get(k)?,
            (St::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Why the reference expects a run-time failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fails {
    Missing,
    Type,
}

pub fn eval_operand(o: &Operand, old: &Item) -> Result<AttributeValue, Fails> {
    match o {
        Operand::Path(p) => resolve(old, &p.steps()).cloned().ok_or(Fails::Missing),
        Operand::Value(v) => Ok(v.clone()),
        Operand::IfNotExists(p, d) => match resolve(old, &p.steps()) {
            Some(v) => Ok(v.clone()),
            None => eval_operand(d, old),
        },
        Operand::ListAppend(a, b) => {
            let (a, b) = (eval_operand(a, old)?, eval_operand(b, old)?);
            match (a, b) {
                (AttributeValue::L(mut x), AttributeValue::L(y)) => {
                    x.extend(y);
                    Ok(AttributeValue::L(x))
                }
                _ => Err(Fails::Type),
            }
        }
    }
}

fn arithmetic(a: &Operand, b: &Operand, old: &Item, sign: i128) -> Result<AttributeValue, Fails> {
    let (a, b) = (eval_operand(a, old)?, eval_operand(b, old)?);
    match (a, b) {
        (AttributeValue::N(x), AttributeValue::N(y)) => {
            let (x, y) = (hundredths(&x).unwrap(), hundredths(&y).unwrap());
            Ok(AttributeValue::N(from_hundredths(x + sign * y)))
        }
        _ => Err(Fails::Type),
    }
}

/// The value a SET right-hand side computes from the old item.
pub fn eval_set(rhs: &Rhs, old: &Item) -> Result<AttributeValue, Fails> {
    match rhs {
        Rhs::One(o) => eval_operand(o, old),
        Rhs::Plus(a, b) => arithmetic(a, b, old, 1),
        Rhs::Minus(a, b) => arithmetic(a, b, old, -1),
    }
}

/// ADD's result for the current value (absent: `None`).
pub fn add(current: Option<&AttributeValue>, v: &AttributeValue) -> Result<AttributeValue, Fails> {
    fn union<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> BTreeSet<T> {
        a.iter().chain(b).cloned().collect()
    }
    Ok(match (current, v) {
        (None, v) => v.clone(),
        (Some(AttributeValue::N(a)), AttributeValue::N(b)) => AttributeValue::N(from_hundredths(
            hundredths(a).unwrap() + hundredths(b).unwrap(),
        )),
        (Some(AttributeValue::Ss(a)), AttributeValue::Ss(b)) => AttributeValue::Ss(union(a, b)),
        (Some(AttributeValue::Ns(a)), AttributeValue::Ns(b)) => {
            // Union by numeric value, through the tests' own reading.
            let mut seen: BTreeSet<i128> = BTreeSet::new();
            let mut out = BTreeSet::new();
            for n in a.iter().chain(b) {
                if seen.insert(hundredths(n).unwrap()) {
                    out.insert(*n);
                }
            }
            AttributeValue::Ns(out)
        }
        (Some(AttributeValue::Bs(a)), AttributeValue::Bs(b)) => AttributeValue::Bs(union(a, b)),
        _ => return Err(Fails::Type),
    })
}

/// DELETE's result: `Ok(None)` when the attribute goes away.
pub fn delete(
    current: &AttributeValue,
    v: &AttributeValue,
) -> Result<Option<AttributeValue>, Fails> {
    fn rest<T: Ord + Clone>(
        a: &BTreeSet<T>,
        keep: impl Fn(&T) -> bool,
        wrap: fn(BTreeSet<T>) -> AttributeValue,
    ) -> Option<AttributeValue> {
        let left: BTreeSet<T> = a.iter().filter(|x| keep(x)).cloned().collect();
        (!left.is_empty()).then(|| wrap(left))
    }
    Ok(match (current, v) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b)) => {
            rest(a, |x| !b.contains(x), AttributeValue::Ss)
        }
        (AttributeValue::Ns(a), AttributeValue::Ns(b)) => {
            let gone: BTreeSet<i128> = b.iter().map(|n| hundredths(n).unwrap()).collect();
            rest(
                a,
                |x| !gone.contains(&hundredths(x).unwrap()),
                AttributeValue::Ns,
            )
        }
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => {
            rest(a, |x| !b.contains(x), AttributeValue::Bs)
        }
        _ => return Err(Fails::Type),
    })
}

// ---------------------------------------------------------------------------
// Updates that mostly succeed: built from the paths an item has

/// A path that resolves in an item, with the value it leads to.
#[derive(Debug, Clone)]
pub struct Known {
    pub path: P,
    pub value: AttributeValue,
}

fn pool_name(name: &str) -> Option<&'static str> {
    NAMES.iter().copied().find(|n| *n == name)
}

/// Every path of at most three elements that resolves in the item (the key
/// attribute left out).
pub fn known_paths(item: &Item) -> Vec<Known> {
    fn walk(path: P, value: &AttributeValue, out: &mut Vec<Known>) {
        out.push(Known {
            path: path.clone(),
            value: value.clone(),
        });
        if path.0.len() >= 3 {
            return;
        }
        let child = |e: Elem| {
            let mut p = path.clone();
            p.0.push(e);
            p
        };
        match value {
            AttributeValue::M(m) => {
                for (k, v) in m {
                    if let Some(n) = pool_name(k) {
                        walk(child(Elem::Name(n)), v, out);
                    }
                }
            }
            AttributeValue::L(l) => {
                for (i, v) in l.iter().enumerate() {
                    walk(child(Elem::Index(i as u32)), v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (name, value) in item {
        let first = if name == ODD_NAME {
            Elem::Placeholder(1)
        } else if let Some(n) = pool_name(name) {
            Elem::Name(n)
        } else {
            continue;
        };
        walk(P(vec![first]), value, &mut out);
    }
    out
}

/// A path that resolves nowhere in generated items.
fn missing_path() -> P {
    P(vec![Elem::Name("d"), Elem::Name("zz")])
}

fn with(p: &P, e: Elem) -> P {
    let mut p = p.clone();
    p.0.push(e);
    p
}

/// Picks from `pool` with weight `weight`, or nothing if the pool is empty.
fn pick<T: Clone + std::fmt::Debug + 'static, U: std::fmt::Debug>(
    options: &mut Vec<(u32, BoxedStrategy<U>)>,
    weight: u32,
    pool: &[T],
    f: impl Fn(T) -> BoxedStrategy<U> + 'static,
) {
    if !pool.is_empty() {
        let pool = pool.to_vec();
        options.push((weight, select(pool).prop_flat_map(f).boxed()));
    }
}

fn union<U: std::fmt::Debug + 'static>(options: Vec<(u32, BoxedStrategy<U>)>) -> BoxedStrategy<U> {
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// A set of the same type as `like` (members from the same small domains).
fn same_set(like: &AttributeValue) -> BoxedStrategy<AttributeValue> {
    match like {
        AttributeValue::Ss(_) => arb_ss().boxed(),
        AttributeValue::Ns(_) => arb_ns().boxed(),
        _ => arb_bs().boxed(),
    }
}

struct Pools {
    all: Vec<P>,
    numbers: Vec<P>,
    lists: Vec<(P, usize)>,
    maps: Vec<P>,
    sets: Vec<(P, AttributeValue)>,
}

impl Pools {
    fn new(item: &Item) -> Pools {
        let known = known_paths(item);
        let of = |f: &dyn Fn(&AttributeValue) -> bool| -> Vec<P> {
            known
                .iter()
                .filter(|k| f(&k.value))
                .map(|k| k.path.clone())
                .collect()
        };
        Pools {
            all: of(&|_| true),
            numbers: of(&|v| matches!(v, AttributeValue::N(_))),
            lists: known
                .iter()
                .filter_map(|k| k.value.as_l().map(|l| (k.path.clone(), l.len())))
                .collect(),
            maps: of(&|v| matches!(v, AttributeValue::M(_))),
            sets: known
                .iter()
                .filter(|k| k.value.value_type().is_set())
                .map(|k| (k.path.clone(), k.value.clone()))
                .collect(),
        }
    }

    /// Where a value can be written: an existing path, a new key of an
    /// existing map, a top-level name, an index of an existing list (in
    /// range or past the end).
    fn target(&self) -> BoxedStrategy<P> {
        let mut o = vec![(
            2,
            select(&NAMES[..])
                .prop_map(|n| P(vec![Elem::Name(n)]))
                .boxed(),
        )];
        pick(&mut o, 3, &self.all, |p| Just(p).boxed());
        pick(&mut o, 2, &self.maps, |p| {
            select(&NAMES[..])
                .prop_map(move |n| with(&p, Elem::Name(n)))
                .boxed()
        });
        pick(&mut o, 2, &self.lists, |(p, len)| {
            (0..len as u32 + 3)
                .prop_map(move |i| with(&p, Elem::Index(i)))
                .boxed()
        });
        union(o)
    }

    fn number_operand(&self) -> BoxedStrategy<Operand> {
        let mut o = vec![
            (
                3,
                arb_number()
                    .prop_map(|n| Operand::Value(AttributeValue::N(n)))
                    .boxed(),
            ),
            (
                1,
                arb_number()
                    .prop_map(|n| {
                        Operand::IfNotExists(
                            missing_path(),
                            Box::new(Operand::Value(AttributeValue::N(n))),
                        )
                    })
                    .boxed(),
            ),
        ];
        pick(&mut o, 3, &self.numbers, |p| Just(Operand::Path(p)).boxed());
        pick(&mut o, 2, &self.numbers, |p| {
            arb_number()
                .prop_map(move |n| {
                    Operand::IfNotExists(p.clone(), Box::new(Operand::Value(AttributeValue::N(n))))
                })
                .boxed()
        });
        union(o)
    }

    fn list_operand(&self) -> BoxedStrategy<Operand> {
        let list_value = || vec(arb_value(), 0..3).prop_map(AttributeValue::L);
        let mut o = vec![
            (3, list_value().prop_map(Operand::Value).boxed()),
            (
                1,
                list_value()
                    .prop_map(|l| Operand::IfNotExists(missing_path(), Box::new(Operand::Value(l))))
                    .boxed(),
            ),
        ];
        let lists: Vec<P> = self.lists.iter().map(|(p, _)| p.clone()).collect();
        pick(&mut o, 3, &lists, |p| Just(Operand::Path(p)).boxed());
        pick(&mut o, 1, &lists, move |p| {
            list_value()
                .prop_map(move |l| Operand::IfNotExists(p.clone(), Box::new(Operand::Value(l))))
                .boxed()
        });
        union(o)
    }

    fn any_operand(&self) -> BoxedStrategy<Operand> {
        let mut o = vec![
            (3, arb_value().prop_map(Operand::Value).boxed()),
            (
                1,
                arb_value()
                    .prop_map(|v| Operand::IfNotExists(missing_path(), Box::new(Operand::Value(v))))
                    .boxed(),
            ),
        ];
        pick(&mut o, 3, &self.all, |p| Just(Operand::Path(p)).boxed());
        pick(&mut o, 1, &self.all, |p| {
            arb_value()
                .prop_map(move |v| Operand::IfNotExists(p.clone(), Box::new(Operand::Value(v))))
                .boxed()
        });
        union(o)
    }

    fn rhs(&self) -> BoxedStrategy<Rhs> {
        let n = self.number_operand();
        let l = self.list_operand();
        union(vec![
            (3, self.any_operand().prop_map(Rhs::One).boxed()),
            (
                2,
                (n.clone(), n.clone())
                    .prop_map(|(a, b)| Rhs::Plus(a, b))
                    .boxed(),
            ),
            (
                1,
                (n.clone(), n).prop_map(|(a, b)| Rhs::Minus(a, b)).boxed(),
            ),
            (
                2,
                (l.clone(), l)
                    .prop_map(|(a, b)| Rhs::One(Operand::ListAppend(Box::new(a), Box::new(b))))
                    .boxed(),
            ),
        ])
    }

    fn action(&self) -> BoxedStrategy<Action> {
        let fresh = || prop_oneof![arb_number().prop_map(AttributeValue::N), arb_set()];
        let mut o = vec![
            (
                6,
                (self.target(), self.rhs())
                    .prop_map(|(p, r)| Action::Set(p, r))
                    .boxed(),
            ),
            (3, self.target().prop_map(Action::Remove).boxed()),
            // ADD to a new attribute or key.
            (
                1,
                (select(&NAMES[..]), fresh())
                    .prop_map(|(n, v)| Action::Add(P(vec![Elem::Name(n)]), v))
                    .boxed(),
            ),
            // DELETE from an absent attribute.
            (
                1,
                arb_set()
                    .prop_map(|v| Action::Delete(missing_path(), v))
                    .boxed(),
            ),
        ];
        pick(&mut o, 2, &self.numbers, |p| {
            arb_number()
                .prop_map(move |n| Action::Add(p.clone(), AttributeValue::N(n)))
                .boxed()
        });
        pick(&mut o, 2, &self.sets, |(p, like)| {
            same_set(&like)
                .prop_map(move |v| Action::Add(p.clone(), v))
                .boxed()
        });
        pick(&mut o, 3, &self.sets, |(p, like)| {
            same_set(&like)
                .prop_map(move |v| Action::Delete(p.clone(), v))
                .boxed()
        });
        pick(&mut o, 1, &self.maps, move |p| {
            (select(&NAMES[..]), fresh())
                .prop_map(move |(n, v)| Action::Add(with(&p, Elem::Name(n)), v))
                .boxed()
        });
        union(o)
    }
}

impl Pools {
    /// Several SETs and REMOVEs on indexes of one list (in range and past
    /// the end), or nothing when the item has no list.
    fn list_burst(&self) -> BoxedStrategy<Vec<Action>> {
        if self.lists.is_empty() {
            return Just(Vec::new()).boxed();
        }
        let edit = |p: P, len: usize| {
            (
                0..len as u32 + 4,
                proptest::option::weighted(0.6, arb_value()),
            )
                .prop_map(move |(i, v)| {
                    let target = with(&p, Elem::Index(i));
                    match v {
                        Some(v) => Action::Set(target, Rhs::One(Operand::Value(v))),
                        None => Action::Remove(target),
                    }
                })
        };
        select(self.lists.clone())
            .prop_flat_map(move |(p, len)| vec(edit(p, len), 1..5))
            .boxed()
    }
}

/// An item and an update built from its paths, with disjoint targets: most
/// of these succeed. One in three also edits several indexes of one list.
pub fn arb_item_and_valid_update() -> impl Strategy<Value = (Item, Upd)> {
    arb_item().prop_flat_map(|item| {
        let pools = Pools::new(&item);
        (
            Just(item),
            vec(pools.action(), 1..6),
            prop_oneof![2 => Just(Vec::new()), 1 => pools.list_burst()],
            Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        )
            .prop_map(|(item, mut actions, burst, clause_order)| {
                // The burst first, so that the overlap filter keeps it.
                let mut all = burst;
                all.append(&mut actions);
                let mut kept: Vec<Action> = Vec::new();
                for a in all {
                    let steps = a.target().steps();
                    if kept.iter().all(|k| !clashes(&k.target().steps(), &steps)) {
                        kept.push(a);
                    }
                }
                (
                    item,
                    Upd {
                        actions: kept,
                        clause_order,
                        drop_value: None,
                    },
                )
            })
    })
}

// ---------------------------------------------------------------------------
// The reference update, as a recursive rebuild

/// What an action does to its target.
#[derive(Debug, Clone)]
enum Put {
    Value(AttributeValue),
    Remove,
}

type Edit<'e> = (&'e [St], &'e Put);

fn rebuild_map(map: &Map, edits: &[Edit<'_>]) -> Map {
    let mut out = map.clone();
    let mut keys: Vec<&String> = Vec::new();
    for (steps, _) in edits {
        if let Some(St::Key(k)) = steps.first() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    for key in keys {
        let mine: Vec<Edit<'_>> = edits
            .iter()
            .filter(|(s, _)| s.first() == Some(&St::Key(key.clone())))
            .map(|(s, p)| (&s[1..], *p))
            .collect();
        if let Some((_, put)) = mine.iter().find(|(rest, _)| rest.is_empty()) {
            match put {
                Put::Value(v) => {
                    out.insert(key.clone(), v.clone());
                }
                Put::Remove => {
                    out.shift_remove(key);
                }
            }
        } else if let Some(child) = map.get(key) {
            out.insert(key.clone(), rebuild(child, &mine));
        }
    }
    out
}

fn rebuild_list(list: &[AttributeValue], edits: &[Edit<'_>]) -> Vec<AttributeValue> {
    let mut replaced = std::collections::BTreeMap::new();
    let mut removed = BTreeSet::new();
    let mut appended = std::collections::BTreeMap::new();
    let mut deeper: std::collections::BTreeMap<usize, Vec<Edit<'_>>> = Default::default();
    for (steps, put) in edits {
        let Some((St::Index(i), rest)) = steps.split_first() else {
            continue;
        };
        match (rest.is_empty(), put) {
            (true, Put::Value(v)) if *i < list.len() => {
                replaced.insert(*i, v.clone());
            }
            (true, Put::Value(v)) => {
                appended.insert(*i, v.clone());
            }
            (true, Put::Remove) => {
                removed.insert(*i);
            }
            (false, _) => deeper.entry(*i).or_default().push((rest, *put)),
        }
    }
    let mut out = Vec::new();
    for (i, old) in list.iter().enumerate() {
        if removed.contains(&i) {
            continue;
        }
        out.push(match (replaced.get(&i), deeper.get(&i)) {
            (Some(v), _) => v.clone(),
            (None, Some(edits)) => rebuild(old, edits),
            (None, None) => old.clone(),
        });
    }
    out.extend(appended.into_values());
    out
}

fn rebuild(value: &AttributeValue, edits: &[Edit<'_>]) -> AttributeValue {
    match value {
        AttributeValue::M(m) => AttributeValue::M(rebuild_map(m, edits)),
        AttributeValue::L(l) => AttributeValue::L(rebuild_list(l, edits)),
        other => other.clone(),
    }
}

/// The item after the update, by the spec's rules (§7.4, §7.5) written as a
/// recursive rebuild of the old item: every value computed from the old
/// item; in each list, replacements and removals by old index, then
/// appends in index order. Assumes the update does not fail (see the
/// tests' failure prediction). `exists`: false for a missing item (`old`
/// empty), where REMOVE does nothing.
pub fn reference_apply(upd: &Upd, old: &Item, exists: bool) -> Item {
    let mut puts: Vec<(Vec<St>, Put)> = Vec::new();
    for action in &upd.actions {
        let steps = action.target().steps();
        let put = match action {
            Action::Set(_, rhs) => Put::Value(eval_set(rhs, old).unwrap()),
            Action::Remove(_) if !exists => continue,
            Action::Remove(_) => Put::Remove,
            Action::Add(_, v) => Put::Value(add(resolve(old, &steps), v).unwrap()),
            Action::Delete(_, v) => match resolve(old, &steps) {
                None => continue,
                Some(current) => match delete(current, v).unwrap() {
                    Some(rest) => Put::Value(rest),
                    None => Put::Remove,
                },
            },
        };
        puts.push((steps, put));
    }
    let edits: Vec<Edit<'_>> = puts.iter().map(|(s, p)| (s.as_slice(), p)).collect();
    rebuild_map(old, &edits)
}
