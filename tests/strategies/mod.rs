//! Proptest strategies shared by the condition tests.
//!
//! * [`RVal`]: a small model of DynamoDB values written for the tests, with
//!   its own equality (numbers as exact hundredths, sets and maps unordered)
//!   and order, converted to dynacond's [`AttributeValue`] with varied number
//!   spellings (`1`, `1.0`, `100e-2`, ...). Domains are tiny so that
//!   generated values collide often and comparisons are interesting.
//! * Items over a small pool of attribute names ([`NAMES`]), with nested maps
//!   keyed by the same pool so that nested paths hit.
//! * [`Cond`]: condition trees over that pool (paths, `#n` and `:v`
//!   placeholders, `size`), rendered to expression text by the tests
//!   themselves ([`Cond::render`], fully parenthesised, with keyword case and
//!   whitespace variations) and to the prefix form the crate's
//!   `Condition::to_prefix` should give ([`Cond::prefix`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Item, Map, Number};
use proptest::collection::{btree_map, btree_set, vec};
use proptest::prelude::*;
use proptest::sample::select;

/// Top-level attribute names (and map keys) the generators draw from.
pub const NAMES: [&str; 4] = ["a", "b", "c", "d"];

/// An attribute name only reachable through a `#name` placeholder.
pub const ODD_NAME: &str = "x.y";

/// The `#name` placeholders and the names they stand for.
pub const NAME_PLACEHOLDERS: [(&str, &str); 3] = [("#n0", "a"), ("#n1", "c"), ("#n2", ODD_NAME)];

/// The `:value` placeholders for arbitrary values.
pub const VALUE_PLACEHOLDERS: [&str; 4] = [":v0", ":v1", ":v2", ":v3"];

/// The `:value` placeholders meant as `attribute_type` type names.
pub const TYPE_PLACEHOLDERS: [&str; 2] = [":t0", ":t1"];

/// The ten type codes.
pub const TYPE_CODES: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M"];

// ---------------------------------------------------------------------------
// Values

/// A number as an exact count of hundredths, plus how to spell it.
#[derive(Debug, Clone)]
pub struct Num {
    pub hundredths: i64,
    pub spelling: u8,
}

impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.hundredths == other.hundredths
    }
}

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
    match spelling % 6 {
        0 => plain,
        1 => format!("{hundredths}e-2"),
        2 => format!("{sign}{int}.{frac:02}000"),
        3 => format!("{}E-3", hundredths * 10),
        4 => format!("{sign}00{int}.{frac:02}E0"),
        _ => format!("{sign}{}e+0", plain.trim_start_matches('-')),
    }
}

impl Num {
    pub fn text(&self) -> String {
        spell(self.hundredths, self.spelling)
    }

    pub fn to_number(&self) -> Number {
        let text = self.text();
        text.parse()
            .unwrap_or_else(|e| panic!("{text} does not parse: {e:?}"))
    }
}

/// The test's own model of a DynamoDB value.
#[derive(Debug, Clone, PartialEq)]
pub enum RVal {
    S(String),
    N(Num),
    B(Vec<u8>),
    Ss(BTreeSet<String>),
    /// Members in hundredths.
    Ns(BTreeSet<i64>),
    Bs(BTreeSet<Vec<u8>>),
    Bool(bool),
    Null,
    L(Vec<RVal>),
    M(BTreeMap<String, RVal>),
}

impl RVal {
    pub fn n(hundredths: i64) -> RVal {
        RVal::N(Num {
            hundredths,
            spelling: 0,
        })
    }

    /// The type code.
    pub fn code(&self) -> &'static str {
        match self {
            RVal::S(_) => "S",
            RVal::N(_) => "N",
            RVal::B(_) => "B",
            RVal::Ss(_) => "SS",
            RVal::Ns(_) => "NS",
            RVal::Bs(_) => "BS",
            RVal::Bool(_) => "BOOL",
            RVal::Null => "NULL",
            RVal::L(_) => "L",
            RVal::M(_) => "M",
        }
    }

    /// DynamoDB's order: only between two S (UTF-8 bytes), two N or two B
    /// (unsigned bytes).
    pub fn order(&self, other: &RVal) -> Option<Ordering> {
        match (self, other) {
            (RVal::S(a), RVal::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (RVal::N(a), RVal::N(b)) => Some(a.hundredths.cmp(&b.hundredths)),
            (RVal::B(a), RVal::B(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// As a dynacond value (members of number sets spelled variously).
    pub fn to_av(&self) -> AttributeValue {
        match self {
            RVal::S(s) => AttributeValue::S(s.clone()),
            RVal::N(n) => AttributeValue::N(n.to_number()),
            RVal::B(b) => AttributeValue::B(b.clone()),
            RVal::Ss(s) => AttributeValue::Ss(s.clone()),
            RVal::Ns(s) => AttributeValue::Ns(
                s.iter()
                    .map(|&h| {
                        Num {
                            hundredths: h,
                            spelling: h.rem_euclid(6) as u8,
                        }
                        .to_number()
                    })
                    .collect(),
            ),
            RVal::Bs(s) => AttributeValue::Bs(s.clone()),
            RVal::Bool(b) => AttributeValue::Bool(*b),
            RVal::Null => AttributeValue::Null,
            RVal::L(l) => AttributeValue::L(l.iter().map(RVal::to_av).collect()),
            RVal::M(m) => AttributeValue::M(
                // Reverse order, so map equality cannot rely on order.
                m.iter()
                    .rev()
                    .map(|(k, v)| (k.clone(), v.to_av()))
                    .collect::<Map>(),
            ),
        }
    }
}

/// Strings that collide often and exercise byte order.
pub const STRINGS: [&str; 9] = ["", "a", "b", "ab", "ba", "A", "é", "😀", "a\u{0}"];
const BYTES: [u8; 5] = [0x00, 0x01, 0x7f, 0x80, 0xff];

pub fn arb_string() -> impl Strategy<Value = String> {
    select(&STRINGS[..]).prop_map(str::to_owned)
}

pub fn arb_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(select(&BYTES[..]), 0..3)
}

pub fn arb_hundredths() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => select(&[-250i64, -100, -1, 0, 1, 50, 100, 150, 200, 1000][..]),
        1 => -300i64..300,
    ]
}

pub fn arb_num() -> impl Strategy<Value = Num> {
    (arb_hundredths(), any::<u8>()).prop_map(|(hundredths, spelling)| Num {
        hundredths,
        spelling,
    })
}

/// S, N or B.
pub fn arb_ordered() -> impl Strategy<Value = RVal> {
    prop_oneof![
        2 => arb_string().prop_map(RVal::S),
        3 => arb_num().prop_map(RVal::N),
        1 => arb_bytes().prop_map(RVal::B),
    ]
}

/// S, N or B from tiny domains, so that equal values are common.
pub fn arb_tiny_ordered() -> impl Strategy<Value = RVal> {
    prop_oneof![
        2 => select(&["", "a", "b"][..]).prop_map(|s| RVal::S(s.to_owned())),
        3 => (select(&[-100i64, 0, 100, 150][..]), any::<u8>())
            .prop_map(|(hundredths, spelling)| RVal::N(Num { hundredths, spelling })),
        1 => select(vec![vec![], vec![0x7f], vec![0x80]]).prop_map(RVal::B),
    ]
}

/// Mostly tiny S, N and B values, sometimes anything.
pub fn arb_mostly_tiny() -> impl Strategy<Value = RVal> {
    prop_oneof![4 => arb_tiny_ordered(), 1 => arb_rval()]
}

/// Any scalar or set (non-empty sets).
pub fn arb_leaf() -> impl Strategy<Value = RVal> {
    prop_oneof![
        3 => arb_ordered(),
        1 => btree_set(arb_string(), 1..3).prop_map(RVal::Ss),
        1 => btree_set(arb_hundredths(), 1..3).prop_map(RVal::Ns),
        1 => btree_set(arb_bytes(), 1..3).prop_map(RVal::Bs),
        1 => any::<bool>().prop_map(RVal::Bool),
        1 => Just(RVal::Null),
    ]
}

/// Values of all ten types; lists and maps nest up to three levels, map keys
/// come from [`NAMES`].
pub fn arb_rval() -> impl Strategy<Value = RVal> {
    let nested = arb_leaf().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(RVal::L),
            btree_map(select(&NAMES[..]).prop_map(str::to_owned), inner, 0..4).prop_map(RVal::M),
        ]
    });
    prop_oneof![3 => arb_ordered(), 2 => arb_leaf(), 2 => nested]
}

/// Mostly S, N and B (which every comparator accepts as placeholders),
/// sometimes anything.
pub fn arb_mostly_ordered() -> impl Strategy<Value = RVal> {
    prop_oneof![4 => arb_ordered(), 1 => arb_rval()]
}

/// An item in the test's model: top-level names from [`NAMES`] (and
/// sometimes [`ODD_NAME`]).
pub type RItem = BTreeMap<String, RVal>;

pub fn arb_ritem_with(value: impl Strategy<Value = RVal>) -> impl Strategy<Value = RItem> {
    let names = [NAMES[0], NAMES[1], NAMES[2], NAMES[3], ODD_NAME];
    vec(proptest::option::weighted(0.75, value), names.len()).prop_map(move |values| {
        names
            .iter()
            .zip(values)
            .filter_map(|(n, v)| v.map(|v| ((*n).to_owned(), v)))
            .collect()
    })
}

pub fn arb_ritem() -> impl Strategy<Value = RItem> {
    arb_ritem_with(arb_mostly_ordered())
}

pub fn to_item(item: &RItem) -> Item {
    item.iter().map(|(k, v)| (k.clone(), v.to_av())).collect()
}

/// Values for every `:v` placeholder, and type names (mostly valid codes)
/// for the `:t` ones.
pub fn arb_rvalues_with(
    value: impl Strategy<Value = RVal>,
) -> impl Strategy<Value = BTreeMap<String, RVal>> {
    let code = prop_oneof![
        9 => select(&TYPE_CODES[..]).prop_map(str::to_owned),
        1 => select(&["DOG", "s", ""][..]).prop_map(str::to_owned),
    ];
    (vec(value, 4), vec(code, 2)).prop_map(|(vals, codes)| {
        let mut m = BTreeMap::new();
        for (k, v) in VALUE_PLACEHOLDERS.iter().zip(vals) {
            m.insert((*k).to_owned(), v);
        }
        for (k, c) in TYPE_PLACEHOLDERS.iter().zip(codes) {
            m.insert((*k).to_owned(), RVal::S(c));
        }
        m
    })
}

pub fn arb_rvalues() -> impl Strategy<Value = BTreeMap<String, RVal>> {
    arb_rvalues_with(arb_mostly_ordered())
}

pub fn to_values(values: &BTreeMap<String, RVal>) -> ExpressionAttributeValues {
    values.iter().map(|(k, v)| (k.clone(), v.to_av())).collect()
}

/// Every `#n` placeholder, defined.
pub fn all_names() -> ExpressionAttributeNames {
    NAME_PLACEHOLDERS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A subset of the `#n` placeholders (some may be missing).
pub fn arb_names_subset() -> impl Strategy<Value = ExpressionAttributeNames> {
    vec(any::<bool>(), NAME_PLACEHOLDERS.len()).prop_map(|keep| {
        NAME_PLACEHOLDERS
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|((k, v), _)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    })
}

/// A subset of the value placeholders with arbitrary values (empty sets
/// included: binding does not validate values, evaluation must cope).
pub fn arb_values_subset() -> impl Strategy<Value = ExpressionAttributeValues> {
    let any_value = prop_oneof![
        8 => arb_rval().prop_map(|v| v.to_av()),
        1 => Just(AttributeValue::Ss(BTreeSet::new())),
        1 => Just(AttributeValue::L(Vec::new())),
    ];
    let keys: Vec<&'static str> = VALUE_PLACEHOLDERS
        .iter()
        .chain(TYPE_PLACEHOLDERS.iter())
        .copied()
        .collect();
    vec(proptest::option::weighted(0.8, any_value), keys.len()).prop_map(move |vals| {
        keys.iter()
            .zip(vals)
            .filter_map(|(k, v)| v.map(|v| ((*k).to_owned(), v)))
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Conditions

/// One element of a document path.
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    /// A bare name from [`NAMES`].
    Name(&'static str),
    /// A `#n` placeholder from [`NAME_PLACEHOLDERS`].
    Placeholder(&'static str),
    Index(u32),
}

/// A document path: a name (or `#name`) then up to two more elements.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSpec(pub Vec<Elem>);

impl PathSpec {
    pub fn top(name: &'static str) -> PathSpec {
        PathSpec(vec![Elem::Name(name)])
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, e) in self.0.iter().enumerate() {
            match e {
                Elem::Name(n) | Elem::Placeholder(n) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(n);
                }
                Elem::Index(k) => {
                    let _ = write!(out, "[{k}]");
                }
            }
        }
        out
    }
}

pub fn arb_first_elem() -> impl Strategy<Value = Elem> {
    prop_oneof![
        4 => select(&NAMES[..]).prop_map(Elem::Name),
        1 => select(&NAME_PLACEHOLDERS[..]).prop_map(|(k, _)| Elem::Placeholder(k)),
    ]
}

pub fn arb_path() -> impl Strategy<Value = PathSpec> {
    let rest = prop_oneof![
        2 => select(&NAMES[..]).prop_map(Elem::Name),
        1 => (0u32..3).prop_map(Elem::Index),
    ];
    (
        arb_first_elem(),
        prop_oneof![4 => Just(0usize), 1 => 1usize..3],
        vec(rest, 2),
    )
        .prop_map(|(first, len, rest)| {
            let mut elems = vec![first];
            elems.extend(rest.into_iter().take(len));
            PathSpec(elems)
        })
}

/// An operand: a path, a `:v` placeholder or `size(...)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Opnd {
    Path(PathSpec),
    Value(&'static str),
    Size(Box<Opnd>),
}

impl Opnd {
    pub fn text(&self) -> String {
        match self {
            Opnd::Path(p) => p.text(),
            Opnd::Value(v) => (*v).to_owned(),
            Opnd::Size(o) => format!("size({})", o.text()),
        }
    }

    pub fn prefix(&self) -> String {
        match self {
            Opnd::Size(o) => format!("(size {})", o.prefix()),
            other => other.text(),
        }
    }
}

pub fn arb_value_ref() -> impl Strategy<Value = Opnd> {
    select(&VALUE_PLACEHOLDERS[..]).prop_map(Opnd::Value)
}

pub fn arb_opnd() -> impl Strategy<Value = Opnd> {
    let leaf = prop_oneof![
        3 => arb_path().prop_map(Opnd::Path),
        2 => arb_value_ref(),
    ];
    prop_oneof![
        6 => leaf.clone(),
        1 => leaf.prop_map(|o| Opnd::Size(Box::new(o))),
    ]
}

/// A comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub const ALL: [Cmp; 6] = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];

    pub fn text(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "<>",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    pub fn is_ordering(self) -> bool {
        !matches!(self, Cmp::Eq | Cmp::Ne)
    }
}

pub fn arb_cmp() -> impl Strategy<Value = Cmp> {
    select(&Cmp::ALL[..])
}

/// A condition tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Compare(Cmp, Opnd, Opnd),
    Between(Opnd, Opnd, Opnd),
    In(Opnd, Vec<Opnd>),
    Exists(PathSpec),
    NotExists(PathSpec),
    /// `attribute_type(operand, :tN)`
    Type(Opnd, &'static str),
    BeginsWith(Opnd, Opnd),
    Contains(Opnd, Opnd),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

/// How to write keywords and separate tokens.
#[derive(Debug, Clone)]
pub struct Style {
    /// 0: upper case, 1: lower case, 2: alternating.
    pub case: u8,
    /// What goes between tokens.
    pub space: &'static str,
}

impl Style {
    pub const PLAIN: Style = Style {
        case: 0,
        space: " ",
    };

    fn kw(&self, word: &str) -> String {
        match self.case % 3 {
            0 => word.to_uppercase(),
            1 => word.to_lowercase(),
            _ => word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_lowercase()
                    } else {
                        c.to_ascii_uppercase()
                    }
                })
                .collect(),
        }
    }
}

pub fn arb_style() -> impl Strategy<Value = Style> {
    (0u8..3, select(&[" ", "  ", "\t", "\n", " \r\n\t"][..]))
        .prop_map(|(case, space)| Style { case, space })
}

impl Cond {
    pub fn not(c: Cond) -> Cond {
        Cond::Not(Box::new(c))
    }

    pub fn and(l: Cond, r: Cond) -> Cond {
        Cond::And(Box::new(l), Box::new(r))
    }

    pub fn or(l: Cond, r: Cond) -> Cond {
        Cond::Or(Box::new(l), Box::new(r))
    }

    /// Expression text, every sub-condition of `NOT`/`AND`/`OR` in one
    /// pair of parentheses.
    pub fn render(&self, st: &Style) -> String {
        let sp = st.space;
        let call = |f: &str, args: &[&Opnd]| {
            let args: Vec<String> = args.iter().map(|a| a.text()).collect();
            format!("{f}({})", args.join(&format!(",{sp}")))
        };
        match self {
            Cond::Compare(op, l, r) => format!("{}{sp}{}{sp}{}", l.text(), op.text(), r.text()),
            Cond::Between(v, lo, hi) => format!(
                "{}{sp}{}{sp}{}{sp}{}{sp}{}",
                v.text(),
                st.kw("between"),
                lo.text(),
                st.kw("and"),
                hi.text()
            ),
            Cond::In(v, list) => {
                let list: Vec<String> = list.iter().map(Opnd::text).collect();
                format!(
                    "{}{sp}{}{sp}({})",
                    v.text(),
                    st.kw("in"),
                    list.join(&format!("{sp},{sp}"))
                )
            }
            Cond::Exists(p) => format!("attribute_exists({sp}{}{sp})", p.text()),
            Cond::NotExists(p) => format!("attribute_not_exists({})", p.text()),
            Cond::Type(x, t) => format!("attribute_type({}, {t})", x.text()),
            Cond::BeginsWith(a, b) => call("begins_with", &[a, b]),
            Cond::Contains(a, b) => call("contains", &[a, b]),
            Cond::Not(c) => format!("{}{sp}({})", st.kw("not"), c.render(st)),
            Cond::And(l, r) => format!(
                "({}){sp}{}{sp}({})",
                l.render(st),
                st.kw("and"),
                r.render(st)
            ),
            Cond::Or(l, r) => format!(
                "({}){sp}{}{sp}({})",
                l.render(st),
                st.kw("or"),
                r.render(st)
            ),
        }
    }

    /// Plain text (upper-case keywords, single spaces).
    pub fn text(&self) -> String {
        self.render(&Style::PLAIN)
    }

    /// The prefix form `Condition::to_prefix` gives for this tree.
    pub fn prefix(&self) -> String {
        let ops = |head: &str, ops: &[&Opnd]| {
            let mut s = format!("({head}");
            for o in ops {
                s.push(' ');
                s.push_str(&o.prefix());
            }
            s.push(')');
            s
        };
        match self {
            Cond::Compare(op, l, r) => ops(op.text(), &[l, r]),
            Cond::Between(v, lo, hi) => ops("BETWEEN", &[v, lo, hi]),
            Cond::In(v, list) => {
                let mut all = vec![v];
                all.extend(list.iter());
                ops("IN", &all)
            }
            Cond::Exists(p) => format!("(attribute_exists {})", p.text()),
            Cond::NotExists(p) => format!("(attribute_not_exists {})", p.text()),
            Cond::Type(x, t) => format!("(attribute_type {} {t})", x.prefix()),
            Cond::BeginsWith(a, b) => ops("begins_with", &[a, b]),
            Cond::Contains(a, b) => ops("contains", &[a, b]),
            Cond::Not(c) => format!("(NOT {})", c.prefix()),
            Cond::And(l, r) => format!("(AND {} {})", l.prefix(), r.prefix()),
            Cond::Or(l, r) => format!("(OR {} {})", l.prefix(), r.prefix()),
        }
    }
}

/// One primary condition (comparison, `BETWEEN`, `IN` or function).
pub fn arb_primary() -> impl Strategy<Value = Cond> {
    prop_oneof![
        6 => (arb_cmp(), arb_opnd(), arb_opnd()).prop_map(|(op, l, r)| Cond::Compare(op, l, r)),
        2 => (arb_opnd(), arb_opnd(), arb_opnd()).prop_map(|(v, lo, hi)| Cond::Between(v, lo, hi)),
        2 => (arb_opnd(), vec(arb_opnd(), 1..4)).prop_map(|(v, l)| Cond::In(v, l)),
        2 => arb_path().prop_map(Cond::Exists),
        1 => arb_path().prop_map(Cond::NotExists),
        1 => (arb_opnd(), select(&TYPE_PLACEHOLDERS[..])).prop_map(|(x, t)| Cond::Type(x, t)),
        1 => (arb_opnd(), arb_opnd()).prop_map(|(a, b)| Cond::BeginsWith(a, b)),
        1 => (arb_opnd(), arb_opnd()).prop_map(|(a, b)| Cond::Contains(a, b)),
    ]
}

/// Combines `leaf` conditions with `NOT`, `AND`, `OR`, up to `depth` levels.
pub fn arb_tree(
    leaf: impl Strategy<Value = Cond> + 'static,
    depth: u32,
    size: u32,
) -> impl Strategy<Value = Cond> {
    leaf.prop_recursive(depth, size, 2, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(Cond::not),
            2 => (inner.clone(), inner.clone()).prop_map(|(l, r)| Cond::and(l, r)),
            2 => (inner.clone(), inner).prop_map(|(l, r)| Cond::or(l, r)),
        ]
    })
}

/// Arbitrary condition trees, at most five levels of `NOT`/`AND`/`OR`.
pub fn arb_cond() -> impl Strategy<Value = Cond> {
    arb_tree(arb_primary(), 5, 24)
}
