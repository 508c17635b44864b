//! Remembered ClientRequestTokens (TransactWriteItems idempotency), timed
//! by the store's clock (epoch milliseconds).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::clock::Clock;
use crate::error::Error;
use crate::store::table::lock;

/// How long a ClientRequestToken is remembered after its transaction.
pub const TOKEN_TTL: Duration = Duration::from_secs(600);

#[derive(Debug)]
pub(crate) enum TokenState {
    Running(String),
    /// Finished at this time (epoch milliseconds).
    Done(String, i64),
}

/// Remembered ClientRequestTokens: the request's fingerprint and state.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    entries: Mutex<HashMap<String, TokenState>>,
}

/// What the token check decided.
pub(crate) enum TokenCheck {
    /// A replay of a finished request: succeed without applying.
    Replay,
    /// A new request: run it, then record the outcome.
    Run,
}

impl TokenCache {
    /// Starts a request with this token at `now` (epoch milliseconds).
    pub(crate) fn begin(
        &self,
        token: &str,
        fingerprint: &str,
        now: i64,
    ) -> Result<TokenCheck, Error> {
        let mut entries = lock(&self.entries);
        let ttl = TOKEN_TTL.as_millis() as i64;
        entries.retain(|_, state| match state {
            // A clock set back keeps a token until it is TOKEN_TTL past it
            // again.
            TokenState::Done(_, at) => now.saturating_sub(*at) < ttl,
            TokenState::Running(_) => true,
        });
        match entries.get(token) {
            Some(TokenState::Done(f, _)) | Some(TokenState::Running(f)) if f != fingerprint => {
                Err(Error::IdempotentParameterMismatch(
                    "The request uses the same client token as a previous, but non-identical request."
                        .into(),
                ))
            }
            Some(TokenState::Done(..)) => Ok(TokenCheck::Replay),
            Some(TokenState::Running(_)) => Err(Error::TransactionInProgress(
                "A transaction with the same client token is in progress".into(),
            )),
            None => {
                entries.insert(token.to_owned(), TokenState::Running(fingerprint.to_owned()));
                Ok(TokenCheck::Run)
            }
        }
    }

    /// The finished requests' tokens: (token, fingerprint, finished at).
    pub(crate) fn finished(&self) -> Vec<(String, String, i64)> {
        lock(&self.entries)
            .iter()
            .filter_map(|(token, state)| match state {
                TokenState::Done(f, at) => Some((token.clone(), f.clone(), *at)),
                TokenState::Running(_) => None,
            })
            .collect()
    }

    /// Replaces the finished requests' tokens by `finished`; requests
    /// running now keep theirs (they record their outcome when they end).
    pub(crate) fn replace_finished(&self, finished: &[(String, String, i64)]) {
        let mut entries = lock(&self.entries);
        entries.retain(|_, state| matches!(state, TokenState::Running(_)));
        for (token, fingerprint, at) in finished {
            entries
                .entry(token.clone())
                .or_insert_with(|| TokenState::Done(fingerprint.clone(), *at));
        }
    }

    /// Ends a request at `now`: a success is remembered, a failure
    /// forgotten.
    pub(crate) fn finish(&self, token: &str, fingerprint: String, succeeded: bool, now: i64) {
        let mut entries = lock(&self.entries);
        if succeeded {
            entries.insert(token.to_owned(), TokenState::Done(fingerprint, now));
        } else {
            entries.remove(token);
        }
    }
}

/// Clears a running token if the transaction unwinds (a panic).
pub(crate) struct TokenGuard<'a> {
    pub(crate) cache: &'a TokenCache,
    pub(crate) clock: &'a Clock,
    pub(crate) token: Option<(String, String)>,
}

impl Drop for TokenGuard<'_> {
    fn drop(&mut self) {
        if let Some((token, fingerprint)) = self.token.take() {
            let now = self.clock.now_millis();
            self.cache.finish(&token, fingerprint, false, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_replay_mismatch_and_expire() {
        let cache = TokenCache::default();
        assert!(matches!(cache.begin("t", "a", 0), Ok(TokenCheck::Run)));
        assert_eq!(
            cache.begin("t", "a", 0).err().map(|e| e.type_name()),
            Some("TransactionInProgressException")
        );
        cache.finish("t", "a".into(), true, 1_000);
        assert!(matches!(
            cache.begin("t", "a", 2_000),
            Ok(TokenCheck::Replay)
        ));
        assert_eq!(
            cache.begin("t", "b", 2_000).err().map(|e| e.type_name()),
            Some("IdempotentParameterMismatchException")
        );
        // Just under ten minutes after it finished, the token is
        // remembered; at ten minutes it is forgotten.
        assert!(matches!(
            cache.begin("t", "a", 600_999),
            Ok(TokenCheck::Replay)
        ));
        assert!(matches!(
            cache.begin("t", "b", 601_000),
            Ok(TokenCheck::Run)
        ));
        // A failed run forgets its token.
        cache.finish("t", "b".into(), false, 601_000);
        assert!(matches!(
            cache.begin("t", "c", 601_000),
            Ok(TokenCheck::Run)
        ));
    }
}
