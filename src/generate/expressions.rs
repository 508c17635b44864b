//! Condition and update expressions from a stream of choices, written out
//! with their placeholder maps as they are generated: each `:value` gets a
//! placeholder of its own, each `#name` one per distinct name, so the maps
//! hold exactly what the text uses.

use std::fmt::Write as _;

use super::values::{any_set, number, ordered, scalar, value_in};
use super::{Condition, Shape, Source, Update};
use crate::parser::lexer::is_reserved_word;
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::value::{AttributeValue, ScalarType};

/// How many levels of `NOT` / `AND` / `OR` a condition nests.
const MAX_CONDITION_DEPTH: u32 = 3;
/// The most actions of an update.
const MAX_ACTIONS: usize = 4;
/// The comparators.
const COMPARATORS: [&str; 6] = ["=", "<>", "<", "<=", ">", ">="];
/// The ten type codes `attribute_type` takes.
const TYPE_CODES: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M"];

/// One element of a document path after the first name.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step<'n> {
    Key(&'n str),
    Index(u32),
}

/// A document path: a top-level name and further steps.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Path<'n> {
    pub(super) name: &'n str,
    pub(super) steps: Vec<Step<'n>>,
}

/// A path under one of `names` (nothing when `names` is empty), with up to
/// two more steps, one time in three.
fn path<'n>(src: &mut impl Source, names: &[&'n str]) -> Option<Path<'n>> {
    let name = *src.pick(names)?;
    let mut steps = Vec::new();
    if src.one_in(3) {
        for _ in 0..1 + src.below(2) {
            steps.push(match src.byte() % 2 {
                0 => Step::Key(src.pick(names).copied().unwrap_or(name)),
                _ => Step::Index(u32::from(src.byte() % 3)),
            });
        }
    }
    Some(Path { name, steps })
}

/// The text being written and the placeholders it uses.
pub(super) struct Writer {
    text: String,
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
    lower_case: bool,
}

/// A name the expression language reads bare: an ASCII letter, then ASCII
/// letters, digits and underscores, and not a reserved word.
fn bare(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_reserved_word(name)
}

impl Writer {
    fn new(src: &mut impl Source) -> Writer {
        Writer {
            text: String::new(),
            names: ExpressionAttributeNames::new(),
            values: ExpressionAttributeValues::new(),
            lower_case: src.one_in(3),
        }
    }

    pub(super) fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// A keyword, in the expression's case, with a space either side.
    fn keyword(&mut self, word: &str) {
        self.text.push(' ');
        if self.lower_case {
            self.text.push_str(&word.to_ascii_lowercase());
        } else {
            self.text.push_str(word);
        }
        self.text.push(' ');
    }

    /// A name, bare when it can be (three times in four), else as a `#name`.
    fn name(&mut self, src: &mut impl Source, name: &str) {
        if bare(name) && src.byte() % 4 != 3 {
            self.text.push_str(name);
            return;
        }
        let existing = self
            .names
            .iter()
            .find(|(_, v)| v.as_str() == name)
            .map(|(k, _)| k.clone());
        let key = existing.unwrap_or_else(|| {
            let key = format!("#n{}", self.names.len());
            self.names.insert(key.clone(), name.to_owned());
            key
        });
        self.text.push_str(&key);
    }

    pub(super) fn path(&mut self, src: &mut impl Source, path: &Path<'_>) {
        self.name(src, path.name);
        for step in &path.steps {
            match step {
                Step::Key(key) => {
                    self.text.push('.');
                    self.name(src, key);
                }
                Step::Index(i) => {
                    let _ = write!(self.text, "[{i}]");
                }
            }
        }
    }

    /// A `:value` placeholder of its own for `value`.
    pub(super) fn value(&mut self, value: AttributeValue) {
        let key = format!(":v{}", self.values.len());
        self.text.push_str(&key);
        self.values.insert(key, value);
    }
}

/// The name paths fall back to when a shape has none (every key attribute
/// has one, so only a hand-made shape with an empty key name meets it).
const FALLBACK_NAME: &str = "a";

/// Every name an expression may read: the key's and the others (never
/// empty).
fn all_names(shape: &Shape) -> Vec<&str> {
    let mut names: Vec<&str> = shape.key_names().filter(|n| !n.is_empty()).collect();
    names.extend(shape.non_key());
    if names.is_empty() {
        names.push(FALLBACK_NAME);
    }
    names
}

/// A condition over the shape's attribute names.
pub(crate) fn condition(src: &mut impl Source, shape: &Shape) -> Condition {
    let names = all_names(shape);
    let mut w = Writer::new(src);
    write_condition(src, &mut w, &names, MAX_CONDITION_DEPTH);
    Condition {
        expression: w.text,
        names: w.names,
        values: w.values,
    }
}

fn write_condition(src: &mut impl Source, w: &mut Writer, names: &[&str], depth: u32) {
    let kinds = if depth == 0 { 8 } else { 12 };
    let subject = path(src, names).unwrap_or(Path {
        name: FALLBACK_NAME,
        steps: Vec::new(),
    });
    match src.byte() % kinds {
        0 => {
            let op = src.pick(&COMPARATORS).copied().unwrap_or("=");
            if src.one_in(4) {
                w.push("size(");
                w.path(src, &subject);
                w.push(") ");
                w.push(op);
                w.push(" ");
                w.value(scalar(src, ScalarType::N, 0));
                return;
            }
            w.path(src, &subject);
            w.push(" ");
            w.push(op);
            w.push(" ");
            match path(src, names) {
                Some(other) if other != subject && src.one_in(4) => w.path(src, &other),
                _ if op == "=" || op == "<>" => {
                    w.value(value_in(src, 1, names));
                }
                _ => w.value(ordered(src)),
            }
        }
        1 => {
            let scalar_type = *src
                .pick(&[ScalarType::N, ScalarType::S, ScalarType::B])
                .unwrap_or(&ScalarType::N);
            let mut low = scalar(src, scalar_type, 0);
            let mut high = scalar(src, scalar_type, 0);
            if in_order(&high, &low) {
                std::mem::swap(&mut low, &mut high);
            }
            w.path(src, &subject);
            w.keyword("BETWEEN");
            w.value(low);
            w.keyword("AND");
            w.value(high);
        }
        2 => {
            w.path(src, &subject);
            w.keyword("IN");
            w.push("(");
            for i in 0..1 + src.below(4) {
                if i > 0 {
                    w.push(", ");
                }
                w.value(ordered(src));
            }
            w.push(")");
        }
        3 | 4 => {
            w.push(if src.byte() % 2 == 0 {
                "attribute_exists("
            } else {
                "attribute_not_exists("
            });
            w.path(src, &subject);
            w.push(")");
        }
        5 => {
            w.push("attribute_type(");
            w.path(src, &subject);
            w.push(", ");
            let code = src.pick(&TYPE_CODES).copied().unwrap_or("S");
            w.value(AttributeValue::s(code));
            w.push(")");
        }
        6 => {
            w.push("begins_with(");
            w.path(src, &subject);
            w.push(", ");
            let scalar_type = if src.one_in(3) {
                ScalarType::B
            } else {
                ScalarType::S
            };
            w.value(scalar(src, scalar_type, 0));
            w.push(")");
        }
        7 => {
            w.push("contains(");
            w.path(src, &subject);
            w.push(", ");
            w.value(ordered(src));
            w.push(")");
        }
        8 => {
            w.keyword("NOT");
            w.push("(");
            write_condition(src, w, names, depth - 1);
            w.push(")");
        }
        k => {
            w.push("(");
            write_condition(src, w, names, depth - 1);
            w.push(")");
            w.keyword(if k == 11 { "OR" } else { "AND" });
            w.push("(");
            write_condition(src, w, names, depth - 1);
            w.push(")");
        }
    }
}

/// `a < b` in DynamoDB's order, for two values of one ordered type.
fn in_order(a: &AttributeValue, b: &AttributeValue) -> bool {
    match (a, b) {
        (AttributeValue::N(a), AttributeValue::N(b)) => a < b,
        (AttributeValue::S(a), AttributeValue::S(b)) => a.as_bytes() < b.as_bytes(),
        (AttributeValue::B(a), AttributeValue::B(b)) => a < b,
        _ => false,
    }
}

/// The clauses of an update, in the order they are numbered here.
pub(super) const CLAUSES: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];

/// An update of one to four actions on distinct non-key attributes (so no
/// two paths overlap and no key attribute is written); its operands read
/// any of the shape's names.
pub(crate) fn update(src: &mut impl Source, shape: &Shape) -> Update {
    let readable = all_names(shape);
    let actions = choose_actions(src, shape, |src, _| src.below(CLAUSES.len()));
    assemble(src, &actions, |src, w, clause, target| {
        write_action(src, w, clause, target, &readable);
    })
}

/// One to four (clause, target) pairs, each target a distinct non-key name
/// (or a spare name when the shape has none), the clause chosen by `clause`.
pub(super) fn choose_actions<S: Source>(
    src: &mut S,
    shape: &Shape,
    mut clause: impl FnMut(&mut S, &str) -> usize,
) -> Vec<(usize, String)> {
    let mut free: Vec<String> = shape.non_key().into_iter().map(str::to_owned).collect();
    if free.is_empty() {
        free.push(spare_name(shape));
    }
    let mut actions = Vec::new();
    for _ in 0..1 + src.below(MAX_ACTIONS) {
        if free.is_empty() {
            break;
        }
        let target = free.remove(src.below(free.len()));
        actions.push((clause(src, &target), target));
    }
    actions
}

/// Writes the actions grouped by clause, the clauses in an order the stream
/// chooses, each action by `write`.
pub(super) fn assemble<S: Source>(
    src: &mut S,
    actions: &[(usize, String)],
    mut write: impl FnMut(&mut S, &mut Writer, usize, &str),
) -> Update {
    let mut w = Writer::new(src);
    let first = src.below(CLAUSES.len());
    for turn in 0..CLAUSES.len() {
        let clause = (first + turn) % CLAUSES.len();
        let mut in_clause = actions.iter().filter(|(c, _)| *c == clause).peekable();
        if in_clause.peek().is_none() {
            continue;
        }
        if !w.text.is_empty() {
            w.push(" ");
        }
        let keyword = CLAUSES.get(clause).copied().unwrap_or("SET");
        w.push(&if w.lower_case {
            keyword.to_ascii_lowercase()
        } else {
            keyword.to_owned()
        });
        w.push(" ");
        for (i, (_, target)) in in_clause.enumerate() {
            if i > 0 {
                w.push(", ");
            }
            write(src, &mut w, clause, target);
        }
    }
    Update {
        expression: w.text,
        names: w.names,
        values: w.values,
    }
}

/// A name outside the key (for shapes with no other attribute).
fn spare_name(shape: &Shape) -> String {
    let mut name = String::from("attr");
    while shape.key_names().any(|k| k == name) {
        name.push('_');
    }
    name
}

fn write_action(
    src: &mut impl Source,
    w: &mut Writer,
    clause: usize,
    target: &str,
    names: &[&str],
) {
    // Mostly top-level; sometimes one step down.
    let mut at = Path {
        name: target,
        steps: Vec::new(),
    };
    if src.one_in(4) {
        at.steps.push(match src.byte() % 2 {
            0 => Step::Key(src.pick(names).copied().unwrap_or(target)),
            _ => Step::Index(u32::from(src.byte() % 3)),
        });
    }
    w.path(src, &at);
    match clause {
        0 => {
            w.push(" = ");
            let read = path(src, names).unwrap_or_else(|| at.clone());
            match src.byte() % 6 {
                0 | 1 => w.value(value_in(src, 2, names)),
                2 => {
                    w.path(src, &read);
                    w.push(if src.byte() % 2 == 0 { " + " } else { " - " });
                    w.value(scalar(src, ScalarType::N, 0));
                }
                3 => {
                    list_append(src, w, &read, names);
                }
                4 => {
                    if_not_exists(src, w, &read, names);
                }
                _ => w.path(src, &read),
            }
        }
        1 => {}
        2 => {
            w.push(" ");
            let value = if src.byte() % 2 == 0 {
                AttributeValue::N(number(src))
            } else {
                any_set(src)
            };
            w.value(value);
        }
        _ => {
            w.push(" ");
            let value = any_set(src);
            w.value(value);
        }
    }
}

/// `list_append(path, :list)` or `list_append(:list, path)`, the list of up
/// to two values.
pub(super) fn list_append(src: &mut impl Source, w: &mut Writer, read: &Path<'_>, names: &[&str]) {
    let count = src.below(3);
    let list = AttributeValue::L((0..count).map(|_| value_in(src, 1, names)).collect());
    w.push("list_append(");
    if src.byte() % 2 == 0 {
        w.path(src, read);
        w.push(", ");
        w.value(list);
    } else {
        w.value(list);
        w.push(", ");
        w.path(src, read);
    }
    w.push(")");
}

/// `if_not_exists(path, :value)`.
pub(super) fn if_not_exists(
    src: &mut impl Source,
    w: &mut Writer,
    read: &Path<'_>,
    names: &[&str],
) {
    w.push("if_not_exists(");
    w.path(src, read);
    w.push(", ");
    w.value(value_in(src, 1, names));
    w.push(")");
}
