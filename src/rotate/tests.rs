//! Every branch of a rotation against an in-memory IAM, STS and pair of files.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use super::*;
use crate::domain::secret::Secret;

const ARN: &str = "arn:aws:iam::123456789012:user/alice";
const OLD: &str = "AKIAOLD0000000000000";
const OLD_SECRET: &str = "old-secret-old-secret-old-secret-old-sec";

#[derive(Clone)]
struct FakeKey {
    id: String,
    secret: String,
    status: Status,
}

/// IAM and STS for one user (or the root user), in memory.
struct FakeAws {
    arn: String,
    keys: RefCell<Vec<FakeKey>>,
    made: Cell<u32>,
    /// STS refuses a new key this many times first (propagation).
    sts_lag: Cell<u32>,
    /// IAM denies calls made without MFA (the force-MFA policy).
    force_mfa: bool,
    deny_create: bool,
    no_mfa_device: bool,
    calls: RefCell<Vec<String>>,
}

impl FakeAws {
    fn new(keys: &[(&str, &str, Status)]) -> FakeAws {
        FakeAws {
            arn: ARN.into(),
            keys: RefCell::new(
                keys.iter()
                    .map(|(id, secret, status)| FakeKey {
                        id: id.to_string(),
                        secret: secret.to_string(),
                        status: *status,
                    })
                    .collect(),
            ),
            made: Cell::new(0),
            sts_lag: Cell::new(0),
            force_mfa: false,
            deny_create: false,
            no_mfa_device: false,
            calls: RefCell::new(Vec::new()),
        }
    }

    fn one_key() -> FakeAws {
        FakeAws::new(&[(OLD, OLD_SECRET, Status::Active)])
    }

    fn ids(&self) -> Vec<(String, Status)> {
        self.keys
            .borrow()
            .iter()
            .map(|k| (k.id.clone(), k.status))
            .collect()
    }

    fn authenticate(&self, keys: &Keys) -> Result<(), CallError> {
        if keys.access_key_id.starts_with("ASIA") {
            return Ok(());
        }
        self.keys
            .borrow()
            .iter()
            .find(|k| {
                k.id == keys.access_key_id
                    && k.secret == keys.secret.expose()
                    && k.status == Status::Active
            })
            .map(drop)
            .ok_or_else(|| CallError::Refused {
                code: "InvalidClientTokenId".into(),
                said: "AWS does not know this access key ID".into(),
            })
    }

    fn iam_call(&self, keys: &Keys, action: &str) -> Result<(), CallError> {
        self.calls.borrow_mut().push(action.to_string());
        self.authenticate(keys)?;
        if self.force_mfa && keys.token.is_none() {
            return Err(CallError::MfaRequired(format!(
                "IAM refused iam:{action} with an explicit deny"
            )));
        }
        Ok(())
    }
}

impl Aws for FakeAws {
    fn caller(&self, keys: &Keys) -> Result<Identity, CallError> {
        let is_new = !keys.access_key_id.contains("OLD") && !keys.access_key_id.starts_with("ASIA");
        if is_new && self.sts_lag.get() > 0 {
            self.sts_lag.set(self.sts_lag.get() - 1);
            return Err(CallError::Refused {
                code: "InvalidClientTokenId".into(),
                said: "AWS does not know this access key ID".into(),
            });
        }
        self.authenticate(keys)?;
        Ok(Identity {
            account: "123456789012".into(),
            arn: self.arn.clone(),
            user_id: "AIDAEXAMPLE".into(),
        })
    }
    fn list_keys(&self, keys: &Keys, _: &User) -> Result<Vec<AccessKey>, CallError> {
        self.iam_call(keys, "ListAccessKeys")?;
        Ok(self
            .keys
            .borrow()
            .iter()
            .map(|k| AccessKey {
                id: k.id.clone(),
                status: k.status,
                created: "2026-01-01T00:00:00Z".into(),
            })
            .collect())
    }
    fn last_used(&self, keys: &Keys, _: &User, _: &str) -> Result<LastUsed, CallError> {
        self.iam_call(keys, "GetAccessKeyLastUsed")?;
        Ok(LastUsed {
            date: Some("2026-11-30T10:00:00Z".into()),
            service: Some("s3".into()),
            region: Some("eu-west-1".into()),
        })
    }
    fn create_key(&self, keys: &Keys, user: &User) -> Result<NewKey, CallError> {
        self.iam_call(keys, "CreateAccessKey")?;
        if self.deny_create {
            return Err(CallError::Refused {
                code: "AccessDenied".into(),
                said: crate::sts::iam::permissions_needed(user),
            });
        }
        if self.keys.borrow().len() >= 2 {
            return Err(CallError::Refused {
                code: "LimitExceeded".into(),
                said: "two keys already".into(),
            });
        }
        self.made.set(self.made.get() + 1);
        let id = format!("AKIANEW{:013}", self.made.get());
        let secret = format!("new-secret-{}", self.made.get());
        self.keys.borrow_mut().push(FakeKey {
            id: id.clone(),
            secret: secret.clone(),
            status: Status::Active,
        });
        Ok(NewKey {
            id,
            secret: Secret::new(secret),
        })
    }
    fn set_status(&self, keys: &Keys, _: &User, id: &str, status: Status) -> Result<(), CallError> {
        self.iam_call(keys, "UpdateAccessKey")?;
        let mut all = self.keys.borrow_mut();
        let key = all
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or(CallError::Refused {
                code: "NoSuchEntity".into(),
                said: "no such key".into(),
            })?;
        key.status = status;
        Ok(())
    }
    fn delete_key(&self, keys: &Keys, _: &User, id: &str) -> Result<(), CallError> {
        self.iam_call(keys, "DeleteAccessKey")?;
        let mut all = self.keys.borrow_mut();
        let before = all.len();
        all.retain(|k| k.id != id);
        if all.len() == before {
            return Err(CallError::Refused {
                code: "NoSuchEntity".into(),
                said: "no such key".into(),
            });
        }
        Ok(())
    }
    fn mfa_devices(&self, _: &Keys, _: &User) -> Result<Vec<String>, CallError> {
        if self.no_mfa_device {
            return Ok(vec![]);
        }
        Ok(vec!["arn:aws:iam::123456789012:mfa/alice".into()])
    }
    fn session(&self, keys: &Keys, serial: &str, code: &str) -> Result<Keys, CallError> {
        self.authenticate(keys)?;
        self.calls
            .borrow_mut()
            .push(format!("GetSessionToken {serial} {code}"));
        Ok(Keys {
            access_key_id: "ASIASESSION000000000".into(),
            secret: Secret::new("session-secret"),
            token: Some(Secret::new("session-token")),
        })
    }
}

/// Profiles as (key ID, secret) pairs.
struct FakeFiles {
    profiles: RefCell<BTreeMap<String, (String, String)>>,
    fail_write: bool,
    kind: Kind,
    mfa_serial: Option<String>,
}

impl FakeFiles {
    fn new(profiles: &[(&str, &str, &str)]) -> FakeFiles {
        FakeFiles {
            profiles: RefCell::new(
                profiles
                    .iter()
                    .map(|(n, id, s)| (n.to_string(), (id.to_string(), s.to_string())))
                    .collect(),
            ),
            fail_write: false,
            kind: Kind::Static,
            mfa_serial: None,
        }
    }

    fn work_and_default() -> FakeFiles {
        FakeFiles::new(&[
            ("work", OLD, OLD_SECRET),
            ("default", OLD, OLD_SECRET),
            ("other", "AKIAOTHERPROFILE0000", "other-secret"),
        ])
    }

    fn key_of(&self, name: &str) -> String {
        self.profiles.borrow()[name].0.clone()
    }
}

impl Files for FakeFiles {
    fn profile(&self, name: &str) -> Result<Held, Stop> {
        let profiles = self.profiles.borrow();
        let (id, secret) = profiles
            .get(name)
            .ok_or_else(|| Stop::Refused(format!("no profile `{name}`")))?;
        rotatable(name, self.kind, id)?;
        Ok(Held {
            keys: Keys {
                access_key_id: id.clone(),
                secret: Secret::new(secret.as_str()),
                token: None,
            },
            mfa_serial: self.mfa_serial.clone(),
        })
    }
    fn holders(&self, name: &str) -> Result<Vec<String>, String> {
        let profiles = self.profiles.borrow();
        let pair = &profiles[name];
        Ok(profiles
            .iter()
            .filter(|(n, p)| n.as_str() != name && *p == pair)
            .map(|(n, _)| n.clone())
            .collect())
    }
    fn write(&self, name: &str, key: &NewKey) -> Result<Vec<String>, String> {
        if self.fail_write {
            return Err("the directory is read-only".into());
        }
        let holders = self.holders(name)?;
        let written: Vec<String> = std::iter::once(name.to_string()).chain(holders).collect();
        let mut profiles = self.profiles.borrow_mut();
        for profile in &written {
            profiles.insert(
                profile.clone(),
                (key.id.clone(), key.secret.expose().to_string()),
            );
        }
        Ok(written)
    }
}

#[derive(Default)]
struct Said {
    lines: Vec<String>,
    refuse: bool,
    mfa_code: Option<String>,
    /// The answer to "delete the other, active key?" (a screen asks; the CLI does not).
    delete_other: bool,
}

impl Talk for Said {
    fn say(&mut self, line: &str) {
        self.lines.push(line.to_string());
    }
    fn confirm(&mut self, question: &str) -> bool {
        self.lines.push(format!("? {question}"));
        !self.refuse
    }
    fn mfa_code(&mut self, _: &str) -> Option<String> {
        self.mfa_code.clone()
    }
    fn delete_active_other(&mut self, question: &str) -> bool {
        self.lines.push(format!("? {question}"));
        self.delete_other
    }
}

impl Said {
    fn all(&self) -> String {
        self.lines.join("\n")
    }
}

struct Run {
    _dir: tempfile::TempDir,
    state: PathBuf,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.ini");
        Run { _dir: dir, state }
    }

    fn rotate(
        &self,
        aws: &FakeAws,
        files: &FakeFiles,
        talk: &mut Said,
        options: Options,
    ) -> Result<Done, Stop> {
        let mut rotator = Rotator::new(aws, files, talk, "work", options);
        rotator.state_path = Some(self.state.clone());
        rotator.check_delays = vec![Duration::ZERO; 3];
        rotator.run()
    }

    fn state(&self) -> State {
        State::load_from(Some(&self.state))
    }

    fn set_journal(&self, rotation: Rotation) {
        let mut state = self.state();
        state.set_rotation("work", Some(rotation));
        state.save_to(Some(&self.state));
    }
}

fn no_secret_in(talk: &Said, secrets: &[&str]) {
    let all = talk.all();
    for secret in secrets {
        assert!(!all.contains(secret), "a secret was said: {all}");
    }
}

#[test]
fn rotates_into_every_holder_and_deactivates_the_old_key() {
    let run = Run::new();
    let (aws, files, mut talk) = (
        FakeAws::one_key(),
        FakeFiles::work_and_default(),
        Said::default(),
    );
    let done = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap();
    let Done::Rotated {
        old,
        new,
        written,
        old_deleted,
    } = done
    else {
        panic!("{done:?}")
    };
    assert_eq!((old.as_str(), old_deleted), (OLD, false));
    assert_eq!(written, ["work", "default"]);
    assert_eq!(files.key_of("work"), new);
    assert_eq!(files.key_of("default"), new);
    assert_eq!(files.key_of("other"), "AKIAOTHERPROFILE0000");
    assert_eq!(
        aws.ids(),
        [
            (OLD.to_string(), Status::Inactive),
            (new.clone(), Status::Active)
        ]
    );
    let state = run.state();
    assert_eq!(
        state.rotation("work"),
        None,
        "the journal ends with the rotation"
    );
    assert_eq!(state.retired("work").unwrap().key, OLD);
    let said = talk.all();
    assert!(
        said.contains("the new key will be written into `work` and `default`"),
        "{said}"
    );
    no_secret_in(&talk, &[OLD_SECRET, "new-secret"]);
    let text = std::fs::read_to_string(&run.state).unwrap();
    assert!(!text.contains("secret"), "{text}");
}

#[test]
fn delete_deletes_the_old_key_and_keeps_no_record_to_finish() {
    let run = Run::new();
    let (aws, files, mut talk) = (
        FakeAws::one_key(),
        FakeFiles::work_and_default(),
        Said::default(),
    );
    let options = Options {
        delete: true,
        ..Options::default()
    };
    let done = run.rotate(&aws, &files, &mut talk, options).unwrap();
    assert!(
        matches!(
            done,
            Done::Rotated {
                old_deleted: true,
                ..
            }
        ),
        "{done:?}"
    );
    assert_eq!(aws.ids().len(), 1);
    assert_eq!(run.state().retired("work"), None);
}

#[test]
fn two_active_keys_stop_unless_delete_other() {
    let run = Run::new();
    let aws = FakeAws::new(&[
        (OLD, OLD_SECRET, Status::Active),
        ("AKIAOTHER00000000000", "x", Status::Active),
    ]);
    let files = FakeFiles::work_and_default();
    let mut talk = Said::default();
    let stop = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap_err();
    let said = stop.said();
    assert!(matches!(stop, Stop::Refused(_)));
    assert!(
        said.contains("--delete-other") && said.contains("AKIAOTHER00000000000"),
        "{said}"
    );
    assert!(
        said.contains("last used 2026-11-30T10:00:00Z (s3, eu-west-1)"),
        "{said}"
    );
    assert_eq!(aws.ids().len(), 2, "nothing changed");
    assert_eq!(files.key_of("work"), OLD);
    assert_eq!(run.state().rotation("work"), None);

    let mut talk = Said::default();
    let options = Options {
        delete_other: true,
        ..Options::default()
    };
    let done = run.rotate(&aws, &files, &mut talk, options).unwrap();
    let Done::Rotated { new, .. } = done else {
        panic!()
    };
    assert_eq!(
        aws.ids(),
        [(OLD.to_string(), Status::Inactive), (new, Status::Active)],
        "the other key was deleted, never the key in use"
    );
}

#[test]
fn a_screen_that_asks_may_delete_the_active_other_key() {
    let run = Run::new();
    let other = "AKIAOTHER00000000000";
    let aws = FakeAws::new(&[
        (OLD, OLD_SECRET, Status::Active),
        (other, "x", Status::Active),
    ]);
    let files = FakeFiles::work_and_default();
    let mut talk = Said::default();
    run.rotate(&aws, &files, &mut talk, Options::default())
        .unwrap_err();
    assert!(
        talk.all()
            .contains(&format!("? Delete the other key {other}? It is active")),
        "asked, after showing both keys:\n{}",
        talk.all()
    );
    assert_eq!(aws.ids().len(), 2, "a no changes nothing");

    let mut talk = Said {
        delete_other: true,
        ..Said::default()
    };
    let Done::Rotated { new, .. } = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        aws.ids(),
        [(OLD.to_string(), Status::Inactive), (new, Status::Active)],
        "a yes deletes the other key, never the key in use"
    );
}

#[test]
fn an_inactive_other_key_is_deleted_to_make_room() {
    let run = Run::new();
    let aws = FakeAws::new(&[
        ("AKIAOLDER0000000000", "x", Status::Inactive),
        (OLD, OLD_SECRET, Status::Active),
    ]);
    let (files, mut talk) = (FakeFiles::work_and_default(), Said::default());
    run.rotate(&aws, &files, &mut talk, Options::default())
        .unwrap();
    let ids: Vec<String> = aws.ids().into_iter().map(|(id, _)| id).collect();
    assert!(!ids.contains(&"AKIAOLDER0000000000".to_string()), "{ids:?}");
    assert_eq!(ids.len(), 2);
    assert!(
        talk.all().contains("is inactive: it will be deleted"),
        "{}",
        talk.all()
    );
}

#[test]
fn the_root_user_is_refused_with_the_advice() {
    let run = Run::new();
    let mut aws = FakeAws::one_key();
    aws.arn = "arn:aws:iam::123456789012:root".into();
    let (files, mut talk) = (FakeFiles::work_and_default(), Said::default());
    let stop = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap_err();
    assert!(stop.said().contains("ROOT USER") && stop.said().contains("deleted, not rotated"));
    assert_eq!(aws.calls.borrow().len(), 0, "no IAM call");
}

#[test]
fn temporary_credentials_and_roles_have_nothing_to_rotate() {
    let run = Run::new();
    let mut aws = FakeAws::one_key();
    aws.arn = "arn:aws:sts::123456789012:assumed-role/admin/me".into();
    let files = FakeFiles::work_and_default();
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    assert!(stop.said().contains("nothing to rotate"), "{stop:?}");

    let aws = FakeAws::one_key();
    for kind in [
        Kind::Session,
        Kind::Role,
        Kind::Sso,
        Kind::Endpoint,
        Kind::Process,
    ] {
        let mut files = FakeFiles::work_and_default();
        files.kind = kind;
        let stop = run
            .rotate(&aws, &files, &mut Said::default(), Options::default())
            .unwrap_err();
        assert!(
            stop.said().contains("nothing to rotate"),
            "{kind:?}: {stop:?}"
        );
    }
    let files = FakeFiles::new(&[("work", "ASIATEMP000000000000", "s")]);
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    assert!(stop.said().contains("temporary credentials"), "{stop:?}");
    assert_eq!(aws.calls.borrow().len(), 0);
}

#[test]
fn a_failed_write_deletes_the_new_key_again() {
    let run = Run::new();
    let aws = FakeAws::one_key();
    let mut files = FakeFiles::work_and_default();
    files.fail_write = true;
    let mut talk = Said::default();
    let stop = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap_err();
    assert!(
        stop.said().contains("read-only") && stop.said().contains("nothing changed"),
        "{stop:?}"
    );
    assert_eq!(aws.ids(), [(OLD.to_string(), Status::Active)]);
    assert_eq!(aws.made.get(), 1, "a key was made, then deleted");
    assert_eq!(files.key_of("work"), OLD);
    assert_eq!(run.state().rotation("work"), None);
}

#[test]
fn the_new_key_is_checked_with_backoff_before_the_old_one_is_retired() {
    let run = Run::new();
    let aws = FakeAws::one_key();
    aws.sts_lag.set(2);
    let files = FakeFiles::work_and_default();
    run.rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap();
    assert_eq!(aws.ids()[0].1, Status::Inactive);

    // STS never accepts it: the old key stays active, the journal stays for a resume.
    let run = Run::new();
    let aws = FakeAws::one_key();
    aws.sts_lag.set(100);
    let files = FakeFiles::work_and_default();
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    assert!(
        matches!(&stop, Stop::Unchecked(s) if s.contains("still active")),
        "{stop:?}"
    );
    assert_eq!(aws.ids()[0], (OLD.to_string(), Status::Active));
    assert_eq!(run.state().rotation("work").unwrap().step, Step::Written);
    // The next run resumes: checks the key in the files and retires the old one.
    aws.sts_lag.set(0);
    let mut talk = Said::default();
    let done = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap();
    assert!(talk.all().contains("resuming it"), "{}", talk.all());
    assert!(matches!(done, Done::Rotated { ref written, .. } if written.is_empty()));
    assert_eq!(aws.ids()[0], (OLD.to_string(), Status::Inactive));
    assert_eq!(aws.ids().len(), 2);
    assert_eq!(run.state().rotation("work"), None);
}

fn journal(step: Step, new_key: Option<&str>) -> Rotation {
    Rotation {
        step,
        user: "alice".into(),
        user_arn: ARN.into(),
        old_key: OLD.into(),
        new_key: new_key.map(str::to_string),
        before: vec![OLD.into()],
        delete_old: false,
    }
}

/// A crash right after `CreateAccessKey`, before the journal had the new key's ID: the
/// key is an orphan (its secret is lost), deleted; then the rotation runs anew.
#[test]
fn a_crash_while_creating_rolls_back_the_orphan_key() {
    let run = Run::new();
    let aws = FakeAws::new(&[
        (OLD, OLD_SECRET, Status::Active),
        ("AKIAORPHAN0000000000", "lost", Status::Active),
    ]);
    run.set_journal(journal(Step::Creating, None));
    let files = FakeFiles::work_and_default();
    let mut talk = Said::default();
    let done = run
        .rotate(&aws, &files, &mut talk, Options::default())
        .unwrap();
    assert!(
        talk.all().contains("rolled back") && talk.all().contains("AKIAORPHAN0000000000"),
        "{}",
        talk.all()
    );
    let Done::Rotated { new, .. } = done else {
        panic!()
    };
    assert_eq!(
        aws.ids(),
        [(OLD.to_string(), Status::Inactive), (new, Status::Active)]
    );
}

#[test]
fn a_crash_before_the_write_rolls_back_and_after_it_resumes() {
    // Created, files still old: the new key is deleted, then a fresh rotation.
    let run = Run::new();
    let aws = FakeAws::new(&[
        (OLD, OLD_SECRET, Status::Active),
        ("AKIALOST000000000000", "lost", Status::Active),
    ]);
    run.set_journal(journal(Step::Created, Some("AKIALOST000000000000")));
    let files = FakeFiles::work_and_default();
    let mut talk = Said::default();
    run.rotate(&aws, &files, &mut talk, Options::default())
        .unwrap();
    assert!(talk.all().contains("rolled back"), "{}", talk.all());
    assert!(!aws.ids().iter().any(|(id, _)| id == "AKIALOST000000000000"));
    assert_eq!(aws.ids().len(), 2);

    // Created, but the files hold the new key (the crash came between the write and
    // the journal): resumed.
    for step in [Step::Created, Step::Written] {
        let run = Run::new();
        let aws = FakeAws::new(&[
            (OLD, OLD_SECRET, Status::Active),
            ("AKIANEW0000000000009", "new9", Status::Active),
        ]);
        run.set_journal(journal(step, Some("AKIANEW0000000000009")));
        let files = FakeFiles::new(&[("work", "AKIANEW0000000000009", "new9")]);
        let mut talk = Said::default();
        let done = run
            .rotate(&aws, &files, &mut talk, Options::default())
            .unwrap();
        assert!(talk.all().contains("resuming it"), "{}", talk.all());
        assert!(matches!(done, Done::Rotated { .. }));
        assert_eq!(
            aws.ids(),
            [
                (OLD.to_string(), Status::Inactive),
                ("AKIANEW0000000000009".to_string(), Status::Active)
            ],
            "{step:?}"
        );
        assert_eq!(run.state().rotation("work"), None);
    }
}

#[test]
fn a_journal_for_a_key_changed_since_is_forgotten() {
    let run = Run::new();
    let aws = FakeAws::new(&[("AKIAHAND000000000000", "hand", Status::Active)]);
    run.set_journal(journal(Step::Created, Some("AKIALOST000000000000")));
    let files = FakeFiles::new(&[("work", "AKIAHAND000000000000", "hand")]);
    let mut talk = Said::default();
    let _ = run.rotate(&aws, &files, &mut talk, Options::default());
    assert!(
        talk.all().contains("forgets that rotation"),
        "{}",
        talk.all()
    );
}

#[test]
fn finish_deletes_the_deactivated_key_after_saying_when_it_was_last_used() {
    let run = Run::new();
    let (aws, files) = (FakeAws::one_key(), FakeFiles::work_and_default());
    run.rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap();
    let finish = Options {
        finish: true,
        ..Options::default()
    };
    let mut talk = Said {
        refuse: true,
        ..Said::default()
    };
    assert!(run.rotate(&aws, &files, &mut talk, finish.clone()).is_err());
    assert_eq!(aws.ids().len(), 2, "not confirmed: nothing deleted");
    let mut talk = Said::default();
    let done = run.rotate(&aws, &files, &mut talk, finish.clone()).unwrap();
    assert_eq!(
        done,
        Done::Finished {
            deleted: Some(OLD.into())
        }
    );
    assert!(
        talk.all().contains("last used 2026-11-30T10:00:00Z"),
        "{}",
        talk.all()
    );
    assert_eq!(aws.ids().len(), 1);
    assert_eq!(run.state().retired("work"), None);
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), finish)
        .unwrap_err();
    assert!(stop.said().contains("no key of `work` waits"), "{stop:?}");
}

#[test]
fn finish_refuses_a_key_that_was_reactivated() {
    let run = Run::new();
    let (aws, files) = (FakeAws::one_key(), FakeFiles::work_and_default());
    run.rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap();
    aws.keys.borrow_mut()[0].status = Status::Active;
    let finish = Options {
        finish: true,
        ..Options::default()
    };
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), finish)
        .unwrap_err();
    assert!(stop.said().contains("active again"), "{stop:?}");
    assert_eq!(aws.ids().len(), 2);
}

#[test]
fn an_mfa_deny_asks_for_a_code_and_uses_session_keys() {
    let run = Run::new();
    let mut aws = FakeAws::one_key();
    aws.force_mfa = true;
    let files = FakeFiles::work_and_default();
    // No code to give: refused, nothing changed.
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    assert!(stop.said().contains("no code"), "{stop:?}");
    assert_eq!(aws.ids().len(), 1);
    let mut talk = Said {
        mfa_code: Some("123456".into()),
        ..Said::default()
    };
    run.rotate(&aws, &files, &mut talk, Options::default())
        .unwrap();
    assert!(
        aws.calls
            .borrow()
            .contains(&"GetSessionToken arn:aws:iam::123456789012:mfa/alice 123456".to_string()),
        "{:?}",
        aws.calls.borrow()
    );
    assert!(talk.all().contains("signed in with MFA"), "{}", talk.all());
    assert_eq!(aws.ids()[0].1, Status::Inactive);
}

#[test]
fn access_denied_on_create_changes_nothing_and_clears_the_journal() {
    let run = Run::new();
    let mut aws = FakeAws::one_key();
    aws.deny_create = true;
    let files = FakeFiles::work_and_default();
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    assert!(
        stop.said().contains("iam:CreateAccessKey") && stop.said().contains(ARN),
        "{stop:?}"
    );
    assert_eq!(aws.ids().len(), 1);
    assert_eq!(run.state().rotation("work"), None);
}

#[test]
fn not_confirmed_changes_nothing() {
    let run = Run::new();
    let (aws, files) = (FakeAws::one_key(), FakeFiles::work_and_default());
    let mut talk = Said {
        refuse: true,
        ..Said::default()
    };
    assert!(
        run.rotate(&aws, &files, &mut talk, Options::default())
            .is_err()
    );
    assert_eq!(aws.ids(), [(OLD.to_string(), Status::Active)]);
    assert_eq!(files.key_of("work"), OLD);
}

#[test]
fn a_profiles_mfa_serial_signs_in_with_mfa_before_the_first_iam_call() {
    let run = Run::new();
    let aws = FakeAws::one_key();
    let mut files = FakeFiles::work_and_default();
    files.mfa_serial = Some("arn:aws:iam::123456789012:mfa/work-device".into());
    let options = Options {
        mfa_code: Some(" 654321 ".into()),
        ..Options::default()
    };
    run.rotate(&aws, &files, &mut Said::default(), options)
        .unwrap();
    let calls = aws.calls.borrow();
    assert_eq!(
        calls.first().map(String::as_str),
        Some("GetSessionToken arn:aws:iam::123456789012:mfa/work-device 654321"),
        "{calls:?}"
    );
}

#[test]
fn a_default_made_from_the_profile_follows_its_new_key_in_the_state() {
    let run = Run::new();
    let mut state = State::default();
    state.made_default("work", Some(OLD));
    state.save_to(Some(&run.state));
    let (aws, files) = (FakeAws::one_key(), FakeFiles::work_and_default());
    let done = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap();
    let Done::Rotated { new, .. } = done else {
        panic!()
    };
    let state = run.state();
    assert_eq!(state.default_from.as_ref().unwrap().access_key_id, new);
    let key_of = |name: &str| Some(files.key_of(name));
    assert_eq!(state.stale_default(key_of), None);
}

#[test]
fn an_explicit_deny_without_an_mfa_device_names_the_permissions() {
    let run = Run::new();
    let mut aws = FakeAws::one_key();
    aws.force_mfa = true;
    aws.no_mfa_device = true;
    let files = FakeFiles::work_and_default();
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    let said = stop.said();
    assert!(
        said.contains("explicit deny") && said.contains("mfa_serial") && said.contains(ARN),
        "{said}"
    );
    assert_eq!(aws.ids().len(), 1);
}

#[test]
fn no_new_key_is_made_when_the_journal_cannot_be_kept() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "").unwrap();
    let (aws, files) = (FakeAws::one_key(), FakeFiles::work_and_default());
    let mut talk = Said::default();
    let mut rotator = Rotator::new(&aws, &files, &mut talk, "work", Options::default());
    rotator.state_path = Some(not_a_dir.join("state.ini"));
    let stop = rotator.run().unwrap_err();
    // The folder that keeps the journal keeps the lock too: the first to fail says so.
    assert!(
        stop.said().contains("journal") && stop.said().contains("no new key"),
        "{stop:?}"
    );
    assert_eq!(aws.made.get(), 0);
    assert_eq!(files.key_of("work"), OLD);
}

#[test]
fn a_second_rotation_while_one_runs_is_refused_and_changes_nothing() {
    let run = Run::new();
    let aws = FakeAws::one_key();
    let files = FakeFiles::work_and_default();
    let lock = std::fs::File::create(run.state.with_file_name("rotation.lock")).unwrap();
    lock.lock().unwrap();
    let stop = run
        .rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap_err();
    assert!(
        matches!(&stop, Stop::Refused(why) if why.contains("is rotating a key right now")),
        "{stop:?}"
    );
    assert_eq!(aws.ids().len(), 1, "no key made");
    assert_eq!(files.key_of("work"), OLD);
    drop(lock);
    run.rotate(&aws, &files, &mut Said::default(), Options::default())
        .unwrap();
}
