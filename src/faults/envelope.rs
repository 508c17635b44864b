//! The request as the protocol layer carries it ([`Envelope`]): where the
//! rules are consulted, once the request is decoded, and where a decision
//! is applied; and [`Outcome`], an answer or a wait the caller sleeps
//! through without holding a thread.

use std::any::Any;
use std::cell::RefCell;
use std::time::Duration;

use serde::Serialize;

use super::subject::Subject;
use super::{ACTIVE, Decision, Effect, LOADING, NOT_READY_MESSAGE};
use crate::api::{BatchGetItemInput, BatchWriteItemInput};
use crate::error::Error;
use crate::protocol::Reply;
use crate::store::Store;

/// How a firing rule's latency is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    /// The calling thread sleeps ([`crate::protocol::dispatch`]).
    Sleep,
    /// The wait is handed back to the caller as [`Outcome::Later`].
    Defer,
    /// The wait is over: apply the decision made before it.
    Decided,
}

/// A request on its way through [`crate::protocol::dispatch`]: the store,
/// the `X-Amz-Target`, the body, the `Host`, and the gate read once.
#[derive(Debug)]
pub(crate) struct Envelope<'a> {
    store: &'a Store,
    target: Option<&'a str>,
    body: &'a [u8],
    host: Option<&'a str>,
    gate: u8,
    pace: Pace,
    /// [`Pace::Defer`]: the wait and the decision to resume with.
    deferred: RefCell<Option<(Duration, Decision)>>,
    /// [`Pace::Decided`]: the decision, taken when applied.
    decided: RefCell<Option<Decision>>,
}

impl<'a> Envelope<'a> {
    fn with(
        store: &'a Store,
        target: Option<&'a str>,
        body: &'a [u8],
        host: Option<&'a str>,
        pace: Pace,
    ) -> Self {
        Envelope {
            store,
            target,
            body,
            host,
            gate: store.faults().gate(),
            pace,
            deferred: RefCell::new(None),
            decided: RefCell::new(None),
        }
    }

    /// A request whose latency, if any, the calling thread sleeps.
    pub(crate) fn sleeping(
        store: &'a Store,
        target: Option<&'a str>,
        body: &'a [u8],
        host: Option<&'a str>,
    ) -> Self {
        Envelope::with(store, target, body, host, Pace::Sleep)
    }

    pub(crate) fn store(&self) -> &'a Store {
        self.store
    }

    pub(crate) fn target(&self) -> Option<&'a str> {
        self.target
    }

    pub(crate) fn body(&self) -> &'a [u8] {
        self.body
    }

    pub(crate) fn host(&self) -> Option<&'a str> {
        self.host
    }

    /// The operation's name: the target after its last `.`.
    fn operation(&self) -> &'a str {
        let target = self.target.unwrap_or("");
        target.rsplit_once('.').map_or(target, |(_, op)| op)
    }

    /// True when the rules may act on this request (so its static checks
    /// run before them).
    pub(crate) fn consults_rules(&self) -> bool {
        self.pace == Pace::Decided || self.gate & ACTIVE != 0
    }

    /// HTTP 503 while the store is not ready.
    pub(crate) fn refusal(&self) -> Option<Reply> {
        (self.gate & LOADING != 0)
            .then(|| Reply::error(&Error::ServiceUnavailable(NOT_READY_MESSAGE.into())))
    }

    /// Offers the decoded, checked request to the rules: `Ok` hands it back
    /// to run; `Err` is the answer (an injected error, a batch run without
    /// its unprocessed entries, or a placeholder while a deferred wait is
    /// handed back).
    pub(crate) fn intercept<I: 'static>(&self, input: I) -> Result<I, Reply> {
        let decision = if self.pace == Pace::Decided {
            self.decided.borrow_mut().take()
        } else if self.gate & ACTIVE == 0 {
            return Ok(input);
        } else {
            let subject = Subject::of(self.operation(), &input);
            self.store.faults().decide(&subject)
        };
        let Some(mut decision) = decision else {
            return Ok(input);
        };
        if let Some(delay) = decision.delay.take() {
            match self.pace {
                Pace::Sleep => std::thread::sleep(delay),
                Pace::Defer => {
                    *self.deferred.borrow_mut() = Some((delay, decision));
                    return Err(Reply::ok(Vec::new()));
                }
                Pace::Decided => {}
            }
        }
        match decision.effect {
            Effect::Pass => Ok(input),
            Effect::Fail(error) => Err(Reply::error(&error)),
            Effect::Unprocessed(skip) => Err(run_batch(self.store, input, &skip)),
        }
    }
}

/// Runs a batch leaving the entries at `skip` unprocessed.
fn run_batch<I: 'static>(store: &Store, input: I, skip: &[usize]) -> Reply {
    let mut slot = Some(input);
    let any: &mut dyn Any = &mut slot;
    if let Some(write) = any
        .downcast_mut::<Option<BatchWriteItemInput>>()
        .and_then(Option::take)
    {
        return encode(store.batch_write_item_skipping(write, skip));
    }
    if let Some(get) = any
        .downcast_mut::<Option<BatchGetItemInput>>()
        .and_then(Option::take)
    {
        return encode(store.batch_get_item_skipping(get, skip));
    }
    Reply::error(&Error::Internal(
        "unprocessed entries for an operation that is no batch".into(),
    ))
}

fn encode<O: Serialize>(result: Result<O, Error>) -> Reply {
    match result.and_then(|output| {
        serde_json::to_vec(&output)
            .map_err(|e| Error::Internal(format!("encoding the response: {e}")))
    }) {
        Ok(bytes) => Reply::ok(bytes),
        Err(e) => Reply::error(&e),
    }
}

/// What [`crate::protocol::dispatch_paced`] answers: the reply, or a wait
/// to sleep through (an injected latency) before [`Delayed::resume`]
/// answers.
#[derive(Debug)]
pub enum Outcome {
    /// The answer.
    Now(Reply),
    /// Wait [`Delayed::delay`], then call [`Delayed::resume`].
    Later(Delayed),
}

/// A request held back by a rule's latency: nothing has run yet; the rules
/// have decided and are not consulted again.
#[derive(Debug)]
pub struct Delayed {
    delay: Duration,
    store: Store,
    target: Option<String>,
    body: Vec<u8>,
    host: Option<String>,
    decision: Decision,
}

impl Delayed {
    /// How long to wait before [`Delayed::resume`].
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// Runs the request with the decision made before the wait.
    pub fn resume(self) -> Reply {
        let envelope = Envelope::with(
            &self.store,
            self.target.as_deref(),
            &self.body,
            self.host.as_deref(),
            Pace::Decided,
        );
        *envelope.decided.borrow_mut() = Some(self.decision);
        crate::protocol::route(&envelope)
    }
}

/// [`crate::protocol::dispatch_paced`].
pub(crate) fn dispatch_paced(
    store: &Store,
    target: Option<&str>,
    body: &[u8],
    host: Option<&str>,
) -> Outcome {
    let envelope = Envelope::with(store, target, body, host, Pace::Defer);
    let reply = crate::protocol::route(&envelope);
    match envelope.deferred.into_inner() {
        None => Outcome::Now(reply),
        Some((delay, decision)) => Outcome::Later(Delayed {
            delay,
            store: store.clone(),
            target: target.map(str::to_owned),
            body: body.to_vec(),
            host: host.map(str::to_owned),
            decision,
        }),
    }
}
