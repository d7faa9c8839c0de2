//! The interactive shell over query, present and export.
//!
//! (Interface stub: the rustyline shell replaces this.)
