//! The official AWS SDK for Rust against dynacond (the `sdk` feature).
//!
//! Every test body is an `async fn` taking an `aws_sdk_dynamodb::Client`, and
//! runs twice: once with the in-process client (`dynacond::sdk::client`,
//! module `in_process`) and once with the same SDK configuration sending
//! HTTP to `dynacond serve` on a loopback port (module `over_http`), each on
//! a store of its own. The bodies cover every operation the store serves,
//! modelled errors, paginators, waiters and the response headers; the two
//! runs passing alike is what "the same bytes as the endpoint" means.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test \
              (clippy.toml's allow-*-in-tests covers #[test] functions only, not helpers)"
)]

#[allow(
    dead_code,
    reason = "shared with the expression tests, which use more of it"
)]
#[path = "../strategies/mod.rs"]
mod strategies;

mod convert;
mod errors;
mod in_process_only;
mod items;
mod retries;
mod support;
mod tables;

/// Defines, for each body `module::name`, the tests `in_process::name` and
/// `over_http::name`.
macro_rules! both_ways {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod in_process {
            $(
                #[tokio::test]
                async fn $name() {
                    let store = dynacond::Store::new();
                    super::$module::$name(dynacond::sdk::client(&store)).await;
                }
            )*
        }

        mod over_http {
            $(
                #[tokio::test]
                async fn $name() {
                    let (client, _server) = super::support::over_http();
                    super::$module::$name(client).await;
                }
            )*
        }
    };
}

both_ways!(
    tables::table_lifecycle,
    tables::list_tables_paginator,
    tables::waiters,
    items::item_operations,
    items::query_and_scan_paginators,
    items::batch_operations,
    items::transactions,
    items::time_to_live,
    errors::conditional_check_failed_with_item,
    errors::transaction_canceled_with_reasons,
    errors::service_errors,
    errors::response_headers,
);
