//! Repo-relative, '/'-separated path arithmetic. The repository root is the empty string.

/// The folder of a repo-relative path (`""` for a file at the root).
pub(crate) fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Joins `relative` onto the folder `base` and normalises `.` and `..`. `None` when the
/// result would leave the repository. A leading `/` in `relative` is taken as relative
/// too: callers decide what a rooted path means before calling.
pub(crate) fn join(base: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The ancestors of a folder, nearest first, ending with the root `""`.
pub(crate) fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current.is_empty() { None } else { Some(parent_dir(current)) };
        Some(current)
    })
}

/// Whether `dir` is `ancestor` or lies inside it.
pub(crate) fn is_within(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || (dir.len() > ancestor.len() && dir.starts_with(ancestor) && dir.as_bytes()[ancestor.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_normalises_and_refuses_to_escape() {
        assert_eq!(join("src/app", "../lib/./x").as_deref(), Some("src/lib/x"));
        assert_eq!(join("", "./src/").as_deref(), Some("src"));
        assert_eq!(join("src", "../../etc/passwd"), None);
    }

    #[test]
    fn ancestors_end_at_root() {
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), vec!["a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), vec![""]);
        assert!(is_within("apps/web/src", "apps/web"));
        assert!(!is_within("apps/website", "apps/web"));
    }
}
