//! Reading expressions as text once the queries have found them: literal strings, bound
//! names of a pattern, words of an expression, SQL comparisons and request sources.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

/// The content of a string literal (`"x"`, `'x'`, `` `x` ``, Python prefixes such as `f"x"`),
/// or `None` when the text is not a literal.
pub fn literal(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t.trim_start_matches(|c: char| "rbfuRBFU".contains(c));
    let t = t
        .strip_prefix("\"\"\"")
        .and_then(|x| x.strip_suffix("\"\"\""))
        .or_else(|| t.strip_prefix("'''").and_then(|x| x.strip_suffix("'''")))
        .or_else(|| {
            let q = t.chars().next()?;
            if !"\"'`".contains(q) || t.len() < 2 || !t.ends_with(q) {
                return None;
            }
            Some(&t[1..t.len() - 1])
        })?;
    Some(t.to_string())
}

/// A string literal with no interpolation.
pub fn constant_literal(text: &str) -> Option<String> {
    let t = text.trim();
    if t.starts_with('`') && t.contains("${") {
        return None;
    }
    if (t.starts_with('f') || t.starts_with('F')) && t.contains('{') {
        return None;
    }
    literal(t)
}

/// Identifier-like words of an expression (`session.user.id` → session, user, id).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
}

/// The names a binding pattern introduces: `{ data: { user }, error: e }` → user, e;
/// `[a, b]` → a, b; `x` → x. Keys (followed by `:`) and default values are not names.
pub fn bound_names(pattern: &str) -> Vec<String> {
    let p = pattern.trim();
    if !p.starts_with('{') && !p.starts_with('[') {
        return words(p).take(1).map(str::to_string).collect();
    }
    let bytes = p.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut skip_default = 0usize;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c == '=' {
            skip_default = 1;
            i += 1;
            continue;
        }
        if skip_default > 0 {
            if c == ',' || c == '}' || c == ']' {
                skip_default = 0;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < bytes.len()
                && ((bytes[i] as char).is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] == b'$')
            {
                i += 1;
            }
            let word = &p[start..i];
            let rest = p[i..].trim_start();
            if !rest.starts_with(':') && word != "as" {
                out.push(word.to_string());
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Text reads request input: body, query string, route parameters, form data, headers are
/// excluded (they carry credentials, not record ids).
pub fn reads_request(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"(?x)
        \b(?:req|request|ctx\.request|c\.req|event|context)\s*\??\.\s*(?:json|body|query|params|param|formData|text|nextUrl|url|args|form|get_json|GET|POST|data|query_params|path_params|valid)\b
        | \bsearchParams\b | \buseParams\b | \bparams\s*\??\. | \bparams\s*\[
        | \bparseBody\b | \bgetQuery\b | \breadBody\b | \bgetRouterParam\b",
    )
    .is_match(text)
}

/// The parts of an expression that are not literal text: identifiers outside strings and the
/// interpolations inside them (`` `stats:${user.id}` `` → `user.id`; `"user-stats"` → ``).
pub fn dynamic_parts(text: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            None => {
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                    out.push(' ');
                } else {
                    out.push(c);
                }
            }
            Some(q) if depth == 0 => {
                if c == q {
                    quote = None;
                } else if c == '{' && (q != '`' || i > 0 && chars[i - 1] == '$') {
                    depth = 1;
                    out.push(' ');
                }
            }
            Some(_) => {
                if c == '{' {
                    depth += 1;
                } else if c == '}' {
                    depth -= 1;
                    if depth == 0 {
                        out.push(' ');
                        i += 1;
                        continue;
                    }
                }
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

/// The expression mentions one of `names` as a word.
pub fn mentions_any(text: &str, names: &HashSet<String>) -> bool {
    !names.is_empty() && words(text).any(|w| names.contains(w))
}

/// Splits a list literal (`[a, b]`, `(a, b,)`) into its top-level elements.
pub fn elements(text: &str) -> Vec<String> {
    let t = text.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .or_else(|| t.strip_prefix('(').and_then(|x| x.strip_suffix(')')))
        .unwrap_or(t);
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in inner.chars() {
        if let Some(q) = quote {
            current.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => {
                quote = Some(c);
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => {
                if !current.trim().is_empty() {
                    out.push(current.trim().to_string());
                }
                current.clear();
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// `WHERE a.org_id = $1 AND id = '{invoice_id}'` → (org_id, <param 1>), (id, invoice_id).
/// Placeholders are mapped to `params` (positional `$n`, `?`, `%s`) or named (`:name`,
/// `%(name)s`); interpolations (`{expr}`, `${expr}`) are their own value.
pub fn sql_comparisons(sql: &str, params: &[String]) -> Vec<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r#"(?i)\b([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\s*(?:=|\bin\b)\s*\(?\s*('?\{[^}]*\}'?|'?\$\{[^}]*\}'?|\$\d+|\?|%s|%\([a-z_][a-z0-9_]*\)s|:[a-z_][a-z0-9_]*)"#,
    );
    let lower = sql.to_ascii_lowercase();
    if !(lower.contains("where") || lower.contains(" on ")) {
        return Vec::new();
    }
    let mut positional = 0usize;
    let mut out = Vec::new();
    for caps in re.captures_iter(sql) {
        let column = caps[1]
            .rsplit('.')
            .next()
            .unwrap_or(&caps[1])
            .to_ascii_lowercase();
        let raw = caps[2].trim_matches('\'');
        let value = if let Some(n) = raw
            .strip_prefix('$')
            .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
        {
            let i: usize = n.parse().unwrap_or(0);
            params.get(i.wrapping_sub(1)).cloned().unwrap_or_default()
        } else if raw == "?" || raw == "%s" {
            positional += 1;
            params.get(positional - 1).cloned().unwrap_or_default()
        } else if let Some(name) = raw.strip_prefix(':') {
            name.to_string()
        } else if let Some(name) = raw.strip_prefix("%(").and_then(|x| x.strip_suffix(")s")) {
            name.to_string()
        } else {
            raw.trim_start_matches('$')
                .trim_start_matches('{')
                .trim_end_matches('}')
                .to_string()
        };
        out.push((column, value));
    }
    out
}

/// The text looks like SQL that reads or changes rows selected by a WHERE clause.
pub fn is_filtering_sql(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("where")
        && (lower.contains("select") || lower.contains("update") || lower.contains("delete"))
}

/// A 401/403 answer, or an exception that becomes one, in any of the common stacks.
pub fn answers_unauthorized(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r#"(?x)
        status(?:_code)?\s*[:=(]\s*40[13]\b | \.status\(\s*40[13]\b | \.sendStatus\(\s*40[13]\b
        | ,\s*40[13]\s*\) | \bHTTP_40[13]_ | \babort\(\s*40[13]\b | \berror\(\s*40[13]\b
        | ["'](?:Unauthorized|Forbidden|Not\ authenticated|Unauthenticated)["'] | \bUNAUTHORIZED\b
        | \bHttpResponseForbidden\b | \bPermissionDenied\b | \bNotAuthenticated\b | \bUnauthorizedError\b
        | \bHTTPException\(\s*40[13]\b | \bcreateError\(\s*\{?\s*(?:statusCode:\s*)?40[13]\b
        | \bredirect\(\s*["'`][^"'`]*(?:login|signin|sign-in)"#,
    )
    .is_match(text)
}

/// A webhook signature check: Stripe, Svix/Clerk, GitHub, Shopify, Twilio, QStash, HMAC.
pub fn verifies_signature(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r#"(?ix)
        constructEvent(?:Async)? | construct_event | webhooks?\.verify | \bWebhook\b[^\n]*\.verify
        | verifyWebhook | verify_webhook | verifySignature | verify_signature | validateRequest
        | timingSafeEqual | compare_digest | createHmac | hmac\.new | stripe-signature
        | x-hub-signature | svix-signature | x-shopify-hmac | x-signature"#,
    )
    .is_match(text)
}

/// The handler turns itself off outside development (`if (process.env.NODE_ENV === "production")`).
pub fn env_gated(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r#"(?x)
        (?:NODE_ENV|VERCEL_ENV|APP_ENV|ENVIRONMENT|DENO_ENV)["']?\)?\s*(?:!==?|===?|!=|==)\s*["'](?:production|development|dev|local|test)["']
        | ["'](?:production|development)["']\s*(?:!==?|===?)\s*[\w.]*(?:NODE_ENV|VERCEL_ENV|APP_ENV|ENVIRONMENT)
        | \bsettings\.DEBUG\b | \bimport\.meta\.env\.(?:DEV|PROD)\b | \bif\s+not\s+DEBUG\b"#,
    )
    .is_match(text)
}

/// Lines that escalate privileges, dump the environment or wipe data.
pub fn dangerous_statement(line: &str) -> Option<&'static str> {
    static ROLE: OnceLock<Regex> = OnceLock::new();
    static ENV: OnceLock<Regex> = OnceLock::new();
    static WIPE: OnceLock<Regex> = OnceLock::new();
    if re(
        &ROLE,
        r#"(?ix)
        \brole["']?\s*[:=]\s*["'](?:admin|owner|superadmin|super_admin|super-admin|staff)["']
        | \bis_?admin["']?\s*[:=]\s*(?:true|1)\b | \bis_(?:staff|superuser)\s*=\s*true
        | \bset\s+role\s*=\s*'admin' | \bsuper_?user["']?\s*[:=]\s*true"#,
    )
    .is_match(line)
    {
        return Some("grants the admin role");
    }
    if re(
        &ENV,
        r#"Deno\.env\.toObject\(\)|JSON\.stringify\(\s*process\.env\s*\)|json\(\s*process\.env\s*\)|\(\s*process\.env\s*\)|dict\(\s*os\.environ\s*\)|os\.environ\.copy\(\)|jsonify\(\s*os\.environ|settings\.__dict__"#,
    )
    .is_match(line)
    {
        return Some("returns the server's environment (its secrets)");
    }
    if re(
        &WIPE,
        r#"(?ix)\btruncate\s+(?:table\s+)?\w | \bdrop\s+table\b | deleteMany\(\s*(?:\{\s*\})?\s*\) | \.delete\(\)\s*\.neq\( | \.objects\.all\(\)\.delete\(\)"#,
    )
    .is_match(line)
    {
        return Some("deletes data wholesale");
    }
    None
}

/// `Cache-Control: public` or a shared-cache lifetime (`s-maxage`) on a line that sets it.
pub fn public_cache_control(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    lower.contains("cache-control")
        && (lower.contains("public") || lower.contains("s-maxage"))
        && !lower.contains("private")
        && !lower.contains("no-store")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_patterns() {
        assert_eq!(literal("\"id\"").as_deref(), Some("id"));
        assert_eq!(literal("f'{x}'").as_deref(), Some("{x}"));
        assert_eq!(literal("`a${b}`").as_deref(), Some("a${b}"));
        assert!(constant_literal("`a${b}`").is_none());
        assert!(literal("id").is_none());
        assert_eq!(
            bound_names("{ data: { user }, error: authError }"),
            ["user", "authError"]
        );
        assert_eq!(
            bound_names("{ inviteId, token = \"x\" }"),
            ["inviteId", "token"]
        );
        assert_eq!(bound_names("id"), ["id"]);
        assert_eq!(elements("[a, f(b, c), 'x,y']"), ["a", "f(b, c)", "'x,y'"]);
    }

    #[test]
    fn dynamic_parts_of_keys() {
        assert_eq!(dynamic_parts("\"user-stats\"").trim(), "");
        assert_eq!(dynamic_parts("`stats:${user.id}`").trim(), "user.id");
        assert_eq!(
            dynamic_parts("[\"profile\", user?.id]").replace(' ', ""),
            "[,user?.id]"
        );
        assert_eq!(
            dynamic_parts("f\"dash:{current_user.id}\"").trim(),
            "f  current_user.id"
        );
    }

    #[test]
    fn request_sources() {
        assert!(reads_request("new URL(req.url).searchParams.get(\"id\")"));
        assert!(reads_request("await req.json()"));
        assert!(reads_request("req.params.id"));
        assert!(reads_request("c.req.param(\"id\")"));
        assert!(reads_request("request.args.get('id')"));
        assert!(!reads_request("req.headers.get(\"Authorization\")"));
        assert!(!reads_request("user.id"));
    }

    #[test]
    fn sql_comparisons_map_placeholders() {
        let c = sql_comparisons(
            "SELECT * FROM invoices i WHERE i.org_id = $2 AND id = $1",
            &["id".into(), "user.org_id".into()],
        );
        assert_eq!(
            c,
            [
                ("org_id".to_string(), "user.org_id".to_string()),
                ("id".into(), "id".into())
            ]
        );
        let f = sql_comparisons("WHERE org_id = '{org_id}' AND status = 'paid'", &[]);
        assert_eq!(f, [("org_id".to_string(), "org_id".to_string())]);
        let p = sql_comparisons(
            "WHERE c.org_id = %s LIMIT %s",
            &["user[\"org_id\"]".into(), "limit".into()],
        );
        assert_eq!(p[0], ("org_id".to_string(), "user[\"org_id\"]".to_string()));
    }

    #[test]
    fn statements_that_matter() {
        assert!(answers_unauthorized(
            "return json({ error: \"Unauthorized\" }, 401);"
        ));
        assert!(answers_unauthorized(
            "raise HTTPException(status_code=401, detail='x')"
        ));
        assert!(answers_unauthorized("return res.status(403).json({})"));
        assert!(!answers_unauthorized(
            "return json({ error: error.message }, 400);"
        ));
        assert_eq!(
            dangerous_statement(".update({ role: \"admin\" })"),
            Some("grants the admin role")
        );
        assert!(dangerous_statement(".update({ role: \"member\" })").is_none());
        assert!(env_gated(
            "if (process.env.NODE_ENV === \"production\") return notFound();"
        ));
        assert!(public_cache_control(
            "\"Cache-Control\": \"public, s-maxage=300\","
        ));
        assert!(!public_cache_control(
            "\"Cache-Control\": \"private, no-store\","
        ));
    }
}
