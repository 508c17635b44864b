//! The web console: a few pages a browser gets from `GET /` (by content
//! negotiation: DynamoDB's clients only `POST`, and health probes do not ask
//! for HTML), to look at tables, browse, query and edit items, try
//! expressions, watch the requests served and drive the control calls.
//!
//! Every asset is embedded in the binary (`include_bytes!`): the console
//! works offline and is served only where the endpoint listens. Its script
//! talks to the same endpoint with DynamoDB's own protocol (`POST /` with
//! `X-Amz-Target`), and to the `/dynacond/` control calls, so whatever it
//! sends meets the same limits and error bodies as any client's request; it
//! adds no other way in.
//!
//! Responses carry a restrictive `Content-Security-Policy` (scripts, styles
//! and connections to this origin only, no framing, no inline script), an
//! `ETag` with `Cache-Control: no-cache` (a browser revalidates and gets
//! `304 Not Modified`), `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer`.

/// One embedded file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asset {
    /// Its bytes.
    pub(crate) body: &'static [u8],
    /// Its media type.
    pub(crate) content_type: &'static str,
}

/// The console's page (served at `/` to browsers).
pub(crate) const PAGE: Asset = Asset {
    body: include_bytes!("index.html"),
    content_type: "text/html; charset=utf-8",
};

/// The assets the page loads, by path.
const ASSETS: &[(&str, Asset)] = &[
    (
        "/console/app.js",
        Asset {
            body: include_bytes!("app.js"),
            content_type: "text/javascript; charset=utf-8",
        },
    ),
    (
        "/console/app.css",
        Asset {
            body: include_bytes!("app.css"),
            content_type: "text/css; charset=utf-8",
        },
    ),
    (
        "/console/icon.svg",
        Asset {
            body: include_bytes!("icon.svg"),
            content_type: "image/svg+xml",
        },
    ),
];

/// The path prefix of the console's assets.
pub(crate) const ASSET_PREFIX: &str = "/console/";

/// The asset at `path`, if there is one.
pub(crate) fn asset(path: &str) -> Option<Asset> {
    ASSETS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, asset)| *asset)
}

/// The policy every console response carries.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// The entity tag of an asset: the CRC32 of its bytes, quoted.
pub(crate) fn etag(asset: &Asset) -> String {
    format!("\"{:08x}\"", crc32fast::hash(asset.body))
}

/// True when an `If-None-Match` header names `etag` (or is `*`).
pub(crate) fn not_modified(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|list| {
        list.split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

/// True when an `Accept` header asks for HTML: it names `text/html` (or
/// `application/xhtml+xml`) with a non-zero quality. Browsers do so for a
/// page; health probes, load balancers and SDKs send `*/*`, JSON or
/// nothing, and keep DynamoDB's health line.
pub(crate) fn wants_html(accept: Option<&str>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    accept.split(',').any(|range| {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("");
        let html = media.eq_ignore_ascii_case("text/html")
            || media.eq_ignore_ascii_case("application/xhtml+xml");
        let quality = parts
            .filter_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        html && quality > 0.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_html_and_probes_do_not() {
        for (accept, html) in [
            (
                Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                true,
            ),
            (Some("TEXT/HTML"), true),
            (Some("application/xhtml+xml"), true),
            (Some("text/html;q=0"), false),
            (Some("text/html; q=0.0, */*"), false),
            (Some("*/*"), false),
            (Some("application/json"), false),
            (Some("text/plain, text/*"), false),
            (Some(""), false),
            (None, false),
        ] {
            assert_eq!(wants_html(accept), html, "{accept:?}");
        }
    }

    #[test]
    fn assets_are_found_by_exact_path_and_revalidate() {
        assert!(asset("/console/app.js").is_some());
        assert!(asset("/console/app.css").is_some());
        assert!(asset("/console/").is_none());
        assert!(asset("/console/../Cargo.toml").is_none());
        assert!(asset("/console/app.js/").is_none());
        let tag = etag(&PAGE);
        assert!(not_modified(Some(&tag), &tag));
        assert!(not_modified(Some(&format!("\"x\", W/{tag}")), &tag));
        assert!(not_modified(Some("*"), &tag));
        assert!(!not_modified(Some("\"other\""), &tag));
        assert!(!not_modified(None, &tag));
    }

    #[test]
    fn the_page_loads_only_embedded_assets_and_no_inline_script() {
        let page = std::str::from_utf8(PAGE.body).unwrap();
        for (path, _) in ASSETS {
            assert!(page.contains(path), "{path} is not referenced");
        }
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!page.contains("<script>") && !page.contains(" style="));
        assert!(!page.contains("onclick="));
    }
}
