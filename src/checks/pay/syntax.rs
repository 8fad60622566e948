//! One file's syntax as the PAY and INT detectors read it, from the `pay` check query of its
//! language (`queries/{ecmascript,python}/checks/pay.scm`): calls with their options, object
//! keys, where values go, arithmetic, candidate request handlers and the control flow that
//! decides whether one call always runs before another. Node kinds stay in the queries; this
//! file only relates captured byte ranges.

use std::collections::{BTreeMap, HashMap};

use tree_sitter::Node;

use super::super::roles::normalize_callee;
use super::super::SourceFile;

/// A byte range of the file.
pub type Span = (usize, usize);

pub fn span(n: Node) -> Span {
    (n.start_byte(), n.end_byte())
}

pub fn within(outer: Span, inner: Span) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1
}

pub struct Call<'t> {
    pub node: Node<'t>,
    /// Normalised callee (`supabase.from().insert`).
    pub callee: String,
    /// The callee as written (keeps string arguments such as table names).
    pub callee_text: &'t str,
    pub args: Node<'t>,
    /// Python keyword arguments, by name.
    pub kwargs: Vec<(&'t str, Node<'t>)>,
    /// `**kwargs` in the call.
    pub splat: bool,
}

impl Call<'_> {
    pub fn span(&self) -> Span {
        span(self.node)
    }

    /// The last segment of the callee (`insert` of `supabase.from().insert`).
    pub fn method(&self) -> &str {
        self.callee.rsplit('.').next().unwrap_or(&self.callee)
    }
}

/// What an options lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opt<'t> {
    Present(Node<'t>),
    Absent,
    /// The options are built elsewhere (a variable, a spread, `**kwargs`): nothing can be said.
    Unknown,
}

#[derive(Default)]
struct ObjectKeys<'t> {
    keys: Vec<(String, Option<Node<'t>>)>,
    spread: bool,
}

pub struct Handler<'t> {
    pub node: Node<'t>,
    /// `Deno.serve`, `app.post`, `export POST`, `@app.post("/x")`.
    pub label: String,
    /// The route path when one is registered (`/webhooks/stripe`).
    pub route: Option<String>,
    pub name: Option<&'t str>,
    pub has_param: bool,
    /// Registered with a serve call (`Deno.serve`, `serve`): the handler is the whole server.
    pub serve: bool,
}

pub struct Syntax<'t> {
    pub file: &'t SourceFile<'t>,
    pub calls: Vec<Call<'t>>,
    objects: HashMap<Span, ObjectKeys<'t>>,
    /// (member, object, property).
    pub members: Vec<(Node<'t>, Node<'t>, Node<'t>)>,
    parens: HashMap<Span, Node<'t>>,
    /// value span -> target.
    targets: HashMap<Span, Node<'t>>,
    /// (expression, left, operator, right).
    pub binaries: Vec<(Node<'t>, Node<'t>, &'t str, Node<'t>)>,
    pub handlers: Vec<Handler<'t>>,
    /// Top-level functions with their names.
    pub functions: Vec<(Node<'t>, &'t str)>,
    pub default_export: Option<&'t str>,
    /// Named functions registered with a call: (callee, function name, first string argument).
    pub registrations: Vec<(String, &'t str, Option<String>)>,
    /// Model fields: (field, type annotation or constructor text, line).
    pub fields: Vec<(Node<'t>, String, u32)>,
    branches: Vec<Span>,
    forks: BTreeMap<Span, Vec<Span>>,
    closures: Vec<Span>,
    tries: BTreeMap<Span, (Option<Span>, Vec<Span>)>,
    exits: Vec<Span>,
    /// (condition, consequence) of if statements.
    ifs: Vec<(Span, Span)>,
    displays: Vec<Span>,
}

impl<'t> Syntax<'t> {
    pub fn new(file: &'t SourceFile<'t>) -> Syntax<'t> {
        let mut s = Syntax {
            file,
            calls: Vec::new(),
            objects: HashMap::new(),
            members: Vec::new(),
            parens: HashMap::new(),
            targets: HashMap::new(),
            binaries: Vec::new(),
            handlers: Vec::new(),
            functions: Vec::new(),
            default_export: None,
            registrations: Vec::new(),
            fields: Vec::new(),
            branches: Vec::new(),
            forks: BTreeMap::new(),
            closures: Vec::new(),
            tries: BTreeMap::new(),
            exits: Vec::new(),
            ifs: Vec::new(),
            displays: Vec::new(),
        };
        let mut kwargs: HashMap<Span, Vec<(&'t str, Node<'t>)>> = HashMap::new();
        let mut splats: Vec<Span> = Vec::new();
        let mut params: Vec<Span> = Vec::new();
        let mut handler_nodes: Vec<(Node<'t>, String, Option<String>, Option<&'t str>, bool)> =
            Vec::new();
        for m in file.matches("pay").iter().chain(file.matches("pay_jsx")) {
            if let (Some(call), Some(callee), Some(args)) =
                (m.get("call"), m.get("callee"), m.get("args"))
            {
                let callee_text = file.text_of(callee);
                s.calls.push(Call {
                    node: call,
                    callee: normalize_callee(callee_text),
                    callee_text,
                    args,
                    kwargs: Vec::new(),
                    splat: false,
                });
            }
            if let (Some(kw), Some(name), Some(value)) =
                (m.get("kwarg"), m.get("kwarg.name"), m.get("kwarg.value"))
            {
                if let Some(args) = kw.parent() {
                    kwargs
                        .entry(span(args))
                        .or_default()
                        .push((file.text_of(name), value));
                }
            }
            if let Some(o) = m.get("object") {
                s.objects.entry(span(o)).or_default();
            }
            if let (Some(pair), Some(key), Some(value)) =
                (m.get("pair"), m.get("pair.key"), m.get("pair.value"))
            {
                if let Some(o) = pair.parent() {
                    s.objects
                        .entry(span(o))
                        .or_default()
                        .keys
                        .push((unquote(file.text_of(key)).to_string(), Some(value)));
                }
            }
            if let Some(sh) = m.get("shorthand") {
                if let Some(o) = sh.parent() {
                    s.objects
                        .entry(span(o))
                        .or_default()
                        .keys
                        .push((file.text_of(sh).to_string(), None));
                }
            }
            if let Some(sp) = m.get("spread") {
                if let Some(parent) = sp.parent() {
                    s.objects.entry(span(parent)).or_default().spread = true;
                    splats.push(span(parent));
                }
            }
            if let (Some(mem), Some(obj), Some(prop)) = (
                m.get("member"),
                m.get("member.object"),
                m.get("member.property"),
            ) {
                s.members.push((mem, obj, prop));
            }
            if let (Some(p), Some(inner)) = (m.get("paren"), m.get("paren.inner")) {
                s.parens.insert(span(inner), p);
            }
            if let (Some(t), Some(v)) = (m.get("target"), m.get("value")) {
                s.targets.insert(span(v), t);
            }
            if let (Some(b), Some(l), Some(op), Some(r)) = (
                m.get("bin"),
                m.get("bin.left"),
                m.get("bin.op"),
                m.get("bin.right"),
            ) {
                s.binaries.push((b, l, file.text_of(op), r));
            }
            if let Some(h) = m.get("handler") {
                let (label, route, serve) = if let Some(callee) = m.get("handler.callee") {
                    let name = normalize_callee(file.text_of(callee));
                    let route = m
                        .get("handler.call")
                        .and_then(|c| first_string(file.text_of(c)));
                    let serve = name == "serve" || name.ends_with(".serve");
                    (name, route, serve)
                } else if let Some(left) = m.get("handler.exports") {
                    (normalize_callee(file.text_of(left)), None, false)
                } else if let Some(d) = m.get("handler.decorator") {
                    let text = file.text_of(d).trim_start_matches('@');
                    let name = normalize_callee(text.split('(').next().unwrap_or(text));
                    (name, first_string(text), false)
                } else {
                    let name = m.get("handler.name").map(|n| file.text_of(n));
                    let default = m
                        .get("handler.export")
                        .is_some_and(|e| file.text_of(e).starts_with("export default"));
                    let label = match (default, name) {
                        (true, _) => "export default".to_string(),
                        (false, Some(n)) => format!("export {n}"),
                        (false, None) => "export".to_string(),
                    };
                    (label, None, false)
                };
                let name = m.get("handler.name").map(|n| file.text_of(n));
                handler_nodes.push((h, label, route, name, serve));
            }
            if let (Some(f), Some(name)) = (m.get("function"), m.get("function.name")) {
                s.functions.push((f, file.text_of(name)));
            }
            if let (Some(callee), Some(name), Some(call)) = (
                m.get("route.callee"),
                m.get("route.handler"),
                m.get("route.call"),
            ) {
                s.registrations.push((
                    normalize_callee(file.text_of(callee)),
                    file.text_of(name),
                    first_string(file.text_of(call)),
                ));
            }
            if let Some(d) = m.get("export.default") {
                s.default_export = Some(file.text_of(d));
            }
            if let (Some(field), Some(line)) = (m.get("field"), m.get("field.line")) {
                let kind = if let Some(t) = m.get("field.type") {
                    file.text_of(t).to_string()
                } else if let (Some(ctor), Some(args)) = (m.get("field.ctor"), m.get("field.args"))
                {
                    format!("{}{}", file.text_of(ctor), file.text_of(args))
                } else {
                    continue;
                };
                s.fields.push((field, kind, file.lines(line).0));
            }
            if let Some(p) = m.get("param") {
                params.push(span(p));
            }
            if let Some(b) = m.get("branch") {
                s.branches.push(span(b));
            }
            if let (Some(f), Some(a)) = (m.get("fork"), m.get("arm")) {
                for arm in m.all("arm") {
                    s.forks.entry(span(f)).or_default().push(span(arm));
                }
                let _ = a;
            }
            if let Some(c) = m.get("closure") {
                s.closures.push(span(c));
            }
            if let Some(t) = m.get("try") {
                let entry = s.tries.entry(span(t)).or_default();
                if let Some(b) = m.get("try.body") {
                    entry.0 = Some(span(b));
                }
                if let Some(c) = m.get("try.catch") {
                    entry.1.push(span(c));
                }
            }
            if let Some(e) = m.get("exit") {
                s.exits.push(span(e));
            }
            if let (Some(c), Some(t)) = (m.get("if.cond"), m.get("if.then")) {
                s.ifs.push((span(c), span(t)));
            }
            if let Some(d) = m.get("display") {
                s.displays.push(span(d));
            }
        }
        for call in &mut s.calls {
            if let Some(k) = kwargs.remove(&span(call.args)) {
                call.kwargs = k;
            }
            call.splat = splats.contains(&span(call.args));
        }
        s.calls.sort_by_key(|c| c.node.start_byte());
        s.branches.sort();
        s.branches.dedup();
        s.closures.sort();
        s.closures.dedup();
        for arms in s.forks.values_mut() {
            arms.sort();
            arms.dedup();
        }
        // A function can match more than one pattern (one per decorator): the units keep one.
        handler_nodes.sort_by_key(|(h, ..)| h.start_byte());
        for (node, label, route, name, serve) in handler_nodes {
            let has_param = params.iter().any(|p| {
                within(span(node), *p) && innermost(&s.closures, *p).is_none_or(|c| c == span(node))
            });
            s.handlers.push(Handler {
                node,
                label,
                route,
                name,
                has_param,
                serve,
            });
        }
        s
    }

    pub fn text(&self, n: Node) -> &'t str {
        self.file.text_of(n)
    }

    /// The `index`-th argument (0-based) of a call, comments skipped.
    pub fn arg(&self, call: &Call<'t>, index: usize) -> Option<Node<'t>> {
        let mut cursor = call.args.walk();
        let args: Vec<Node<'t>> = call
            .args
            .named_children(&mut cursor)
            .filter(|n| !n.is_extra())
            .collect();
        args.get(index).copied()
    }

    pub fn arg_count(&self, call: &Call<'t>) -> usize {
        let mut cursor = call.args.walk();
        call.args
            .named_children(&mut cursor)
            .filter(|n| !n.is_extra())
            .count()
    }

    pub fn is_object(&self, n: Node) -> bool {
        self.objects.contains_key(&span(n))
    }

    /// The keys of an object literal (None when `n` is not one).
    pub fn keys(&self, n: Node) -> Option<Vec<&str>> {
        self.objects
            .get(&span(n))
            .map(|o| o.keys.iter().map(|(k, _)| k.as_str()).collect())
    }

    /// The value of `key` in object literal `n`; for a shorthand property, the key itself.
    pub fn key_value(&self, n: Node<'t>, key: &str) -> Opt<'t> {
        let Some(o) = self.objects.get(&span(n)) else {
            return Opt::Unknown;
        };
        match o.keys.iter().find(|(k, _)| k == key) {
            Some((_, Some(v))) => Opt::Present(*v),
            Some((_, None)) => Opt::Present(n),
            None if o.spread => Opt::Unknown,
            None => Opt::Absent,
        }
    }

    /// Looks `key` up in a call's options: Python keyword arguments, or in JS the object
    /// literal at argument `index` (absent when the call has fewer arguments; unknown when the
    /// argument is not a literal).
    pub fn option(&self, call: &Call<'t>, index: usize, key: &str) -> Opt<'t> {
        if !call.kwargs.is_empty() || call.splat || self.file.lang == crate::lang::Lang::Python {
            if let Some((_, v)) = call.kwargs.iter().find(|(k, _)| *k == key) {
                return Opt::Present(*v);
            }
            return if call.splat {
                Opt::Unknown
            } else {
                Opt::Absent
            };
        }
        match self.arg(call, index) {
            None => Opt::Absent,
            Some(a) if self.is_object(a) => self.key_value(a, key),
            Some(_) => Opt::Unknown,
        }
    }

    /// Looks past parentheses: the outermost parenthesized expression around `n`.
    pub fn unparen(&self, mut n: Node<'t>) -> Node<'t> {
        while let Some(p) = self.parens.get(&span(n)) {
            n = *p;
        }
        n
    }

    /// Where the value `n` goes: the declared, assigned or keyed name, looking through
    /// parentheses and `?? 0` / `|| 0` / `or 0` fallbacks; for a call's single argument the
    /// callee (`setPrice(parseFloat(v))`).
    pub fn target_of(&self, n: Node<'t>) -> Option<&'t str> {
        let mut n = self.unparen(n);
        loop {
            if let Some(t) = self.targets.get(&span(n)) {
                return Some(self.text(*t));
            }
            let fallback = self
                .binaries
                .iter()
                .find(|(_, l, op, _)| span(*l) == span(n) && matches!(*op, "??" | "||" | "or"));
            match fallback {
                Some((b, ..)) => n = self.unparen(*b),
                None => break,
            }
        }
        let call = self.calls.iter().find(|c| {
            self.arg_count(c) == 1 && self.arg(c, 0).is_some_and(|a| span(a) == span(n))
        })?;
        Some(call.callee_text)
    }

    /// The call whose argument list directly holds `n` (parentheses looked through).
    pub fn call_taking(&self, n: Node<'t>) -> Option<&Call<'t>> {
        let n = self.unparen(n);
        let parent = n.parent()?;
        self.calls.iter().find(|c| span(c.args) == span(parent))
    }

    /// The value is rendered as text (a JSX expression, a template or f-string substitution)
    /// rather than computed with: the innermost enclosing display or function is a display.
    pub fn is_display(&self, n: Node) -> bool {
        let at = span(n);
        let display = innermost(&self.displays, at);
        let closure = innermost(&self.closures, at);
        match (display, closure) {
            (Some(d), Some(c)) => within(c, d),
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// Inside a nested function of `scope` (a callback that may run later or never).
    pub fn in_closure_within(&self, scope: Span, at: Span) -> bool {
        self.closures
            .iter()
            .any(|c| *c != scope && within(scope, *c) && within(*c, at))
    }

    /// Whether `first` always runs before `then` inside `scope` (a handler): it ends before
    /// `then` starts; every branch, nested function and try body holding it (inside `scope`)
    /// also holds `then`, unless the try's handlers all leave (a failed call never falls
    /// through to `then`). Early exits only remove paths, so they never break this.
    pub fn always_before(&self, scope: Span, first: Span, then: Span) -> bool {
        if first.1 > then.0 {
            return false;
        }
        let holds = |r: &Span| within(scope, *r) && within(*r, first) && !within(*r, then);
        if self.branches.iter().any(holds) {
            return false;
        }
        if self.closures.iter().any(|c| *c != scope && holds(c)) {
            return false;
        }
        for (body, catches) in self.tries.values() {
            let Some(body) = body else { continue };
            if holds(body) && !catches.iter().all(|c| self.exits_within(*c)) {
                return false;
            }
        }
        true
    }

    /// The region has a return or throw of its own (not one of a nested function).
    pub fn exits_within(&self, region: Span) -> bool {
        self.exits.iter().any(|e| {
            within(region, *e)
                && !self
                    .closures
                    .iter()
                    .any(|c| within(region, *c) && within(*c, *e))
        })
    }

    /// `a` and `b` sit in different arms of one if/switch/ternary: no path runs both.
    pub fn exclusive(&self, a: Span, b: Span) -> bool {
        self.forks.values().any(|arms| {
            let arm_a = arms.iter().position(|r| within(*r, a));
            let arm_b = arms.iter().position(|r| within(*r, b));
            matches!((arm_a, arm_b), (Some(x), Some(y)) if x != y)
        })
    }

    /// Inside a catch / except clause.
    pub fn in_catch(&self, at: Span) -> bool {
        self.tries
            .values()
            .any(|(_, catches)| catches.iter().any(|c| within(*c, at)))
    }

    /// The if statement whose condition holds `at`, as (condition, consequence).
    pub fn if_condition_of(&self, at: Span) -> Option<(Span, Span)> {
        self.ifs
            .iter()
            .filter(|(c, _)| within(*c, at))
            .min_by_key(|(c, _)| c.1 - c.0)
            .copied()
    }

    /// If statements inside `scope`, as (condition, consequence).
    pub fn ifs_within(&self, scope: Span) -> impl Iterator<Item = (Span, Span)> + '_ {
        self.ifs
            .iter()
            .copied()
            .filter(move |(c, _)| within(scope, *c))
    }

    /// `first` sits in a try body whose catch neither returns nor throws, and `then` after it:
    /// a failure of `first` is swallowed and `then` still runs.
    pub fn swallowed(&self, scope: Span, first: Span, then: Span) -> bool {
        self.tries.values().any(|(body, catches)| {
            body.is_some_and(|b| within(scope, b) && within(b, first) && !within(b, then))
                && !catches.iter().all(|c| self.exits_within(*c))
        })
    }

    /// The smallest branch holding `at` inside `scope` that does not hold `other`, with the
    /// condition of its if statement when it is an if arm: why `at` may run without `other`.
    pub fn guard_between(&self, scope: Span, other: Span, at: Span) -> Option<String> {
        self.forks.iter().find_map(|(fork, arms)| {
            if !within(scope, *fork) {
                return None;
            }
            let arm_at = arms.iter().position(|r| within(*r, at))?;
            let arm_other = arms.iter().position(|r| within(*r, other))?;
            if arm_at == arm_other {
                return None;
            }
            let cond = self.ifs.iter().find(|(c, t)| {
                within(*fork, *c) && (arms.contains(t)) && c.0 >= fork.0 && c.1 <= arms[0].0
            })?;
            let text = self.file.text.get(cond.0 .0..cond.0 .1)?;
            let text = text.trim().trim_start_matches('(').trim_end_matches(')');
            Some(if arm_at == 0 {
                format!(
                    "when `{}` holds",
                    text.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            } else {
                format!(
                    "when `{}` is false",
                    text.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            })
        })
    }
}

/// The smallest region holding `at`.
fn innermost(regions: &[Span], at: Span) -> Option<Span> {
    regions
        .iter()
        .filter(|r| within(**r, at))
        .min_by_key(|r| r.1 - r.0)
        .copied()
}

/// Strips one layer of string quotes (Python prefixes such as `f"` and `b'` included).
pub fn unquote(text: &str) -> &str {
    let t = text.trim();
    let prefix = t
        .find(['"', '\'', '`'])
        .filter(|&i| i <= 2 && t[..i].chars().all(|c| "rRbBuUfF".contains(c)))
        .unwrap_or(0);
    t[prefix..].trim_matches(|c| c == '"' || c == '\'' || c == '`')
}

/// The first string literal of a call's text (`app.post("/webhooks/stripe", …)`).
pub fn first_string(call_text: &str) -> Option<String> {
    let open = call_text.find('(')?;
    let rest = call_text[open + 1..].trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..1 + end].to_string())
}
