//! Fault injection: deterministic, scriptable failures for the error paths
//! of users' code (throttling, server errors, transaction conflicts,
//! unprocessed batch entries, latency), and the store's readiness.
//!
//! A [`Store`] owns one ordered set of [`FaultRule`]s ([`Store::faults`]).
//! Each request served through [`crate::protocol::dispatch`] (the endpoint,
//! the in-process SDK client, [`Store::call`]) is offered to the rules in
//! order once it has been decoded and has passed DynamoDB's request checks:
//!
//! * a rule **matches** when its `operation` (if given) is the request's,
//!   its `table` is the request's `TableName` (for a batch or transaction:
//!   the table of one of its entries), its `key` attributes are all in the
//!   item's key (or the put item) with equal values, and its `action` is
//!   the index of a batch entry or transaction action that also meets
//!   `table` and `key`; the entries that meet them are the **chosen** ones;
//! * a matching rule first lets `after` matches through, then fires with
//!   `probability` (drawn from its own generator seeded with `seed`, so a
//!   run is reproducible), at most `times` times; the first rule that fires
//!   decides the request, later rules do not see it;
//! * firing waits `latency_ms` (before the operation runs), then answers
//!   `error` (nothing is written), or for a batch with `unprocessed` leaves
//!   the chosen entries in `UnprocessedItems` / `UnprocessedKeys` and
//!   processes the others; a rule with only `latency_ms` lets the operation
//!   run after the wait.
//!
//! A request that fails DynamoDB's static request checks (the constraint
//! layer, parameter mixing, bad values) gets that error, whatever the
//! rules; a rule fires before the operation looks its table up.
//!
//! ```
//! use dynacond::faults::FaultRule;
//! use dynacond::Store;
//!
//! let store = Store::new();
//! store.faults().set(vec![
//!     FaultRule::error("ProvisionedThroughputExceededException").operation("ListTables").times(1),
//! ])?;
//! let refused = store.call("ListTables", serde_json::json!({})).unwrap_err();
//! assert_eq!(refused.type_name(), "ProvisionedThroughputExceededException");
//! assert!(store.call("ListTables", serde_json::json!({})).is_ok());
//! assert_eq!(store.faults().list()[0].remaining, Some(0));
//! # Ok::<(), dynacond::Error>(())
//! ```
//!
//! # Where rules apply, and why
//!
//! Rules apply to requests in DynamoDB's protocol: whatever goes through
//! [`crate::protocol::dispatch`], the one entry of the endpoint, the
//! in-process SDK client and [`Store::call`]. The typed methods
//! ([`Store::put_item`], ...) ignore them: code under test meets DynamoDB
//! through an SDK or HTTP, which is where its error handling lives, while a
//! test calling the typed methods can produce any error itself. This also
//! keeps the typed methods free of a check per call.
//!
//! When the set is empty (or every rule has run out) a request pays one
//! atomic load; a rule set costs a lock per request.
//!
//! # Latency
//!
//! On the endpoint (and the in-process SDK client, which shares its request
//! path) the wait is a tokio timer: the request's task sleeps and no worker
//! thread is held. Through [`crate::protocol::dispatch`] and [`Store::call`]
//! (synchronous calls) the calling thread sleeps.
//!
//! # Readiness
//!
//! [`Store::set_ready`]`(false)` makes every request through
//! [`crate::protocol::dispatch`] answer HTTP 503 `ServiceUnavailable` (which
//! SDKs retry) and `GET /dynacond/health` answer 503, until
//! `set_ready(true)`. `dynacond serve --load` uses it while it loads
//! fixtures.

mod call;
mod envelope;
mod rule;
mod subject;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::store::Store;

pub(crate) use envelope::Envelope;
pub(crate) use envelope::dispatch_paced as envelope_dispatch_paced;
pub use envelope::{Delayed, Outcome};
use rule::conflict_cancellation;
pub use rule::{
    ERROR_NAMES, FaultRule, MAX_LATENCY_MS, MAX_RULES, TRANSACTION_CANCELED, injected_error,
};
use subject::{Subject, key_matches};

/// The gate bit: some rule can still fire.
const ACTIVE: u8 = 1;
/// The gate bit: the store is not ready (loading its fixtures).
const LOADING: u8 = 2;

/// The message of the 503 answered while the store is not ready.
pub const NOT_READY_MESSAGE: &str = "dynacond is loading its fixtures; try again shortly";

/// A store's fault rules (and its readiness): see the [module](self).
#[derive(Debug, Default)]
pub struct Faults {
    /// [`ACTIVE`] and [`LOADING`]: what a request checks with one load.
    gate: AtomicU8,
    rules: Mutex<Vec<Armed>>,
}

/// A rule and its state.
#[derive(Debug)]
struct Armed {
    rule: FaultRule,
    /// Matches still to let through (`after`).
    skip: u64,
    /// Firings left (`times`); `None`: no limit.
    remaining: Option<u64>,
    fired: u64,
    /// splitmix64's state, for `probability`.
    rng: u64,
}

/// A rule as [`Faults::list`] shows it: the rule, the firings it has left
/// (`null` for no limit) and how often it fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultStatus {
    /// The rule as it was set.
    #[serde(flatten)]
    pub rule: FaultRule,
    /// Firings left; `None` when the rule has no `times`.
    pub remaining: Option<u64>,
    /// How many requests it has fired on.
    pub fired: u64,
}

/// What the rules decided for one request.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub(crate) delay: Option<Duration>,
    pub(crate) effect: Effect,
}

/// What a firing rule does after its latency.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    /// Nothing: the operation runs.
    Pass,
    /// This error answers; the operation does not run.
    Fail(Error),
    /// The batch runs without these entries (indexes in request order),
    /// which come back unprocessed.
    Unprocessed(Vec<usize>),
}

impl Armed {
    fn new(rule: FaultRule) -> Armed {
        Armed {
            skip: rule.after.unwrap_or(0),
            remaining: rule.times,
            fired: 0,
            rng: rule.seed.unwrap_or(0),
            rule,
        }
    }

    fn live(&self) -> bool {
        self.remaining != Some(0)
    }

    /// The chosen entries when the rule matches `subject`.
    fn matches(&self, subject: &Subject<'_>) -> Option<Vec<usize>> {
        let rule = &self.rule;
        if rule
            .operation
            .as_deref()
            .is_some_and(|op| op != subject.operation)
        {
            return None;
        }
        if !subject.has_many() {
            if rule.table.is_some() && subject.table != rule.table.as_deref() {
                return None;
            }
            if let Some(key) = &rule.key {
                if !subject
                    .entries
                    .first()
                    .is_some_and(|e| key_matches(key, e.key))
                {
                    return None;
                }
            }
            return Some((0..subject.entries.len()).collect());
        }
        let chosen: Vec<usize> = subject
            .entries
            .iter()
            .enumerate()
            .filter(|(i, entry)| {
                rule.action.is_none_or(|a| a == *i)
                    && rule.table.as_deref().is_none_or(|t| entry.table == Some(t))
                    && rule.key.as_ref().is_none_or(|k| key_matches(k, entry.key))
            })
            .map(|(i, _)| i)
            .collect();
        let criteria = rule.chooses_entries() || rule.table.is_some();
        (!criteria || !chosen.is_empty()).then_some(chosen)
    }

    /// A uniform draw in [0, 1) from splitmix64.
    fn draw(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    fn decision(&self, subject: &Subject<'_>, chosen: Vec<usize>) -> Decision {
        let rule = &self.rule;
        let effect = match rule.error.as_deref() {
            _ if rule.unprocessed => Effect::Unprocessed(chosen),
            Some(TRANSACTION_CANCELED) => Effect::Fail(conflict_cancellation(
                subject.entries.len(),
                &chosen,
                rule.message.as_deref(),
            )),
            Some(name) => Effect::Fail(
                injected_error(name, rule.message.as_deref())
                    .unwrap_or_else(|| Error::Internal(format!("unknown fault error {name}"))),
            ),
            None => Effect::Pass,
        };
        Decision {
            delay: rule.delay(),
            effect,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Faults {
    /// Replaces the rule set; every rule is checked first, and a set with
    /// any bad rule changes nothing (a `ValidationException` naming the
    /// rule's index and what is wrong).
    pub fn set(&self, rules: Vec<FaultRule>) -> Result<(), Error> {
        if rules.len() > MAX_RULES {
            return Err(Error::validation(format!(
                "At most {MAX_RULES} fault rules, not {}",
                rules.len()
            )));
        }
        for (i, rule) in rules.iter().enumerate() {
            rule.check()
                .map_err(|e| Error::validation(format!("rules[{i}]: {e}")))?;
        }
        let mut armed = lock(&self.rules);
        *armed = rules.into_iter().map(Armed::new).collect();
        self.refresh(&armed);
        Ok(())
    }

    /// Adds a rule after the others (checked as [`Faults::set`] checks).
    pub fn add(&self, rule: FaultRule) -> Result<(), Error> {
        self.push(rule).map(drop)
    }

    /// [`Faults::add`], answering the rule's index in [`Faults::list`].
    pub fn push(&self, rule: FaultRule) -> Result<usize, Error> {
        rule.check().map_err(Error::validation)?;
        let mut armed = lock(&self.rules);
        if armed.len() >= MAX_RULES {
            return Err(Error::validation(format!(
                "At most {MAX_RULES} fault rules"
            )));
        }
        armed.push(Armed::new(rule));
        self.refresh(&armed);
        Ok(armed.len().saturating_sub(1))
    }

    /// Removes every rule.
    pub fn clear(&self) {
        let mut armed = lock(&self.rules);
        armed.clear();
        self.refresh(&armed);
    }

    /// The rules in order, each with its remaining count (rules that ran
    /// out stay listed, with `remaining` 0, until the set is replaced or
    /// cleared).
    pub fn list(&self) -> Vec<FaultStatus> {
        lock(&self.rules)
            .iter()
            .map(|a| FaultStatus {
                rule: a.rule.clone(),
                remaining: a.remaining,
                fired: a.fired,
            })
            .collect()
    }

    /// Sets or clears [`ACTIVE`] after a change (the rules' lock held).
    fn refresh(&self, rules: &[Armed]) {
        if rules.iter().any(Armed::live) {
            self.gate.fetch_or(ACTIVE, Ordering::AcqRel);
        } else {
            self.gate.fetch_and(!ACTIVE, Ordering::AcqRel);
        }
    }

    /// The gate bits, read once per request.
    pub(crate) fn gate(&self) -> u8 {
        self.gate.load(Ordering::Acquire)
    }

    /// Offers a decoded request to the rules; the first that fires decides.
    pub(crate) fn decide(&self, subject: &Subject<'_>) -> Option<Decision> {
        let mut rules = lock(&self.rules);
        let mut decided = None;
        for armed in rules.iter_mut() {
            if !armed.live() {
                continue;
            }
            let Some(chosen) = armed.matches(subject) else {
                continue;
            };
            if armed.skip > 0 {
                armed.skip -= 1;
                continue;
            }
            if let Some(p) = armed.rule.probability {
                if armed.draw() >= p {
                    continue;
                }
            }
            if let Some(left) = &mut armed.remaining {
                *left -= 1;
            }
            armed.fired += 1;
            decided = Some(armed.decision(subject, chosen));
            break;
        }
        if decided.is_some() {
            self.refresh(&rules);
        }
        decided
    }

    fn set_loading(&self, loading: bool) {
        if loading {
            self.gate.fetch_or(LOADING, Ordering::AcqRel);
        } else {
            self.gate.fetch_and(!LOADING, Ordering::AcqRel);
        }
    }
}

/// The body of `POST /dynacond/faults` and of `dynacond serve --faults
/// FILE`: `{"rules": [rule, ...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The rules, in the order they are tried.
    pub rules: Vec<FaultRule>,
}

impl RuleSet {
    /// Parses `{"rules": [...]}`; a `ValidationException` with serde's
    /// description (line and column) for bad JSON or an unknown member.
    /// The rules themselves are checked by [`Faults::set`].
    pub fn parse(json: &[u8]) -> Result<RuleSet, Error> {
        serde_json::from_slice(json)
            .map_err(|e| Error::validation(format!("Invalid fault rules: {e}")))
    }
}

impl Store {
    /// The store's fault rules: see [`crate::faults`].
    pub fn faults(&self) -> &Faults {
        &self.inner.faults
    }

    /// True unless [`Store::set_ready`]`(false)` holds requests back.
    pub fn is_ready(&self) -> bool {
        self.inner.faults.gate() & LOADING == 0
    }

    /// Marks the store ready or not. While it is not, every request through
    /// [`crate::protocol::dispatch`] answers HTTP 503 `ServiceUnavailable`
    /// and `GET /dynacond/health` answers 503; the typed methods still work
    /// (a loader uses them).
    pub fn set_ready(&self, ready: bool) {
        self.inner.faults.set_loading(!ready);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;

    fn subject_put<'a>(put: &'a crate::api::PutItemInput) -> Subject<'a> {
        Subject::of("PutItem", put)
    }

    fn put(table: &str, p: &str) -> crate::api::PutItemInput {
        wire::from_str(&format!(
            r#"{{"TableName": "{table}", "Item": {{"p": {{"S": "{p}"}}}}}}"#
        ))
        .unwrap()
    }

    fn fired(faults: &Faults, input: &crate::api::PutItemInput) -> bool {
        faults.decide(&subject_put(input)).is_some()
    }

    #[test]
    fn after_and_times_count_matches() {
        let faults = Faults::default();
        faults
            .set(vec![
                FaultRule::error("ThrottlingException")
                    .table("t")
                    .after(2)
                    .times(2),
            ])
            .unwrap();
        let (t, other) = (put("t", "a"), put("u", "a"));
        let got: Vec<bool> = (0..6)
            .map(|i| {
                assert!(!fired(&faults, &other));
                let _ = i;
                fired(&faults, &t)
            })
            .collect();
        assert_eq!(got, [false, false, true, true, false, false]);
        assert_eq!(faults.list()[0].remaining, Some(0));
        assert_eq!(faults.list()[0].fired, 2);
        // Every rule has run out: the gate is closed again.
        assert_eq!(faults.gate() & ACTIVE, 0);
    }

    #[test]
    fn seeded_probability_is_reproducible() {
        let run = |seed| {
            let faults = Faults::default();
            faults
                .set(vec![
                    FaultRule::error("InternalServerError").probability(0.3, seed),
                ])
                .unwrap();
            let t = put("t", "a");
            (0..200).map(|_| fired(&faults, &t)).collect::<Vec<_>>()
        };
        let (a, b, c) = (run(7), run(7), run(8));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let hits = a.iter().filter(|f| **f).count();
        assert!((30..=90).contains(&hits), "{hits}");
    }

    #[test]
    fn the_first_firing_rule_decides_and_bad_sets_change_nothing() {
        let faults = Faults::default();
        faults
            .set(vec![
                FaultRule::error("ThrottlingException").table("other"),
                FaultRule::latency(Duration::from_millis(3)).table("t"),
                FaultRule::error("InternalServerError"),
            ])
            .unwrap();
        let d = faults.decide(&subject_put(&put("t", "a"))).unwrap();
        assert_eq!(d.delay, Some(Duration::from_millis(3)));
        assert!(matches!(d.effect, Effect::Pass));
        assert_eq!(faults.list()[2].fired, 0);
        let bad = faults
            .set(vec![
                FaultRule::error("ThrottlingException"),
                FaultRule::error("Nope"),
            ])
            .unwrap_err();
        assert!(
            bad.message().starts_with("rules[1]: unknown error `Nope`"),
            "{bad}"
        );
        assert_eq!(faults.list().len(), 3);
        faults.clear();
        assert!(faults.list().is_empty());
        assert_eq!(faults.gate(), 0);
    }

    #[test]
    fn readiness_is_a_gate_bit() {
        let store = Store::new();
        assert!(store.is_ready());
        store.set_ready(false);
        assert!(!store.is_ready());
        store
            .faults()
            .add(FaultRule::error("ThrottlingException"))
            .unwrap();
        store.set_ready(true);
        assert!(store.is_ready());
        assert_eq!(store.faults().gate(), ACTIVE);
    }

    #[test]
    fn rule_sets_parse_with_positions() {
        let set = RuleSet::parse(
            br#"{"rules": [{"operation": "PutItem", "table": "users",
                "error": "ProvisionedThroughputExceededException", "times": 2}]}"#,
        )
        .unwrap();
        assert_eq!(set.rules[0].times, Some(2));
        let bad = RuleSet::parse(b"{\"rules\": [{\"times\": \"x\"}]}").unwrap_err();
        assert!(bad.message().contains("line 1 column"), "{bad}");
    }
}
