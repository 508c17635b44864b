//! Remembered ClientRequestTokens (TransactWriteItems idempotency).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::store::table::lock;

/// How long a ClientRequestToken is remembered after its transaction.
pub const TOKEN_TTL: Duration = Duration::from_secs(600);

#[derive(Debug)]
pub(crate) enum TokenState {
    Running(String),
    Done(String, Instant),
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
    pub(crate) fn begin(&self, token: &str, fingerprint: &str) -> Result<TokenCheck, Error> {
        let mut entries = lock(&self.entries);
        let now = Instant::now();
        entries.retain(|_, state| match state {
            TokenState::Done(_, at) => now.duration_since(*at) < TOKEN_TTL,
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

    pub(crate) fn finish(&self, token: &str, fingerprint: String, succeeded: bool) {
        let mut entries = lock(&self.entries);
        if succeeded {
            entries.insert(
                token.to_owned(),
                TokenState::Done(fingerprint, Instant::now()),
            );
        } else {
            entries.remove(token);
        }
    }
}

/// Clears a running token if the transaction unwinds (a panic).
pub(crate) struct TokenGuard<'a> {
    pub(crate) cache: &'a TokenCache,
    pub(crate) token: Option<(String, String)>,
}

impl TokenGuard<'_> {
    pub(crate) fn finish(mut self, succeeded: bool) {
        if let Some((token, fingerprint)) = self.token.take() {
            self.cache.finish(&token, fingerprint, succeeded);
        }
    }
}

impl Drop for TokenGuard<'_> {
    fn drop(&mut self) {
        if let Some((token, fingerprint)) = self.token.take() {
            self.cache.finish(&token, fingerprint, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_replay_mismatch_and_expire() {
        let cache = TokenCache::default();
        assert!(matches!(cache.begin("t", "a"), Ok(TokenCheck::Run)));
        assert_eq!(
            cache.begin("t", "a").err().map(|e| e.type_name()),
            Some("TransactionInProgressException")
        );
        cache.finish("t", "a".into(), true);
        assert!(matches!(cache.begin("t", "a"), Ok(TokenCheck::Replay)));
        assert_eq!(
            cache.begin("t", "b").err().map(|e| e.type_name()),
            Some("IdempotentParameterMismatchException")
        );
        // Ten minutes after it finished, the token is forgotten.
        let old = Instant::now().checked_sub(TOKEN_TTL + Duration::from_secs(1));
        if let Some(old) = old {
            lock(&cache.entries).insert("t".into(), TokenState::Done("a".into(), old));
            assert!(matches!(cache.begin("t", "b"), Ok(TokenCheck::Run)));
        }
        // A failed run forgets its token.
        cache.finish("t", "b".into(), false);
        assert!(matches!(cache.begin("t", "c"), Ok(TokenCheck::Run)));
    }
}
