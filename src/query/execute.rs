//! Runs a [`Plan`] over a [`GraphRead`]: rows of bound values flow through the operators
//! of each MATCH clause, then RETURN projects, groups, sorts and cuts them.

use super::ast::*;
use super::plan::{self, ClausePlan, Hop, NodeCheck, Op, Plan, ScanSource};
use super::{Limits, Params, QueryError};
use crate::graph::{EdgeId, GraphRead, Label, NodeId, PropertyRef, RelType, Value};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;
use std::time::Instant;

/// The aggregate functions.
pub fn is_aggregate(name: &str) -> bool {
    matches!(name, "count" | "collect" | "sum" | "avg" | "min" | "max")
}

/// A path: nodes, and the edges between them (one fewer).
#[derive(Clone, Debug, PartialEq)]
pub struct PathData {
    pub nodes: Vec<NodeId>,
    pub edges: Vec<EdgeId>,
}

/// A text during execution: a property read where it lies in the graph (most texts a
/// query handles, and copying each into every row it passes through cost more than
/// the rest of a large answer's work), or one the query made.
#[derive(Clone, Debug)]
pub enum Text<'g> {
    Graph(&'g str),
    Made(Rc<str>),
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Graph(text) => text,
            Text::Made(text) => text,
        }
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Text<'_>) -> bool {
        **self == **other
    }
}

impl std::fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// A value during execution: a property value, or a reference into the graph (`'g`:
/// the graph's borrow, which the texts read from it share).
#[derive(Clone, Debug, PartialEq)]
pub enum Val<'g> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text<'g>),
    List(Rc<Vec<Val<'g>>>),
    Node(NodeId),
    Edge(EdgeId),
    Path(Rc<PathData>),
}

impl<'g> Val<'g> {
    pub fn from_value(value: &Value) -> Val<'g> {
        match value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Float(x) => Val::Float(*x),
            Value::Str(s) => Val::str(s),
            Value::List(items) => Val::List(Rc::new(items.iter().map(Val::from_value).collect())),
        }
    }

    /// A property, its texts left where they are in the graph.
    fn from_property(value: PropertyRef<'g>) -> Val<'g> {
        match value {
            PropertyRef::Null => Val::Null,
            PropertyRef::Bool(b) => Val::Bool(b),
            PropertyRef::Int(i) => Val::Int(i),
            PropertyRef::Float(x) => Val::Float(x),
            PropertyRef::Str(s) => Val::Str(Text::Graph(s)),
            PropertyRef::Strings(items) => Val::List(Rc::new(
                items.iter().map(|s| Val::Str(Text::Graph(s))).collect(),
            )),
        }
    }

    /// The value as answers show it: nodes by name, relationships by type, paths as the
    /// list of their nodes' names.
    pub fn to_value(&self, graph: &dyn GraphRead) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Int(i) => Value::Int(*i),
            Val::Float(x) => Value::Float(*x),
            Val::Str(s) => Value::Str(s.to_string()),
            Val::List(items) => Value::List(items.iter().map(|v| v.to_value(graph)).collect()),
            Val::Node(id) => Value::Str(graph.node(*id).name.clone()),
            Val::Edge(id) => Value::Str(graph.edge(*id).rel.as_str().to_string()),
            Val::Path(path) => Value::List(
                path.nodes
                    .iter()
                    .map(|id| Value::Str(graph.node(*id).name.clone()))
                    .collect(),
            ),
        }
    }

    /// A text the query made.
    fn str(text: &str) -> Val<'g> {
        Val::Str(Text::Made(Rc::from(text)))
    }

    fn truth(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn from_truth(truth: Option<bool>) -> Val<'g> {
        truth.map(Val::Bool).unwrap_or(Val::Null)
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(*i as f64),
            Val::Float(x) => Some(*x),
            _ => None,
        }
    }

    /// Whether two values are one value to grouping and DISTINCT: as `=`, except that
    /// nulls are one value and so are NaNs; 1 and 1.0 are one value.
    fn same_group(&self, other: &Val<'_>) -> bool {
        match (self, other) {
            (Val::Null, Val::Null) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Int(a), Val::Int(b)) => a == b,
            (Val::Int(a), Val::Float(x)) | (Val::Float(x), Val::Int(a)) => integral(*x) == Some(*a),
            (Val::Float(x), Val::Float(y)) => match (integral(*x), integral(*y)) {
                (Some(a), Some(b)) => a == b,
                (None, None) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                _ => false,
            },
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::List(a), Val::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same_group(y))
            }
            (Val::Node(a), Val::Node(b)) => a == b,
            (Val::Edge(a), Val::Edge(b)) => a == b,
            (Val::Path(a), Val::Path(b)) => a.nodes == b.nodes && a.edges == b.edges,
            _ => false,
        }
    }

    /// A hash that agrees with [`Val::same_group`].
    fn group_hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Val::Null => state.write_u8(0),
            Val::Bool(b) => state.write_u16(0x100 | *b as u16),
            Val::Int(i) => {
                state.write_u8(2);
                state.write_i64(*i);
            }
            Val::Float(x) => match integral(*x) {
                Some(i) => {
                    state.write_u8(2);
                    state.write_i64(i);
                }
                None if x.is_nan() => state.write_u8(3),
                None => {
                    state.write_u8(3);
                    state.write_u64(x.to_bits());
                }
            },
            Val::Str(s) => {
                state.write_u8(4);
                (**s).hash(state);
            }
            Val::List(items) => {
                state.write_u8(5);
                state.write_usize(items.len());
                items.iter().for_each(|item| item.group_hash(state));
            }
            Val::Node(id) => {
                state.write_u8(6);
                state.write_usize(id.index());
            }
            Val::Edge(id) => {
                state.write_u8(7);
                state.write_usize(id.index());
            }
            Val::Path(path) => {
                state.write_u8(8);
                path.nodes.hash(state);
                path.edges.hash(state);
            }
        }
    }
}

/// The integer an integral float stands for when grouping (1.0 groups with 1).
fn integral(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 9.0e15).then_some(x as i64)
}

/// Values as grouping and DISTINCT tell them apart ([`Val::same_group`]), hashed without
/// writing them out.
#[derive(Clone, Debug)]
struct GroupKey<'g>(Vec<Val<'g>>);

impl PartialEq for GroupKey<'_> {
    fn eq(&self, other: &GroupKey<'_>) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.same_group(b))
    }
}

impl Eq for GroupKey<'_> {}

impl Hash for GroupKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        self.0.iter().for_each(|value| value.group_hash(state));
    }
}

/// One value as grouping tells values apart, borrowed: `collect(DISTINCT ...)` over an
/// entity's thousands of documents.
struct GroupVal<'v, 'g>(&'v Val<'g>);

impl PartialEq for GroupVal<'_, '_> {
    fn eq(&self, other: &GroupVal<'_, '_>) -> bool {
        self.0.same_group(other.0)
    }
}

impl Eq for GroupVal<'_, '_> {}

impl Hash for GroupVal<'_, '_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.group_hash(state);
    }
}

/// Cypher's order for ORDER BY: lists, strings, booleans, numbers, then null last.
fn order_rank(value: &Val<'_>) -> u8 {
    match value {
        Val::Node(_) => 0,
        Val::Edge(_) => 1,
        Val::List(_) => 2,
        Val::Path(_) => 3,
        Val::Str(_) => 4,
        Val::Bool(_) => 5,
        Val::Int(_) | Val::Float(_) => 6,
        Val::Null => 7,
    }
}

/// Compares an integer with a float exactly, so that sorting mixed numbers stays a
/// total order even where f64 cannot tell large integers apart.
fn int_float_cmp(i: i64, x: f64) -> Ordering {
    if x.is_nan() {
        return Ordering::Less;
    }
    match (i as f64).total_cmp(&x) {
        // Equal as floats: x is integral and within 2^63, so compare as integers.
        Ordering::Equal => (i as i128).cmp(&(x as i128)),
        other => other,
    }
}

pub fn order_cmp(a: &Val<'_>, b: &Val<'_>) -> Ordering {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => (**x).cmp(&**y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(y),
        (Val::Int(x), Val::Int(y)) => x.cmp(y),
        (Val::Float(x), Val::Float(y)) => x.total_cmp(y),
        (Val::Int(x), Val::Float(y)) => int_float_cmp(*x, *y),
        (Val::Float(x), Val::Int(y)) => int_float_cmp(*y, *x).reverse(),
        (Val::Node(x), Val::Node(y)) => x.cmp(y),
        (Val::Edge(x), Val::Edge(y)) => x.cmp(y),
        (Val::List(x), Val::List(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                let ordering = order_cmp(p, q);
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            x.len().cmp(&y.len())
        }
        (Val::Path(x), Val::Path(y)) => x.nodes.cmp(&y.nodes),
        _ => order_rank(a).cmp(&order_rank(b)),
    }
}

/// Cypher equality: null when either side is null.
fn equals(a: &Val<'_>, b: &Val<'_>) -> Option<bool> {
    match (a, b) {
        (Val::Null, _) | (_, Val::Null) => None,
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => match (a, b) {
            (Val::Int(x), Val::Int(y)) => Some(x == y),
            _ => Some(a.as_f64() == b.as_f64()),
        },
        (Val::List(x), Val::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (p, q) in x.iter().zip(y.iter()) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => result = None,
                    Some(true) => {}
                }
            }
            result
        }
        _ => Some(a == b),
    }
}

/// `=` between a property and a text, as [`equals`] would decide it on their values:
/// null when the property is null, false when it is not a text.
fn text_equals(value: PropertyRef<'_>, text: &str) -> Option<bool> {
    match value {
        PropertyRef::Null => None,
        PropertyRef::Str(value) => Some(value == text),
        _ => Some(false),
    }
}

fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some((**x).cmp(&**y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => {
            a.as_f64()?.partial_cmp(&b.as_f64()?)
        }
        _ => None,
    }
}

pub type Row<'g> = Vec<Val<'g>>;

/// The most rows a query may hold at once; past it the query is stopped with a message
/// instead of exhausting memory (a `*1..10` over a large graph gets there quickly).
pub const MAX_ROWS: usize = 2_000_000;

fn too_many_rows() -> QueryError {
    runtime(format!(
        "the query produces more than {MAX_ROWS} rows on its way; add conditions, a label or a shorter range"
    ))
}

/// What expressions can read: the row's slots, the parameters and, after RETURN, the
/// columns by alias.
struct Env<'a, 'g> {
    graph: &'g dyn GraphRead,
    plan: &'a Plan,
    params: &'a Params,
    row: &'a [Val<'g>],
    aliases: Option<(&'a [String], &'a [Val<'g>])>,
}

fn runtime(message: impl Into<String>) -> QueryError {
    QueryError::Runtime(message.into())
}

impl<'g> Env<'_, 'g> {
    fn variable(&self, name: &str) -> Result<Val<'g>, QueryError> {
        if let Some((names, values)) = self.aliases {
            if let Some(i) = names.iter().position(|n| n == name) {
                return Ok(values[i].clone());
            }
        }
        match self.plan.slots.get(name) {
            Some(slot) => {
                let value = self.row.get(*slot).cloned().unwrap_or(Val::Null);
                // A variable-length relationship variable is its list of relationships.
                match value {
                    Val::Path(path) if self.plan.relationship_lists.contains(slot) => Ok(
                        Val::List(Rc::new(path.edges.iter().map(|e| Val::Edge(*e)).collect())),
                    ),
                    other => Ok(other),
                }
            }
            None => Err(runtime(format!("unknown variable '{name}'"))),
        }
    }

    fn eval(&self, expr: &Expr) -> Result<Val<'g>, QueryError> {
        Ok(match expr {
            Expr::Literal(value) => Val::from_value(value),
            Expr::Param(name) => match self.params.get(name) {
                Some(value) => Val::from_value(value),
                None => return Err(QueryError::MissingParameter(name.clone())),
            },
            Expr::Var(name) => self.variable(name)?,
            Expr::Property(inner, key) => match self.eval(inner)? {
                Val::Node(id) => Val::from_property(self.graph.node(id).property_ref(key)),
                Val::Edge(id) => Val::from_property(self.graph.edge(id).property_ref(key)),
                _ => Val::Null,
            },
            Expr::Index(inner, index) => {
                let list = self.eval(inner)?;
                let index = self.eval(index)?;
                match (list, index) {
                    (Val::List(items), Val::Int(i)) => {
                        let len = items.len() as i64;
                        let i = if i < 0 { len + i } else { i };
                        if (0..len).contains(&i) {
                            items[i as usize].clone()
                        } else {
                            Val::Null
                        }
                    }
                    _ => Val::Null,
                }
            }
            Expr::List(items) => Val::List(Rc::new(
                items
                    .iter()
                    .map(|item| self.eval(item))
                    .collect::<Result<_, _>>()?,
            )),
            Expr::Not(inner) => Val::from_truth(self.eval(inner)?.truth().map(|b| !b)),
            Expr::Negate(inner) => match self.eval(inner)? {
                Val::Int(i) => i.checked_neg().map(Val::Int).unwrap_or(Val::Null),
                Val::Float(x) => Val::Float(-x),
                _ => Val::Null,
            },
            Expr::IsNull { expr, negated } => {
                let is_null = matches!(self.eval(expr)?, Val::Null);
                Val::Bool(is_null != *negated)
            }
            Expr::Binary(op, left, right) => self.binary(*op, left, right)?,
            Expr::CountStar | Expr::Call { .. } if expr.has_aggregate() => {
                return Err(runtime(format!("the aggregate {expr} cannot be used here")))
            }
            Expr::CountStar => Val::Null,
            Expr::Call { name, args, .. } => {
                let args: Vec<Val> = args
                    .iter()
                    .map(|arg| self.eval(arg))
                    .collect::<Result<_, _>>()?;
                call(self.graph, name, &args)
            }
        })
    }

    /// Whether a property equals a text (`None` when the property is null), read where
    /// the property lies: `c.topic = 'desertion'` is the commonest filter, and copying
    /// both sides into values first cost more than the comparison.
    fn property_equals_text(
        &self,
        inner: &Expr,
        key: &str,
        text: &str,
    ) -> Result<Option<bool>, QueryError> {
        let value = match self.eval(inner)? {
            Val::Node(id) => self.graph.node(id).property_ref(key),
            Val::Edge(id) => self.graph.edge(id).property_ref(key),
            _ => PropertyRef::Null,
        };
        Ok(text_equals(value, text))
    }

    fn binary(&self, op: BinaryOp, left: &Expr, right: &Expr) -> Result<Val<'g>, QueryError> {
        if let BinaryOp::Eq | BinaryOp::Neq = op {
            if let (Expr::Property(inner, key), Expr::Literal(Value::Str(text)))
            | (Expr::Literal(Value::Str(text)), Expr::Property(inner, key)) = (left, right)
            {
                let equal = self.property_equals_text(inner, key, text)?;
                return Ok(Val::from_truth(match op {
                    BinaryOp::Eq => equal,
                    _ => equal.map(|b| !b),
                }));
            }
        }
        // AND and OR skip the right side when the left decides.
        match op {
            BinaryOp::And => {
                let l = self.eval(left)?.truth();
                if l == Some(false) {
                    return Ok(Val::Bool(false));
                }
                let r = self.eval(right)?.truth();
                return Ok(Val::from_truth(match (l, r) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                }));
            }
            BinaryOp::Or => {
                let l = self.eval(left)?.truth();
                if l == Some(true) {
                    return Ok(Val::Bool(true));
                }
                let r = self.eval(right)?.truth();
                return Ok(Val::from_truth(match (l, r) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                }));
            }
            _ => {}
        }
        let l = self.eval(left)?;
        let r = self.eval(right)?;
        Ok(match op {
            BinaryOp::And | BinaryOp::Or => Val::Null,
            BinaryOp::Xor => Val::from_truth(match (l.truth(), r.truth()) {
                (Some(a), Some(b)) => Some(a != b),
                _ => None,
            }),
            BinaryOp::Eq => Val::from_truth(equals(&l, &r)),
            BinaryOp::Neq => Val::from_truth(equals(&l, &r).map(|b| !b)),
            BinaryOp::Lt => Val::from_truth(compare(&l, &r).map(|o| o == Ordering::Less)),
            BinaryOp::Le => Val::from_truth(compare(&l, &r).map(|o| o != Ordering::Greater)),
            BinaryOp::Gt => Val::from_truth(compare(&l, &r).map(|o| o == Ordering::Greater)),
            BinaryOp::Ge => Val::from_truth(compare(&l, &r).map(|o| o != Ordering::Less)),
            BinaryOp::In => match r {
                Val::List(items) => {
                    let mut result = Some(false);
                    for item in items.iter() {
                        match equals(&l, item) {
                            Some(true) => return Ok(Val::Bool(true)),
                            None => result = None,
                            Some(false) => {}
                        }
                    }
                    Val::from_truth(result)
                }
                _ => Val::Null,
            },
            BinaryOp::Contains | BinaryOp::StartsWith | BinaryOp::EndsWith => match (&l, &r) {
                (Val::Str(a), Val::Str(b)) => Val::Bool(match op {
                    BinaryOp::Contains => a.contains(b.as_ref()),
                    BinaryOp::StartsWith => a.starts_with(b.as_ref()),
                    _ => a.ends_with(b.as_ref()),
                }),
                _ => Val::Null,
            },
            BinaryOp::Add => match (&l, &r) {
                (Val::Str(a), Val::Str(b)) => Val::str(&format!("{a}{b}")),
                (Val::List(a), Val::List(b)) => {
                    Val::List(Rc::new(a.iter().chain(b.iter()).cloned().collect()))
                }
                (Val::List(a), other) if !matches!(other, Val::Null) => {
                    let mut items = a.as_ref().clone();
                    items.push(other.clone());
                    Val::List(Rc::new(items))
                }
                _ => arithmetic(op, &l, &r),
            },
            _ => arithmetic(op, &l, &r),
        })
    }
}

fn arithmetic<'g>(op: BinaryOp, l: &Val<'g>, r: &Val<'g>) -> Val<'g> {
    match (l, r) {
        (Val::Int(a), Val::Int(b)) => {
            let result = match op {
                BinaryOp::Add => a.checked_add(*b),
                BinaryOp::Sub => a.checked_sub(*b),
                BinaryOp::Mul => a.checked_mul(*b),
                BinaryOp::Div => a.checked_div(*b),
                BinaryOp::Mod => a.checked_rem(*b),
                _ => None,
            };
            result.map(Val::Int).unwrap_or(Val::Null)
        }
        _ => match (l.as_f64(), r.as_f64()) {
            (Some(a), Some(b)) => Val::Float(match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a * b,
                BinaryOp::Div => a / b,
                BinaryOp::Mod => a % b,
                _ => return Val::Null,
            }),
            _ => Val::Null,
        },
    }
}

fn call<'g>(graph: &dyn GraphRead, name: &str, args: &[Val<'g>]) -> Val<'g> {
    let first = args.first().cloned().unwrap_or(Val::Null);
    match (name, &first) {
        ("coalesce", _) => args
            .iter()
            .find(|v| !matches!(v, Val::Null))
            .cloned()
            .unwrap_or(Val::Null),
        (_, Val::Null) => Val::Null,
        ("labels", Val::Node(id)) => {
            let label = Text::Graph(graph.node(*id).label().as_str());
            Val::List(Rc::new(vec![Val::Str(label)]))
        }
        ("type", Val::Edge(id)) => Val::Str(Text::Graph(graph.edge(*id).rel.as_str())),
        ("id", Val::Node(id)) => Val::Int(id.index() as i64),
        ("id", Val::Edge(id)) => Val::Int(id.index() as i64),
        ("toLower", Val::Str(s)) => Val::str(&s.to_lowercase()),
        ("toUpper", Val::Str(s)) => Val::str(&s.to_uppercase()),
        ("trim", Val::Str(s)) => Val::str(s.trim()),
        ("toString", Val::Str(_)) => first.clone(),
        ("toString", Val::Int(i)) => Val::str(&i.to_string()),
        ("toString", Val::Float(x)) => Val::str(&format!("{x:?}")),
        ("toString", Val::Bool(b)) => Val::str(&b.to_string()),
        ("toInteger", Val::Int(_)) => first.clone(),
        ("toInteger", Val::Float(x)) if x.is_finite() => Val::Int(x.trunc() as i64),
        ("toInteger", Val::Str(s)) => s
            .trim()
            .parse::<i64>()
            .map(Val::Int)
            .or_else(|_| s.trim().parse::<f64>().map(|x| Val::Int(x.trunc() as i64)))
            .unwrap_or(Val::Null),
        ("toFloat", Val::Int(i)) => Val::Float(*i as f64),
        ("toFloat", Val::Float(_)) => first.clone(),
        ("toFloat", Val::Str(s)) => s.trim().parse::<f64>().map(Val::Float).unwrap_or(Val::Null),
        ("size", Val::List(items)) => Val::Int(items.len() as i64),
        ("size" | "length", Val::Str(s)) => Val::Int(s.chars().count() as i64),
        ("length", Val::Path(path)) => Val::Int(path.edges.len() as i64),
        ("length", Val::List(items)) => Val::Int(items.len() as i64),
        ("head", Val::List(items)) => items.first().cloned().unwrap_or(Val::Null),
        ("last", Val::List(items)) => items.last().cloned().unwrap_or(Val::Null),
        ("abs", Val::Int(i)) => i.checked_abs().map(Val::Int).unwrap_or(Val::Null),
        ("abs", Val::Float(x)) => Val::Float(x.abs()),
        ("nodes", Val::Path(path)) => Val::List(Rc::new(
            path.nodes.iter().map(|id| Val::Node(*id)).collect(),
        )),
        ("relationships", Val::Path(path)) => Val::List(Rc::new(
            path.edges.iter().map(|id| Val::Edge(*id)).collect(),
        )),
        _ => Val::Null,
    }
}

/// The result of running a plan: columns and rows of execution values (`'g`: the
/// borrow of the graph, plan and parameters that its texts may point into).
#[derive(Clone, Debug, Default)]
pub struct Table<'g> {
    pub columns: Vec<String>,
    /// The answer's values, its texts still where they are in the graph: an answer
    /// is turned into [`Value`]s once, by its caller.
    pub rows: Vec<Row<'g>>,
    /// Set when the answer had more rows than the row limit and was cut there.
    pub stopped_at: Option<usize>,
}

/// How many loop steps pass between two looks at the clock.
const TICKS_PER_CLOCK_CHECK: u32 = 1024;

struct Executor<'a> {
    graph: &'a dyn GraphRead,
    plan: &'a Plan,
    params: &'a Params,
    limits: Limits,
    started: Instant,
    ticks: Cell<u32>,
}

impl<'a> Executor<'a> {
    /// Counts one step of work and stops the query once it is past its time limit; the
    /// clock is read only every [`TICKS_PER_CLOCK_CHECK`] steps, as reading it costs more
    /// than most steps.
    fn tick(&self) -> Result<(), QueryError> {
        let ticks = self.ticks.get().wrapping_add(1);
        self.ticks.set(ticks);
        if !ticks.is_multiple_of(TICKS_PER_CLOCK_CHECK) {
            return Ok(());
        }
        match self.limits.timeout {
            Some(limit) if self.started.elapsed() > limit => Err(QueryError::Timeout {
                seconds: limit.as_secs_f64(),
            }),
            _ => Ok(()),
        }
    }

    fn env<'r>(&'r self, row: &'r [Val<'a>]) -> Env<'r, 'a> {
        Env {
            graph: self.graph,
            plan: self.plan,
            params: self.params,
            row,
            aliases: None,
        }
    }

    fn node_matches(
        &self,
        row: &[Val<'a>],
        id: NodeId,
        check: &NodeCheck,
    ) -> Result<bool, QueryError> {
        if !check.labels.is_empty() {
            let label = self.graph.label(id);
            if check.labels.iter().any(|wanted| label != *wanted) {
                return Ok(false);
            }
        }
        if check.props.is_empty() {
            return Ok(true);
        }
        let node = self.graph.node(id);
        for (key, expected) in &check.props {
            let equal = match expected {
                Expr::Literal(Value::Str(text)) => {
                    text_equals(node.property_ref(key), text) == Some(true)
                }
                _ => {
                    let expected = self.env(row).eval(expected)?;
                    let actual = Val::from_property(node.property_ref(key));
                    equals(&actual, &expected) == Some(true)
                }
            };
            if !equal {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether an edge of the hop's types (as [`Executor::neighbours`] finds them) has
    /// the hop's properties; the edge is not read when there are none to check.
    fn edge_matches(&self, row: &[Val<'a>], id: EdgeId, hop: &Hop) -> Result<bool, QueryError> {
        if hop.props.is_empty() {
            return Ok(true);
        }
        let edge = self.graph.edge(id);
        for (key, expected) in &hop.props {
            let expected = self.env(row).eval(expected)?;
            let actual = Val::from_property(edge.property_ref(key));
            if equals(&actual, &expected) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Edges next to `node` in `direction`, of the hop's types; edges that carry an
    /// `order` (VIA) come in that order, the rest in edge order.
    fn neighbours(
        &self,
        node: NodeId,
        direction: Direction,
        types: &[RelType],
    ) -> Vec<(EdgeId, NodeId)> {
        let mut edges = Vec::new();
        // Each type is asked for on its own: the graph filters by type without reading
        // every edge (a cache miss each on a busy node). Outgoing edges come first, each
        // direction in edge order.
        let mut add = |outgoing: bool| {
            let start = edges.len();
            let adjacent = |rel| match outgoing {
                true => self.graph.outgoing(node, rel),
                false => self.graph.incoming(node, rel),
            };
            match types {
                [] => edges.extend(adjacent(None)),
                types => types
                    .iter()
                    .for_each(|rel| edges.extend(adjacent(Some(*rel)))),
            }
            if types.len() > 1 {
                edges[start..].sort_unstable();
            }
        };
        if direction != Direction::Left {
            add(true);
        }
        if direction != Direction::Right {
            add(false);
        }
        // Only edges of a type with an `order` can carry one; they are asked for by type,
        // so that a walk of every type does not read each of a busy node's edges.
        let ordered = |rel: &RelType| rel.number_names().contains(&"order");
        let ordered_types = match types {
            [] => RelType::ALL.iter(),
            types => types.iter(),
        }
        .filter(|rel| ordered(rel));
        let carries_order = |(edge, _): &(EdgeId, NodeId)| self.graph.edge(*edge).number("order");
        let has_order = ordered_types.into_iter().any(|rel| {
            (direction != Direction::Left
                && self
                    .graph
                    .outgoing(node, Some(*rel))
                    .iter()
                    .any(|e| carries_order(e).is_some()))
                || (direction != Direction::Right
                    && self
                        .graph
                        .incoming(node, Some(*rel))
                        .iter()
                        .any(|e| carries_order(e).is_some()))
        });
        if has_order {
            edges.sort_by_key(|entry| (carries_order(entry), entry.0));
        }
        edges
    }

    fn run_clause(
        &self,
        clause: &ClausePlan,
        rows: Vec<Row<'a>>,
    ) -> Result<Vec<Row<'a>>, QueryError> {
        if !clause.optional {
            return self.run_ops(clause, rows);
        }
        let mut out = Vec::new();
        for row in rows {
            self.tick()?;
            let matched = self.run_ops(clause, vec![row.clone()])?;
            if matched.is_empty() {
                let mut row = row;
                for slot in &clause.new_slots {
                    row[*slot] = Val::Null;
                }
                out.push(row);
            } else {
                out.extend(matched);
            }
            if out.len() > MAX_ROWS {
                return Err(too_many_rows());
            }
        }
        Ok(out)
    }

    /// The edges a row's other relationships of the clause hold (a pattern never uses
    /// an edge twice): a few, so a list is quicker to ask than a hash set.
    fn used_edges(&self, clause: &ClausePlan, row: &[Val<'_>], except: usize) -> Vec<EdgeId> {
        let mut used = Vec::new();
        for slot in &clause.rel_slots {
            if *slot == except {
                continue;
            }
            match &row[*slot] {
                Val::Edge(id) => used.push(*id),
                Val::Path(path) => used.extend(path.edges.iter().copied()),
                _ => {}
            }
        }
        used
    }

    fn run_ops(
        &self,
        clause: &ClausePlan,
        mut rows: Vec<Row<'a>>,
    ) -> Result<Vec<Row<'a>>, QueryError> {
        let mut ops = clause.ops.iter().peekable();
        while let Some(op) = ops.next() {
            if rows.is_empty() {
                break;
            }
            let mut next = Vec::new();
            match op {
                Op::Scan {
                    slot,
                    source,
                    check,
                } => {
                    // A filter right after the scan is asked of each candidate in place,
                    // so that only the rows it keeps are copied (`c.topic = '...'` keeps
                    // one claim in eight).
                    let filter = match ops.peek() {
                        Some(Op::Filter(condition)) => {
                            ops.next();
                            Some(condition)
                        }
                        _ => None,
                    };
                    let candidates = self.scan_candidates(source, check)?;
                    for mut row in rows {
                        let unbound = row[*slot].clone();
                        for id in &candidates {
                            self.tick()?;
                            if !self.node_matches(&row, *id, check)? {
                                continue;
                            }
                            row[*slot] = Val::Node(*id);
                            let kept = match filter {
                                Some(condition) => {
                                    self.env(&row).eval(condition)?.truth() == Some(true)
                                }
                                None => true,
                            };
                            if kept {
                                next.push(row.clone());
                            }
                            row[*slot] = unbound.clone();
                            if next.len() > MAX_ROWS {
                                return Err(too_many_rows());
                            }
                        }
                    }
                }
                Op::Check { slot, check } => {
                    for row in rows {
                        self.tick()?;
                        if let Val::Node(id) = row[*slot] {
                            if self.node_matches(&row, id, check)? {
                                next.push(row);
                            }
                        }
                    }
                }
                Op::Expand { hop, into, check } => {
                    for row in &rows {
                        self.tick()?;
                        self.expand(clause, row, hop, *into, check, &mut next)?;
                        if next.len() > MAX_ROWS {
                            return Err(too_many_rows());
                        }
                    }
                }
                Op::ShortestPath {
                    from,
                    to,
                    direction,
                    types,
                    max,
                    path_slot,
                } => {
                    for row in rows {
                        let (Val::Node(a), Val::Node(b)) = (&row[*from], &row[*to]) else {
                            continue;
                        };
                        if let Some(path) = self.shortest_path(*a, *b, *direction, types, *max)? {
                            let mut row = row;
                            row[*path_slot] = Val::Path(Rc::new(path));
                            next.push(row);
                        }
                    }
                }
                Op::BuildPath { slot, nodes, rels } => {
                    for mut row in rows {
                        self.tick()?;
                        let mut path = PathData {
                            nodes: Vec::new(),
                            edges: Vec::new(),
                        };
                        if let Val::Node(id) = row[nodes[0]] {
                            path.nodes.push(id);
                        }
                        for (i, rel) in rels.iter().enumerate() {
                            match &row[*rel] {
                                Val::Edge(edge) => {
                                    path.edges.push(*edge);
                                    if let Val::Node(id) = row[nodes[i + 1]] {
                                        path.nodes.push(id);
                                    }
                                }
                                Val::Path(part) => {
                                    path.edges.extend(part.edges.iter().copied());
                                    path.nodes.extend(part.nodes.iter().skip(1).copied());
                                }
                                _ => {}
                            }
                        }
                        row[*slot] = Val::Path(Rc::new(path));
                        next.push(row);
                    }
                }
                Op::Filter(condition) => {
                    for row in rows {
                        self.tick()?;
                        if self.env(&row).eval(condition)?.truth() == Some(true) {
                            next.push(row);
                        }
                    }
                }
            }
            rows = next;
        }
        Ok(rows)
    }

    fn scan_candidates(
        &self,
        source: &ScanSource,
        check: &NodeCheck,
    ) -> Result<Vec<NodeId>, QueryError> {
        Ok(match source {
            ScanSource::All => self.graph.node_ids(),
            ScanSource::Label(label) => self.graph.nodes_with_label(*label),
            ScanSource::Names(values) => {
                let mut names = Vec::new();
                for value in values {
                    match self.env(&[]).eval(value)? {
                        Val::Str(s) => names.push(s.to_string()),
                        Val::List(items) => names.extend(items.iter().filter_map(|v| match v {
                            Val::Str(s) => Some(s.to_string()),
                            _ => None,
                        })),
                        _ => {}
                    }
                }
                let mut ids: Vec<NodeId> = names
                    .iter()
                    .flat_map(|name| self.graph.lookup(name))
                    .collect();
                // The name index does not hold claims (their name is their sentence), so
                // a pattern that may be a claim also looks at the claims.
                if check.labels.is_empty() {
                    ids.extend(
                        self.graph
                            .nodes_with_label(Label::Claim)
                            .into_iter()
                            .filter(|id| names.contains(&self.graph.node(*id).name)),
                    );
                }
                ids.sort_unstable();
                ids.dedup();
                ids
            }
        })
    }

    fn expand(
        &self,
        clause: &ClausePlan,
        row: &Row<'a>,
        hop: &Hop,
        into: bool,
        check: &NodeCheck,
        out: &mut Vec<Row<'a>>,
    ) -> Result<(), QueryError> {
        let Val::Node(start) = row[hop.from] else {
            return Ok(());
        };
        let used = self.used_edges(clause, row, hop.rel_slot);
        let accept = |end: NodeId| -> Result<bool, QueryError> {
            if into {
                Ok(row[hop.to] == Val::Node(end))
            } else {
                self.node_matches(row, end, check)
            }
        };
        let Some((min, max)) = hop.length else {
            // Both ends bound: walk the link from the end with fewer edges, so that a
            // check against a hub (a capital with thousands of claims) stays cheap.
            if let (true, Val::Node(end)) = (into, &row[hop.to]) {
                if self.cheaper_from_end(start, *end, hop.direction) {
                    for (edge, other) in self.neighbours(*end, hop.direction.reversed(), &hop.types)
                    {
                        self.tick()?;
                        if other != start
                            || used.contains(&edge)
                            || !self.edge_matches(row, edge, hop)?
                        {
                            continue;
                        }
                        let mut row = row.clone();
                        row[hop.rel_slot] = Val::Edge(edge);
                        out.push(row);
                    }
                    return Ok(());
                }
            }
            for (edge, other) in self.neighbours(start, hop.direction, &hop.types) {
                self.tick()?;
                if used.contains(&edge) || !self.edge_matches(row, edge, hop)? || !accept(other)? {
                    continue;
                }
                let mut row = row.clone();
                row[hop.rel_slot] = Val::Edge(edge);
                row[hop.to] = Val::Node(other);
                out.push(row);
            }
            return Ok(());
        };
        // Depth-first over trails (no edge twice), emitting every length in min..=max.
        let mut stack: Vec<(NodeId, Vec<NodeId>, Vec<EdgeId>)> =
            vec![(start, vec![start], Vec::new())];
        while let Some((node, nodes, edges)) = stack.pop() {
            self.tick()?;
            if out.len() > MAX_ROWS || stack.len() > MAX_ROWS {
                return Err(too_many_rows());
            }
            let depth = edges.len() as u32;
            if depth >= min && accept(node)? {
                let mut row = row.clone();
                row[hop.rel_slot] = Val::Path(Rc::new(PathData {
                    nodes: nodes.clone(),
                    edges: edges.clone(),
                }));
                row[hop.to] = Val::Node(node);
                out.push(row);
            }
            if depth == max {
                continue;
            }
            let next = self.neighbours(node, hop.direction, &hop.types);
            // Pushed in reverse so that the first neighbour is explored first.
            for (edge, other) in next.into_iter().rev() {
                if used.contains(&edge)
                    || edges.contains(&edge)
                    || !self.edge_matches(row, edge, hop)?
                {
                    continue;
                }
                let mut nodes = nodes.clone();
                nodes.push(other);
                let mut edges = edges.clone();
                edges.push(edge);
                stack.push((other, nodes, edges));
            }
        }
        Ok(())
    }

    /// Whether walking from `end` back to `start` visits fewer edges than from `start`.
    fn cheaper_from_end(&self, start: NodeId, end: NodeId, direction: Direction) -> bool {
        let cost = |node: NodeId, direction: Direction| match direction {
            Direction::Right => self.graph.degree(node, true),
            Direction::Left => self.graph.degree(node, false),
            Direction::Both => self.graph.degree(node, true) + self.graph.degree(node, false),
        };
        cost(end, direction.reversed()) < cost(start, direction)
    }

    /// Breadth-first search from both ends at once, `from` to `to`, at most `max` hops.
    /// Each round grows the side whose frontier has fewer edges to walk, so a path
    /// between a quiet person and a capital named in a hundred thousand claims never
    /// walks the capital's edges unless it must.
    fn shortest_path(
        &self,
        from: NodeId,
        to: NodeId,
        direction: Direction,
        types: &[RelType],
        max: u32,
    ) -> Result<Option<PathData>, QueryError> {
        if from == to {
            return Ok(Some(PathData {
                nodes: vec![from],
                edges: Vec::new(),
            }));
        }
        let mut forward: Trail = FxHashMap::default();
        let mut backward: Trail = FxHashMap::default();
        forward.insert(from, (from, EdgeId::end(), 0));
        backward.insert(to, (to, EdgeId::end(), 0));
        let mut forward_frontier = vec![from];
        let mut backward_frontier = vec![to];
        let mut hops = 0;
        let walk_cost = |frontier: &[NodeId], direction: Direction| -> usize {
            frontier
                .iter()
                .map(|node| match direction {
                    Direction::Right => self.graph.degree(*node, true),
                    Direction::Left => self.graph.degree(*node, false),
                    Direction::Both => {
                        self.graph.degree(*node, true) + self.graph.degree(*node, false)
                    }
                })
                .sum()
        };
        while hops < max && !forward_frontier.is_empty() && !backward_frontier.is_empty() {
            hops += 1;
            let forward_cost = walk_cost(&forward_frontier, direction);
            let backward_cost = walk_cost(&backward_frontier, direction.reversed());
            let grow_forward = forward_cost <= backward_cost;
            let (frontier, seen, other_seen, walk) = if grow_forward {
                (&mut forward_frontier, &mut forward, &backward, direction)
            } else {
                (
                    &mut backward_frontier,
                    &mut backward,
                    &forward,
                    direction.reversed(),
                )
            };
            // Room for every node the round may meet, so that a busy node's neighbours
            // do not grow the trail by doubling.
            seen.reserve(forward_cost.min(backward_cost));
            // The first meeting is a shortest path: every meeting of a round is as long
            // as any other. A node the other side met before its own frontier was
            // walked from, so this side's node before it would have met that side in
            // an earlier round; all meetings are therefore at the other side's
            // frontier, one length for the whole round.
            let mut next = Vec::new();
            for node in std::mem::take(frontier) {
                self.tick()?;
                let depth = seen[&node].2 + 1;
                for (edge, other) in self.neighbours(node, walk, types) {
                    if seen.contains_key(&other) {
                        continue;
                    }
                    seen.insert(other, (node, edge, depth));
                    if other_seen.contains_key(&other) {
                        return Ok(Some(join_path(other, &forward, &backward)));
                    }
                    next.push(other);
                }
            }
            *frontier = next;
        }
        Ok(None)
    }
}

/// Where a breadth-first search came from: node -> (the node before it on the way from
/// its side's start, the edge between them, hops from the start).
type Trail = FxHashMap<NodeId, (NodeId, EdgeId, u32)>;

/// The path through `meeting`: back along `forward` to the start, on along `backward`
/// to the end.
fn join_path(meeting: NodeId, forward: &Trail, backward: &Trail) -> PathData {
    let mut nodes = vec![meeting];
    let mut edges = Vec::new();
    let mut current = meeting;
    while let Some(&(before, edge, _)) = forward.get(&current).filter(|(b, _, _)| *b != current) {
        nodes.push(before);
        edges.push(edge);
        current = before;
    }
    nodes.reverse();
    edges.reverse();
    let mut current = meeting;
    while let Some(&(after, edge, _)) = backward.get(&current).filter(|(a, _, _)| *a != current) {
        nodes.push(after);
        edges.push(edge);
        current = after;
    }
    PathData { nodes, edges }
}

/// One output row with what it came from, for ORDER BY.
struct Output<'g> {
    values: Vec<Val<'g>>,
    /// The rows behind it: one row, or a group's rows when the query aggregates.
    sources: Vec<usize>,
}

/// Runs a plan under the default [`Limits`] and returns its rows as execution values.
pub fn run<'g>(
    graph: &'g dyn GraphRead,
    plan: &'g Plan,
    params: &'g Params,
) -> Result<Table<'g>, QueryError> {
    run_with_limits(graph, plan, params, &Limits::default())
}

/// Runs a plan and returns its rows as execution values; stops with an error past the
/// time limit, and cuts the answer at the row limit (saying so in `stopped_at`).
pub fn run_with_limits<'g>(
    graph: &'g dyn GraphRead,
    plan: &'g Plan,
    params: &'g Params,
    limits: &Limits,
) -> Result<Table<'g>, QueryError> {
    let executor = Executor {
        graph,
        plan,
        params,
        limits: *limits,
        started: Instant::now(),
        ticks: Cell::new(0),
    };
    let mut rows: Vec<Row> = vec![vec![Val::Null; plan.names.len()]];
    for clause in &plan.clauses {
        rows = executor.run_clause(clause, rows)?;
    }
    let ret = &plan.ret;
    let columns: Vec<String> = ret.items.iter().map(ReturnItem::column_name).collect();
    let is_aggregate: Vec<bool> = ret.items.iter().map(|i| i.expr.has_aggregate()).collect();
    let aggregate = is_aggregate.contains(&true);
    // The column each ORDER BY item reads, when it is one.
    let order_columns: Vec<Option<usize>> = ret
        .order_by
        .iter()
        .map(|item| {
            ret.items.iter().position(|ret_item| {
                ret_item.expr == item.expr
                    || matches!(&item.expr, Expr::Var(v) if ret_item.alias.as_deref() == Some(v))
            })
        })
        .collect();
    let skip = count_expr(&executor, ret.skip.as_ref(), "SKIP")?.unwrap_or(0);
    let limit = count_expr(&executor, ret.limit.as_ref(), "LIMIT")?;
    let mut outputs: Vec<Output> = Vec::new();
    if aggregate {
        let mut groups: Vec<(Vec<Val>, Vec<usize>)> = Vec::new();
        let mut index: FxHashMap<GroupKey, usize> = FxHashMap::default();
        // The slots the grouped columns read: a row that holds the same values there as
        // the row before joins its group without working the columns out again (an
        // entity's thousand documents, met one after another, are one group).
        let key_slots = slots_read(
            plan,
            ret.items
                .iter()
                .zip(&is_aggregate)
                .filter(|(_, aggregate)| !**aggregate)
                .map(|(item, _)| &item.expr),
        );
        let mut previous: Option<(usize, usize)> = None;
        for (i, row) in rows.iter().enumerate() {
            executor.tick()?;
            if let (Some((before, group)), Some(slots)) = (previous, &key_slots) {
                if slots.iter().all(|slot| rows[before][*slot] == row[*slot]) {
                    groups[group].1.push(i);
                    continue;
                }
            }
            let env = executor.env(row);
            let keys: Vec<Val> = ret
                .items
                .iter()
                .zip(&is_aggregate)
                .filter(|(_, aggregate)| !**aggregate)
                .map(|(item, _)| env.eval(&item.expr))
                .collect::<Result<_, _>>()?;
            let group = match index.entry(GroupKey(keys)) {
                Entry::Occupied(group) => *group.get(),
                Entry::Vacant(entry) => {
                    groups.push((entry.key().0.clone(), Vec::new()));
                    *entry.insert(groups.len() - 1)
                }
            };
            groups[group].1.push(i);
            previous = Some((i, group));
        }
        // Aggregating no rows still gives one row when nothing is grouped (count is 0).
        if groups.is_empty() && !is_aggregate.contains(&false) {
            groups.push((Vec::new(), Vec::new()));
        }
        // Ordered by grouped columns only, under a row limit: only the groups that can
        // be answered are aggregated (a topic's claims make groups by the hundred
        // thousand, of which ten thousand are shown).
        let kept = skip.saturating_add(
            limit.unwrap_or(usize::MAX).min(
                limits
                    .max_rows
                    .map_or(usize::MAX, |max| max.saturating_add(1)),
            ),
        );
        let key_columns: Option<Vec<usize>> = order_columns
            .iter()
            .map(|column| {
                let column = (*column).filter(|c| !is_aggregate[*c])?;
                Some(is_aggregate[..column].iter().filter(|a| !**a).count())
            })
            .collect();
        if let (false, Some(key_columns)) = (ret.distinct || kept >= groups.len(), key_columns) {
            groups = first_groups(groups, &key_columns, &ret.order_by, kept);
        }
        for (keys, members) in groups {
            executor.tick()?;
            let mut keys = keys.into_iter();
            let mut values = Vec::new();
            for (item, aggregate) in ret.items.iter().zip(&is_aggregate) {
                if *aggregate {
                    values.push(aggregate_expr(&executor, &item.expr, &rows, &members)?);
                } else {
                    values.push(keys.next().unwrap_or(Val::Null));
                }
            }
            outputs.push(Output {
                values,
                sources: members,
            });
        }
    } else {
        for (i, row) in rows.iter().enumerate() {
            executor.tick()?;
            let env = executor.env(row);
            let values = ret
                .items
                .iter()
                .map(|item| env.eval(&item.expr))
                .collect::<Result<_, _>>()?;
            outputs.push(Output {
                values,
                sources: vec![i],
            });
        }
    }
    if ret.distinct {
        let mut seen = FxHashSet::default();
        outputs.retain(|output| seen.insert(GroupKey(output.values.clone())));
    }
    if !ret.order_by.is_empty() {
        let empty: Row = Vec::new();
        let mut keyed: Vec<(Vec<Val>, Output)> = Vec::with_capacity(outputs.len());
        for output in outputs {
            executor.tick()?;
            let mut keys = Vec::new();
            for (item, column) in ret.order_by.iter().zip(&order_columns) {
                let key = match *column {
                    Some(c) => output.values[c].clone(),
                    None if item.expr.has_aggregate() => {
                        aggregate_expr(&executor, &item.expr, &rows, &output.sources)?
                    }
                    None => {
                        let row = output.sources.first().map(|i| &rows[*i]).unwrap_or(&empty);
                        let env = Env {
                            aliases: Some((&columns, &output.values)),
                            ..executor.env(row)
                        };
                        env.eval(&item.expr)?
                    }
                };
                keys.push(key);
            }
            keyed.push((keys, output));
        }
        keyed.sort_by(|(a, _), (b, _)| ordered(a.iter().zip(b), &ret.order_by));
        outputs = keyed.into_iter().map(|(_, output)| output).collect();
    }
    let answered = outputs
        .len()
        .saturating_sub(skip)
        .min(limit.unwrap_or(usize::MAX));
    let stopped_at = limits.max_rows.filter(|max| answered > *max);
    let rows = outputs
        .into_iter()
        .skip(skip)
        .take(answered.min(stopped_at.unwrap_or(usize::MAX)))
        .map(|output| output.values)
        .collect();
    Ok(Table {
        columns,
        rows,
        stopped_at,
    })
}

/// The ORDER BY ordering of two rows, given their keys side by side.
fn ordered<'k, 'g: 'k>(
    keys: impl Iterator<Item = (&'k Val<'g>, &'k Val<'g>)>,
    order_by: &[SortItem],
) -> Ordering {
    for ((x, y), item) in keys.zip(order_by) {
        let ordering = order_cmp(x, y);
        let ordering = if item.descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// The first `kept` groups in ORDER BY order, read from their keys (`key_columns`:
/// which key each ORDER BY item is), in that order; groups that tie keep the order
/// they were made in, as the stable sort of the answer would.
fn first_groups<'g>(
    groups: Vec<(Vec<Val<'g>>, Vec<usize>)>,
    key_columns: &[usize],
    order_by: &[SortItem],
    kept: usize,
) -> Vec<(Vec<Val<'g>>, Vec<usize>)> {
    let compare = |a: &usize, b: &usize| {
        let (x, y) = (&groups[*a].0, &groups[*b].0);
        let keys = key_columns.iter().map(|k| (&x[*k], &y[*k]));
        ordered(keys, order_by).then(a.cmp(b))
    };
    let mut order: Vec<usize> = (0..groups.len()).collect();
    if kept < order.len() {
        order.select_nth_unstable_by(kept, compare);
        order.truncate(kept);
    }
    order.sort_unstable_by(compare);
    let mut groups: Vec<Option<(Vec<Val<'g>>, Vec<usize>)>> =
        groups.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|index| groups[index].take())
        .collect()
}

fn count_expr(
    executor: &Executor<'_>,
    expr: Option<&Expr>,
    clause: &str,
) -> Result<Option<usize>, QueryError> {
    let Some(expr) = expr else {
        return Ok(None);
    };
    match executor.env(&[]).eval(expr)? {
        Val::Int(i) if i >= 0 => Ok(Some(i as usize)),
        other => Err(runtime(format!(
            "{clause} needs a number of rows (0 or more), not {}",
            other.to_value(executor.graph)
        ))),
    }
}

/// The row slots that `exprs` read, or `None` if one of their variables has no slot:
/// rows equal in these slots give the expressions equal values.
fn slots_read<'e>(plan: &Plan, exprs: impl Iterator<Item = &'e Expr>) -> Option<Vec<usize>> {
    let mut names = BTreeSet::new();
    for expr in exprs {
        plan::variables(expr, &mut names);
    }
    names
        .iter()
        .map(|name| plan.slots.get(name).copied())
        .collect()
}

/// The values of `arg` over a group's `members`, nulls left out, worked out once for
/// each run of rows that hold the same values in the slots `arg` reads: such a run
/// gives one value, which DISTINCT keeps once anyway (`who is` meets an entity's one
/// affiliation again in every row of its thousands of documents).
fn run_values<'g>(
    executor: &Executor<'g>,
    arg: &Expr,
    rows: &[Row<'g>],
    members: &[usize],
) -> Result<Vec<Val<'g>>, QueryError> {
    let slots = slots_read(executor.plan, std::iter::once(arg));
    let mut values = Vec::new();
    let mut previous: Option<&Row<'g>> = None;
    for row in members.iter().map(|i| &rows[*i]) {
        if let (Some(slots), Some(before)) = (&slots, previous) {
            if slots.iter().all(|slot| before[*slot] == row[*slot]) {
                continue;
            }
        }
        previous = Some(row);
        match executor.env(row).eval(arg)? {
            Val::Null => {}
            value => values.push(value),
        }
    }
    Ok(values)
}

/// Evaluates an expression holding aggregates over a group's rows; the parts outside
/// the aggregates are read from the group's first row.
fn aggregate_expr<'g>(
    executor: &Executor<'g>,
    expr: &Expr,
    rows: &[Row<'g>],
    members: &[usize],
) -> Result<Val<'g>, QueryError> {
    let values = |arg: &Expr| -> Result<Vec<Val<'g>>, QueryError> {
        members
            .iter()
            .map(|i| executor.env(&rows[*i]).eval(arg))
            .filter(|v| !matches!(v, Ok(Val::Null)))
            .collect()
    };
    let distinct_values = |arg: &Expr, distinct: bool| -> Result<Vec<Val<'g>>, QueryError> {
        let mut all = match distinct {
            true => run_values(executor, arg, rows, members)?,
            false => values(arg)?,
        };
        if distinct && all.len() > 1 {
            let mut seen = FxHashSet::default();
            let first: Vec<bool> = all.iter().map(|v| seen.insert(GroupVal(v))).collect();
            drop(seen);
            let mut first = first.into_iter();
            all.retain(|_| first.next() == Some(true));
        }
        Ok(all)
    };
    match expr {
        Expr::CountStar => Ok(Val::Int(members.len() as i64)),
        Expr::Call {
            name,
            distinct,
            args,
        } if is_aggregate(name) => {
            let arg = &args[0];
            let all = distinct_values(arg, *distinct)?;
            Ok(match name.as_str() {
                "count" => Val::Int(all.len() as i64),
                "collect" => Val::List(Rc::new(all)),
                "sum" => {
                    if all.iter().all(|v| matches!(v, Val::Int(_))) {
                        Val::Int(all.iter().fold(0i64, |acc, v| match v {
                            Val::Int(i) => acc.saturating_add(*i),
                            _ => acc,
                        }))
                    } else {
                        Val::Float(all.iter().filter_map(Val::as_f64).sum())
                    }
                }
                "avg" => {
                    let numbers: Vec<f64> = all.iter().filter_map(Val::as_f64).collect();
                    if numbers.is_empty() {
                        Val::Null
                    } else {
                        Val::Float(numbers.iter().sum::<f64>() / numbers.len() as f64)
                    }
                }
                "min" => all.into_iter().min_by(order_cmp).unwrap_or(Val::Null),
                _ => all.into_iter().max_by(order_cmp).unwrap_or(Val::Null),
            })
        }
        _ if !expr.has_aggregate() => {
            let empty: Row = vec![Val::Null; executor.plan.names.len()];
            let row = members.first().map(|i| &rows[*i]).unwrap_or(&empty);
            executor.env(row).eval(expr)
        }
        Expr::Call { name, args, .. } => {
            let args: Vec<Val> = args
                .iter()
                .map(|arg| aggregate_expr(executor, arg, rows, members))
                .collect::<Result<_, _>>()?;
            Ok(call(executor.graph, name, &args))
        }
        Expr::Binary(op, left, right) => {
            let l = aggregate_expr(executor, left, rows, members)?;
            let r = aggregate_expr(executor, right, rows, members)?;
            let env = executor.env(&[]);
            env.binary(
                *op,
                &Expr::Literal(l.to_value(executor.graph)),
                &Expr::Literal(r.to_value(executor.graph)),
            )
        }
        Expr::List(items) => Ok(Val::List(Rc::new(
            items
                .iter()
                .map(|item| aggregate_expr(executor, item, rows, members))
                .collect::<Result<_, _>>()?,
        ))),
        Expr::Index(list, index) => {
            let list = aggregate_expr(executor, list, rows, members)?;
            let index = aggregate_expr(executor, index, rows, members)?;
            Ok(match (list, index) {
                (Val::List(items), Val::Int(i)) if i >= 0 => {
                    items.get(i as usize).cloned().unwrap_or(Val::Null)
                }
                _ => Val::Null,
            })
        }
        Expr::Negate(inner) => Ok(match aggregate_expr(executor, inner, rows, members)? {
            Val::Int(i) => i.checked_neg().map(Val::Int).unwrap_or(Val::Null),
            Val::Float(x) => Val::Float(-x),
            _ => Val::Null,
        }),
        Expr::Not(inner) => Ok(Val::from_truth(
            aggregate_expr(executor, inner, rows, members)?
                .truth()
                .map(|b| !b),
        )),
        Expr::IsNull { expr, negated } => {
            let is_null = matches!(aggregate_expr(executor, expr, rows, members)?, Val::Null);
            Ok(Val::Bool(is_null != *negated))
        }
        _ => Ok(Val::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(value: &Val) -> u64 {
        rustc_hash::FxBuildHasher.hash_one(GroupKey(vec![value.clone()]))
    }

    #[test]
    fn grouping_takes_equal_numbers_nulls_and_nans_as_one_value() {
        let list = |items: Vec<Val<'static>>| Val::List(Rc::new(items));
        let same = [
            (Val::Int(1), Val::Float(1.0)),
            (Val::Int(0), Val::Float(-0.0)),
            (Val::Float(f64::NAN), Val::Float(-f64::NAN)),
            (Val::Float(0.5), Val::Float(0.5)),
            (Val::Null, Val::Null),
            (Val::str("Kyiv"), Val::str("Kyiv")),
            (
                list(vec![Val::Int(2), Val::str("a")]),
                list(vec![Val::Float(2.0), Val::str("a")]),
            ),
            (Val::Node(NodeId::new(3)), Val::Node(NodeId::new(3))),
        ];
        for (a, b) in &same {
            assert!(a.same_group(b) && b.same_group(a), "{a:?} {b:?}");
            assert_eq!(hash(a), hash(b), "{a:?} {b:?}");
        }
        let different = [
            (Val::Float(0.5), Val::Float(0.25)),
            (Val::Int(1), Val::str("1")),
            (Val::Bool(true), Val::Int(1)),
            (Val::Null, Val::Bool(false)),
            (Val::Node(NodeId::new(1)), Val::Edge(EdgeId::new(1))),
            (Val::Float(f64::NAN), Val::Float(1.5)),
            (list(vec![Val::Int(1)]), list(vec![Val::Int(1), Val::Null])),
            (Val::Float(1e16), Val::Int(10_000_000_000_000_000)),
        ];
        for (a, b) in &different {
            assert!(!a.same_group(b) && !b.same_group(a), "{a:?} {b:?}");
        }
    }
}
