// No console window behind the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;
use std::process::ExitCode;

use plumb_desktop::{Launch, USAGE};

#[global_allocator]
static ALLOCATOR: plumb::MiMalloc = plumb::MiMalloc;

fn main() -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    match Launch::parse(std::env::args_os().skip(1), &cwd) {
        Ok(Launch::Help) => {
            print_to_stdout(USAGE);
            ExitCode::SUCCESS
        }
        Ok(Launch::Version) => {
            print_to_stdout(&format!("plumb-desktop {}", plumb::VERSION));
            ExitCode::SUCCESS
        }
        Ok(Launch::App(options)) => {
            plumb_desktop::run(options);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("plumb-desktop: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`plumb-desktop --help | head -1`) is not an error worth a panic.
fn print_to_stdout(text: &str) {
    let _ = writeln!(std::io::stdout(), "{text}");
}
