//! What counts as expired (spec streams-ttl-tags.md §5.3).
//!
//! An item is expired at time `now` when its top-level TTL attribute is a
//! number `v` (type `N`; any spelling DynamoDB accepts, fractions and
//! exponents included) of epoch seconds with
//!
//! * `v < now`: strictly in the past (DynamoDB documents "less than"); `now`
//!   has the clock's millisecond precision, so `v = 1000` expires from
//!   `now = 1000.001` on;
//! * `v >= now - 5 × 365 days`: not more than five years in the past (the
//!   exact boundary is unknown; the spec suggests 365-day years and no test
//!   of the boundary);
//! * `v > 0`: zero and negative values never expire (the spec derives this
//!   from the five-year rule; stated on its own, it also holds for a manual
//!   clock standing within five years of 1970).
//!
//! A string holding digits, a set, any other type, a missing attribute and
//! a nested attribute of that name never expire. Millisecond timestamps lie
//! far in the future and do not expire either.

use crate::number::Number;
use crate::value::{AttributeValue, Item};

/// Five 365-day years, in seconds.
pub(crate) const FIVE_YEARS_SECONDS: i64 = 5 * 365 * 86_400;

/// The bounds of one sweep's expiry test, computed once from the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cutoff {
    /// The sweep's time in epoch seconds (with milliseconds): expired values
    /// lie below it.
    now: Number,
    /// Five years before `now`: older values are ignored.
    oldest: Number,
}

/// Epoch milliseconds as a number of seconds (`1700000000123` →
/// `1700000000.123`), exactly.
fn seconds_of_millis(millis: i64) -> Option<Number> {
    Number::parse(&format!("{millis}e-3")).ok()
}

impl Cutoff {
    /// The cutoff at `now_millis` (epoch milliseconds); `None` only if the
    /// time cannot be written as a number, which no clock time does.
    pub(crate) fn at(now_millis: i64) -> Option<Cutoff> {
        let oldest = now_millis.saturating_sub(FIVE_YEARS_SECONDS.saturating_mul(1000));
        Some(Cutoff {
            now: seconds_of_millis(now_millis)?,
            oldest: seconds_of_millis(oldest)?,
        })
    }

    /// Whether a TTL attribute's value (`None`: the item has none) makes
    /// its item expired.
    pub(crate) fn expired(&self, value: Option<&AttributeValue>) -> bool {
        match value {
            Some(AttributeValue::N(v)) => {
                !v.is_negative() && !v.is_zero() && *v >= self.oldest && *v < self.now
            }
            _ => false,
        }
    }

    /// Whether an item is expired under the TTL attribute `attribute`.
    pub(crate) fn item_expired(&self, item: &Item, attribute: &str) -> bool {
        self.expired(item.get(attribute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::value_from_json;

    fn value(json: &str) -> AttributeValue {
        value_from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn the_rule_of_section_5_3() {
        // 2023-11-14T22:13:20.500Z
        let cutoff = Cutoff::at(1_700_000_000_500).unwrap();
        let expired = [
            r#"{"N": "1700000000"}"#,
            r#"{"N": "1700000000.499"}"#,
            r#"{"N": "1699999999.5"}"#,
            r#"{"N": "170000000e1"}"#,
            r#"{"N": "1.7E9"}"#,
            // About four years ago.
            r#"{"N": "1574000000"}"#,
        ];
        let kept = [
            // Not strictly before the time.
            r#"{"N": "1700000000.5"}"#,
            r#"{"N": "1700000000.500000"}"#,
            r#"{"N": "1700000001"}"#,
            // More than five years ago (1975), zero, negative.
            r#"{"N": "157766400"}"#,
            r#"{"N": "0"}"#,
            r#"{"N": "-5"}"#,
            // Milliseconds: tens of thousands of years ahead.
            r#"{"N": "1699999999000"}"#,
            // Other types, even holding digits.
            r#"{"S": "1600000000"}"#,
            r#"{"NS": ["1600000000"]}"#,
            r#"{"SS": ["1600000000"]}"#,
            r#"{"L": [{"N": "1600000000"}]}"#,
            r#"{"M": {"exp": {"N": "1600000000"}}}"#,
            r#"{"BOOL": true}"#,
            r#"{"NULL": true}"#,
            r#"{"B": "AQ=="}"#,
        ];
        for v in expired {
            assert!(cutoff.expired(Some(&value(v))), "{v}");
        }
        for v in kept {
            assert!(!cutoff.expired(Some(&value(v))), "{v}");
        }
        assert!(!cutoff.expired(None));
    }

    #[test]
    fn the_five_year_window_moves_with_the_clock() {
        let now = 1_700_000_000_000;
        let cutoff = Cutoff::at(now).unwrap();
        let at = |s: i64| AttributeValue::N(Number::from(s));
        let five_years_ago = now / 1000 - FIVE_YEARS_SECONDS;
        assert!(cutoff.expired(Some(&at(five_years_ago + 86_400))));
        assert!(!cutoff.expired(Some(&at(five_years_ago - 86_400))));
        // Near 1970 the window reaches below zero, but zero never expires.
        let early = Cutoff::at(10_000).unwrap();
        assert!(early.expired(Some(&at(9))));
        assert!(!early.expired(Some(&at(0))));
        assert!(!early.expired(Some(&at(10))));
        // Any clock time is a valid cutoff.
        assert!(Cutoff::at(0).is_some());
        assert!(Cutoff::at(crate::clock::MAX_MILLIS).is_some());
        assert!(Cutoff::at(i64::MIN).is_some());
    }
}
