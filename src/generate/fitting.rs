//! Updates that fit an item: each action chosen for what the item holds at
//! its target, so applying the update to that item succeeds (no arithmetic
//! on a non-number or beyond 38 digits, `list_append` on lists, `ADD` and
//! `DELETE` with sets of the target's type, copies of attributes that exist).

use super::expressions::{
    CLAUSES, Path, Writer, assemble, choose_actions, if_not_exists, list_append,
};
use super::values::{any_set, set_like, value_in};
use super::{Shape, Source, Update};
use crate::value::{AttributeValue, Item};

/// Clause numbers, as in [`CLAUSES`].
const SET: usize = 0;
const REMOVE: usize = 1;
const ADD: usize = 2;
const DELETE: usize = 3;

/// A number small enough that adding a small integer stays exact.
fn small(value: Option<&AttributeValue>) -> Option<i64> {
    match value {
        Some(AttributeValue::N(n)) => n.to_i64().filter(|i| i.unsigned_abs() < 1_000_000_000_000),
        _ => None,
    }
}

fn is_set(value: &AttributeValue) -> bool {
    matches!(
        value,
        AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)
    )
}

/// A clause that can act on what the item holds at `target`.
fn clause_for(src: &mut impl Source, current: Option<&AttributeValue>) -> usize {
    match src.below(CLAUSES.len()) {
        ADD if current.is_none() || small(current).is_some() || current.is_some_and(is_set) => ADD,
        ADD => SET,
        DELETE if current.is_none_or(is_set) => DELETE,
        DELETE => REMOVE,
        other => other,
    }
}

/// An update of one to four actions on distinct non-key attributes of the
/// shape that applies to `item` without error.
pub(crate) fn update_for(src: &mut impl Source, shape: &Shape, item: &Item) -> Update {
    let names: Vec<&str> = shape.non_key();
    let actions = choose_actions(src, shape, |src, target| clause_for(src, item.get(target)));
    assemble(src, &actions, |src, w, clause, target| {
        write_action(src, w, clause, target, item, &names);
    })
}

fn write_action(
    src: &mut impl Source,
    w: &mut Writer,
    clause: usize,
    target: &str,
    item: &Item,
    names: &[&str],
) {
    let at = Path {
        name: target,
        steps: Vec::new(),
    };
    let current = item.get(target);
    w.path(src, &at);
    match clause {
        SET => {
            w.push(" = ");
            match (src.byte() % 6, current) {
                // Counters: arithmetic on a small number half the time.
                (0..=2, Some(_)) if small(current).is_some() => {
                    w.path(src, &at);
                    w.push(if src.byte() % 2 == 0 { " + " } else { " - " });
                    w.value(AttributeValue::n(i64::from(src.byte() % 101)));
                }
                (3, Some(AttributeValue::L(_))) => {
                    list_append(src, w, &at, names);
                }
                (4, _) => {
                    if_not_exists(src, w, &at, names);
                }
                (5, _) if !item.is_empty() => {
                    // A copy of an attribute the item has.
                    let present: Vec<&str> = item.keys().map(String::as_str).collect();
                    let from = src.pick(&present).copied().unwrap_or(target);
                    w.path(
                        src,
                        &Path {
                            name: from,
                            steps: Vec::new(),
                        },
                    );
                }
                _ => w.value(value_in(src, 2, names)),
            }
        }
        REMOVE => {}
        ADD => {
            w.push(" ");
            let value = match current {
                Some(v) if is_set(v) => set_like(src, v),
                Some(_) => AttributeValue::n(i64::from(src.byte() % 101)),
                None if src.byte() % 2 == 0 => AttributeValue::n(i64::from(src.byte())),
                None => any_set(src),
            };
            w.value(value);
        }
        _ => {
            w.push(" ");
            let value = match current {
                Some(v) => set_like(src, v),
                None => any_set(src),
            };
            w.value(value);
        }
    }
}
