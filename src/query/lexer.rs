//! Tokens of the Cypher subset, with the byte offset, line and column of each, so that
//! every later error can point at the place it comes from.

use super::QueryError;
use std::fmt;

/// Where a token starts in the input: byte offset, and 1-based line and column (in
/// characters), as error messages count them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// A name or keyword; keywords are recognised by the parser, case-insensitively.
    Ident(String),
    /// A name written in backticks, never a keyword.
    QuotedIdent(String),
    Str(String),
    Int(i64),
    Float(f64),
    Param(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Colon,
    Comma,
    Dot,
    DotDot,
    Pipe,
    Semicolon,
    Dash,
    Plus,
    Star,
    Slash,
    Percent,
    Eq,
    Neq,
    Lt,
    Gt,
    Le,
    Ge,
    /// `->`
    ArrowRight,
    /// `<-`
    ArrowLeft,
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub pos: Position,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Ident(name) => f.write_str(name),
            TokenKind::QuotedIdent(name) => write!(f, "`{}`", name.replace('`', "``")),
            TokenKind::Str(s) => write!(f, "'{}'", super::ast::escape_string(s)),
            TokenKind::Int(i) => write!(f, "{i}"),
            TokenKind::Float(x) => write!(f, "{x:?}"),
            TokenKind::Param(name) => write!(f, "${name}"),
            TokenKind::LParen => f.write_str("("),
            TokenKind::RParen => f.write_str(")"),
            TokenKind::LBracket => f.write_str("["),
            TokenKind::RBracket => f.write_str("]"),
            TokenKind::LBrace => f.write_str("{"),
            TokenKind::RBrace => f.write_str("}"),
            TokenKind::Colon => f.write_str(":"),
            TokenKind::Comma => f.write_str(","),
            TokenKind::Dot => f.write_str("."),
            TokenKind::DotDot => f.write_str(".."),
            TokenKind::Pipe => f.write_str("|"),
            TokenKind::Semicolon => f.write_str(";"),
            TokenKind::Dash => f.write_str("-"),
            TokenKind::Plus => f.write_str("+"),
            TokenKind::Star => f.write_str("*"),
            TokenKind::Slash => f.write_str("/"),
            TokenKind::Percent => f.write_str("%"),
            TokenKind::Eq => f.write_str("="),
            TokenKind::Neq => f.write_str("<>"),
            TokenKind::Lt => f.write_str("<"),
            TokenKind::Gt => f.write_str(">"),
            TokenKind::Le => f.write_str("<="),
            TokenKind::Ge => f.write_str(">="),
            TokenKind::ArrowRight => f.write_str("->"),
            TokenKind::ArrowLeft => f.write_str("<-"),
            TokenKind::Eof => f.write_str("end of input"),
        }
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{} {}", self.pos.line, self.pos.column, self.kind)
    }
}

struct Lexer<'a> {
    input: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.input[self.offset..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        let mut chars = self.input[self.offset..].chars();
        chars.next();
        chars.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.offset += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn position(&self) -> Position {
        Position {
            offset: self.offset,
            line: self.line,
            column: self.column,
        }
    }

    fn error(&self, pos: Position, message: impl Into<String>) -> QueryError {
        QueryError::Syntax {
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }

    /// Skips whitespace and `//` and `/* */` comments.
    fn skip_trivia(&mut self) -> Result<(), QueryError> {
        loop {
            match (self.peek(), self.peek_second()) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let start = self.position();
                    self.bump();
                    self.bump();
                    loop {
                        match self.bump() {
                            None => return Err(self.error(start, "unterminated comment")),
                            Some('*') if self.peek() == Some('/') => {
                                self.bump();
                                break;
                            }
                            Some(_) => {}
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn string(&mut self, quote: char, start: Position) -> Result<TokenKind, QueryError> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(start, "unterminated string")),
                Some(c) if c == quote => return Ok(TokenKind::Str(text)),
                Some('\\') => {
                    let escape_pos = self.position();
                    match self.bump() {
                        Some('n') => text.push('\n'),
                        Some('t') => text.push('\t'),
                        Some('r') => text.push('\r'),
                        Some(c @ ('\\' | '\'' | '"')) => text.push(c),
                        Some(other) => {
                            return Err(self.error(
                                escape_pos,
                                format!("unknown escape '\\{other}' in string"),
                            ))
                        }
                        None => return Err(self.error(start, "unterminated string")),
                    }
                }
                Some(c) => text.push(c),
            }
        }
    }

    fn number(&mut self, start: Position) -> Result<TokenKind, QueryError> {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        // `1..3` is a range, not the float `1.` followed by `.3`.
        let is_float =
            self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit());
        if is_float {
            self.bump();
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
        }
        if matches!(self.peek(), Some('e' | 'E'))
            && self
                .peek_second()
                .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
        {
            self.bump();
            if matches!(self.peek(), Some('-' | '+')) {
                self.bump();
            }
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
            return self.float(start);
        }
        if is_float {
            return self.float(start);
        }
        let text = &self.input[start.offset..self.offset];
        text.parse::<i64>()
            .map(TokenKind::Int)
            .map_err(|_| self.error(start, format!("number {text} is too large")))
    }

    fn float(&self, start: Position) -> Result<TokenKind, QueryError> {
        let text = &self.input[start.offset..self.offset];
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(TokenKind::Float(x)),
            _ => Err(self.error(start, format!("invalid number {text}"))),
        }
    }

    /// The rest of a backtick-quoted name, after its opening backtick; a doubled
    /// backtick stands for one.
    fn quoted_name(&mut self, pos: Position) -> Result<String, QueryError> {
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(pos, "unterminated `name`")),
                Some('`') if self.peek() == Some('`') => {
                    self.bump();
                    name.push('`');
                }
                Some('`') => return Ok(name),
                Some(c) => name.push(c),
            }
        }
    }

    fn identifier(&mut self) -> String {
        let begin = self.offset;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.bump();
        }
        self.input[begin..self.offset].to_string()
    }

    fn next_token(&mut self) -> Result<Token, QueryError> {
        self.skip_trivia()?;
        let pos = self.position();
        let Some(c) = self.bump() else {
            return Ok(Token {
                kind: TokenKind::Eof,
                pos,
            });
        };
        let kind = match c {
            '(' => TokenKind::LParen,
            ')' => TokenKind::RParen,
            '[' => TokenKind::LBracket,
            ']' => TokenKind::RBracket,
            '{' => TokenKind::LBrace,
            '}' => TokenKind::RBrace,
            ':' => TokenKind::Colon,
            ',' => TokenKind::Comma,
            '|' => TokenKind::Pipe,
            ';' => TokenKind::Semicolon,
            '+' => TokenKind::Plus,
            '*' => TokenKind::Star,
            '/' => TokenKind::Slash,
            '%' => TokenKind::Percent,
            '=' => TokenKind::Eq,
            '.' if self.peek() == Some('.') => {
                self.bump();
                TokenKind::DotDot
            }
            '.' => TokenKind::Dot,
            '-' if self.peek() == Some('>') => {
                self.bump();
                TokenKind::ArrowRight
            }
            '-' => TokenKind::Dash,
            '<' => match self.peek() {
                Some('>') => {
                    self.bump();
                    TokenKind::Neq
                }
                Some('=') => {
                    self.bump();
                    TokenKind::Le
                }
                Some('-') => {
                    self.bump();
                    TokenKind::ArrowLeft
                }
                _ => TokenKind::Lt,
            },
            '>' if self.peek() == Some('=') => {
                self.bump();
                TokenKind::Ge
            }
            '>' => TokenKind::Gt,
            '!' if self.peek() == Some('=') => {
                self.bump();
                TokenKind::Neq
            }
            '\'' | '"' => self.string(c, pos)?,
            '`' => TokenKind::QuotedIdent(self.quoted_name(pos)?),
            '$' => {
                // `$`odd name`` is how the printer writes a name that is not a plain
                // identifier (`$1x`), so the lexer reads it back.
                let name = if self.peek() == Some('`') {
                    self.bump();
                    self.quoted_name(pos)?
                } else {
                    self.identifier()
                };
                if name.is_empty() {
                    return Err(self.error(pos, "expected a parameter name after '$'"));
                }
                TokenKind::Param(name)
            }
            c if c.is_ascii_digit() => {
                // Rewind one character so `number` sees the whole literal.
                self.offset = pos.offset;
                self.line = pos.line;
                self.column = pos.column;
                self.number(pos)?
            }
            c if c.is_alphabetic() || c == '_' => {
                self.offset = pos.offset;
                self.line = pos.line;
                self.column = pos.column;
                TokenKind::Ident(self.identifier())
            }
            other => {
                return Err(self.error(pos, format!("unexpected character '{other}'")));
            }
        };
        Ok(Token { kind, pos })
    }
}

/// Splits a query into tokens; the last token is always [`TokenKind::Eof`].
pub fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let mut lexer = Lexer {
        input,
        offset: 0,
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let done = token.kind == TokenKind::Eof;
        tokens.push(token);
        if done {
            return Ok(tokens);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<TokenKind> {
        tokenize(input)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn arrows_ranges_and_numbers_are_told_apart() {
        assert_eq!(
            kinds("-[*1..3]->"),
            vec![
                TokenKind::Dash,
                TokenKind::LBracket,
                TokenKind::Star,
                TokenKind::Int(1),
                TokenKind::DotDot,
                TokenKind::Int(3),
                TokenKind::RBracket,
                TokenKind::ArrowRight,
                TokenKind::Eof
            ]
        );
        assert_eq!(
            kinds("2.5 <- <> <="),
            vec![
                TokenKind::Float(2.5),
                TokenKind::ArrowLeft,
                TokenKind::Neq,
                TokenKind::Le,
                TokenKind::Eof
            ]
        );
    }

    #[test]
    fn positions_count_lines_and_columns() {
        let tokens = tokenize("MATCH (n)\n  RETURN n").unwrap();
        let ret = &tokens[4];
        assert_eq!(ret.kind, TokenKind::Ident("RETURN".into()));
        assert_eq!((ret.pos.line, ret.pos.column), (2, 3));
    }

    #[test]
    fn unterminated_string_points_at_its_start() {
        let error = tokenize("RETURN 'abc").unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 8));
    }
}
