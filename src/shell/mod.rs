//! The interactive shell over query, present and export: `claimgraph shell`.
//!
//! [`session`] is the engine (graph, mode, parameters, what each command does),
//! [`command`] parses one input with the one command table, [`input`] decides when
//! input is complete, [`completion`] offers candidates and hints, and [`repl`] puts
//! rustyline on top. When standard input is not a terminal the same engine reads
//! statements from it without prompts, so `claimgraph shell < script` works.

pub mod command;
pub mod completion;
pub mod input;
mod merge;
pub mod repl;
pub mod session;

pub use command::{Command, CommandError, COMMANDS};
pub use session::{Console, Flow, ScriptOutcome, Session, Settings, ShellError};

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Overrides where the history is kept (tests point it at a temporary file).
pub const HISTORY_VARIABLE: &str = "CLAIMGRAPH_HISTORY";

/// Runs the shell on a graph file; returns true when every statement succeeded (always,
/// for an interactive session, where errors are answered on the spot).
pub fn run(graph_path: &Path, settings: Settings) -> Result<bool, ShellError> {
    let (session, notice) = Session::open(graph_path)?;
    let mut session = session.with_settings(settings);
    session.set_terminal_width(terminal_width());
    if let Some(notice) = notice {
        eprintln!("{notice}");
    }
    let stdin = std::io::stdin();
    let succeeded = if stdin.is_terminal() {
        let history = history_path(|name| std::env::var_os(name));
        repl::run(&mut session, history.as_deref())?;
        true
    } else {
        let outcome =
            Console::with_std(|console| session.run_script(stdin.lock(), "stdin", console))?;
        outcome.failed == 0
    };
    session.close()?;
    Ok(succeeded)
}

/// The width of the terminal standard output goes to, if it goes to one.
pub fn terminal_width() -> Option<usize> {
    console::Term::stdout()
        .size_checked()
        .map(|(_, columns)| usize::from(columns))
        .filter(|columns| *columns > 0)
}

/// The history file: `$CLAIMGRAPH_HISTORY`, else `$XDG_DATA_HOME/claimgraph/history`,
/// else `~/.local/share/claimgraph/history`; none when not even a home folder is known.
/// `var` reads an environment variable, so tests can supply their own.
pub fn history_path(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|value| !value.is_empty());
    if let Some(path) = set(HISTORY_VARIABLE) {
        return Some(PathBuf::from(path));
    }
    // The XDG specification says relative values are to be ignored.
    if let Some(data) = set("XDG_DATA_HOME").map(PathBuf::from) {
        if data.is_absolute() {
            return Some(data.join("claimgraph").join("history"));
        }
    }
    set("HOME").map(|home| {
        PathBuf::from(home)
            .join(".local")
            .join("share")
            .join("claimgraph")
            .join("history")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn history_prefers_the_override_then_xdg_then_home() {
        let all = [
            ("CLAIMGRAPH_HISTORY", "/tmp/h"),
            ("XDG_DATA_HOME", "/data"),
            ("HOME", "/home/ana"),
        ];
        assert_eq!(history_path(env(&all)), Some(PathBuf::from("/tmp/h")));
        assert_eq!(
            history_path(env(&all[1..])),
            Some(PathBuf::from("/data/claimgraph/history"))
        );
        assert_eq!(
            history_path(env(&[("XDG_DATA_HOME", "relative"), ("HOME", "/home/ana")])),
            Some(PathBuf::from("/home/ana/.local/share/claimgraph/history"))
        );
        assert_eq!(history_path(env(&[("CLAIMGRAPH_HISTORY", "")])), None);
    }
}
