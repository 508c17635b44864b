//! The spec's stream, TTL, tag and small-operation vectors
//! (`streams-ttl-tags.json`, streams-ttl-tags.md §9) through the protocol
//! layer, with the rules of the vectors' README (section
//! "streams-ttl-tags.json"):
//!
//! - Each case gets a fresh [`Store`] on a manual clock standing at the
//!   wall clock's current second; table `t` is set up as in the validation
//!   runner (with the case's `StreamSpecification` and `Tags`), and
//!   placeholder table names are mapped both ways, ARNs included.
//! - `service: "streams"` sends `DynamoDBStreams_20120810.<operation>`.
//! - `capture` stores members of a reply (JSON pointers into the reply as
//!   mapped back); `${var}`, `${now}`, `${now+N}`, `${now-N}` are replaced in
//!   every later string, requests and expectations alike.
//! - Hooks: `advance_clock` moves the store's clock, `ttl_sweep` runs the
//!   `POST /dynacond/ttl/sweep` control call, and a case requiring
//!   `ttl_cooldown` runs on a store with DynamoDB's UpdateTimeToLive
//!   cooldown turned on; a case requiring a hook this build lacks is
//!   skipped and reported apart.
//! - `expect.match` is the README's matcher language ([`matches`]);
//!   `response` is compared member for member as in the validation runner;
//!   errors as there (strict about the validation prefix). A step that fails
//!   must leave every table's items unchanged.

use std::time::Duration;

use dynacond::control::control;
use dynacond::{Clock, Store};
use regex::Regex;
use serde_json::{Map, Value, json};

use crate::common;
use crate::validation_vectors::{
    Answer, Ordered, compare, error_mismatch, map_arn, map_request, send_to, set_up, shorten,
    snapshot, snapshot_change,
};

/// Cases that fail for a known, documented reason: (name, reason).
const KNOWN: &[(&str, &str)] = &[(
    "stt-39-noop-writes",
    "the vector's `REMOVE missing` names a reserved word, which DynamoDB refuses too \
         (Attribute name is a reserved keyword; reserved keyword: missing)",
)];

const STREAMS_TARGET: &str = "DynamoDBStreams_20120810.";

/// The hooks a case may require and whether this build offers them.
fn hook_available(hook: &str) -> bool {
    match hook {
        "clock" | "ttl_cooldown" => true,
        "ttl_sweep" => {
            let probe = Store::new();
            control(&probe, "POST", "/dynacond/ttl/sweep", b"").status != 404
        }
        _ => false,
    }
}

/// A case's variables: captures and the clock.
struct Vars {
    /// Captured members, as mapped back to the placeholder names.
    captured: Map<String, Value>,
    /// True while substituting into a request (ARNs then name the tables
    /// sent).
    sending: bool,
    /// `${now}`: the clock at the start, plus the seconds advanced.
    now: i64,
}

impl Vars {
    fn text(&self, name: &str) -> Option<String> {
        let offset = match name.strip_prefix("now") {
            None => return self.captured_text(name),
            Some("") => 0,
            Some(rest) => match (rest.strip_prefix('+'), rest.strip_prefix('-')) {
                (Some(n), _) => n.parse::<i64>().ok()?,
                (_, Some(n)) => -n.parse::<i64>().ok()?,
                _ => return self.captured_text(name),
            },
        };
        Some((self.now + offset).to_string())
    }

    fn captured_text(&self, name: &str) -> Option<String> {
        Some(match self.captured.get(name)? {
            // In a request, an ARN names the table sent, before anything is
            // appended to it (`${tarn}x` names table `<sent>x`).
            Value::String(s) if self.sending => map_arn(s),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// Replaces every `${...}` in a string; an unknown variable is an error.
    fn substitute(&self, text: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some((before, after)) = rest.split_once("${") {
            out.push_str(before);
            let (name, tail) = after
                .split_once('}')
                .ok_or_else(|| format!("unterminated variable in {text:?}"))?;
            out.push_str(
                &self
                    .text(name)
                    .ok_or_else(|| format!("unknown variable ${{{name}}}"))?,
            );
            rest = tail;
        }
        out.push_str(rest);
        Ok(out)
    }

    fn value(&self, value: &Value) -> Result<Value, String> {
        Ok(match value {
            Value::String(s) => Value::String(self.substitute(s)?),
            Value::Array(list) => Value::Array(
                list.iter()
                    .map(|v| self.value(v))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((self.substitute(k)?, self.value(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }

    fn ordered(&self, value: &Ordered) -> Result<Ordered, String> {
        Ok(match value {
            Ordered::String(s) => Ordered::String(self.substitute(s)?),
            Ordered::Array(list) => Ordered::Array(
                list.iter()
                    .map(|v| self.ordered(v))
                    .collect::<Result<_, _>>()?,
            ),
            Ordered::Object(members) => Ordered::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((self.substitute(k)?, self.ordered(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }
}

// ---------------------------------------------------------------------------
// The matcher language

/// The matcher of a pattern object with a single `$` member.
fn matcher(pattern: &Value) -> Option<(&str, &Value)> {
    match pattern {
        Value::Object(m) if m.len() == 1 => {
            let (k, v) = m.iter().next()?;
            k.starts_with('$').then_some((k.as_str(), v))
        }
        _ => None,
    }
}

/// A decimal string or number as (negative, integer digits, fraction
/// digits), for exact numeric comparison of sequence numbers.
fn decimal(value: &Value) -> Option<(bool, String, String)> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int = int.trim_start_matches('0').to_owned();
    let frac = frac.trim_end_matches('0').to_owned();
    Some((negative && !(int.is_empty() && frac.is_empty()), int, frac))
}

fn numerically_greater(a: &Value, b: &Value) -> Option<bool> {
    let (an, ai, af) = decimal(a)?;
    let (bn, bi, bf) = decimal(b)?;
    let magnitude = ai
        .len()
        .cmp(&bi.len())
        .then_with(|| ai.cmp(&bi))
        .then_with(|| af.cmp(&bf));
    Some(match (an, bn) {
        (false, true) => true,
        (true, false) => false,
        (false, false) => magnitude.is_gt(),
        (true, true) => magnitude.is_lt(),
    })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether each pattern matches a distinct element (`all`: and every
/// element is matched).
fn distinct_matches(patterns: &[Value], got: &[Value], exact: bool, all: bool) -> bool {
    if all && patterns.len() != got.len() {
        return false;
    }
    fn assign(patterns: &[Value], got: &[Value], used: &mut Vec<bool>, exact: bool) -> bool {
        let Some((first, rest)) = patterns.split_first() else {
            return true;
        };
        for (i, g) in got.iter().enumerate() {
            if !used[i] && matches("", first, g, exact).is_ok() {
                used[i] = true;
                if assign(rest, got, used, exact) {
                    return true;
                }
                used[i] = false;
            }
        }
        false
    }
    assign(patterns, got, &mut vec![false; got.len()], exact)
}

/// `expect.match`: objects need only the members given (every member with
/// `exact`), lists the same length element by element, scalars equality
/// (numbers numerically), and single-`$`-member objects are matchers.
fn matches(path: &str, pattern: &Value, got: &Value, exact: bool) -> Result<(), String> {
    let differ = || format!("{path}: want {pattern}, got {}", shorten(&got.to_string()));
    if let Some((name, arg)) = matcher(pattern) {
        let ok = match name {
            "$any" => true,
            "$exact" => return matches(path, arg, got, true),
            "$regex" => {
                let regex = Regex::new(&format!(r"(?s)\A(?:{})\z", arg.as_str().unwrap_or("")))
                    .map_err(|e| format!("{path}: bad $regex: {e}"))?;
                got.as_str().is_some_and(|s| regex.is_match(s))
            }
            "$type" => arg.as_str() == Some(type_name(got)),
            "$ne" => matches(path, arg, got, exact).is_err(),
            "$num_gt" => numerically_greater(got, arg) == Some(true),
            "$len" => {
                let len = match got {
                    Value::Array(l) => Some(l.len()),
                    Value::Object(m) => Some(m.len()),
                    Value::String(s) => Some(s.chars().count()),
                    _ => None,
                };
                len.map(|l| l as u64) == arg.as_u64()
            }
            "$unordered" | "$contains" => match (arg, got) {
                (Value::Array(p), Value::Array(g)) => {
                    distinct_matches(p, g, exact, name == "$unordered")
                }
                _ => false,
            },
            "$absent" => return Err(format!("{path}: present, want it absent")),
            other => return Err(format!("{path}: the runner does not know {other}")),
        };
        return ok.then_some(()).ok_or_else(differ);
    }
    match (pattern, got) {
        (Value::Object(p), Value::Object(g)) => {
            for (k, pv) in p {
                let here = format!("{path}/{k}");
                match (g.get(k), matcher(pv)) {
                    (None, Some(("$absent", _))) => {}
                    (None, _) => return Err(format!("{here}: missing, want {pv}")),
                    (Some(gv), _) => matches(&here, pv, gv, exact)?,
                }
            }
            if exact {
                if let Some(extra) = g.keys().find(|k| !p.contains_key(*k)) {
                    return Err(format!("{path}: has {extra}, beyond the exact members"));
                }
            }
            Ok(())
        }
        (Value::Array(p), Value::Array(g)) if p.len() == g.len() => p
            .iter()
            .zip(g)
            .enumerate()
            .try_for_each(|(i, (pv, gv))| matches(&format!("{path}/{i}"), pv, gv, exact)),
        (Value::Number(_), Value::Number(_)) => (numerically_greater(pattern, got) == Some(false)
            && numerically_greater(got, pattern) == Some(false))
        .then_some(())
        .ok_or_else(differ),
        _ => (pattern == got).then_some(()).ok_or_else(differ),
    }
}

// ---------------------------------------------------------------------------
// Steps and cases

fn check(expect: &Value, answer: &Answer) -> Result<(), String> {
    if expect.get("error").is_some() {
        return error_mismatch(expect, answer);
    }
    if answer.status != 200 {
        return Err("failed, want a reply".into());
    }
    if let Some(want) = expect.get("response") {
        compare("reply", None, want, &answer.body)?;
    }
    if let Some(pattern) = expect.get("match") {
        matches("", pattern, &answer.body, false)?;
    }
    Ok(())
}

fn run_step(
    store: &Store,
    vars: &mut Vars,
    step: &Value,
    ordered: &Ordered,
) -> Result<(), (String, String)> {
    let fail = |why: String| (String::new(), why);
    match step.get("action").and_then(Value::as_str) {
        Some("advance_clock") => {
            let seconds = step["seconds"]
                .as_u64()
                .ok_or_else(|| fail("seconds?".into()))?;
            store.clock().advance(Duration::from_secs(seconds));
            vars.now += seconds as i64;
            return Ok(());
        }
        Some("ttl_sweep") => {
            let reply = control(store, "POST", "/dynacond/ttl/sweep", b"");
            return (reply.status == 200).then_some(()).ok_or_else(|| {
                fail(format!(
                    "ttl sweep: {} {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                ))
            });
        }
        Some("assert_equal") => {
            let a = vars.value(&step["a"]).map_err(fail)?;
            let b = vars.value(&step["b"]).map_err(fail)?;
            return (a == b)
                .then_some(())
                .ok_or_else(|| fail(format!("assert_equal: {a} != {b}")));
        }
        Some(other) => return Err(fail(format!("unknown action {other}"))),
        None => {}
    }
    let operation = step["operation"].as_str().unwrap_or_default();
    let prefix = match step.get("service").and_then(Value::as_str) {
        Some("streams") => STREAMS_TARGET,
        _ => dynacond::protocol::TARGET_PREFIX,
    };
    let request = ordered
        .get("request")
        .ok_or_else(|| fail("no request".into()))?;
    vars.sending = true;
    let request = vars.ordered(request);
    vars.sending = false;
    let request = request.map_err(fail)?;
    let shown = format!(
        "{operation} {}",
        shorten(&serde_json::to_string(&request).unwrap_or_default())
    );
    let expect = match step.get("expect") {
        Some(e) => vars.value(e).map_err(|why| (shown.clone(), why))?,
        None => json!({}),
    };
    let fails = expect.get("error").is_some();
    let before = if fails { Some(snapshot(store)) } else { None };
    let body = serde_json::to_vec(&map_request(&request)).unwrap_or_default();
    let answer = send_to(store, &format!("{prefix}{operation}"), &body);
    let mut outcome = check(&expect, &answer);
    if let (Ok(()), Some(before)) = (&outcome, before) {
        outcome = match (before, snapshot(store)) {
            (Ok(b), Ok(a)) => snapshot_change(&b, &a).map_or(Ok(()), Err),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
    }
    outcome.map_err(|why| {
        (
            shown.clone(),
            format!(
                "{why}\n  expected: {}\n  actual:   {}",
                shorten(&expect.to_string()),
                answer.show()
            ),
        )
    })?;
    for (var, pointer) in step
        .get("capture")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let pointer = pointer.as_str().unwrap_or_default();
        let value = answer.body.pointer(pointer).ok_or_else(|| {
            (
                shown.clone(),
                format!("capture {var}: nothing at {pointer}"),
            )
        })?;
        vars.captured.insert(var.clone(), value.clone());
    }
    Ok(())
}

fn run_case(case: &Value, ordered: &Ordered) -> Result<(), String> {
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut builder = Store::builder().clock(Clock::manual(start * 1000));
    let requires = case.get("requires").and_then(Value::as_array);
    if requires.is_some_and(|r| r.contains(&json!("ttl_cooldown"))) {
        builder = builder.ttl_cooldown(dynacond::store::DYNAMODB_TTL_COOLDOWN);
    }
    let store = builder.build().map_err(|e| e.to_string())?;
    set_up(&store, case)?;
    let mut vars = Vars {
        captured: Map::new(),
        sending: false,
        now: start,
    };
    let Some(Ordered::Array(ordered_steps)) = ordered.get("steps") else {
        return Err("a case without steps".into());
    };
    let steps = case["steps"].as_array().cloned().unwrap_or_default();
    for (i, (step, ordered)) in steps.iter().zip(ordered_steps).enumerate() {
        run_step(&store, &mut vars, step, ordered)
            .map_err(|(request, why)| format!("step {i}: {request}\n  {why}"))?;
    }
    Ok(())
}

#[test]
fn streams_ttl_tags_vectors() {
    let file = "streams-ttl-tags.json";
    let cases = common::load_cases(file);
    let text = std::fs::read_to_string(common::cases_dir().join(file)).unwrap();
    let ordered: Vec<Ordered> = serde_json::from_str(&text).unwrap();
    assert_eq!(ordered.len(), cases.len());
    let (mut ran, mut skipped) = (0, Vec::new());
    let (mut failing, mut known_failing, mut known_passing) = (Vec::new(), Vec::new(), Vec::new());
    for (case, ordered) in cases.iter().zip(&ordered) {
        let name = case["name"].as_str().unwrap_or_default();
        let missing: Vec<&str> = case
            .get("requires")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|h| !hook_available(h))
            .collect();
        if !missing.is_empty() {
            skipped.push(format!("{name} (needs {})", missing.join(", ")));
            continue;
        }
        ran += 1;
        let excused = KNOWN.iter().find(|(n, _)| *n == name);
        match (run_case(case, ordered), excused) {
            (Ok(()), None) => {}
            (Ok(()), Some(_)) => known_passing.push(name),
            (Err(_), Some((_, why))) => known_failing.push(format!("{name} ({why})")),
            (Err(why), None) => {
                eprintln!("FAIL {name} (row {}), {why}\n", case["row"]);
                failing.push(name);
            }
        }
    }
    eprintln!(
        "{file}: {} cases, {ran} ran, {} skipped for a missing hook ({}); {} failed, {} known failures ({})",
        cases.len(),
        skipped.len(),
        skipped.join(", "),
        failing.len(),
        known_failing.len(),
        known_failing.join(", ")
    );
    assert!(ran >= 80, "only {ran} vectors of {file} ran");
    assert!(
        failing.is_empty() && known_passing.is_empty(),
        "{} of {ran} vectors of {file} failed: {}\n\
         listed as known but passing (remove them): {}",
        failing.len(),
        failing.join(", "),
        known_passing.join(", ")
    );
}

#[cfg(test)]
mod matcher_tests {
    use super::*;

    #[test]
    fn the_matchers_do_what_the_readme_says() {
        let got = json!({"a": "100000000000000000002", "l": [1, {"x": 2}], "s": "abc"});
        let ok = |p: Value| matches("", &p, &got, false).is_ok();
        assert!(ok(json!({"a": {"$num_gt": "100000000000000000001"}})));
        assert!(!ok(json!({"a": {"$num_gt": "100000000000000000002"}})));
        assert!(ok(json!({"zz": {"$absent": true}})));
        assert!(!ok(json!({"a": {"$absent": true}})));
        assert!(ok(json!({"s": {"$regex": "a.c"}, "l": {"$len": 2}})));
        assert!(!ok(json!({"s": {"$regex": "a"}})));
        assert!(ok(json!({"l": {"$unordered": [{"x": 2}, 1]}})));
        assert!(ok(
            json!({"l": {"$contains": [{"x": {"$type": "number"}}]}})
        ));
        assert!(!ok(json!({"l": {"$unordered": [1]}})));
        assert!(ok(
            json!({"$exact": {"a": {"$any": 1}, "l": [1, {"x": 2}], "s": "abc"}})
        ));
        assert!(!ok(json!({"$exact": {"a": {"$any": 1}, "s": "abc"}})));
        assert!(!ok(json!({"l": {"$exact": [1, {}]}})));
        assert!(ok(json!({"s": {"$ne": "abd"}})));
        assert!(ok(json!({"l": [1.0, {"x": 2}]})));
    }

    #[test]
    fn variables_are_replaced_as_text() {
        let mut captured = Map::new();
        captured.insert("n".into(), json!(5));
        captured.insert("s".into(), json!("arn:x"));
        let vars = Vars {
            captured,
            sending: false,
            now: 100,
        };
        assert_eq!(
            vars.substitute("${s}|${n}|${now}|${now+5}|${now-1}").ok(),
            Some("arn:x|5|100|105|99".into())
        );
        assert!(vars.substitute("${nope}").is_err());
    }
}
