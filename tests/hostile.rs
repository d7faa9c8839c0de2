//! Hostile input of every class issue 7 names, run through the real binary: broken and
//! giant corpus files, damaged graph files, a save killed mid-write, exports of hostile
//! names, and arbitrary query text. Each case asserts the message a user sees and that
//! the rest of the work was done. One test binary, so it compiles once.

mod hostile {
    pub mod corpus;
    pub mod exports;
    pub mod graph_file;
    pub mod queries;
    pub mod save_kill;
    pub mod support;
}
