//! SEC-CRYPTO: weak randomness or hashing for values that guard access, and JWTs accepted
//! without verification.
//!
//! - `Math.random()` / Python's `random` (and numpy's) producing a token, code, invite id,
//!   password, session id, nonce or salt: the context is the binding, object key and
//!   functions around the call, split into words (`generateInviteToken` → invite, token). A
//!   React list `key: Math.random()` or an animation delay guards nothing and is not reported.
//! - md5 / sha1 (and fast unsalted sha-2) over a password: `crypto.createHash("md5")
//!   .update(password)`, `hashlib.md5(password.encode())`, `CryptoJS.SHA1(pw)`.
//! - JWT verification off: `jwt.decode` / `jwtDecode` / `decodeJwt` used on the server with no
//!   `verify` in the file, `algorithms: ["none"]`, `options={"verify_signature": False}`,
//!   `verify=False`, `ignoreExpiration: true`, `jwt.get_unverified_claims`.

use std::collections::HashSet;

use tree_sitter::Node;

use super::code::{Call, Code};
use super::{words, Spot};
use crate::catalogue::{Confidence, Severity};

const SECURITY_WORDS: [&str; 38] = [
    "token", "tokens", "secret", "password", "passwd", "pwd", "passcode", "otp", "nonce", "salt", "session", "sessionid",
    "sid", "csrf", "xsrf", "apikey", "secretkey", "accesskey", "signingkey", "privatekey", "invite", "invitation", "reset",
    "verification", "verify", "magic", "pin", "code", "credential", "credentials", "signature", "recovery", "confirmation",
    "activation", "mfa", "2fa", "coupon", "voucher",
];
/// With these, "code" is not a secret (a colour code, a country code).
const HARMLESS_CODE: [&str; 12] = ["color", "colour", "zip", "postal", "country", "lang", "language", "currency", "status", "error", "hex", "area"];
const PY_RANDOM: [&str; 9] = ["random", "randint", "choice", "choices", "randrange", "sample", "getrandbits", "shuffle", "uniform"];

pub(super) fn scan(code: &Code) -> Vec<Spot> {
    let mut out = Vec::new();
    let mut reported: HashSet<usize> = HashSet::new();
    let python_random_imported = code.imports.iter().any(|i| i.source == "random");
    for call in &code.calls {
        if let Some(source) = weak_random(code, call, python_random_imported) {
            let context = context_words(code, call.node);
            if let Some(what) = security_context(&context) {
                // One finding per function: a token built from several calls is one problem.
                let scope = code.func_of(call.node).map_or(0, |f| f.node.id());
                if !reported.insert(scope) {
                    continue;
                }
                let fix = if code.python { "secrets.token_urlsafe() or secrets.choice()" } else { "crypto.getRandomValues() or crypto.randomUUID()" };
                let place = code.enclosing_names(call.node).first().map(|n| format!(" in {n}")).unwrap_or_default();
                out.push(Spot::new(
                    code.lines(call.node),
                    format!(
                        "{source} makes {} {what}{place}: its output can be predicted from a few observed values, so these can be guessed; use {fix}",
                        if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
                    ),
                    Confidence::High,
                ));
            }
        }
        if let Some(spot) = weak_password_hash(code, call) {
            out.push(spot);
        }
    }
    out.extend(jwt(code));
    out.sort_by_key(|s| s.line);
    out.dedup_by_key(|s| s.line);
    out
}

fn weak_random(code: &Code, call: &Call, python_random_imported: bool) -> Option<String> {
    let c = call.callee.as_str();
    if c == "Math.random" {
        return Some("Math.random()".into());
    }
    if code.python {
        let (recv, method) = c.rsplit_once('.').unwrap_or(("", c));
        let module = recv == "random" || recv.ends_with("np.random") || recv.ends_with("numpy.random");
        let bare = recv.is_empty() && python_random_imported && code.imports.iter().any(|i| i.source == "random");
        if PY_RANDOM.contains(&method) && (module || bare) && !code.fns.iter().any(|f| f.name == Some(method)) {
            return Some(format!("{c}()"));
        }
    }
    None
}

/// Words of what the value becomes: the binding and key around the call, the functions
/// enclosing it.
fn context_words(code: &Code, node: Node) -> Vec<String> {
    let at = node.start_byte();
    let mut names: Vec<&str> = Vec::new();
    if let Some(d) = code
        .defs
        .iter()
        .filter(|d| d.value.byte_range().contains(&at))
        .min_by_key(|d| d.value.end_byte() - d.value.start_byte())
    {
        names.push(code.text(d.target));
    }
    if let Some(p) = code
        .pairs
        .iter()
        .filter(|p| p.value.byte_range().contains(&at))
        .min_by_key(|p| p.value.end_byte() - p.value.start_byte())
    {
        names.push(code.key(p));
    }
    names.extend(code.enclosing_names(node));
    words(&names.join(" "))
}

fn security_context(words: &[String]) -> Option<String> {
    let has = |w: &str| words.iter().any(|x| x == w);
    // The most specific word wins: an "invite token" is an invite token, not just a token.
    let hit = SECURITY_WORDS
        .iter()
        .filter(|w| has(w) && !(**w == "code" && HARMLESS_CODE.iter().any(|h| has(h))))
        .min_by_key(|w| matches!(**w, "token" | "tokens" | "code" | "secret" | "verify"))?;
    let what = match *hit {
        "invite" | "invitation" => "invite token",
        "password" | "passwd" | "pwd" | "passcode" => "password",
        "session" | "sessionid" | "sid" => "session id",
        "otp" | "pin" | "code" | "verification" | "mfa" | "2fa" => "one-time code",
        "reset" | "recovery" => "reset token",
        "salt" => "salt",
        "nonce" => "nonce",
        "csrf" | "xsrf" => "CSRF token",
        "coupon" | "voucher" => "coupon code",
        "apikey" | "secretkey" | "accesskey" | "signingkey" | "privatekey" | "secret" => "secret key",
        _ => "token",
    };
    Some(what.to_string())
}

const WEAK: [&str; 2] = ["md5", "sha1"];
const FAST: [&str; 6] = ["sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512"];

/// md5/sha1/sha-2 over a password.
fn weak_password_hash(code: &Code, call: &Call) -> Option<Spot> {
    let c = call.callee.as_str();
    let method = call.method().to_ascii_lowercase();
    let args = code.positional(call);
    let algorithm = if method == "createhash" || (code.python && c == "hashlib.new") {
        args.first().and_then(|a| code.string_value(*a)).map(|s| s.to_ascii_lowercase().replace('-', ""))?
    } else if (code.python && (c.starts_with("hashlib.") || !c.contains('.'))) || c.starts_with("CryptoJS.") || !c.contains('.') {
        method.clone()
    } else {
        return None;
    };
    let weak = WEAK.contains(&algorithm.as_str());
    if !weak && !FAST.contains(&algorithm.as_str()) {
        return None;
    }
    // What is hashed: the arguments, the chain (`.update(password)`), the binding, the function.
    let at = call.node.start_byte();
    let chain = code
        .calls
        .iter()
        .filter(|o| o.node.byte_range().contains(&at) && o.callee.starts_with(&call.callee))
        .max_by_key(|o| o.node.end_byte() - o.node.start_byte())
        .map_or(call.node, |o| o.node);
    let mut names: Vec<String> = code.names_in(chain).map(str::to_string).collect();
    names.extend(context_words(code, call.node));
    let lower = names.join(" ").to_ascii_lowercase();
    if !["password", "passwd", "pwd", "passcode", "passphrase"].iter().any(|w| lower.contains(w)) {
        return None;
    }
    let name = if algorithm == "sha1" { "sha1".to_string() } else { algorithm.clone() };
    let why = if weak {
        format!("{name} is broken and fast: leaked hashes are cracked in minutes")
    } else {
        format!("{name} is a fast hash with no work factor: leaked hashes are cracked by brute force")
    };
    let fix = if code.python { "argon2 (argon2-cffi), bcrypt or hashlib.scrypt" } else { "argon2id, bcrypt or crypto.scrypt" };
    let mut spot = Spot::new(code.lines(call.node), format!("Passwords are hashed with {name}: {why}; use {fix}"), Confidence::High);
    if !weak {
        spot.confidence = Confidence::Medium;
    }
    Some(spot)
}

/// JWTs decoded without verification, or verified with verification switched off.
fn jwt(code: &Code) -> Vec<Spot> {
    let mut out = Vec::new();
    let verifies = code.calls.iter().any(|c| {
        let m = c.method();
        (m == "verify" || m == "jwtVerify" || m == "verifyToken" || m == "getUser") && !c.callee.contains("decode")
            || (code.python && c.method() == "decode" && jwt_receiver(c) && !code.args(c).iter().any(|a| disables_verification(code, *a).is_some()) && code.positional(c).len() >= 2)
    });
    for call in &code.calls {
        let c = call.callee.as_str();
        let decode_only = matches!(c, "jwtDecode" | "jwt_decode" | "decodeJwt" | "jose.decodeJwt" | "jwt.get_unverified_claims" | "jose.jwt.get_unverified_claims")
            || (!code.python && call.method() == "decode" && jwt_receiver(call));
        if decode_only && !verifies {
            out.push(Spot {
                server_only: true,
                ..Spot::new(
                    code.lines(call.node),
                    format!("{c}() reads the token's claims without checking its signature, and nothing in this file verifies it: anyone can forge a token with any user id or role"),
                    Confidence::Medium,
                )
                .fact("decode only, no verify call in the file")
            });
            continue;
        }
        let is_jwt_call = jwt_receiver(call) && matches!(call.method(), "decode" | "verify");
        if !is_jwt_call {
            continue;
        }
        for arg in code.args(call) {
            if let Some(why) = disables_verification(code, arg) {
                let mut spot = Spot::new(code.lines(call.node), format!("{c}() is called with {why}"), Confidence::High);
                if why.contains("expir") {
                    spot.severity = Some(Severity::High);
                    spot.confidence = Confidence::Medium;
                }
                out.push(spot);
            }
        }
    }
    out
}

fn jwt_receiver(call: &Call) -> bool {
    let recv = call.callee.rsplit_once('.').map_or("", |(r, _)| r).to_ascii_lowercase();
    recv == "jwt" || recv == "jsonwebtoken" || recv.ends_with(".jwt") || recv == "jose"
}

/// `options={"verify_signature": False}`, `verify=False`, `algorithms: ["none"]`,
/// `ignoreExpiration: true` anywhere in an argument.
fn disables_verification(code: &Code, arg: Node) -> Option<&'static str> {
    let text = code.compact(arg).to_ascii_lowercase().replace('\'', "\"");
    if text.contains("\"verify_signature\":false") || text == "verify=false" || text.contains("verify=false") {
        return Some("signature verification switched off: any forged token is accepted");
    }
    if text.contains("\"none\"") && text.contains("algorithm") {
        return Some("the \"none\" algorithm allowed: an unsigned token is accepted");
    }
    if text.contains("ignoreexpiration:true") || text.contains("\"verify_exp\":false") {
        return Some("expiry checks switched off: stolen tokens never stop working");
    }
    None
}
