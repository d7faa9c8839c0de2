//! A recursive-descent parser for the Cypher subset. It checks what it can while it
//! still knows positions: labels, types, functions, variables, aggregates, bounds.
//! Nesting is limited so that no input overflows the stack.

use super::ast::*;
use super::lexer::{tokenize, Position, Token, TokenKind};
use super::QueryError;
use crate::graph::{Label, RelType, Value};
use std::collections::HashMap;

/// How deep expressions may nest, in brackets, calls, lists and NOTs.
pub const MAX_NESTING: usize = 40;
/// Each nesting level costs this much of the depth budget and each operator in a chain
/// costs one: recursion uses far more stack than a long chain does.
const NESTING_COST: usize = 10;
const MAX_DEPTH: usize = MAX_NESTING * NESTING_COST;
/// The longest variable-length relationship accepted: the number of paths grows as the
/// branching factor to this power, so longer ranges cannot finish on a real graph.
pub const MAX_HOPS: u32 = 6;
/// The longest `shortestPath` accepted: a breadth-first search visits each node once,
/// so it may look further than an expansion of every path.
pub const MAX_SHORTEST_PATH_HOPS: u32 = 15;

const RESERVED: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "RETURN",
    "DISTINCT",
    "ORDER",
    "BY",
    "SKIP",
    "LIMIT",
    "ASC",
    "DESC",
    "ASCENDING",
    "DESCENDING",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "CONTAINS",
    "STARTS",
    "ENDS",
    "IS",
    "NULL",
    "TRUE",
    "FALSE",
    "AS",
    "WITH",
    "CREATE",
    "MERGE",
    "DELETE",
    "DETACH",
    "SET",
    "REMOVE",
    "UNWIND",
    "CALL",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "EXISTS",
    "UNION",
    "FOREACH",
    "LOAD",
    "YIELD",
    "DROP",
    "USE",
];

/// Clauses outside the subset: refused by name.
const REFUSED_CLAUSES: &[&str] = &[
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "WITH", "UNWIND", "CALL", "FOREACH",
    "LOAD", "UNION", "DROP", "USE", "YIELD",
];

pub fn is_reserved(name: &str) -> bool {
    RESERVED.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// A supported function: canonical name, argument count range, whether it aggregates.
struct FunctionSpec {
    name: &'static str,
    min_args: usize,
    max_args: usize,
}

const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec {
        name: "count",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "collect",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "sum",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "avg",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "min",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "max",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "labels",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "type",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "id",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "coalesce",
        min_args: 1,
        max_args: 16,
    },
    FunctionSpec {
        name: "toLower",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "toUpper",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "toString",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "toInteger",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "toFloat",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "trim",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "size",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "length",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "head",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "last",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "abs",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "nodes",
        min_args: 1,
        max_args: 1,
    },
    FunctionSpec {
        name: "relationships",
        min_args: 1,
        max_args: 1,
    },
];

/// Names of the functions the engine knows, for messages and completion.
pub fn function_names() -> Vec<&'static str> {
    FUNCTIONS.iter().map(|f| f.name).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VarKind {
    Node,
    Relationship,
    Path,
}

impl VarKind {
    fn as_str(self) -> &'static str {
        match self {
            VarKind::Node => "node",
            VarKind::Relationship => "relationship",
            VarKind::Path => "path",
        }
    }
}

/// Where an expression is parsed, for the checks that depend on it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Where,
    Return,
    OrderBy,
    /// SKIP and LIMIT: constants and parameters only.
    Constant,
    /// Property maps in patterns.
    Pattern,
}

struct Parser {
    tokens: Vec<Token>,
    index: usize,
    depth: usize,
    vars: HashMap<String, VarKind>,
    aliases: Vec<String>,
    context: Context,
    in_aggregate: bool,
    /// Inside `shortestPath(...)`, where ranges may be longer.
    in_shortest_path: bool,
}

/// Parses one Cypher query of the subset.
pub fn parse_query(input: &str) -> Result<Query, QueryError> {
    let tokens = tokenize(input)?;
    let mut parser = Parser {
        tokens,
        index: 0,
        depth: 0,
        vars: HashMap::new(),
        aliases: Vec::new(),
        context: Context::Where,
        in_aggregate: false,
        in_shortest_path: false,
    };
    parser.query()
}

fn syntax(pos: Position, message: impl Into<String>) -> QueryError {
    QueryError::Syntax {
        line: pos.line,
        column: pos.column,
        message: message.into(),
    }
}

fn unsupported(pos: Position, message: impl Into<String>) -> QueryError {
    QueryError::Unsupported {
        line: pos.line,
        column: pos.column,
        message: message.into(),
    }
}

fn describe(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Eof => "end of input".to_string(),
        TokenKind::Ident(name) => format!("'{name}'"),
        other => format!("'{other}'"),
    }
}

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and `advance` never moves past it.
        &self.tokens[self.index.min(self.tokens.len() - 1)]
    }

    fn peek_kind_at(&self, ahead: usize) -> &TokenKind {
        &self.tokens[(self.index + ahead).min(self.tokens.len() - 1)].kind
    }

    fn pos(&self) -> Position {
        self.peek().pos
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if self.index < self.tokens.len() - 1 {
            self.index += 1;
        }
        token
    }

    fn at(&self, kind: &TokenKind) -> bool {
        &self.peek().kind == kind
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.at(kind) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: &TokenKind, what: &str) -> Result<Token, QueryError> {
        if self.at(kind) {
            Ok(self.advance())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, what: &str) -> QueryError {
        let token = self.peek();
        if let TokenKind::Ident(name) = &token.kind {
            if let Some(refused) = REFUSED_CLAUSES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(name))
            {
                return unsupported(token.pos, refused_message(refused));
            }
        }
        syntax(
            token.pos,
            format!("expected {what}, found {}", describe(&token.kind)),
        )
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        matches!(&self.peek().kind, TokenKind::Ident(name) if name.eq_ignore_ascii_case(keyword))
    }

    fn keyword_at(&self, ahead: usize, keyword: &str) -> bool {
        matches!(self.peek_kind_at(ahead), TokenKind::Ident(name) if name.eq_ignore_ascii_case(keyword))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        if self.at_keyword(keyword) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), QueryError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else {
            Err(self.unexpected(keyword))
        }
    }

    fn enter(&mut self) -> Result<(), QueryError> {
        self.depth += NESTING_COST;
        self.check_depth()
    }

    fn check_depth(&self) -> Result<(), QueryError> {
        if self.depth > MAX_DEPTH {
            Err(unsupported(
                self.pos(),
                format!(
                    "expression nested too deeply (more than {MAX_NESTING} levels, or a chain of more than {MAX_DEPTH} operators)"
                ),
            ))
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.depth -= NESTING_COST;
    }

    /// One more operator in a chain: the tree gets one level deeper.
    fn link(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        self.check_depth()
    }

    fn query(&mut self) -> Result<Query, QueryError> {
        let mut matches = Vec::new();
        loop {
            if self.at_keyword("OPTIONAL") {
                self.advance();
                self.expect_keyword("MATCH")?;
                matches.push(self.match_clause(true)?);
            } else if self.eat_keyword("MATCH") {
                matches.push(self.match_clause(false)?);
            } else {
                break;
            }
        }
        if !self.at_keyword("RETURN") {
            let what = if matches.is_empty() {
                "MATCH or RETURN"
            } else {
                "MATCH, OPTIONAL MATCH, WHERE or RETURN"
            };
            return Err(self.unexpected(what));
        }
        self.advance();
        let ret = self.return_clause()?;
        self.eat(&TokenKind::Semicolon);
        if !self.at(&TokenKind::Eof) {
            return Err(self.unexpected("end of query"));
        }
        Ok(Query { matches, ret })
    }

    fn match_clause(&mut self, optional: bool) -> Result<MatchClause, QueryError> {
        let mut patterns = vec![self.pattern()?];
        while self.eat(&TokenKind::Comma) {
            patterns.push(self.pattern()?);
        }
        let where_ = if self.eat_keyword("WHERE") {
            self.context = Context::Where;
            Some(self.expression()?)
        } else {
            None
        };
        Ok(MatchClause {
            optional,
            patterns,
            where_,
        })
    }

    fn declare(&mut self, name: &str, kind: VarKind, pos: Position) -> Result<(), QueryError> {
        match self.vars.get(name) {
            Some(existing) if *existing != kind || kind != VarKind::Node => Err(syntax(
                pos,
                format!(
                    "variable '{name}' is already a {}{}",
                    existing.as_str(),
                    if *existing == kind {
                        "; a relationship or path variable can be bound only once"
                    } else {
                        ""
                    }
                ),
            )),
            _ => {
                self.vars.insert(name.to_string(), kind);
                Ok(())
            }
        }
    }

    fn variable_name(&mut self) -> Option<(String, Position)> {
        let token = self.peek().clone();
        match token.kind {
            TokenKind::Ident(name) if !is_reserved(&name) => {
                self.advance();
                Some((name, token.pos))
            }
            TokenKind::QuotedIdent(name) => {
                self.advance();
                Some((name, token.pos))
            }
            _ => None,
        }
    }

    /// Any name, keywords included: labels, types, property keys.
    fn symbolic_name(&mut self, what: &str) -> Result<(String, Position), QueryError> {
        let token = self.peek().clone();
        match token.kind {
            TokenKind::Ident(name) | TokenKind::QuotedIdent(name) => {
                self.advance();
                Ok((name, token.pos))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    fn pattern(&mut self) -> Result<Pattern, QueryError> {
        let mut path_var = None;
        if matches!(
            self.peek().kind,
            TokenKind::Ident(_) | TokenKind::QuotedIdent(_)
        ) && self.peek_kind_at(1) == &TokenKind::Eq
        {
            let (name, pos) = self
                .variable_name()
                .ok_or_else(|| self.unexpected("a path variable"))?;
            self.declare(&name, VarKind::Path, pos)?;
            self.advance();
            path_var = Some(name);
        }
        let shortest_pos = self.pos();
        let shortest = self.at_keyword("shortestPath");
        if self.at_keyword("allShortestPaths") {
            return Err(unsupported(
                shortest_pos,
                "allShortestPaths is not supported; use shortestPath",
            ));
        }
        if shortest {
            self.advance();
            self.expect(&TokenKind::LParen, "'(' after shortestPath")?;
        }
        let start = self.node_pattern()?;
        let mut steps = Vec::new();
        self.in_shortest_path = shortest;
        while matches!(
            self.peek().kind,
            TokenKind::Dash | TokenKind::ArrowLeft | TokenKind::ArrowRight
        ) {
            let step = self
                .rel_pattern()
                .and_then(|rel| Ok((rel, self.node_pattern()?)));
            match step {
                Ok(step) => steps.push(step),
                Err(error) => {
                    self.in_shortest_path = false;
                    return Err(error);
                }
            }
        }
        self.in_shortest_path = false;
        if shortest {
            self.expect(&TokenKind::RParen, "')' closing shortestPath")?;
            if steps.len() != 1 {
                return Err(syntax(
                    shortest_pos,
                    "shortestPath takes one relationship between two nodes, such as shortestPath((a)-[*..5]-(b))",
                ));
            }
            if steps[0].0.var.is_some() {
                return Err(unsupported(
                    shortest_pos,
                    "a relationship variable inside shortestPath is not supported; name the path instead (p = shortestPath(...))",
                ));
            }
        }
        Ok(Pattern {
            path_var,
            shortest,
            start,
            steps,
        })
    }

    fn node_pattern(&mut self) -> Result<NodePattern, QueryError> {
        self.expect(&TokenKind::LParen, "'(' starting a node pattern")?;
        let mut node = NodePattern::default();
        if let Some((name, pos)) = self.variable_name() {
            self.declare(&name, VarKind::Node, pos)?;
            node.var = Some(name);
        }
        while self.eat(&TokenKind::Colon) {
            let (name, pos) = self.symbolic_name("a label")?;
            let label = Label::parse(&name).ok_or_else(|| {
                syntax(
                    pos,
                    format!(
                        "unknown label '{name}'; labels are {}",
                        Label::ALL.map(|l| l.as_str()).join(", ")
                    ),
                )
            })?;
            if self.at(&TokenKind::Pipe) {
                return Err(unsupported(
                    self.pos(),
                    "label alternatives (:A|B) are not supported; leave the label out and test labels(n) in WHERE",
                ));
            }
            node.labels.push(label);
        }
        if self.at(&TokenKind::LBrace) {
            node.props = self.property_map()?;
        }
        self.expect(&TokenKind::RParen, "')' closing the node pattern")?;
        Ok(node)
    }

    fn property_map(&mut self) -> Result<Vec<(String, Expr)>, QueryError> {
        self.expect(&TokenKind::LBrace, "'{'")?;
        let mut props = Vec::new();
        if !self.at(&TokenKind::RBrace) {
            loop {
                let (key, _) = self.symbolic_name("a property name")?;
                self.expect(&TokenKind::Colon, "':' after the property name")?;
                let saved = self.context;
                self.context = Context::Pattern;
                let value = self.expression()?;
                self.context = saved;
                props.push((key, value));
                if !self.eat(&TokenKind::Comma) {
                    break;
                }
            }
        }
        self.expect(&TokenKind::RBrace, "'}' closing the property map")?;
        Ok(props)
    }

    fn rel_pattern(&mut self) -> Result<RelPattern, QueryError> {
        let start = self.pos();
        let left = match self.advance().kind {
            TokenKind::ArrowLeft => true,
            TokenKind::Dash => false,
            _ => {
                return Err(syntax(
                    start,
                    "expected '-' or '<-' starting a relationship",
                ))
            }
        };
        let mut rel = RelPattern {
            var: None,
            types: Vec::new(),
            direction: Direction::Both,
            length: None,
            props: Vec::new(),
        };
        if self.eat(&TokenKind::LBracket) {
            if let Some((name, pos)) = self.variable_name() {
                self.declare(&name, VarKind::Relationship, pos)?;
                rel.var = Some(name);
            }
            if self.eat(&TokenKind::Colon) {
                loop {
                    let (name, pos) = self.symbolic_name("a relationship type")?;
                    let rel_type = RelType::parse(&name).ok_or_else(|| {
                        syntax(
                            pos,
                            format!(
                                "unknown relationship type '{name}'; types are {}",
                                RelType::ALL.map(|r| r.as_str()).join(", ")
                            ),
                        )
                    })?;
                    rel.types.push(rel_type);
                    if !self.eat(&TokenKind::Pipe) {
                        break;
                    }
                    // Both `:A|B` and the older `:A|:B` are accepted.
                    self.eat(&TokenKind::Colon);
                }
            }
            if self.at(&TokenKind::Star) {
                rel.length = Some(self.range()?);
            }
            if self.at(&TokenKind::LBrace) {
                rel.props = self.property_map()?;
            }
            self.expect(&TokenKind::RBracket, "']' closing the relationship")?;
        }
        let end = self.pos();
        let right = match self.advance().kind {
            TokenKind::ArrowRight => true,
            TokenKind::Dash => false,
            _ => return Err(syntax(end, "expected '-' or '->' ending the relationship")),
        };
        rel.direction = match (left, right) {
            (true, true) => {
                return Err(syntax(
                    start,
                    "a relationship cannot point both ways; use -[]- for either direction",
                ))
            }
            (true, false) => Direction::Left,
            (false, true) => Direction::Right,
            (false, false) => Direction::Both,
        };
        Ok(rel)
    }

    /// `*`, `*2`, `*1..3`, `*..3`: only bounded ranges up to [`MAX_HOPS`] are accepted
    /// ([`MAX_SHORTEST_PATH_HOPS`] inside `shortestPath`).
    fn range(&mut self) -> Result<(u32, u32), QueryError> {
        let star = self.expect(&TokenKind::Star, "'*'")?.pos;
        let (limit, what) = if self.in_shortest_path {
            (MAX_SHORTEST_PATH_HOPS, "shortestPath is")
        } else {
            (MAX_HOPS, "variable-length relationships are")
        };
        let bound = |parser: &mut Parser| -> Result<Option<u32>, QueryError> {
            let token = parser.peek().clone();
            match token.kind {
                TokenKind::Int(i) => {
                    parser.advance();
                    u32::try_from(i).map(Some).map_err(|_| {
                        syntax(token.pos, format!("{i} is not a valid number of hops"))
                    })
                }
                _ => Ok(None),
            }
        };
        let min = bound(self)?;
        let (min, max) = if self.eat(&TokenKind::DotDot) {
            (min.unwrap_or(1), bound(self)?)
        } else {
            (min.unwrap_or(1), min)
        };
        let Some(max) = max else {
            return Err(unsupported(
                star,
                format!(
                    "unbounded variable-length relationships (*) are not supported; give an upper bound of at most {limit}, such as *1..3"
                ),
            ));
        };
        if max > limit {
            return Err(unsupported(
                star,
                format!("{what} limited to {limit} hops, not {max}; use *1..{limit} or less"),
            ));
        }
        if min > max {
            return Err(syntax(star, format!("the range *{min}..{max} is empty")));
        }
        Ok((min, max))
    }

    fn return_clause(&mut self) -> Result<Return, QueryError> {
        let distinct = self.eat_keyword("DISTINCT");
        self.context = Context::Return;
        let mut items = Vec::new();
        if self.at(&TokenKind::Star) {
            return Err(unsupported(
                self.pos(),
                "RETURN * is not supported; name the variables or properties to return",
            ));
        }
        loop {
            let expr = self.expression()?;
            let alias = if self.eat_keyword("AS") {
                let (name, _) = self
                    .variable_name()
                    .ok_or_else(|| self.unexpected("a column name after AS"))?;
                Some(name)
            } else {
                None
            };
            items.push(ReturnItem { expr, alias });
            if !self.eat(&TokenKind::Comma) {
                break;
            }
        }
        self.aliases = items.iter().filter_map(|i| i.alias.clone()).collect();
        let mut order_by = Vec::new();
        if self.at_keyword("ORDER") {
            self.advance();
            self.expect_keyword("BY")?;
            self.context = Context::OrderBy;
            loop {
                let expr = self.expression()?;
                let descending = if self.eat_keyword("DESC") || self.eat_keyword("DESCENDING") {
                    true
                } else {
                    let _ = self.eat_keyword("ASC") || self.eat_keyword("ASCENDING");
                    false
                };
                order_by.push(SortItem { expr, descending });
                if !self.eat(&TokenKind::Comma) {
                    break;
                }
            }
        }
        self.context = Context::Constant;
        let skip = if self.eat_keyword("SKIP") {
            Some(self.expression()?)
        } else {
            None
        };
        let limit = if self.eat_keyword("LIMIT") {
            Some(self.expression()?)
        } else {
            None
        };
        Ok(Return {
            distinct,
            items,
            order_by,
            skip,
            limit,
        })
    }

    fn expression(&mut self) -> Result<Expr, QueryError> {
        self.enter()?;
        let result = self.or_expr();
        self.leave();
        result
    }

    /// Parses a left-associative chain; every link counts towards the nesting limit,
    /// because the tree it builds is as deep as the chain is long.
    fn chain(
        &mut self,
        operand: fn(&mut Parser) -> Result<Expr, QueryError>,
        operator: fn(&Parser) -> Option<(BinaryOp, usize)>,
    ) -> Result<Expr, QueryError> {
        let mut left = operand(self)?;
        let entry_depth = self.depth;
        let mut result = Ok(());
        while let Some((op, tokens)) = operator(self) {
            if let Err(error) = self.link() {
                result = Err(error);
                break;
            }
            for _ in 0..tokens {
                self.advance();
            }
            match operand(self) {
                Ok(right) => left = Expr::binary(op, left, right),
                Err(error) => {
                    result = Err(error);
                    break;
                }
            }
        }
        self.depth = entry_depth;
        result.map(|()| left)
    }

    fn or_expr(&mut self) -> Result<Expr, QueryError> {
        self.chain(Parser::xor_expr, |p| {
            p.at_keyword("OR").then_some((BinaryOp::Or, 1))
        })
    }

    fn xor_expr(&mut self) -> Result<Expr, QueryError> {
        self.chain(Parser::and_expr, |p| {
            p.at_keyword("XOR").then_some((BinaryOp::Xor, 1))
        })
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        self.chain(Parser::not_expr, |p| {
            p.at_keyword("AND").then_some((BinaryOp::And, 1))
        })
    }

    fn not_expr(&mut self) -> Result<Expr, QueryError> {
        if self.eat_keyword("NOT") {
            self.enter()?;
            let inner = self.not_expr();
            self.leave();
            return Ok(Expr::Not(Box::new(inner?)));
        }
        self.comparison()
    }

    fn comparison_operator(&self) -> Option<(BinaryOp, usize)> {
        let op = match &self.peek().kind {
            TokenKind::Eq => (BinaryOp::Eq, 1),
            TokenKind::Neq => (BinaryOp::Neq, 1),
            TokenKind::Lt => (BinaryOp::Lt, 1),
            TokenKind::Le => (BinaryOp::Le, 1),
            TokenKind::Gt => (BinaryOp::Gt, 1),
            TokenKind::Ge => (BinaryOp::Ge, 1),
            TokenKind::Ident(word) if word.eq_ignore_ascii_case("IN") => (BinaryOp::In, 1),
            TokenKind::Ident(word) if word.eq_ignore_ascii_case("CONTAINS") => {
                (BinaryOp::Contains, 1)
            }
            TokenKind::Ident(word)
                if word.eq_ignore_ascii_case("STARTS") && self.keyword_at(1, "WITH") =>
            {
                (BinaryOp::StartsWith, 2)
            }
            TokenKind::Ident(word)
                if word.eq_ignore_ascii_case("ENDS") && self.keyword_at(1, "WITH") =>
            {
                (BinaryOp::EndsWith, 2)
            }
            _ => return None,
        };
        Some(op)
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.additive()?;
        let entry_depth = self.depth;
        let result = loop {
            if self.at_keyword("IS") {
                if let Err(error) = self.link() {
                    break Err(error);
                }
                self.advance();
                let negated = self.eat_keyword("NOT");
                if let Err(error) = self.expect_keyword("NULL") {
                    break Err(error);
                }
                left = Expr::IsNull {
                    expr: Box::new(left),
                    negated,
                };
                continue;
            }
            let Some((op, tokens)) = self.comparison_operator() else {
                break Ok(());
            };
            if let Err(error) = self.link() {
                break Err(error);
            }
            for _ in 0..tokens {
                self.advance();
            }
            match self.additive() {
                Ok(right) => left = Expr::binary(op, left, right),
                Err(error) => break Err(error),
            }
        };
        self.depth = entry_depth;
        result.map(|()| left)
    }

    fn additive(&mut self) -> Result<Expr, QueryError> {
        self.chain(Parser::multiplicative, |p| match p.peek().kind {
            TokenKind::Plus => Some((BinaryOp::Add, 1)),
            TokenKind::Dash => Some((BinaryOp::Sub, 1)),
            _ => None,
        })
    }

    fn multiplicative(&mut self) -> Result<Expr, QueryError> {
        self.chain(Parser::unary, |p| match p.peek().kind {
            TokenKind::Star => Some((BinaryOp::Mul, 1)),
            TokenKind::Slash => Some((BinaryOp::Div, 1)),
            TokenKind::Percent => Some((BinaryOp::Mod, 1)),
            _ => None,
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.eat(&TokenKind::Dash) {
            self.enter()?;
            let inner = self.unary();
            self.leave();
            return Ok(match inner? {
                // Fold `-3` into a literal so that it prints back as it was written.
                Expr::Literal(Value::Int(i)) if i >= 0 => Expr::Literal(Value::Int(-i)),
                Expr::Literal(Value::Float(x)) if x >= 0.0 => Expr::Literal(Value::Float(-x)),
                other => Expr::Negate(Box::new(other)),
            });
        }
        if self.eat(&TokenKind::Plus) {
            self.enter()?;
            let inner = self.unary();
            self.leave();
            return inner;
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Expr, QueryError> {
        let mut expr = self.atom()?;
        let entry_depth = self.depth;
        let result = loop {
            if self.at(&TokenKind::Dot) {
                if let Err(error) = self.link() {
                    break Err(error);
                }
                self.advance();
                match self.symbolic_name("a property name after '.'") {
                    Ok((key, _)) => expr = Expr::Property(Box::new(expr), key),
                    Err(error) => break Err(error),
                }
            } else if self.at(&TokenKind::LBracket) {
                if let Err(error) = self.link() {
                    break Err(error);
                }
                self.advance();
                if self.at(&TokenKind::DotDot) {
                    break Err(unsupported(self.pos(), "list slices are not supported"));
                }
                let index = match self.expression() {
                    Ok(index) => index,
                    Err(error) => break Err(error),
                };
                if self.at(&TokenKind::DotDot) {
                    break Err(unsupported(self.pos(), "list slices are not supported"));
                }
                if let Err(error) = self.expect(&TokenKind::RBracket, "']'") {
                    break Err(error);
                }
                expr = Expr::Index(Box::new(expr), Box::new(index));
            } else {
                break Ok(());
            }
        };
        self.depth = entry_depth;
        result.map(|()| expr)
    }

    fn atom(&mut self) -> Result<Expr, QueryError> {
        let token = self.peek().clone();
        match token.kind {
            TokenKind::Int(i) => {
                self.advance();
                Ok(Expr::Literal(Value::Int(i)))
            }
            TokenKind::Float(x) => {
                self.advance();
                Ok(Expr::Literal(Value::Float(x)))
            }
            TokenKind::Str(s) => {
                self.advance();
                Ok(Expr::Literal(Value::Str(s)))
            }
            TokenKind::Param(name) => {
                self.advance();
                Ok(Expr::Param(name))
            }
            TokenKind::LParen => {
                self.advance();
                let inner = self.expression()?;
                self.expect(&TokenKind::RParen, "')'")?;
                Ok(inner)
            }
            TokenKind::LBracket => {
                self.advance();
                self.enter()?;
                let result = self.list_items();
                self.leave();
                result
            }
            TokenKind::LBrace => Err(unsupported(token.pos, "map literals are not supported")),
            TokenKind::QuotedIdent(name) => {
                self.advance();
                self.variable(name, token.pos)
            }
            TokenKind::Ident(name) => {
                if self.peek_kind_at(1) == &TokenKind::LParen && !is_reserved(&name) {
                    self.advance();
                    return self.call(name, token.pos);
                }
                if name.eq_ignore_ascii_case("TRUE") {
                    self.advance();
                    return Ok(Expr::Literal(Value::Bool(true)));
                }
                if name.eq_ignore_ascii_case("FALSE") {
                    self.advance();
                    return Ok(Expr::Literal(Value::Bool(false)));
                }
                if name.eq_ignore_ascii_case("NULL") {
                    self.advance();
                    return Ok(Expr::Literal(Value::Null));
                }
                for refused in ["CASE", "EXISTS", "COUNT"] {
                    if name.eq_ignore_ascii_case(refused) {
                        return Err(unsupported(
                            token.pos,
                            format!("{refused} expressions are not supported"),
                        ));
                    }
                }
                if is_reserved(&name) {
                    return Err(self.unexpected("an expression"));
                }
                self.advance();
                self.variable(name, token.pos)
            }
            _ => Err(self.unexpected("an expression")),
        }
    }

    fn list_items(&mut self) -> Result<Expr, QueryError> {
        let mut items = Vec::new();
        if !self.at(&TokenKind::RBracket) {
            loop {
                items.push(self.expression()?);
                if self.at(&TokenKind::Pipe) || self.at_keyword("WHERE") {
                    return Err(unsupported(
                        self.pos(),
                        "list comprehensions are not supported",
                    ));
                }
                if !self.eat(&TokenKind::Comma) {
                    break;
                }
            }
        }
        self.expect(&TokenKind::RBracket, "']' closing the list")?;
        Ok(Expr::List(items))
    }

    fn variable(&mut self, name: String, pos: Position) -> Result<Expr, QueryError> {
        let known = self.vars.contains_key(&name)
            || (self.context == Context::OrderBy && self.aliases.contains(&name));
        if !known {
            let message = if self.context == Context::Constant {
                format!("SKIP and LIMIT take a number or a parameter, not the variable '{name}'")
            } else {
                format!("unknown variable '{name}'; name it in a MATCH pattern first")
            };
            return Err(syntax(pos, message));
        }
        Ok(Expr::Var(name))
    }

    fn call(&mut self, name: String, pos: Position) -> Result<Expr, QueryError> {
        let Some(spec) = FUNCTIONS
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(&name))
        else {
            let message = if name.eq_ignore_ascii_case("shortestPath") {
                "shortestPath is allowed only as a MATCH pattern: MATCH p = shortestPath((a)-[*..5]-(b))".to_string()
            } else {
                format!(
                    "unknown function {name}(); the functions are {}",
                    function_names().join(", ")
                )
            };
            return Err(unsupported(pos, message));
        };
        self.expect(&TokenKind::LParen, "'('")?;
        let aggregate = super::execute::is_aggregate(spec.name);
        if aggregate {
            if matches!(
                self.context,
                Context::Where | Context::Pattern | Context::Constant
            ) {
                return Err(syntax(
                    pos,
                    format!(
                        "{}() is an aggregate and is allowed only in RETURN and ORDER BY",
                        spec.name
                    ),
                ));
            }
            if self.in_aggregate {
                return Err(syntax(pos, "aggregates cannot be nested"));
            }
        }
        if spec.name == "count" && self.at(&TokenKind::Star) {
            self.advance();
            self.expect(&TokenKind::RParen, "')' after count(*")?;
            return Ok(Expr::CountStar);
        }
        let distinct = self.eat_keyword("DISTINCT");
        if distinct && !aggregate {
            return Err(syntax(
                pos,
                format!(
                    "DISTINCT is allowed only in aggregates, not in {}()",
                    spec.name
                ),
            ));
        }
        self.enter()?;
        self.in_aggregate |= aggregate;
        let args = self.arguments();
        if aggregate {
            self.in_aggregate = false;
        }
        self.leave();
        let args = args?;
        if args.len() < spec.min_args || args.len() > spec.max_args {
            let expected = if spec.min_args == spec.max_args {
                format!("{}", spec.min_args)
            } else {
                format!("{} to {}", spec.min_args, spec.max_args)
            };
            return Err(syntax(
                pos,
                format!(
                    "{}() takes {expected} argument{}, not {}",
                    spec.name,
                    if spec.max_args == 1 { "" } else { "s" },
                    args.len()
                ),
            ));
        }
        Ok(Expr::Call {
            name: spec.name.to_string(),
            distinct,
            args,
        })
    }

    fn arguments(&mut self) -> Result<Vec<Expr>, QueryError> {
        let mut args = Vec::new();
        if !self.at(&TokenKind::RParen) {
            loop {
                args.push(self.expression()?);
                if !self.eat(&TokenKind::Comma) {
                    break;
                }
            }
        }
        self.expect(&TokenKind::RParen, "')' closing the arguments")?;
        Ok(args)
    }
}

fn refused_message(keyword: &str) -> String {
    let upper = keyword.to_ascii_uppercase();
    let why = match upper.as_str() {
        "CREATE" | "MERGE" | "DELETE" | "DETACH" | "SET" | "REMOVE" | "DROP" => {
            "the graph is read-only here; rebuild it with `claimgraph build`"
        }
        _ => "this engine reads a subset of Cypher: MATCH, OPTIONAL MATCH, WHERE, RETURN, ORDER BY, SKIP, LIMIT",
    };
    format!("{upper} is not supported: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(input: &str) {
        let query = parse_query(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        let printed = query.to_string();
        let reparsed = parse_query(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
        assert_eq!(query, reparsed, "{printed}");
    }

    #[test]
    fn printed_queries_parse_back_to_the_same_tree() {
        for input in [
            "MATCH (p:Person)-[:AFFILIATED_WITH]->(o:Organization {kind: 'military'}) RETURN p.name, o.name AS org",
            "MATCH (a)<-[r:REPORTED|VIA]-(c:Claim), (c)-[:ABOUT]-(x) WHERE NOT a.name = 'x' OR c.low >= 1.5 AND c.topic IN ['desertion'] RETURN DISTINCT a.name ORDER BY a.name DESC SKIP 1 LIMIT $n",
            "MATCH (p:Place)-[:LOCATED_IN*0..3]->(q) WHERE p.name STARTS WITH 'K' AND q.name ENDS WITH 'n' AND p.name CONTAINS 'e' AND p.lat IS NOT NULL RETURN count(*), collect(DISTINCT p.name), labels(q)[0]",
            "OPTIONAL MATCH (n) RETURN n.`end`, -n.start, - -1, 1 - -2, (1 + 2) * 3, [1, 'a\\'b', null, true]",
            "MATCH p = shortestPath((a)-[*..5]-(b)) WHERE (a.name = 'x') = true RETURN length(p), a.name IS NULL",
            "RETURN $1e9x, $`odd name`, $ok",
        ] {
            round_trip(input);
        }
    }

    #[test]
    fn refused_clauses_are_named() {
        for (input, word) in [
            ("CREATE (n:Person)", "CREATE"),
            ("MATCH (n) SET n.name = 'x'", "SET"),
            ("MATCH (n) WITH n RETURN n", "WITH"),
            ("MATCH (n) DETACH DELETE n", "DETACH"),
            ("UNWIND [1] AS x RETURN x", "UNWIND"),
        ] {
            let error = parse_query(input).unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains(&format!("{word} is not supported")),
                "{error}"
            );
        }
    }

    #[test]
    fn unbounded_and_long_paths_are_refused() {
        let error = parse_query("MATCH (a)-[*]->(b) RETURN a").unwrap_err();
        assert!(error.to_string().contains("unbounded"), "{error}");
        let error = parse_query("MATCH (a)-[*1..7]->(b) RETURN a").unwrap_err();
        assert!(
            error.to_string().contains("limited to 6 hops, not 7"),
            "{error}"
        );
        assert!(parse_query("MATCH (a)-[*1..6]->(b) RETURN a").is_ok());
        assert!(parse_query("MATCH p = shortestPath((a)-[*..15]-(b)) RETURN p").is_ok());
        let error = parse_query("MATCH p = shortestPath((a)-[*..16]-(b)) RETURN p").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("shortestPath is limited to 15 hops"),
            "{error}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing() {
        let deep = format!("RETURN {}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse_query(&deep)
            .unwrap_err()
            .to_string()
            .contains("nested"));
        let chain = format!("RETURN 1{}", " AND 1".repeat(5000));
        let pluses = format!("RETURN {}1", "+".repeat(5000));
        assert!(parse_query(&pluses)
            .unwrap_err()
            .to_string()
            .contains("nested"));
        assert!(parse_query(&chain)
            .unwrap_err()
            .to_string()
            .contains("nested"));
        let nots = format!("RETURN {}true", "NOT ".repeat(5000));
        assert!(parse_query(&nots)
            .unwrap_err()
            .to_string()
            .contains("nested"));
    }
}
