//! The PartiQL parser: tokens to a `Dml` statement (spec partiql.md §3,
//! §4), with DynamoDB's syntax details.
//!
//! Recursive descent over the token slice, one function per precedence
//! level (`OR` < `AND` < `NOT` < predicates < `||` < `+ -` < `* / %` < signs
//! < postfix paths < primaries), operand first and then a loop over
//! operators, so nothing is parsed twice and no input backtracks. Runs of
//! `NOT` and of signs are read iteratively; the parser recurses only into
//! brackets (parentheses, lists, tuples, bags, function arguments), and a
//! pre-scan of the tokens refuses more than [`MAX_NESTING`] open brackets
//! before the parser starts, so the recursion is bounded whatever the
//! input. Boolean and comparison operators are counted as they are read:
//! more than [`MAX_OPERATORS`] is refused (the limit of the condition
//! expressions the statement becomes), which bounds the depth of the trees
//! built from it.

use crate::ast::Span;
use crate::partiql::error::{StatementError, SyntaxDetail};
use crate::partiql::lexer::{Sym, Tok, Token, is_keyword};
use crate::partiql::syntax::{
    Delete, Dml, Insert, Name, OrderItem, PathExpr, Projection, Returning, Select, Source, Update,
    UpdateOp,
};

/// The most brackets (parentheses, lists, tuples, bags, argument lists)
/// open at once.
pub const MAX_NESTING: usize = 64;

/// The most boolean, comparison, arithmetic, sign and function operators
/// one statement may hold (as a condition expression may, spec §4).
pub const MAX_OPERATORS: usize = 300;

/// The largest list index (as in expressions).
const MAX_LIST_INDEX: u64 = 4_294_967_294;

type Result<T> = std::result::Result<T, StatementError>;

mod expr;

/// A parsed statement and how many `?` it holds.
pub(crate) struct Parsed {
    pub(crate) dml: Dml,
    pub(crate) parameters: usize,
}

/// Parses one statement (an optional trailing `;` allowed).
pub(crate) fn parse(text: &str, tokens: &[Token]) -> Result<Parsed> {
    check_nesting(tokens)?;
    let mut p = Parser {
        text,
        tokens,
        pos: 0,
        params: 0,
        operators: 0,
    };
    let dml = p.statement()?;
    if p.peek_sym(Sym::Semicolon) {
        p.pos += 1;
    }
    if p.pos < tokens.len() {
        return Err(p.syntax(SyntaxDetail::TokenAfterExpression));
    }
    Ok(Parsed {
        dml,
        parameters: p.params,
    })
}

/// Refuses more than [`MAX_NESTING`] brackets open at once.
fn check_nesting(tokens: &[Token]) -> Result<()> {
    let mut depth = 0usize;
    for t in tokens {
        match t.tok {
            Tok::Sym(Sym::LParen | Sym::LBracket | Sym::LBrace | Sym::BagOpen) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(StatementError::syntax(SyntaxDetail::TooDeep, Some(t.span)));
                }
            }
            Tok::Sym(Sym::RParen | Sym::RBracket | Sym::RBrace | Sym::BagClose) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    Ok(())
}

struct Parser<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pos: usize,
    params: usize,
    operators: usize,
}

impl<'t> Parser<'t> {
    // -- tokens ------------------------------------------------------------

    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, ahead: usize) -> Option<&'t Token> {
        self.tokens.get(self.pos + ahead)
    }

    fn text_of(&self, span: Span) -> &'t str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    /// The current token's text when it is a bare word.
    fn word_at(&self, ahead: usize) -> Option<&'t str> {
        match self.peek_at(ahead) {
            Some(Token {
                tok: Tok::Word,
                span,
            }) => Some(self.text_of(*span)),
            _ => None,
        }
    }

    fn is_word(&self, keyword: &str) -> bool {
        self.word_at(0)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }

    fn is_word_at(&self, ahead: usize, keyword: &str) -> bool {
        self.word_at(ahead)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }

    fn peek_sym(&self, sym: Sym) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Sym(s), .. }) if *s == sym)
    }

    fn eat_sym(&mut self, sym: Sym) -> bool {
        let found = self.peek_sym(sym);
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_word(&mut self, keyword: &str) -> bool {
        let found = self.is_word(keyword);
        if found {
            self.pos += 1;
        }
        found
    }

    fn span_here(&self) -> Option<Span> {
        self.peek().map(|t| t.span)
    }

    /// The span of the previous token (or an empty span at the start).
    fn last_span(&self) -> Span {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(Span::default(), |t| t.span)
    }

    fn syntax(&self, detail: SyntaxDetail) -> StatementError {
        StatementError::syntax(detail, self.span_here())
    }

    /// Whether the statement ends here (nothing left, or only `;`).
    fn at_end(&self) -> bool {
        self.peek().is_none() || self.peek_sym(Sym::Semicolon)
    }

    fn count_operator(&mut self) -> Result<()> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(StatementError::new(format!(
                "The expression contains too many operators; operator count: {}",
                MAX_OPERATORS + 1
            )));
        }
        Ok(())
    }

    /// After an infix operator: the statement must go on.
    fn right_hand_side(&self) -> Result<()> {
        if self.at_end() {
            return Err(self.syntax(SyntaxDetail::MissingRightHandSide));
        }
        Ok(())
    }

    // -- statements --------------------------------------------------------

    fn statement(&mut self) -> Result<Dml> {
        let Some(first) = self.word_at(0) else {
            return Err(self.syntax(SyntaxDetail::ExpectedDataManipulation));
        };
        match first.to_ascii_lowercase().as_str() {
            "select" => Ok(Dml::Select(self.select()?)),
            "insert" => self.insert(),
            "update" => self.update(),
            "delete" => self.delete(),
            "from" => self.update_from_first(),
            "exists"
                if self
                    .peek_at(1)
                    .is_some_and(|t| t.tok == Tok::Sym(Sym::LParen)) =>
            {
                self.pos += 2;
                if !self.is_word("select") {
                    return Err(self.syntax(SyntaxDetail::UnexpectedTerm));
                }
                let select = self.select()?;
                if !self.eat_sym(Sym::RParen) {
                    return Err(self.syntax(SyntaxDetail::ExpectedRightParen));
                }
                Ok(Dml::Exists(select))
            }
            _ => Err(self.syntax(SyntaxDetail::ExpectedDataManipulation)),
        }
    }

    fn select(&mut self) -> Result<Select> {
        self.pos += 1; // SELECT
        if self.is_word("distinct") {
            return Err(StatementError::new(
                "Unsupported token in expression: DISTINCT",
            ));
        }
        if self.is_word("value") || self.is_word("pivot") {
            return Err(StatementError::new(
                "Select projection doesn't support value or pivot keywords",
            ));
        }
        let projection = if self.eat_sym(Sym::Star) {
            if self.peek_sym(Sym::Comma) {
                return Err(StatementError::new(
                    "Other attributes should not be present in the projection when '*' is used.",
                ));
            }
            Projection::Star
        } else {
            let mut paths = Vec::new();
            loop {
                paths.push(self.projected_path()?);
                if self.is_word("as") || self.is_alias() {
                    return Err(StatementError::new("Aliasing is not supported"));
                }
                if !self.eat_sym(Sym::Comma) {
                    break;
                }
            }
            Projection::Paths(paths)
        };
        if !self.eat_word("from") {
            return Err(if self.at_end() {
                self.syntax(SyntaxDetail::UnexpectedTerm)
            } else {
                self.syntax(SyntaxDetail::TokenAfterExpression)
            });
        }
        if self.at_end() {
            return Err(self.syntax(SyntaxDetail::UnexpectedTerm));
        }
        let from = self.source(SyntaxDetail::UnexpectedKeyword)?;
        self.refuse_alias()?;
        if self.peek_sym(Sym::Comma) || self.is_word("join") {
            return Err(StatementError::new(
                "Only select from a single table or index is supported.",
            ));
        }
        let filter = if self.eat_word("where") {
            Some(self.expr()?)
        } else {
            None
        };
        for clause in ["group", "having", "limit"] {
            if self.is_word(clause) {
                let span = self.span_here().unwrap_or_default();
                return Err(match clause {
                    "group" => StatementError::new("Unsupported clause: GROUP BY"),
                    "having" => StatementError::at("Unsupported clause: HAVING", span),
                    _ => StatementError::at("Unsupported clause: LIMIT", span),
                });
            }
        }
        let mut order_by = Vec::new();
        if self.is_word("order") && self.is_word_at(1, "by") {
            self.pos += 2;
            loop {
                let name = self.simple_name(SyntaxDetail::UnexpectedTerm)?;
                let descending = if self.eat_word("desc") {
                    true
                } else {
                    self.eat_word("asc");
                    false
                };
                order_by.push(OrderItem { name, descending });
                if !self.eat_sym(Sym::Comma) {
                    break;
                }
            }
        }
        Ok(Select {
            projection,
            from,
            filter,
            order_by,
        })
    }

    /// A bare word that is no keyword: a table alias.
    fn is_alias(&self) -> bool {
        self.word_at(0).is_some_and(|w| !is_keyword(w))
    }

    fn refuse_alias(&self) -> Result<()> {
        if self.is_word("as") || self.is_alias() {
            return Err(StatementError::new("Aliasing is not supported"));
        }
        Ok(())
    }

    /// A projected path; a function call is refused at its name.
    fn projected_path(&mut self) -> Result<PathExpr> {
        let unexpected = |span| StatementError::at("Unexpected path component", span);
        match self.peek() {
            Some(Token {
                tok: Tok::Word,
                span,
            }) if self
                .peek_at(1)
                .is_some_and(|t| t.tok == Tok::Sym(Sym::LParen)) =>
            {
                Err(unexpected(*span))
            }
            Some(Token {
                tok: Tok::Word | Tok::Quoted(_),
                ..
            }) => self.path(),
            Some(t) if matches!(t.tok, Tok::Sym(_)) => {
                Err(self.syntax(SyntaxDetail::UnexpectedOperator))
            }
            Some(t) => Err(unexpected(t.span)),
            None => Err(self.syntax(SyntaxDetail::UnexpectedTerm)),
        }
    }

    /// A table or index name: a bare word that is no keyword, or a quoted
    /// name (not empty). `keyword` is the detail for a keyword (or anything
    /// else) in its place.
    fn simple_name(&mut self, keyword: SyntaxDetail) -> Result<Name> {
        match self.peek() {
            Some(Token {
                tok: Tok::Word,
                span,
            }) => {
                let text = self.text_of(*span);
                if is_keyword(text) {
                    return Err(self.syntax(keyword));
                }
                self.pos += 1;
                Ok(Name {
                    text: text.to_owned(),
                    span: *span,
                })
            }
            Some(Token {
                tok: Tok::Quoted(q),
                span,
            }) => {
                if q.is_empty() {
                    return Err(StatementError::new(
                        "Path component cannot be an empty string",
                    ));
                }
                self.pos += 1;
                Ok(Name {
                    text: q.clone(),
                    span: *span,
                })
            }
            None => Err(self.syntax(SyntaxDetail::UnexpectedTerm)),
            Some(_) => Err(self.syntax(keyword)),
        }
    }

    /// `name` or `name.name` (more components are refused).
    fn source(&mut self, keyword: SyntaxDetail) -> Result<Source> {
        let start = self.span_here().unwrap_or_default();
        let table = self.simple_name(keyword)?;
        let mut index = None;
        while self.eat_sym(Sym::Dot) {
            let name = self.simple_name(SyntaxDetail::InvalidPathDot)?;
            if index.is_some() {
                return Err(StatementError::new(
                    "A path may contain at most 2 components in the FROM clause",
                ));
            }
            index = Some(name);
        }
        Ok(Source {
            table,
            index,
            span: start.to(self.last_span()),
        })
    }

    /// The target of an INSERT, UPDATE or DELETE (`Expected identifier for
    /// simple path` when there is none).
    fn target(&mut self) -> Result<Source> {
        if self.at_end() {
            return Err(self.syntax(SyntaxDetail::ExpectedIdentifier));
        }
        self.source(SyntaxDetail::ExpectedIdentifier)
    }

    fn insert(&mut self) -> Result<Dml> {
        self.pos += 1; // INSERT
        if !self.eat_word("into") {
            return Err(self.syntax(SyntaxDetail::ExpectedDataManipulation));
        }
        let into = self.target()?;
        if into.index.is_some() {
            return Err(StatementError::at(
                "FROM clause may only contain a single table name in data manipulation statements",
                into.span,
            ));
        }
        if self.is_word("values") || self.peek_sym(Sym::LParen) {
            if self.peek_sym(Sym::LParen) {
                self.pos += 1;
                // A column list: its names must be names.
                loop {
                    self.simple_name(SyntaxDetail::UnexpectedKeyword)?;
                    if !self.eat_sym(Sym::Comma) {
                        break;
                    }
                }
            }
            return Err(StatementError::new(
                "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead",
            ));
        }
        if !self.eat_word("value") {
            return Err(self.syntax(SyntaxDetail::TokenAfterExpression));
        }
        let item = self.expr()?;
        if self.is_word("returning") {
            return Err(StatementError::new("RETURNING is not supported in INSERT"));
        }
        if self.is_word("on") && self.is_word_at(1, "conflict") {
            return Err(StatementError::new("Unsupported clause: ON CONFLICT"));
        }
        if self.is_word("at") {
            return Err(StatementError::new(
                "AT is not supported in insert statements.",
            ));
        }
        if self.is_word("from") || self.is_word("where") {
            return Err(StatementError::new(
                "Unsupported FROM ... WHERE ... clause in INSERT statement.",
            ));
        }
        Ok(Dml::Insert(Insert { into, item }))
    }

    fn update(&mut self) -> Result<Dml> {
        self.pos += 1; // UPDATE
        let table = self.target()?;
        self.refuse_alias()?;
        let ops = self.update_ops()?;
        let filter = if self.eat_word("where") {
            Some(self.expr()?)
        } else {
            None
        };
        let returning = self.returning()?;
        Ok(Dml::Update(Update {
            table,
            ops,
            filter,
            returning,
        }))
    }

    /// `FROM <table> [WHERE <cond>] SET ... [RETURNING ...]`: an UPDATE.
    fn update_from_first(&mut self) -> Result<Dml> {
        self.pos += 1; // FROM
        let table = self.target()?;
        self.refuse_alias()?;
        let filter = if self.eat_word("where") {
            Some(self.expr()?)
        } else {
            None
        };
        let ops = self.update_ops()?;
        let returning = self.returning()?;
        Ok(Dml::Update(Update {
            table,
            ops,
            filter,
            returning,
        }))
    }

    /// One or more `SET a = v, ...` and `REMOVE path` clauses.
    fn update_ops(&mut self) -> Result<Vec<UpdateOp>> {
        let mut ops = Vec::new();
        loop {
            if self.eat_word("set") {
                loop {
                    let target = self.update_target()?;
                    if !self.eat_sym(Sym::Eq) {
                        return Err(if self.at_end() {
                            self.syntax(SyntaxDetail::UnexpectedTerm)
                        } else {
                            self.syntax(SyntaxDetail::TokenAfterExpression)
                        });
                    }
                    self.right_hand_side()?;
                    let value = self.expr()?;
                    ops.push(UpdateOp::Set(target, value));
                    if !self.eat_sym(Sym::Comma) {
                        break;
                    }
                }
            } else if self.eat_word("remove") {
                ops.push(UpdateOp::Remove(self.update_target()?));
            } else if ["insert", "delete", "update", "replace", "upsert"]
                .iter()
                .any(|w| self.is_word(w))
                && !ops.is_empty()
            {
                return Err(StatementError::new(
                    "Only SET and REMOVE are supported in update expressions at this time",
                ));
            } else {
                break;
            }
        }
        if ops.is_empty() {
            return Err(if self.at_end() {
                self.syntax(SyntaxDetail::UnexpectedTerm)
            } else {
                self.syntax(SyntaxDetail::TokenAfterExpression)
            });
        }
        Ok(ops)
    }

    fn update_target(&mut self) -> Result<PathExpr> {
        match self.peek() {
            Some(Token {
                tok: Tok::Word | Tok::Quoted(_),
                ..
            }) => self.path(),
            None => Err(self.syntax(SyntaxDetail::UnexpectedTerm)),
            Some(_) => Err(self.syntax(SyntaxDetail::UnexpectedKeyword)),
        }
    }

    fn delete(&mut self) -> Result<Dml> {
        self.pos += 1; // DELETE
        if !self.eat_word("from") {
            return Err(self.syntax(SyntaxDetail::ExpectedIdentifier));
        }
        let from = self.target()?;
        self.refuse_alias()?;
        let filter = if self.eat_word("where") {
            Some(self.expr()?)
        } else {
            None
        };
        let returning = self.returning()?;
        Ok(Dml::Delete(Delete {
            from,
            filter,
            returning,
        }))
    }

    fn returning(&mut self) -> Result<Option<Returning>> {
        if !self.eat_word("returning") {
            return Ok(None);
        }
        let all = if self.eat_word("all") {
            true
        } else if self.eat_word("modified") {
            false
        } else {
            return Err(self.syntax(SyntaxDetail::UnexpectedTerm));
        };
        let old = if self.eat_word("old") {
            true
        } else if self.eat_word("new") {
            false
        } else {
            return Err(self.syntax(SyntaxDetail::UnexpectedTerm));
        };
        if !self.eat_sym(Sym::Star) {
            return Err(StatementError::new(
                "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
            ));
        }
        if self.peek_sym(Sym::Comma) {
            return Err(StatementError::new(
                "Invalid syntax with multiple returning elements in RETURNING clause",
            ));
        }
        Ok(Some(match (all, old) {
            (true, true) => Returning::AllOld,
            (true, false) => Returning::AllNew,
            (false, true) => Returning::ModifiedOld,
            (false, false) => Returning::ModifiedNew,
        }))
    }
}
