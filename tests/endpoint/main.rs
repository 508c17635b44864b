//! The HTTP endpoint (`dynacond serve`, the `server` feature). Built only
//! with that feature (`required-features` in Cargo.toml).

mod server;
