//! The interactive line editor: rustyline with the shell's completion, hints, validator
//! and a history file. Everything it runs goes through [`Session`].

use super::completion::CompletionIndex;
use super::input::is_complete;
use super::session::{Console, Flow, Session, ShellError};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::borrow::Cow;
use std::path::Path;

const PROMPT: &str = "claimgraph> ";
/// How many lines the history file keeps.
const HISTORY_SIZE: usize = 1000;

/// Completion, hints and the multi-line validator, as rustyline wants them.
pub struct ShellHelper {
    index: CompletionIndex,
    generation: Option<u64>,
    history_hinter: HistoryHinter,
}

impl ShellHelper {
    pub fn new() -> ShellHelper {
        ShellHelper {
            index: CompletionIndex::default(),
            generation: None,
            history_hinter: HistoryHinter::new(),
        }
    }

    /// Rebuilds the completion index when the session's graph or parameters changed.
    fn refresh(&mut self, session: &Session) {
        if self.generation == Some(session.generation()) {
            return;
        }
        self.index = CompletionIndex::from_graph(session.graph());
        self.index.set_params(session.params().keys().cloned());
        self.generation = Some(session.generation());
    }
}

impl Default for ShellHelper {
    fn default() -> Self {
        ShellHelper::new()
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let completions = self.index.complete(line, pos);
        let pairs = completions
            .candidates
            .into_iter()
            .map(|candidate| Pair {
                display: candidate.clone(),
                replacement: candidate,
            })
            .collect();
        Ok((completions.start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.index
            .hint(line, pos)
            .or_else(|| self.history_hinter.hint(line, pos, ctx))
    }
}

impl Highlighter for ShellHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        // Dim, so a hint is not mistaken for typed text.
        Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
    }
}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for ShellHelper {}

/// Reads and runs lines until `.quit` or Ctrl-D; Ctrl-C abandons the line being typed.
/// History is loaded from and appended to `history` when given.
pub fn run(session: &mut Session, history: Option<&Path>) -> Result<(), ShellError> {
    let config = Config::builder()
        .max_history_size(HISTORY_SIZE)?
        .history_ignore_dups(true)?
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .build();
    let mut editor: Editor<ShellHelper, FileHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(ShellHelper::new()));
    if let Some(path) = history {
        if path.exists() {
            if let Err(error) = editor.load_history(path) {
                eprintln!("warning: history {} not read: {error}", path.display());
            }
        } else if let Some(folder) = path.parent() {
            if let Err(error) = std::fs::create_dir_all(folder) {
                eprintln!(
                    "warning: history folder {} not made: {error}",
                    folder.display()
                );
            }
        }
    }
    eprintln!(
        "claimgraph shell on {}: .help lists the commands",
        session.graph_path().display()
    );
    loop {
        if let Some(helper) = editor.helper_mut() {
            helper.refresh(session);
        }
        let line = match editor.readline(PROMPT) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(error) => return Err(error.into()),
        };
        if !line.trim().is_empty() {
            editor.add_history_entry(line.as_str())?;
            if let Some(path) = history {
                // Saved line by line, so a killed shell keeps what was typed.
                if let Err(error) = editor.append_history(path) {
                    eprintln!("warning: history {} not saved: {error}", path.display());
                }
            }
        }
        // The terminal may have been resized since the last answer.
        session.set_terminal_width(super::terminal_width());
        let flow = Console::with_std(|console| match session.run(&line, console) {
            Ok(flow) => flow,
            Err(error) => {
                // The error stream is the terminal; if it is gone there is nobody to tell.
                let _ = writeln!(console.err, "error: {error}");
                Flow::Continue
            }
        });
        if flow == Flow::Quit {
            break;
        }
    }
    Ok(())
}
