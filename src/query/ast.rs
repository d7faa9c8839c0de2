//! The pattern syntax tree that both the Cypher parser and the question forms build.
//! `Display` prints it back as Cypher that Neo4j (and, for the plain subset, Kuzu) reads.

use crate::graph::{Label, RelType, Value};
use std::fmt;

/// A whole read query: MATCH clauses, then RETURN with ORDER BY, SKIP and LIMIT.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub matches: Vec<MatchClause>,
    pub ret: Return,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchClause {
    pub optional: bool,
    pub patterns: Vec<Pattern>,
    pub where_: Option<Expr>,
}

/// One comma-separated part of a MATCH: a chain of nodes and relationships, optionally
/// named (`p = ...`) and optionally a shortest path.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub path_var: Option<String>,
    pub shortest: bool,
    pub start: NodePattern,
    pub steps: Vec<(RelPattern, NodePattern)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodePattern {
    pub var: Option<String>,
    pub labels: Vec<Label>,
    pub props: Vec<(String, Expr)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `-[]->`
    Right,
    /// `<-[]-`
    Left,
    /// `-[]-`
    Both,
}

impl Direction {
    /// The same link seen from its other end.
    pub fn reversed(self) -> Direction {
        match self {
            Direction::Right => Direction::Left,
            Direction::Left => Direction::Right,
            Direction::Both => Direction::Both,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RelPattern {
    pub var: Option<String>,
    /// Alternatives (`:A|B`); empty means any type.
    pub types: Vec<RelType>,
    pub direction: Direction,
    /// `*min..max` for variable-length relationships.
    pub length: Option<(u32, u32)>,
    pub props: Vec<(String, Expr)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    pub distinct: bool,
    pub items: Vec<ReturnItem>,
    pub order_by: Vec<SortItem>,
    pub skip: Option<Expr>,
    pub limit: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReturnItem {
    pub expr: Expr,
    pub alias: Option<String>,
}

impl ReturnItem {
    /// The column name: the alias, or the expression as written.
    pub fn column_name(&self) -> String {
        self.alias.clone().unwrap_or_else(|| self.expr.to_string())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortItem {
    pub expr: Expr,
    pub descending: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    Xor,
    And,
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Contains,
    StartsWith,
    EndsWith,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
            BinaryOp::And => "AND",
            BinaryOp::Eq => "=",
            BinaryOp::Neq => "<>",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "IN",
            BinaryOp::Contains => "CONTAINS",
            BinaryOp::StartsWith => "STARTS WITH",
            BinaryOp::EndsWith => "ENDS WITH",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
        }
    }

    /// Binding strength, higher binds tighter; used to print only the needed parentheses.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::Xor => 2,
            BinaryOp::And => 3,
            BinaryOp::Eq
            | BinaryOp::Neq
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In
            | BinaryOp::Contains
            | BinaryOp::StartsWith
            | BinaryOp::EndsWith => 5,
            BinaryOp::Add | BinaryOp::Sub => 6,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 7,
        }
    }
}

/// Precedence of `NOT`, between AND and the comparisons.
pub const NOT_PRECEDENCE: u8 = 4;
/// Precedence of `IS [NOT] NULL`, like the comparisons.
const IS_NULL_PRECEDENCE: u8 = 5;
/// Precedence of unary minus.
const NEGATE_PRECEDENCE: u8 = 8;
/// Property access, subscripts and atoms.
const POSTFIX_PRECEDENCE: u8 = 9;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Literal(Value),
    Param(String),
    Var(String),
    Property(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Not(Box<Expr>),
    Negate(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    /// `count(*)`.
    CountStar,
    /// A function call; `distinct` only for aggregates (`count(DISTINCT x)`).
    Call {
        name: String,
        distinct: bool,
        args: Vec<Expr>,
    },
}

impl Expr {
    pub fn var(name: &str) -> Expr {
        Expr::Var(name.to_string())
    }

    pub fn prop(var: &str, name: &str) -> Expr {
        Expr::Property(Box::new(Expr::var(var)), name.to_string())
    }

    pub fn string(text: &str) -> Expr {
        Expr::Literal(Value::Str(text.to_string()))
    }

    pub fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
        Expr::Binary(op, Box::new(left), Box::new(right))
    }

    pub fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            name: name.to_string(),
            distinct: false,
            args,
        }
    }

    /// `left AND right`, where either may be absent.
    pub fn and(left: Option<Expr>, right: Expr) -> Expr {
        match left {
            Some(left) => Expr::binary(BinaryOp::And, left, right),
            None => right,
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Binary(op, _, _) => op.precedence(),
            Expr::Not(_) => NOT_PRECEDENCE,
            Expr::IsNull { .. } => IS_NULL_PRECEDENCE,
            Expr::Negate(_) => NEGATE_PRECEDENCE,
            _ => POSTFIX_PRECEDENCE,
        }
    }

    /// Whether the expression contains an aggregate (count, collect, sum, ...).
    pub fn has_aggregate(&self) -> bool {
        match self {
            Expr::CountStar => true,
            Expr::Call { name, args, .. } => {
                super::execute::is_aggregate(name) || args.iter().any(Expr::has_aggregate)
            }
            Expr::Property(inner, _) | Expr::Not(inner) | Expr::Negate(inner) => {
                inner.has_aggregate()
            }
            Expr::IsNull { expr, .. } => expr.has_aggregate(),
            Expr::Index(a, b) | Expr::Binary(_, a, b) => a.has_aggregate() || b.has_aggregate(),
            Expr::List(items) => items.iter().any(Expr::has_aggregate),
            Expr::Literal(_) | Expr::Param(_) | Expr::Var(_) => false,
        }
    }
}

/// Escapes a string for a single-quoted Cypher literal.
pub fn escape_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Writes a variable or property name, in backticks when it is not a plain identifier
/// or would read as a keyword.
pub fn write_name(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write_identifier(f, name, false)
}

/// Writes a property key: keywords are fine there (`c.end`), so only odd characters
/// need backticks.
pub fn write_key(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write_identifier(f, name, true)
}

fn write_identifier(f: &mut fmt::Formatter<'_>, name: &str, keywords_allowed: bool) -> fmt::Result {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && (keywords_allowed || !super::parser::is_reserved(name));
    if plain {
        f.write_str(name)
    } else {
        write!(f, "`{}`", name.replace('`', "``"))
    }
}

pub fn write_value(f: &mut fmt::Formatter<'_>, value: &Value) -> fmt::Result {
    match value {
        Value::Null => f.write_str("null"),
        Value::Bool(b) => write!(f, "{b}"),
        Value::Int(i) => write!(f, "{i}"),
        // `{:?}` keeps the decimal point, so 4500.0 prints back as a float.
        Value::Float(x) => write!(f, "{x:?}"),
        Value::Str(s) => write!(f, "'{}'", escape_string(s)),
        Value::List(items) => {
            f.write_str("[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_value(f, item)?;
            }
            f.write_str("]")
        }
    }
}

impl Expr {
    fn fmt_child(&self, f: &mut fmt::Formatter<'_>, min_precedence: u8) -> fmt::Result {
        if self.precedence() < min_precedence {
            write!(f, "({self})")
        } else {
            write!(f, "{self}")
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Literal(value) => write_value(f, value),
            Expr::Param(name) => {
                f.write_str("$")?;
                // The lexer reads any run of letters, digits and `_` after `$` (`$2`)
                // and has no quoted form, so such a name must print bare.
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    f.write_str(name)
                } else {
                    write_key(f, name)
                }
            }
            Expr::Var(name) => write_name(f, name),
            Expr::Property(inner, name) => {
                inner.fmt_child(f, POSTFIX_PRECEDENCE)?;
                f.write_str(".")?;
                write_key(f, name)
            }
            Expr::Index(inner, index) => {
                inner.fmt_child(f, POSTFIX_PRECEDENCE)?;
                write!(f, "[{index}]")
            }
            Expr::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Expr::Not(inner) => {
                f.write_str("NOT ")?;
                inner.fmt_child(f, NOT_PRECEDENCE)
            }
            Expr::Negate(inner) => {
                f.write_str("-")?;
                // `- -1` must not print as `--1`, which reads as a relationship, nor as
                // `-(-1)`: brackets count towards the parser's nesting limit, so a long
                // run of minus signs would print as something too deep to read back.
                let negative = match inner.as_ref() {
                    Expr::Negate(_) => true,
                    Expr::Literal(Value::Int(i)) => *i < 0,
                    Expr::Literal(Value::Float(x)) => x.is_sign_negative(),
                    _ => false,
                };
                if negative {
                    return write!(f, " {inner}");
                }
                let plain = match inner.as_ref() {
                    Expr::Literal(Value::Int(i)) => *i >= 0,
                    Expr::Literal(Value::Float(x)) => *x >= 0.0,
                    Expr::Var(_) | Expr::Param(_) | Expr::Property(..) | Expr::Call { .. } => true,
                    _ => false,
                };
                if plain {
                    write!(f, "{inner}")
                } else {
                    write!(f, "({inner})")
                }
            }
            Expr::Binary(op, left, right) => {
                let precedence = op.precedence();
                // Comparisons do not chain in Cypher, so both sides of one need
                // parentheses when they are comparisons themselves.
                let comparison = precedence == 5;
                left.fmt_child(f, if comparison { 6 } else { precedence })?;
                write!(f, " {} ", op.as_str())?;
                right.fmt_child(f, if comparison { 6 } else { precedence + 1 })
            }
            Expr::IsNull { expr, negated } => {
                expr.fmt_child(f, 6)?;
                f.write_str(if *negated { " IS NOT NULL" } else { " IS NULL" })
            }
            Expr::CountStar => f.write_str("count(*)"),
            Expr::Call {
                name,
                distinct,
                args,
            } => {
                write!(f, "{name}(")?;
                if *distinct {
                    f.write_str("DISTINCT ")?;
                }
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
        }
    }
}

fn write_props(
    f: &mut fmt::Formatter<'_>,
    props: &[(String, Expr)],
    leading_space: bool,
) -> fmt::Result {
    if props.is_empty() {
        return Ok(());
    }
    f.write_str(if leading_space { " {" } else { "{" })?;
    for (i, (name, value)) in props.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_key(f, name)?;
        write!(f, ": {value}")?;
    }
    f.write_str("}")
}

impl fmt::Display for NodePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        if let Some(var) = &self.var {
            write_name(f, var)?;
        }
        for label in &self.labels {
            write!(f, ":{label}")?;
        }
        let leading_space = self.var.is_some() || !self.labels.is_empty();
        write_props(f, &self.props, leading_space)?;
        f.write_str(")")
    }
}

impl fmt::Display for RelPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.direction == Direction::Left {
            "<-"
        } else {
            "-"
        })?;
        let empty = self.var.is_none()
            && self.types.is_empty()
            && self.length.is_none()
            && self.props.is_empty();
        if !empty {
            f.write_str("[")?;
            if let Some(var) = &self.var {
                write_name(f, var)?;
            }
            for (i, rel) in self.types.iter().enumerate() {
                f.write_str(if i == 0 { ":" } else { "|" })?;
                write!(f, "{rel}")?;
            }
            if let Some((min, max)) = self.length {
                write!(f, "*{min}..{max}")?;
            }
            let leading_space =
                self.var.is_some() || !self.types.is_empty() || self.length.is_some();
            write_props(f, &self.props, leading_space)?;
            f.write_str("]")?;
        }
        f.write_str(if self.direction == Direction::Right {
            "->"
        } else {
            "-"
        })
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(var) = &self.path_var {
            write_name(f, var)?;
            f.write_str(" = ")?;
        }
        if self.shortest {
            f.write_str("shortestPath(")?;
        }
        write!(f, "{}", self.start)?;
        for (rel, node) in &self.steps {
            write!(f, "{rel}{node}")?;
        }
        if self.shortest {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for MatchClause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.optional {
            f.write_str("OPTIONAL ")?;
        }
        f.write_str("MATCH ")?;
        for (i, pattern) in self.patterns.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{pattern}")?;
        }
        if let Some(condition) = &self.where_ {
            write!(f, "\nWHERE {condition}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Return {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RETURN ")?;
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", item.expr)?;
            if let Some(alias) = &item.alias {
                f.write_str(" AS ")?;
                write_name(f, alias)?;
            }
        }
        if !self.order_by.is_empty() {
            f.write_str("\nORDER BY ")?;
            for (i, item) in self.order_by.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{}", item.expr)?;
                if item.descending {
                    f.write_str(" DESC")?;
                }
            }
        }
        if let Some(skip) = &self.skip {
            write!(f, "\nSKIP {skip}")?;
        }
        if let Some(limit) = &self.limit {
            write!(f, "\nLIMIT {limit}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for clause in &self.matches {
            writeln!(f, "{clause}")?;
        }
        write!(f, "{}", self.ret)
    }
}
