//! The AUTH vocabulary: how names of functions, routes, columns and cache keys are read. API
//! names live here as data; syntax stays in `queries/`.

/// `requireAuth` → [require, auth]; `get_current_user` → [get, current, user];
/// `bootstrap-admin` → [bootstrap, admin].
pub fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            word.push(c.to_ascii_lowercase());
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn has(tokens: &[String], words: &[&str]) -> bool {
    tokens.iter().any(|t| words.contains(&t.as_str()))
}

/// Calls (by suffix at a name boundary) that establish who the caller is.
pub const AUTH_CALLS: &[&str] = &[
    "auth.getUser",
    "auth.getSession",
    "auth.getClaims",
    "auth.protect",
    "auth.api.getSession",
    "getServerSession",
    "getServerAuthSession",
    "unstable_getServerSession",
    "getSession",
    "getToken",
    "auth",
    "currentUser",
    "getAuth",
    "clerkClient.authenticateRequest",
    "authenticateRequest",
    "verifyIdToken",
    "verifySessionCookie",
    "jwt.verify",
    "jwtVerify",
    "verifyToken",
    "verifyJwt",
    "validateRequest",
    "getKindeServerSession",
    "getIronSession",
    "withApiAuthRequired",
    "withPageAuthRequired",
    "withAuth",
    "passport.authenticate",
    "req.isAuthenticated",
    "request.jwtVerify",
    "jwt.decode",
    "decode_token",
    "verify_id_token",
];

/// A function or middleware name that reads as an authentication step: `requireAuth`,
/// `ensureLoggedIn`, `get_current_user`, `verifyToken`, `login_required`, `jwt_required`.
pub fn is_auth_name(name: &str) -> bool {
    let t = tokens(name);
    if t.is_empty() {
        return false;
    }
    if has(
        &t,
        &[
            "auth",
            "authn",
            "authz",
            "authenticate",
            "authenticated",
            "authorize",
            "authorized",
            "authorization",
            "jwt",
            "passport",
            "clerk",
            "protect",
            "protected",
            "guard",
            "loggedin",
            "bearer",
        ],
    ) && !has(&t, &["author", "oauth", "callback", "sign", "logout"])
    {
        return true;
    }
    let verb = has(
        &t,
        &[
            "require", "required", "ensure", "verify", "check", "current", "get", "validate",
            "assert", "must", "with", "is",
        ],
    );
    let subject = has(
        &t,
        &[
            "user",
            "session",
            "token",
            "login",
            "logged",
            "admin",
            "viewer",
            "me",
            "claims",
            "principal",
        ],
    );
    let writes = has(
        &t,
        &[
            "create", "update", "delete", "set", "list", "all", "by", "for",
        ],
    );
    verb && subject && !writes
}

/// A callee that authenticates: an `AUTH_CALLS` suffix, or an auth-like function name.
pub fn is_auth_callee(callee: &str) -> bool {
    if AUTH_CALLS
        .iter()
        .any(|c| super::super::roles::ends_with_name(callee, c))
    {
        return true;
    }
    let last = callee.rsplit('.').next().unwrap_or(callee);
    // `supabase.auth.admin.createUser` is an admin write, not a check.
    !callee.contains("admin.") && is_auth_name(last)
}

/// Why a route is public by design, from its name or path: webhooks (signature-verified by
/// PAY-WEBHOOK-SIG's rules), health checks, sign-in flows, invitations.
pub fn public_by_design(name_or_path: &str) -> Option<&'static str> {
    let t = tokens(name_or_path);
    let any = |w: &[&str]| has(&t, w);
    if any(&["webhook", "webhooks", "hook", "hooks"]) {
        return Some("a webhook (authenticated by its signature, not a user)");
    }
    let only = |w: &[&str]| t.len() <= 2 && has(&t, w);
    if any(&[
        "health",
        "healthz",
        "healthcheck",
        "ping",
        "readyz",
        "livez",
        "liveness",
        "readiness",
    ]) || only(&["status", "version", "ready"])
    {
        return Some("a health check");
    }
    if any(&[
        "login", "signin", "signup", "register", "logout", "signout", "callback", "oauth",
        "nextauth", "forgot", "magic", "otp", "sso", "saml",
    ]) || (any(&["sign"]) && any(&["in", "up", "out"]))
        || (any(&["reset"]) && any(&["password"]))
        || (any(&["verify", "confirm"]) && any(&["email", "phone"]))
        || (any(&["refresh"]) && any(&["token"]))
        || t.first().map(String::as_str) == Some("auth")
        || (t.len() <= 2 && any(&["auth"]))
    {
        return Some("part of signing in");
    }
    if any(&["invite", "invites", "invitation", "invitations"])
        && any(&["accept", "join", "redeem"])
    {
        return Some("an invitation acceptance (the invite token is the credential)");
    }
    if any(&[
        "robots",
        "sitemap",
        "og",
        "rss",
        "feed",
        "manifest",
        "favicon",
        "public",
        "contact",
        "waitlist",
        "newsletter",
    ]) {
        return Some("public content");
    }
    None
}

/// Names of endpoints that should not be deployed: `bootstrap-admin`, `make-admin`,
/// `simulate-payment`, `debug`, `seed`, `test-email`, `reset-db`.
pub fn danger_word(name_or_path: &str) -> Option<String> {
    let t = tokens(name_or_path);
    const WORDS: &[&str] = &[
        "bootstrap",
        "debug",
        "seed",
        "seeding",
        "simulate",
        "simulation",
        "test",
        "testing",
        "promote",
        "impersonate",
        "backdoor",
        "sudo",
        "dev",
        "mock",
        "fake",
        "godmode",
        "superuser",
    ];
    if let Some(w) = t.iter().find(|w| WORDS.contains(&w.as_str())) {
        return Some(w.clone());
    }
    if has(&t, &["reset", "wipe", "truncate", "nuke"]) && !has(&t, &["password", "pass", "pw"]) {
        return Some("reset".into());
    }
    if has(&t, &["admin"]) {
        if has(&t, &["make", "grant", "set", "become", "create", "add"]) {
            return Some("make-admin".into());
        }
        return Some("admin".into());
    }
    None
}

/// Words that name an owner or a tenant (`org_id`, `ownerId`, `created_by`).
const OWNER_WORDS: &[&str] = &[
    "user",
    "owner",
    "org",
    "organization",
    "organisation",
    "tenant",
    "account",
    "team",
    "workspace",
    "company",
    "author",
    "creator",
    "created",
    "profile",
    "member",
    "uid",
];

/// Columns that scope a record to its owner or tenant.
pub fn is_owner_column(column: &str) -> bool {
    let t = tokens(column);
    has(&t, OWNER_WORDS) && !has(&t, &["customer"])
}

/// Columns that identify one record: `id`, `pk`, `invoice_id`, `invoiceId`, `slug`, `_id`.
pub fn is_key_column(column: &str) -> bool {
    let t = tokens(column);
    matches!(
        t.last().map(String::as_str),
        Some("id" | "pk" | "uuid" | "slug" | "key" | "number")
    )
}

/// Words that name the caller in an expression or a cache key, besides `OWNER_WORDS`.
const CALLER_WORDS: &[&str] = &[
    "users",
    "userid",
    "orgid",
    "session",
    "auth",
    "claims",
    "sub",
    "viewer",
    "me",
    "principal",
    "token",
    "jwt",
    "email",
    "customer",
    "locals",
    "identity",
];

/// The expression or key mentions the caller or their tenant.
pub fn mentions_identity(text: &str) -> bool {
    let t = tokens(text);
    has(&t, OWNER_WORDS) || has(&t, CALLER_WORDS)
}

/// A cache key that varies with the caller: an identity word outside its literal text.
pub fn key_identifies_caller(key: &str) -> bool {
    mentions_identity(&super::text::dynamic_parts(key))
}

/// Roles or permissions checked in a handler: strong authentication for admin endpoints.
pub fn is_role_check_text(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let words = tokens(text);
    (has(
        &words,
        &[
            "role",
            "roles",
            "permission",
            "permissions",
            "scope",
            "scopes",
        ],
    ) && (lower.contains("admin") || lower.contains("owner") || lower.contains("staff")))
        || has(&words, &["isadmin", "superuser", "staff"])
        || (has(
            &words,
            &["is", "require", "has", "assert", "ensure", "check"],
        ) && has(&words, &["admin", "superuser", "staff"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(tokens("requireAuth"), ["require", "auth"]);
        assert_eq!(tokens("get_current_user"), ["get", "current", "user"]);
        assert_eq!(tokens("bootstrap-admin"), ["bootstrap", "admin"]);
        assert_eq!(
            tokens("/api/v1/invoices/:id"),
            ["api", "v1", "invoices", "id"]
        );
        assert_eq!(tokens("HTTPBearer"), ["httpbearer"]);
    }

    #[test]
    fn auth_names_are_recognised() {
        for n in [
            "requireAuth",
            "authMiddleware",
            "get_current_user",
            "verifyToken",
            "login_required",
            "jwt_required",
            "ensureLoggedIn",
            "withAuth",
            "isAuthenticated",
            "requireUser",
        ] {
            assert!(is_auth_name(n), "{n}");
        }
        for n in [
            "getInvoices",
            "author",
            "createUser",
            "sendEmail",
            "oauthCallback",
            "getUserById",
            "updateSession",
        ] {
            assert!(!is_auth_name(n), "{n}");
        }
        assert!(is_auth_callee("supabaseAdmin.auth.getUser"));
        assert!(is_auth_callee("auth"));
        assert!(!is_auth_callee("supabase.auth.admin.createUser"));
        assert!(!is_auth_callee("myauth.getUser.x"));
    }

    #[test]
    fn public_routes_and_dangerous_names() {
        assert!(public_by_design("stripe-webhook").is_some());
        assert!(public_by_design("/api/auth/[...nextauth]").is_some());
        assert!(public_by_design("accept-invite").is_some());
        assert!(public_by_design("/healthz").is_some());
        assert!(public_by_design("get-invoice").is_none());
        assert!(public_by_design("send-reminders").is_none());
        assert!(public_by_design("/reports/export").is_none());
        assert!(public_by_design("create-invite").is_none());
        assert_eq!(danger_word("bootstrap-admin").as_deref(), Some("bootstrap"));
        assert_eq!(danger_word("make-admin").as_deref(), Some("make-admin"));
        assert_eq!(danger_word("simulate-payment").as_deref(), Some("simulate"));
        assert!(danger_word("reset-password").is_none());
        assert!(danger_word("latest-invoices").is_none());
        assert!(danger_word("attestation").is_none());
    }

    #[test]
    fn columns_and_identity() {
        assert!(
            is_owner_column("org_id") && is_owner_column("userId") && is_owner_column("created_by")
        );
        assert!(!is_owner_column("customer_id") && !is_owner_column("id"));
        assert!(is_key_column("id") && is_key_column("invoiceId") && is_key_column("_id"));
        assert!(!is_key_column("status"));
        assert!(mentions_identity("`stats:${user.id}`"));
        assert!(mentions_identity("[\"invoices\", orgId]"));
        assert!(!mentions_identity("\"dashboard-stats\""));
    }
}
