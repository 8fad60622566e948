//! The command line: `plumb-desktop [PATH]`.

use std::ffi::OsString;
use std::path::Path;

pub const USAGE: &str = "usage: plumb-desktop [PATH]\n\n  PATH  repository to open at start\n\n  -h, --help     print this help\n  -V, --version  print the version";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    App(LaunchOptions),
    Help,
    Version,
}

/// What the app was started with; kept in Tauri state for the UI to ask about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// Absolute path of the repository to open at start. A string because it crosses IPC
    /// as one; non-UTF-8 paths are refused at launch rather than mangled.
    pub repository: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum LaunchError {
    UnknownOption(String),
    ExtraArgument(String),
    PathNotUtf8(String),
}

impl std::fmt::Display for LaunchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LaunchError::UnknownOption(option) => write!(f, "unknown option {option}"),
            LaunchError::ExtraArgument(argument) => {
                write!(f, "one repository path at most; unexpected {argument}")
            }
            LaunchError::PathNotUtf8(path) => write!(f, "path is not valid UTF-8: {path}"),
        }
    }
}

impl std::error::Error for LaunchError {}

impl Launch {
    /// Parses the arguments after the program name. Relative paths are resolved against
    /// `cwd`; whether the path is a repository is the engine's question, not this one's.
    pub fn parse(
        args: impl IntoIterator<Item = OsString>,
        cwd: &Path,
    ) -> Result<Launch, LaunchError> {
        let mut repository = None;
        let mut options_ended = false;
        for arg in args {
            let text = arg.to_string_lossy();
            if !options_ended && text.starts_with('-') && text.len() > 1 {
                match text.as_ref() {
                    "-h" | "--help" => return Ok(Launch::Help),
                    "-V" | "--version" => return Ok(Launch::Version),
                    "--" => options_ended = true,
                    _ => return Err(LaunchError::UnknownOption(text.into_owned())),
                }
                continue;
            }
            if repository.is_some() {
                return Err(LaunchError::ExtraArgument(text.into_owned()));
            }
            let absolute = cwd.join(&arg);
            let absolute = absolute
                .into_os_string()
                .into_string()
                .map_err(|_| LaunchError::PathNotUtf8(text.into_owned()))?;
            repository = Some(absolute);
        }
        Ok(Launch::App(LaunchOptions { repository }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Launch, LaunchError> {
        Launch::parse(args.iter().map(OsString::from), Path::new("/home/ada"))
    }

    fn opens(repository: Option<&str>) -> Result<Launch, LaunchError> {
        Ok(Launch::App(LaunchOptions {
            repository: repository.map(String::from),
        }))
    }

    #[test]
    fn no_arguments_opens_the_home_screen() {
        assert_eq!(parse(&[]), opens(None));
    }

    #[test]
    fn relative_path_is_resolved_against_the_working_directory() {
        assert_eq!(
            parse(&["clients/acme-saas"]),
            opens(Some("/home/ada/clients/acme-saas"))
        );
    }

    #[test]
    fn absolute_path_is_kept() {
        assert_eq!(parse(&["/srv/repo"]), opens(Some("/srv/repo")));
    }

    #[test]
    fn double_dash_lets_a_path_start_with_a_dash() {
        assert_eq!(parse(&["--", "-odd"]), opens(Some("/home/ada/-odd")));
    }

    #[test]
    fn help_and_version_flags() {
        assert_eq!(parse(&["--help"]), Ok(Launch::Help));
        assert_eq!(parse(&["-V"]), Ok(Launch::Version));
    }

    #[test]
    fn unknown_option_is_refused() {
        assert_eq!(
            parse(&["--verbose"]),
            Err(LaunchError::UnknownOption("--verbose".into()))
        );
    }

    #[test]
    fn second_path_is_refused() {
        assert_eq!(
            parse(&["a", "b"]),
            Err(LaunchError::ExtraArgument("b".into()))
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_path_is_refused() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![OsString::from_vec(vec![b'r', 0xFF])];
        assert!(matches!(
            Launch::parse(args, Path::new("/")),
            Err(LaunchError::PathNotUtf8(_))
        ));
    }
}
