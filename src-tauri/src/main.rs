// No console window behind the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use plumb_desktop::{Launch, USAGE};

fn main() -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    match Launch::parse(std::env::args_os().skip(1), &cwd) {
        Ok(Launch::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Launch::Version) => {
            println!("plumb-desktop {}", plumb::VERSION);
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
