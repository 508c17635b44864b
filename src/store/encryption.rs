//! Server-side encryption (`SSESpecification`) and the table class
//! (`TableClass`) of CreateTable and UpdateTable, and how DescribeTable
//! reports them (`SSEDescription`, `TableClassSummary`).
//!
//! Nothing is encrypted or stored differently: the settings are checked
//! with DynamoDB's rules and messages, kept, and reported.
//!
//! # SSESpecification
//!
//! | Request | Answer |
//! | --- | --- |
//! | `SSEType` outside `[AES256, KMS]` | constraint layer (`sSESpecification.sSEType`) |
//! | `Enabled` false or absent, with `SSEType` | `SSEType can not be specified if Enabled is false` |
//! | `Enabled` false or absent, with `KMSMasterKeyId` | `KMSMasterKeyId can not be specified if Enabled is false` |
//! | `Enabled: true, SSEType: AES256` | `SSEType AES256 is not supported` |
//! | `Enabled: true, KMSMasterKeyId` without `SSEType: KMS` | `SSEType KMS is required if KMSMasterKeyId is specified` |
//! | `Enabled: true` | encrypted with the KMS key given, else the account's AWS-managed key |
//! | `Enabled` false or absent | the AWS-owned key: no `SSEDescription` |
//!
//! UpdateTable also refuses a change to the current setting: `Table is
//! already encrypted by default`, `Table is already encrypted with given
//! KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master
//! Key`. Its reply shows `SSEDescription` with `Status: UPDATING`; the next
//! DescribeTable shows the change done.
//!
//! KMS keys are not looked up (dynacond has no KMS): a key id becomes
//! `arn:aws:kms:<region>:<account>:key/<id>`, an alias `...:alias/<name>`,
//! an ARN is kept as given.
//!
//! # TableClass
//!
//! `STANDARD` or `STANDARD_INFREQUENT_ACCESS` (the enum is the constraint
//! layer's). A table created with a class reports `TableClassSummary`;
//! UpdateTable changes it at most twice in 30 days (LimitExceededException
//! `Subscriber limit exceeded: Updates to TableClass are limited to 2 times
//! in 30 day(s).`, also for a request naming the current class once both
//! changes are spent), sets `LastUpdateDateTime`, and answers `UPDATING`
//! with the old summary.

use crate::api::{
    SseDescription, SseSpecification, TableClass, TableClassSummary, TableDescription,
    UpdateTableInput,
};
use crate::error::Error;
use crate::store::builder::Location;
use crate::store::extras::Extras;

/// Changes of the table class allowed in [`CLASS_WINDOW_SECONDS`].
pub const MAX_CLASS_CHANGES: usize = 2;
/// The window of [`MAX_CLASS_CHANGES`]: 30 days.
pub const CLASS_WINDOW_SECONDS: f64 = 30.0 * 86_400.0;

fn invalid(detail: &str) -> Error {
    Error::validation(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

/// A table encrypted with a KMS key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sse {
    /// The key's ARN.
    pub(crate) key_arn: String,
}

impl Sse {
    pub(crate) fn describe(&self, status: &str) -> SseDescription {
        SseDescription {
            status: Some(status.into()),
            sse_type: Some("KMS".into()),
            kms_master_key_arn: Some(self.key_arn.clone()),
        }
    }
}

/// The encryption an `SSESpecification` asks for, once its rules passed:
/// `None` for the AWS-owned key.
pub(crate) fn sse_target(
    spec: &SseSpecification,
    location: &Location,
) -> Result<Option<Sse>, Error> {
    let sse_type = spec.sse_type.as_deref();
    if spec.enabled != Some(true) {
        if sse_type.is_some() {
            return Err(invalid("SSEType can not be specified if Enabled is false"));
        }
        if spec.kms_master_key_id.is_some() {
            return Err(invalid(
                "KMSMasterKeyId can not be specified if Enabled is false",
            ));
        }
        return Ok(None);
    }
    if sse_type == Some("AES256") {
        return Err(invalid("SSEType AES256 is not supported"));
    }
    if spec.kms_master_key_id.is_some() && sse_type != Some("KMS") {
        return Err(invalid(
            "SSEType KMS is required if KMSMasterKeyId is specified",
        ));
    }
    Ok(Some(Sse {
        key_arn: key_arn(location, spec.kms_master_key_id.as_deref()),
    }))
}

/// The ARN of the KMS key `id` names; without one (or naming
/// `alias/aws/dynamodb`), the account's AWS-managed DynamoDB key.
fn key_arn(location: &Location, id: Option<&str>) -> String {
    let Location { region, account_id } = location;
    match id {
        None | Some("alias/aws/dynamodb") => {
            format!(
                "arn:aws:kms:{region}:{account_id}:key/{}",
                managed_key_id(location)
            )
        }
        Some(arn) if arn.starts_with("arn:") => {
            if arn.ends_with(":alias/aws/dynamodb") {
                key_arn(location, None)
            } else {
                arn.to_owned()
            }
        }
        Some(alias) if alias.starts_with("alias/") => {
            format!("arn:aws:kms:{region}:{account_id}:{alias}")
        }
        Some(key) => format!("arn:aws:kms:{region}:{account_id}:key/{key}"),
    }
}

/// The id of the account's AWS-managed key: a UUID-shaped value fixed by
/// the region and account (FNV-1a hashes of them), the same in every run.
fn managed_key_id(location: &Location) -> String {
    let hash = |salt: u64| {
        let text = format!("{}/{}/aws/dynamodb", location.region, location.account_id);
        text.bytes().fold(0xcbf2_9ce4_8422_2325 ^ salt, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (hash(1), hash(2));
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        (b >> 48) & 0x0fff,
        b & 0xffff_ffff_ffff
    )
}

/// A table's class: the one chosen (absent: `STANDARD`, not reported) and
/// the times UpdateTable changed it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClassState {
    chosen: Option<TableClass>,
    updated: Option<f64>,
    changes: Vec<f64>,
}

impl ClassState {
    /// The class CreateTable gave.
    pub(crate) fn created(class: Option<&TableClass>) -> ClassState {
        ClassState {
            chosen: class.cloned(),
            ..ClassState::default()
        }
    }

    pub(crate) fn summary(&self) -> Option<TableClassSummary> {
        self.chosen.as_ref().map(|class| TableClassSummary {
            table_class: class.clone(),
            last_update_date_time: self.updated,
        })
    }
}

/// What an UpdateTable changes of the extras, checked.
#[derive(Debug, Default)]
pub(crate) struct ExtrasChange {
    /// The new encryption (`Some(None)`: the AWS-owned key).
    sse: Option<Option<Sse>>,
    /// The new class.
    class: Option<TableClass>,
}

/// The request-only rules of an UpdateTable's `SSESpecification` (run
/// before the table is looked up): the new encryption, if any.
pub(crate) fn check_update_request(
    input: &UpdateTableInput,
    location: &Location,
) -> Result<Option<Option<Sse>>, Error> {
    input
        .sse_specification
        .as_ref()
        .map(|spec| sse_target(spec, location))
        .transpose()
}

/// Checks an UpdateTable's encryption (from [`check_update_request`]) and
/// class against the table's, at `now`.
pub(crate) fn check_update(
    extras: &Extras,
    sse: Option<Option<Sse>>,
    class: Option<&TableClass>,
    now: f64,
) -> Result<ExtrasChange, Error> {
    let mut change = ExtrasChange::default();
    if let Some(target) = sse {
        match (&extras.sse, &target) {
            (None, None) => return Err(invalid("Table is already encrypted by default")),
            (Some(current), Some(new)) if current == new => {
                return Err(invalid(
                    "Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key",
                ));
            }
            _ => change.sse = Some(target),
        }
    }
    if let Some(class) = class {
        let state = &extras.class;
        let recent = state
            .changes
            .iter()
            .filter(|t| now - **t < CLASS_WINDOW_SECONDS)
            .count();
        if recent >= MAX_CLASS_CHANGES {
            return Err(Error::LimitExceeded(format!(
                "Subscriber limit exceeded: Updates to TableClass are limited to {MAX_CLASS_CHANGES} times in 30 day(s)."
            )));
        }
        if *class != state.chosen.clone().unwrap_or_default() {
            change.class = Some(class.clone());
        }
    }
    Ok(change)
}

impl ExtrasChange {
    /// Applies the change (nothing here can fail).
    pub(crate) fn apply(&self, extras: &mut Extras, now: f64) {
        if let Some(sse) = &self.sse {
            extras.sse = sse.clone();
        }
        if let Some(class) = &self.class {
            let state = &mut extras.class;
            state.chosen = Some(class.clone());
            state.updated = Some(now);
            state.changes.retain(|t| now - *t < CLASS_WINDOW_SECONDS);
            state.changes.push(now);
        }
    }

    /// The UpdateTable reply of a change just begun: `UPDATING` with the
    /// old class summary; the encryption `UPDATING` (the new key's, or the
    /// old one's while returning to the AWS-owned key).
    /// `before` holds the table's `SSEDescription` and `TableClassSummary`
    /// before the change.
    pub(crate) fn reply(
        &self,
        reply: &mut TableDescription,
        before: (Option<SseDescription>, Option<TableClassSummary>),
    ) {
        let (old_sse, old_class) = before;
        if self.class.is_some() {
            reply.table_status = crate::api::TableStatus::Updating;
            reply.table_class_summary = old_class;
        }
        if let Some(sse) = &self.sse {
            let shown = match sse {
                Some(new) => Some(new.describe("UPDATING")),
                None => old_sse.map(|mut d| {
                    d.status = Some("UPDATING".into());
                    d
                }),
            };
            reply.sse_description = shown;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(enabled: Option<bool>, sse_type: Option<&str>, key: Option<&str>) -> SseSpecification {
        SseSpecification {
            enabled,
            sse_type: sse_type.map(Into::into),
            kms_master_key_id: key.map(Into::into),
        }
    }

    fn target(s: &SseSpecification) -> Result<Option<String>, String> {
        sse_target(s, &Location::default())
            .map(|t| t.map(|s| s.key_arn))
            .map_err(|e| e.message().to_owned())
    }

    #[test]
    fn sse_specification_rules() {
        let vi = "One or more parameter values were invalid: ";
        let managed = key_arn(&Location::default(), None);
        assert!(
            managed.starts_with("arn:aws:kms:us-east-1:123456789012:key/"),
            "{managed}"
        );
        assert_eq!(
            managed.len(),
            "arn:aws:kms:us-east-1:123456789012:key/".len() + 36
        );
        for (s, want) in [
            (spec(None, None, None), Ok(None)),
            (spec(Some(false), None, None), Ok(None)),
            (spec(Some(true), None, None), Ok(Some(managed.clone()))),
            (
                spec(Some(true), Some("KMS"), None),
                Ok(Some(managed.clone())),
            ),
            (
                spec(Some(true), Some("KMS"), Some("alias/aws/dynamodb")),
                Ok(Some(managed.clone())),
            ),
            (
                spec(
                    Some(true),
                    Some("KMS"),
                    Some("1234abcd-12ab-34cd-56ef-1234567890ab"),
                ),
                Ok(Some(
                    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        .into(),
                )),
            ),
            (
                spec(Some(true), Some("KMS"), Some("alias/mine")),
                Ok(Some("arn:aws:kms:us-east-1:123456789012:alias/mine".into())),
            ),
            (
                spec(
                    Some(true),
                    Some("KMS"),
                    Some("arn:aws:kms:eu-west-1:111122223333:key/k"),
                ),
                Ok(Some("arn:aws:kms:eu-west-1:111122223333:key/k".into())),
            ),
            (
                spec(Some(false), Some("KMS"), None),
                Err(format!(
                    "{vi}SSEType can not be specified if Enabled is false"
                )),
            ),
            (
                spec(None, None, Some("k")),
                Err(format!(
                    "{vi}KMSMasterKeyId can not be specified if Enabled is false"
                )),
            ),
            (
                spec(Some(true), Some("AES256"), None),
                Err(format!("{vi}SSEType AES256 is not supported")),
            ),
            (
                spec(Some(true), None, Some("k")),
                Err(format!(
                    "{vi}SSEType KMS is required if KMSMasterKeyId is specified"
                )),
            ),
        ] {
            assert_eq!(target(&s), want, "{s:?}");
        }
    }

    #[test]
    fn the_managed_key_depends_on_region_and_account_only() {
        let a = managed_key_id(&Location::default());
        assert_eq!(a, managed_key_id(&Location::default()));
        let other = Location {
            region: "eu-west-1".into(),
            ..Location::default()
        };
        assert_ne!(a, managed_key_id(&other));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
    }

    #[test]
    fn update_rules_and_the_class_quota() {
        let mut extras = Extras::default();
        let kms = Some(Sse {
            key_arn: "arn:k".into(),
        });
        let err =
            |r: Result<ExtrasChange, Error>| r.map(|_| ()).map_err(|e| e.message().to_owned());
        assert_eq!(
            err(check_update(&extras, Some(None), None, 0.0)),
            Err(
                "One or more parameter values were invalid: Table is already encrypted by default"
                    .into()
            )
        );
        check_update(&extras, Some(kms.clone()), None, 0.0)
            .unwrap()
            .apply(&mut extras, 0.0);
        assert!(
            err(check_update(&extras, Some(kms.clone()), None, 0.0))
                .unwrap_err()
                .contains("Table is already encrypted with given KMSMasterKeyId")
        );
        // Two class changes, then the quota; a no-op needs none of it.
        let ia = TableClass::StandardInfrequentAccess;
        let standard = TableClass::Standard;
        let noop = check_update(&extras, None, Some(&standard), 10.0).unwrap();
        assert!(noop.class.is_none());
        check_update(&extras, None, Some(&ia), 10.0)
            .unwrap()
            .apply(&mut extras, 10.0);
        assert_eq!(
            extras.class.summary(),
            Some(TableClassSummary {
                table_class: ia.clone(),
                last_update_date_time: Some(10.0)
            })
        );
        check_update(&extras, None, Some(&standard), 20.0)
            .unwrap()
            .apply(&mut extras, 20.0);
        let limited =
            "Subscriber limit exceeded: Updates to TableClass are limited to 2 times in 30 day(s).";
        assert_eq!(
            err(check_update(&extras, None, Some(&ia), 30.0)),
            Err(limited.into())
        );
        assert_eq!(
            err(check_update(&extras, None, Some(&standard), 30.0)),
            Err(limited.into())
        );
        // The window slides.
        assert!(check_update(&extras, None, Some(&ia), 10.0 + CLASS_WINDOW_SECONDS).is_ok());
    }
}
