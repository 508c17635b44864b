//! Item writes on a data directory, and their replay. A write, holding its
//! items' locks: numbers its stream records (`stream::durable`), logs its
//! after-images with those numbers (a transaction: one record, with its
//! ClientRequestToken), applies them, and makes the records visible.
//! Replay applies the after-images and puts the stream records back with
//! their logged numbers and times, and the token with its time.

use crate::error::Error;
use crate::store::catalog::Store;
use crate::store::durable::record::{self, Image, Write};
use crate::store::durable::streams::Token;
use crate::store::stream::WriteOrigin;
use crate::store::stream::durable::{self as stream_log, Reserved};
use crate::store::table::{LockedItem, Table};
use crate::value::Item;

/// Writes a locked item (`None`: deletes it) as `origin`; on a durable
/// store logs it first (an I/O error fails it with nothing changed).
/// Answers the old item.
pub(crate) fn write_locked(
    locked: &mut LockedItem<'_>,
    new: Option<Item>,
    origin: WriteOrigin,
) -> Result<Option<Item>, Error> {
    let (table, key) = locked.table_and_key();
    let Some(log) = table.journal.get() else {
        return Ok(locked.replace_from(new, origin));
    };
    let reserved = table
        .stream
        .reserve(key, locked.get(), new.as_ref(), origin);
    let stamp = reserved.as_ref().and_then(Reserved::logged);
    let payload = record::writes(None, std::iter::once((log.id, key, new.as_ref(), stamp)));
    log.durable.log.append(&payload)?;
    // The record was numbered above: none is made again here.
    let old = locked.replace_from(new, WriteOrigin::Replay);
    if let Some(reserved) = reserved {
        reserved.publish();
    }
    Ok(old)
}

/// Commits a transaction's writes (its items locked) and, on a durable
/// store, logs them first as one record with its ClientRequestToken
/// (`token`: the token and the request's fingerprint, finished at
/// `millis`).
pub(crate) fn commit_writes(
    store: &Store,
    writes: Vec<(&mut LockedItem<'_>, Option<Item>)>,
    token: Option<(&str, &str)>,
    millis: i64,
) -> Result<(), Error> {
    let Some(durable) = store.inner.durable.get() else {
        for (item, new) in writes {
            item.replace(new);
        }
        return Ok(());
    };
    if writes.is_empty() && token.is_none() {
        return Ok(());
    }
    let reserved: Vec<Option<Reserved>> = writes
        .iter()
        .map(|(item, new)| {
            let (table, key) = item.table_and_key();
            table
                .stream
                .reserve(key, item.get(), new.as_ref(), WriteOrigin::Request)
        })
        .collect();
    let images = writes
        .iter()
        .zip(&reserved)
        .map(|((item, new), r)| -> Write<'_> {
            let (table, key) = item.table_and_key();
            let id = table.journal.get().map_or(0, |l| l.id);
            (id, key, new.as_ref(), r.as_ref().and_then(Reserved::logged))
        });
    let payload = record::writes(token.map(|(t, f)| (t, f, millis)), images);
    durable.log.append(&payload)?;
    for ((item, new), reserved) in writes.into_iter().zip(reserved) {
        item.replace_from(new, WriteOrigin::Replay);
        if let Some(reserved) = reserved {
            reserved.publish();
        }
    }
    Ok(())
}

/// Replays logged writes on `store`: `table_of` finds a table by log id
/// (`None`: deleted meanwhile).
pub(crate) fn replay<'t>(
    store: &Store,
    table_of: impl Fn(u64) -> Option<&'t Table>,
    token: Option<Token>,
    images: Vec<Image>,
) {
    for image in images {
        let Some(table) = table_of(image.table) else {
            // A write that reached a table after it was deleted.
            continue;
        };
        let slot = table.slot(&image.key);
        let mut locked = slot.lock_waiting();
        if let Some(stamp) = &image.stamp {
            stream_log::replay(
                &store.inner.streams,
                table,
                &image.key,
                image.item.as_ref(),
                stamp,
            );
        }
        locked.replace_from(image.item, WriteOrigin::Replay);
    }
    if let Some((token, fingerprint, at)) = token {
        store.inner.tokens.finish(&token, fingerprint, true, at);
    }
}
