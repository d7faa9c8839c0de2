//! Turns a [`Query`] into a list of operators: where each MATCH starts (a name-index
//! lookup when the query names a node, else a label scan), which relationships it then
//! follows, and where each WHERE condition is checked (as soon as its variables are
//! bound). `Display` prints the plan for `explain`.

use super::ast::*;
use crate::graph::Label;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::fmt;

/// How a scan finds its first nodes.
#[derive(Clone, Debug, PartialEq)]
pub enum ScanSource {
    /// Every node with this label.
    Label(Label),
    /// Every node.
    All,
    /// The name index, for these name values (constant expressions).
    Names(Vec<Expr>),
}

/// What a node must satisfy when it is bound: labels and inline properties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeCheck {
    pub labels: Vec<Label>,
    pub props: Vec<(String, Expr)>,
}

impl NodeCheck {
    fn merge(&mut self, node: &NodePattern) {
        for label in &node.labels {
            if !self.labels.contains(label) {
                self.labels.push(*label);
            }
        }
        self.props.extend(node.props.iter().cloned());
    }

    fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.props.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    pub from: usize,
    pub to: usize,
    /// Direction as seen from `from`.
    pub direction: Direction,
    pub types: Vec<crate::graph::RelType>,
    pub props: Vec<(String, Expr)>,
    pub rel_slot: usize,
    pub length: Option<(u32, u32)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Scan {
        slot: usize,
        source: ScanSource,
        check: NodeCheck,
    },
    /// Re-checks a node bound by an earlier clause against this clause's pattern.
    Check {
        slot: usize,
        check: NodeCheck,
    },
    Expand {
        hop: Hop,
        /// Both ends were bound already: the hop only checks that an edge joins them.
        into: bool,
        check: NodeCheck,
    },
    ShortestPath {
        from: usize,
        to: usize,
        direction: Direction,
        types: Vec<crate::graph::RelType>,
        max: u32,
        path_slot: usize,
    },
    /// Builds a named path from its node and relationship slots.
    BuildPath {
        slot: usize,
        nodes: Vec<usize>,
        rels: Vec<usize>,
    },
    Filter(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClausePlan {
    pub optional: bool,
    pub ops: Vec<Op>,
    /// Slots this clause binds (set to null when an OPTIONAL MATCH finds nothing).
    pub new_slots: Vec<usize>,
    /// Relationship slots of the clause, which must bind distinct edges.
    pub rel_slots: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub clauses: Vec<ClausePlan>,
    pub slots: HashMap<String, usize>,
    /// Variable names by slot, for printing.
    pub names: Vec<String>,
    /// Slots of variable-length relationships, which read as lists of relationships.
    pub relationship_lists: BTreeSet<usize>,
    pub ret: Return,
}

/// Names given to anonymous nodes and relationships start with a space, which no
/// variable in a query can.
fn anonymous(names: &[String]) -> String {
    format!(" anon{}", names.len())
}

struct Planner {
    slots: HashMap<String, usize>,
    names: Vec<String>,
}

impl Planner {
    fn slot(&mut self, name: Option<&String>) -> usize {
        let name = name.cloned().unwrap_or_else(|| anonymous(&self.names));
        if let Some(slot) = self.slots.get(&name) {
            return *slot;
        }
        let slot = self.names.len();
        self.slots.insert(name.clone(), slot);
        self.names.push(name);
        slot
    }
}

/// Splits a condition into its top-level AND terms.
pub fn conjuncts(expr: &Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::Binary(BinaryOp::And, left, right) => {
            conjuncts(left, out);
            conjuncts(right, out);
        }
        other => out.push(other.clone()),
    }
}

/// The variables an expression reads.
pub fn variables(expr: &Expr, out: &mut BTreeSet<String>) {
    match expr {
        Expr::Var(name) => {
            out.insert(name.clone());
        }
        Expr::Literal(_) | Expr::Param(_) | Expr::CountStar => {}
        Expr::Property(inner, _) | Expr::Not(inner) | Expr::Negate(inner) => variables(inner, out),
        Expr::IsNull { expr, .. } => variables(expr, out),
        Expr::Index(a, b) | Expr::Binary(_, a, b) => {
            variables(a, out);
            variables(b, out);
        }
        Expr::List(items) => items.iter().for_each(|item| variables(item, out)),
        Expr::Call { args, .. } => args.iter().for_each(|arg| variables(arg, out)),
    }
}

fn is_constant(expr: &Expr) -> bool {
    let mut vars = BTreeSet::new();
    variables(expr, &mut vars);
    vars.is_empty() && !expr.has_aggregate()
}

/// Name values a condition pins `var` to: `var.name = 'x'`, `var.name IN [...]`.
fn name_values(condition: &Expr, var: &str, key: &str) -> Option<Vec<Expr>> {
    let is_key = |e: &Expr| matches!(e, Expr::Property(inner, k) if k == key && matches!(inner.as_ref(), Expr::Var(v) if v == var));
    match condition {
        Expr::Binary(BinaryOp::Eq, left, right) if is_key(left) && is_constant(right) => {
            Some(vec![right.as_ref().clone()])
        }
        Expr::Binary(BinaryOp::Eq, left, right) if is_key(right) && is_constant(left) => {
            Some(vec![left.as_ref().clone()])
        }
        Expr::Binary(BinaryOp::In, left, right) if is_key(left) && is_constant(right) => {
            Some(match right.as_ref() {
                Expr::List(items) => items.clone(),
                other => vec![other.clone()],
            })
        }
        _ => None,
    }
}

/// Plans a parsed query.
pub fn plan(query: &Query) -> Plan {
    let mut planner = Planner {
        slots: HashMap::default(),
        names: Vec::new(),
    };
    let mut bound: BTreeSet<usize> = BTreeSet::new();
    let mut clauses = Vec::new();
    for clause in &query.matches {
        clauses.push(plan_clause(&mut planner, clause, &mut bound));
    }
    let relationship_lists = clauses
        .iter()
        .flat_map(|clause: &ClausePlan| &clause.ops)
        .filter_map(|op| match op {
            Op::Expand { hop, .. } if hop.length.is_some() => Some(hop.rel_slot),
            _ => None,
        })
        .collect();
    Plan {
        clauses,
        relationship_lists,
        slots: planner.slots,
        names: planner.names,
        ret: query.ret.clone(),
    }
}

fn plan_clause(
    planner: &mut Planner,
    clause: &MatchClause,
    bound: &mut BTreeSet<usize>,
) -> ClausePlan {
    let bound_before = bound.clone();
    let mut checks: HashMap<usize, NodeCheck> = HashMap::default();
    let mut node_order: Vec<usize> = Vec::new();
    let mut hops: Vec<Hop> = Vec::new();
    let mut shortest = Vec::new();
    let mut paths = Vec::new();
    let mut rel_slots = Vec::new();
    for pattern in &clause.patterns {
        let mut path_nodes = Vec::new();
        let mut path_rels = Vec::new();
        let mut previous = planner.slot(pattern.start.var.as_ref());
        checks.entry(previous).or_default().merge(&pattern.start);
        node_order.push(previous);
        path_nodes.push(previous);
        for (rel, node) in &pattern.steps {
            let next = planner.slot(node.var.as_ref());
            checks.entry(next).or_default().merge(node);
            node_order.push(next);
            path_nodes.push(next);
            if pattern.shortest {
                let path_slot = match &pattern.path_var {
                    Some(name) => planner.slot(Some(name)),
                    None => planner.slot(None),
                };
                shortest.push(Op::ShortestPath {
                    from: previous,
                    to: next,
                    direction: rel.direction,
                    types: rel.types.clone(),
                    max: rel.length.map(|(_, max)| max).unwrap_or(1),
                    path_slot,
                });
            } else {
                let rel_slot = planner.slot(rel.var.as_ref());
                rel_slots.push(rel_slot);
                path_rels.push(rel_slot);
                hops.push(Hop {
                    from: previous,
                    to: next,
                    direction: rel.direction,
                    types: rel.types.clone(),
                    props: rel.props.clone(),
                    rel_slot,
                    length: rel.length,
                });
            }
            previous = next;
        }
        if let (Some(name), false) = (&pattern.path_var, pattern.shortest) {
            paths.push(Op::BuildPath {
                slot: planner.slot(Some(name)),
                nodes: path_nodes,
                rels: path_rels,
            });
        }
    }
    let mut pending: Vec<Expr> = Vec::new();
    if let Some(condition) = &clause.where_ {
        conjuncts(condition, &mut pending);
    }
    let mut ops = Vec::new();
    let mut checked: BTreeSet<usize> = BTreeSet::new();
    // Nodes bound by earlier clauses are checked against this clause's pattern first.
    for slot in &node_order {
        if bound.contains(slot) && checked.insert(*slot) {
            if let Some(check) = checks.get(slot).filter(|c| !c.is_empty()) {
                ops.push(Op::Check {
                    slot: *slot,
                    check: check.clone(),
                });
            }
        }
    }
    let mut done = vec![false; hops.len()];
    loop {
        flush_filters(planner, &mut pending, bound, &mut ops);
        // Hops between two bound nodes only filter, so they go first.
        let next_hop = (0..hops.len())
            .find(|&i| !done[i] && bound.contains(&hops[i].from) && bound.contains(&hops[i].to))
            .or_else(|| {
                (0..hops.len()).find(|&i| {
                    !done[i] && (bound.contains(&hops[i].from) || bound.contains(&hops[i].to))
                })
            });
        if let Some(i) = next_hop {
            done[i] = true;
            let mut hop = hops[i].clone();
            let into = bound.contains(&hop.from) && bound.contains(&hop.to);
            if !bound.contains(&hop.from) {
                std::mem::swap(&mut hop.from, &mut hop.to);
                hop.direction = match hop.direction {
                    Direction::Left => Direction::Right,
                    Direction::Right => Direction::Left,
                    Direction::Both => Direction::Both,
                };
            }
            let check = if into {
                NodeCheck::default()
            } else {
                checks.get(&hop.to).cloned().unwrap_or_default()
            };
            bound.insert(hop.to);
            bound.insert(hop.rel_slot);
            ops.push(Op::Expand { hop, into, check });
            continue;
        }
        // Nothing reachable from the bound nodes: start from the best unbound node.
        let unbound: Vec<usize> = node_order
            .iter()
            .copied()
            .filter(|slot| !bound.contains(slot))
            .collect();
        let Some(&first) = unbound.first() else {
            break;
        };
        let mut best = (first, ScanSource::All, -1);
        for slot in unbound {
            let check = checks.get(&slot).cloned().unwrap_or_default();
            let (source, score) = scan_source(&planner.names[slot], &check, &pending);
            if score > best.2 {
                best = (slot, source, score);
            }
        }
        let (slot, source, _) = best;
        bound.insert(slot);
        ops.push(Op::Scan {
            slot,
            source,
            check: checks.get(&slot).cloned().unwrap_or_default(),
        });
    }
    for op in shortest {
        if let Op::ShortestPath { path_slot, .. } = &op {
            bound.insert(*path_slot);
        }
        ops.push(op);
        flush_filters(planner, &mut pending, bound, &mut ops);
    }
    for op in paths {
        if let Op::BuildPath { slot, .. } = &op {
            bound.insert(*slot);
        }
        ops.push(op);
    }
    // Whatever is left reads only bound variables (the parser checked every name).
    flush_filters(planner, &mut pending, bound, &mut ops);
    for condition in pending {
        ops.push(Op::Filter(condition));
    }
    let new_slots = bound.difference(&bound_before).copied().collect();
    ClausePlan {
        optional: clause.optional,
        ops,
        new_slots,
        rel_slots,
    }
}

fn flush_filters(
    planner: &Planner,
    pending: &mut Vec<Expr>,
    bound: &BTreeSet<usize>,
    ops: &mut Vec<Op>,
) {
    pending.retain(|condition| {
        let mut vars = BTreeSet::new();
        variables(condition, &mut vars);
        let ready = vars.iter().all(|v| {
            planner
                .slots
                .get(v)
                .is_some_and(|slot| bound.contains(slot))
        });
        if ready {
            ops.push(Op::Filter(condition.clone()));
        }
        !ready
    });
}

/// The best way to find the first nodes for `var`, and how selective it is.
fn scan_source(var: &str, check: &NodeCheck, conditions: &[Expr]) -> (ScanSource, i32) {
    let keys: &[&str] = if check.labels.contains(&Label::Document) {
        &["name", "id"]
    } else {
        &["name"]
    };
    let labelled = check.labels.iter().any(|l| *l != Label::Claim);
    let claim = check.labels.contains(&Label::Claim);
    if !claim {
        for key in keys {
            let from_map = check
                .props
                .iter()
                .find(|(k, v)| k == key && is_constant(v))
                .map(|(_, v)| vec![v.clone()]);
            let from_where = conditions.iter().find_map(|c| name_values(c, var, key));
            if let Some(values) = from_map.or(from_where) {
                return (ScanSource::Names(values), if labelled { 3 } else { 2 });
            }
        }
    }
    match check.labels.first() {
        Some(label) => (ScanSource::Label(*label), 1),
        None => (ScanSource::All, 0),
    }
}

struct Named<'a>(&'a Plan, usize);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.0.names[self.1];
        match name.strip_prefix(' ') {
            Some(anon) => write!(f, "_{anon}"),
            None => write_name(f, name),
        }
    }
}

fn write_check(f: &mut fmt::Formatter<'_>, check: &NodeCheck) -> fmt::Result {
    for label in &check.labels {
        write!(f, ":{label}")?;
    }
    for (i, (key, value)) in check.props.iter().enumerate() {
        f.write_str(if i == 0 { " {" } else { ", " })?;
        write_key(f, key)?;
        write!(f, ": {value}")?;
        if i + 1 == check.props.len() {
            f.write_str("}")?;
        }
    }
    Ok(())
}

impl Plan {
    fn fmt_op(&self, f: &mut fmt::Formatter<'_>, op: &Op, indent: &str) -> fmt::Result {
        f.write_str(indent)?;
        match op {
            Op::Scan {
                slot,
                source,
                check,
            } => {
                match source {
                    ScanSource::Label(label) => write!(f, "LabelScan :{label} ")?,
                    ScanSource::All => f.write_str("AllNodesScan ")?,
                    ScanSource::Names(values) => {
                        f.write_str("NameIndex [")?;
                        for (i, v) in values.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "{v}")?;
                        }
                        f.write_str("] ")?;
                    }
                }
                write!(f, "({}", Named(self, *slot))?;
                write_check(f, check)?;
                f.write_str(")")
            }
            Op::Check { slot, check } => {
                write!(f, "Check ({}", Named(self, *slot))?;
                write_check(f, check)?;
                f.write_str(")")
            }
            Op::Expand { hop, into, check } => {
                f.write_str(if *into { "ExpandInto " } else { "Expand " })?;
                let name = &self.names[hop.rel_slot];
                let rel = RelPattern {
                    var: (!name.starts_with(' ')).then(|| name.clone()),
                    types: hop.types.clone(),
                    direction: hop.direction,
                    length: hop.length,
                    props: hop.props.clone(),
                };
                write!(
                    f,
                    "({}){rel}({}",
                    Named(self, hop.from),
                    Named(self, hop.to)
                )?;
                write_check(f, check)?;
                f.write_str(")")
            }
            Op::ShortestPath {
                from,
                to,
                direction,
                types,
                max,
                path_slot,
            } => {
                let rel = RelPattern {
                    var: None,
                    types: types.clone(),
                    direction: *direction,
                    length: Some((1, *max)),
                    props: Vec::new(),
                };
                write!(
                    f,
                    "ShortestPath (breadth-first) {} = ({}){rel}({})",
                    Named(self, *path_slot),
                    Named(self, *from),
                    Named(self, *to)
                )
            }
            Op::BuildPath { slot, .. } => write!(f, "BuildPath {}", Named(self, *slot)),
            Op::Filter(condition) => write!(f, "Filter {condition}"),
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for clause in &self.clauses {
            let indent = if clause.optional {
                f.write_str("Optional\n")?;
                "  "
            } else {
                ""
            };
            for op in &clause.ops {
                self.fmt_op(f, op, indent)?;
                f.write_str("\n")?;
            }
        }
        let aggregate = self.ret.items.iter().any(|i| i.expr.has_aggregate());
        f.write_str(if aggregate { "Aggregate " } else { "Project " })?;
        for (i, item) in self.ret.items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", item.expr)?;
            if let Some(alias) = &item.alias {
                f.write_str(" AS ")?;
                write_name(f, alias)?;
            }
        }
        if self.ret.distinct {
            f.write_str("\nDistinct")?;
        }
        if !self.ret.order_by.is_empty() {
            f.write_str("\nSort ")?;
            for (i, item) in self.ret.order_by.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(
                    f,
                    "{}{}",
                    item.expr,
                    if item.descending { " DESC" } else { "" }
                )?;
            }
        }
        if let Some(skip) = &self.ret.skip {
            write!(f, "\nSkip {skip}")?;
        }
        if let Some(limit) = &self.ret.limit {
            write!(f, "\nLimit {limit}")?;
        }
        Ok(())
    }
}
