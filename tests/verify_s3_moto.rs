//! `credwiz verify` of a profile for another S3-compatible service: a signed S3
//! `ListBuckets` against moto's S3 on loopback with moto's signature checking on (moto
//! recomputes the SigV4 signature of every S3 request and refuses a wrong one), and
//! against loopback stubs for what moto cannot show: the `auto` region in the signature
//! (moto signs with whatever region the request names, so botocore recomputes the
//! signature here), a redirect, an answer that is not S3's.

mod common;

use std::time::{Duration, Instant};

use common::moto::{Moto, start_moto};
use common::*;

/// The keys moto issued: one user allowed everything in S3, one allowed nothing.
struct MotoKeys {
    allowed: (String, String),
    nothing_allowed: (String, String),
}

/// Turns on moto's request checking (after the five unchecked IAM calls that set up two
/// users), then creates `buckets` buckets with the allowed user's keys: that those
/// calls succeed already shows moto checks signed S3 requests.
fn moto_keys(s: &Sandbox, moto: &Moto, buckets: usize) -> MotoKeys {
    let script = format!(
        "import boto3, json, urllib.request\n\
         url = 'http://127.0.0.1:{port}'\n\
         urllib.request.urlopen(urllib.request.Request(url + '/moto-api/reset-auth', data=b'5', headers={{'Content-Type': 'text/plain'}}, method='POST'))\n\
         iam = boto3.client('iam', endpoint_url=url, region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x' * 40)\n\
         policy = json.dumps({{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Action': 's3:*', 'Resource': '*'}}]}})\n\
         iam.create_user(UserName='alice')\n\
         iam.put_user_policy(UserName='alice', PolicyName='s3', PolicyDocument=policy)\n\
         alice = iam.create_access_key(UserName='alice')['AccessKey']\n\
         iam.create_user(UserName='bob')\n\
         bob = iam.create_access_key(UserName='bob')['AccessKey']\n\
         s3 = boto3.client('s3', endpoint_url=url, region_name='us-east-1', aws_access_key_id=alice['AccessKeyId'], aws_secret_access_key=alice['SecretAccessKey'])\n\
         for i in range({buckets}):\n\
         \x20   s3.create_bucket(Bucket='bucket-%d' % i)\n\
         print(alice['AccessKeyId'], alice['SecretAccessKey'], bob['AccessKeyId'], bob['SecretAccessKey'])",
        port = moto.port
    );
    let out = s.python(&script);
    let parts: Vec<String> = out.split_whitespace().map(str::to_string).collect();
    MotoKeys {
        allowed: (parts[0].clone(), parts[1].clone()),
        nothing_allowed: (parts[2].clone(), parts[3].clone()),
    }
}

/// A profile for the service at `endpoint`, as `aws configure set endpoint_url` writes it.
fn profile(name: &str, key: &(String, String), endpoint: &str, region: &str) -> (String, String) {
    let section = if name == "default" {
        "default".to_string()
    } else {
        format!("profile {name}")
    };
    (
        format!("[{section}]\nregion = {region}\nendpoint_url = {endpoint}\n"),
        format!(
            "[{name}]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            key.0, key.1
        ),
    )
}

fn write_profiles(s: &Sandbox, profiles: &[(String, String)]) {
    let config: String = profiles.iter().map(|(c, _)| c.as_str()).collect();
    let credentials: String = profiles.iter().map(|(_, k)| k.as_str()).collect();
    s.write(&config, &credentials);
}

fn verify(s: &Sandbox, name: &str) -> std::process::Output {
    s.credwiz().args(["verify", name]).output().unwrap()
}

#[test]
fn moto_lists_the_buckets_of_good_keys_and_refuses_bad_ones() {
    let s = Sandbox::new();
    let moto = start_moto();
    let keys = moto_keys(&s, &moto, 2);
    let url = format!("http://127.0.0.1:{}", moto.port);
    let (alice_id, alice_secret) = keys.allowed.clone();
    let unknown = (KEY_ID2.to_string(), SECRET.to_string());
    let wrong_secret = (alice_id.clone(), SECRET.to_string());
    write_profiles(
        &s,
        &[
            profile("good", &keys.allowed, &url, "us-east-1"),
            profile("r2-style", &keys.allowed, &url, "auto"),
            profile("unknown", &unknown, &url, "us-east-1"),
            profile("wrong-secret", &wrong_secret, &url, "us-east-1"),
            profile("no-permission", &keys.nothing_allowed, &url, "us-east-1"),
        ],
    );

    let started = Instant::now();
    let out = verify(&s, "good");
    let took = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("✓ the keys of `good` work with the service at 127.0.0.1:")
            && text.contains("buckets  2 buckets")
            && text.contains(&format!("endpoint {url}")),
        "{text}"
    );
    assert_no_secret(&out, &[&alice_secret]);
    eprintln!("verify against moto's S3: {took:?}");
    let state = std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
    assert!(
        state.contains("[verified good]")
            && state.contains("ok=true")
            && state.contains("learned=the service at 127.0.0.1:")
            && !state.contains(&alice_secret),
        "{state}"
    );

    // moto signs with the request's own region, so `auto` passes here; that the
    // signature names `auto` is shown against a stub below.
    let out = verify(&s, "r2-style");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("region   auto"), "{}", stdout(&out));

    let out = verify(&s, "unknown");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: the keys of `unknown` do not work: ")
            && stderr(&out).contains("does not know this access key ID"),
        "{}",
        stderr(&out)
    );

    let out = verify(&s, "wrong-secret");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("secret access key does not match"),
        "{}",
        stderr(&out)
    );
    assert_no_secret(&out, &[&alice_secret, SECRET]);

    // Good keys without the permission to list: not refused. moto on a loopback port is
    // a service credwiz does not know, so AccessDenied says nothing either way.
    let out = verify(&s, "no-permission");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: could not check the keys of `no-permission`: ")
            && stderr(&out).contains("AccessDenied")
            && stderr(&out).contains("keys limited to some buckets"),
        "{}",
        stderr(&out)
    );
}

const LISTING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>2f2cb4e3c6d04e9c8d6a0a7b1e4d5c6f</ID><DisplayName>owner-name</DisplayName></Owner><Buckets><Bucket><Name>photos</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>";

/// R2 signs with region `auto`: the request's credential scope says `auto/s3`, and
/// botocore's own S3 signer, given the same request, the secret and region `auto`,
/// computes the same Authorization header. It is a plain `GET /` with the empty body's
/// hash in `x-amz-content-sha256`.
#[test]
fn the_auto_region_is_in_the_signature_and_botocore_agrees() {
    let s = Sandbox::new();
    let (port, request) = stub(200, Some(LISTING.to_string()));
    let key = (
        "0123456789abcdef0123456789abcdef".to_string(),
        "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210".to_string(),
    );
    let url = format!("http://127.0.0.1:{port}");
    write_profiles(&s, &[profile("r2", &key, &url, "auto")]);
    let out = verify(&s, "r2");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("buckets  1 bucket") && text.contains("owner    owner-name"),
        "{text}"
    );
    let request = request.recv().unwrap();
    assert!(request.starts_with("GET / HTTP/1.1"), "{request}");
    let header = |name: &str| {
        request
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no {name} in {request}"))
    };
    let authorization = header("authorization");
    assert!(
        authorization.contains(&format!("Credential={}/", key.0))
            && authorization.contains("/auto/s3/aws4_request"),
        "{authorization}"
    );
    assert_eq!(
        header("x-amz-content-sha256"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let script = format!(
        "import datetime\n\
         from unittest import mock\n\
         from botocore.auth import S3SigV4Auth\n\
         from botocore.awsrequest import AWSRequest\n\
         from botocore.credentials import Credentials\n\
         request = AWSRequest(method='GET', url='http://127.0.0.1:{port}/')\n\
         request.context['payload_signing_enabled'] = True\n\
         when = datetime.datetime.strptime('{date}', '%Y%m%dT%H%M%SZ')\n\
         with mock.patch('botocore.auth.get_current_datetime', return_value=when):\n\
         \x20   S3SigV4Auth(Credentials('{id}', '{secret}'), 's3', 'auto').add_auth(request)\n\
         print(request.headers['Authorization'])",
        date = header("x-amz-date"),
        id = key.0,
        secret = key.1,
    );
    assert_eq!(s.python(&script).trim(), authorization);
}

/// An answer that is not ListBuckets' (here, STS's) is no verdict; neither is a
/// redirect, which is not followed: the other host receives nothing.
#[test]
fn a_redirect_or_another_answer_is_not_a_verdict() {
    let s = Sandbox::new();
    let key = (KEY_ID2.to_string(), SECRET.to_string());
    let (not_s3, _) = stub(200, Some(ok_body(USER_ARN)));
    let (elsewhere, received) = stub(200, Some(LISTING.to_string()));
    let redirecting = redirecting_stub(format!("http://127.0.0.1:{elsewhere}/"));
    write_profiles(
        &s,
        &[
            profile("sts", &key, &format!("http://127.0.0.1:{not_s3}"), "auto"),
            profile(
                "moved",
                &key,
                &format!("http://localhost:{redirecting}"),
                "auto",
            ),
        ],
    );
    let out = verify(&s, "sts");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("but not with a list of buckets as S3 does"),
        "{}",
        stderr(&out)
    );
    let out = verify(&s, "moved");
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: could not check the keys of `moved`: ")
            && err.contains("answered HTTP 302, a redirect")
            && err.contains("ListBuckets never redirects"),
        "{err}"
    );
    assert!(
        received.recv_timeout(Duration::from_millis(500)).is_err(),
        "the other host received the request"
    );
    assert_no_secret(&out, &[SECRET]);
}

/// Plain http:// to another machine is refused before connecting (192.0.2.1 is
/// TEST-NET: nothing answers, a connection attempt would take the 3 s connect timeout),
/// from the profile's endpoint_url or from AWS_ENDPOINT_URL_S3.
#[test]
fn plain_http_to_another_machine_is_refused_before_connecting() {
    let s = Sandbox::new();
    let key = (KEY_ID2.to_string(), SECRET.to_string());
    write_profiles(
        &s,
        &[
            profile("remote", &key, "http://192.0.2.1:9000", "us-east-1"),
            profile("local", &key, "http://localhost:9000", "us-east-1"),
        ],
    );
    let refused = |out: &std::process::Output, took: Duration, name: &str, source: &str| {
        assert_eq!(out.status.code(), Some(3));
        let err = stderr(out);
        assert!(
            err.starts_with(&format!("error: could not check the keys of `{name}`: "))
                && err.contains("is plain http:// to another machine")
                && err.contains("cross the network unencrypted")
                && err.contains(source),
            "{err}"
        );
        assert!(took < Duration::from_secs(1), "{took:?}");
    };
    let started = Instant::now();
    let out = verify(&s, "remote");
    refused(
        &out,
        started.elapsed(),
        "remote",
        "the profile's endpoint_url",
    );
    let started = Instant::now();
    let out = s
        .credwiz()
        .args(["verify", "local"])
        .env("AWS_ENDPOINT_URL_S3", "http://192.0.2.1")
        .output()
        .unwrap();
    refused(&out, started.elapsed(), "local", "AWS_ENDPOINT_URL_S3");
}
