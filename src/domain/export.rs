//! The formats of `aws configure export-credentials`, as the AWS CLI's
//! `exportcreds.py` writes them (same variable names, order and quoting).

use zeroize::Zeroizing;

/// What is exported: a key, its secret, and for temporary keys the token and expiry.
pub struct Exported<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a str,
    pub token: Option<&'a str>,
    pub expiration: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON in the credential_process schema
    Process,
    /// export AWS_ACCESS_KEY_ID=…
    Env,
    /// AWS_ACCESS_KEY_ID=…
    EnvNoExport,
    /// set -gx AWS_ACCESS_KEY_ID "…"
    Fish,
    /// $Env:AWS_ACCESS_KEY_ID="…"
    Powershell,
    /// set AWS_ACCESS_KEY_ID=…
    WindowsCmd,
}

/// The text the AWS CLI prints for `format` (zeroized when dropped).
pub fn render(format: Format, exported: &Exported) -> Zeroizing<String> {
    let line = match format {
        Format::Process => return process(exported),
        Format::Env => |name: &str, value: &str| format!("export {name}={value}\n"),
        Format::EnvNoExport => |name: &str, value: &str| format!("{name}={value}\n"),
        Format::Fish => |name: &str, value: &str| format!("set -gx {name} \"{value}\"\n"),
        Format::Powershell => |name: &str, value: &str| format!("$Env:{name}=\"{value}\"\n"),
        Format::WindowsCmd => |name: &str, value: &str| format!("set {name}={value}\n"),
    };
    let mut out = Zeroizing::new(String::new());
    let vars = [
        ("AWS_ACCESS_KEY_ID", Some(exported.access_key_id)),
        ("AWS_SECRET_ACCESS_KEY", Some(exported.secret)),
        ("AWS_SESSION_TOKEN", exported.token),
        ("AWS_CREDENTIAL_EXPIRATION", exported.expiration),
    ];
    for (name, value) in vars {
        if let Some(value) = value {
            out.push_str(&Zeroizing::new(line(name, value)));
        }
    }
    out
}

/// `json.dumps(output, indent=2, separators=(',', ': '))` and a newline: the keys in
/// the AWS CLI's order.
fn process(exported: &Exported) -> Zeroizing<String> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Process<'a> {
        version: u8,
        access_key_id: &'a str,
        secret_access_key: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        session_token: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expiration: Option<&'a str>,
    }
    let process = Process {
        version: 1,
        access_key_id: exported.access_key_id,
        secret_access_key: exported.secret,
        session_token: exported.token,
        expiration: exported.expiration,
    };
    let mut text = Zeroizing::new(serde_json::to_string_pretty(&process).unwrap_or_default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPORARY: Exported = Exported {
        access_key_id: "ASIAEXAMPLE",
        secret: "SECRET",
        token: Some("TOKEN"),
        expiration: Some("2026-12-02T20:00:00Z"),
    };

    #[test]
    fn shell_formats_are_the_aws_clis() {
        assert_eq!(
            *render(Format::Env, &TEMPORARY),
            "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=SECRET\nexport AWS_SESSION_TOKEN=TOKEN\nexport AWS_CREDENTIAL_EXPIRATION=2026-12-02T20:00:00Z\n"
        );
        let long_term = Exported {
            token: None,
            expiration: None,
            ..TEMPORARY
        };
        assert_eq!(
            *render(Format::EnvNoExport, &long_term),
            "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=SECRET\n"
        );
        assert_eq!(
            *render(Format::Fish, &long_term),
            "set -gx AWS_ACCESS_KEY_ID \"ASIAEXAMPLE\"\nset -gx AWS_SECRET_ACCESS_KEY \"SECRET\"\n"
        );
        assert_eq!(
            *render(Format::Powershell, &long_term),
            "$Env:AWS_ACCESS_KEY_ID=\"ASIAEXAMPLE\"\n$Env:AWS_SECRET_ACCESS_KEY=\"SECRET\"\n"
        );
        assert_eq!(
            *render(Format::WindowsCmd, &long_term),
            "set AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nset AWS_SECRET_ACCESS_KEY=SECRET\n"
        );
    }

    #[test]
    fn process_is_indented_json_in_the_clis_key_order() {
        assert_eq!(
            *render(Format::Process, &TEMPORARY),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\",\n  \"SecretAccessKey\": \"SECRET\",\n  \"SessionToken\": \"TOKEN\",\n  \"Expiration\": \"2026-12-02T20:00:00Z\"\n}\n"
        );
    }
}
