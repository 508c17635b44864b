//! The expression half of the parser: document paths, and the precedence
//! levels from `OR` down to primaries, each an operand followed by a loop
//! over its operators.

use crate::ast::{Comparator, Span};
use crate::partiql::error::{StatementError, SyntaxDetail};
use crate::partiql::lexer::{Sym, Tok, is_keyword};
use crate::partiql::syntax::{BinOp, Expr, IsType, Name, PathExpr, Step};

use super::{MAX_LIST_INDEX, Parser, Result};

impl Parser<'_> {
    // -- paths ---------------------------------------------------------------

    /// A path starting at the current (name) token.
    pub(super) fn path(&mut self) -> Result<PathExpr> {
        let root = self.simple_name(SyntaxDetail::UnexpectedKeyword)?;
        self.path_steps(root)
    }

    fn path_steps(&mut self, root: Name) -> Result<PathExpr> {
        let start = root.span;
        let mut steps = Vec::new();
        loop {
            if self.eat_sym(Sym::Dot) {
                if self.peek_sym(Sym::Star) {
                    return Err(StatementError::new(
                        "Unpivot path component like a.*.b are not supported",
                    ));
                }
                steps.push(Step::Field(self.simple_name(SyntaxDetail::InvalidPathDot)?));
            } else if self.eat_sym(Sym::LBracket) {
                steps.push(self.bracket_step()?);
                if !self.eat_sym(Sym::RBracket) {
                    return Err(match self.peek() {
                        None => self.syntax(SyntaxDetail::UnexpectedTerm),
                        Some(t) => StatementError::at("Unexpected path component", t.span),
                    });
                }
            } else {
                break;
            }
        }
        Ok(PathExpr {
            root,
            steps,
            span: start.to(self.last_span()),
        })
    }

    /// Inside `[...]`: a list index (`-0` is 0) or a string map key.
    fn bracket_step(&mut self) -> Result<Step> {
        let negative = self.eat_sym(Sym::Minus);
        let Some(token) = self.peek() else {
            return Err(self.syntax(SyntaxDetail::UnexpectedTerm));
        };
        match &token.tok {
            Tok::Number => {
                let digits = self.text_of(token.span);
                if !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(StatementError::at("Unexpected path component", token.span));
                }
                let value = digits.trim_start_matches('0');
                let parsed: Option<u64> = if value.is_empty() {
                    Some(0)
                } else if value.len() > 12 {
                    None
                } else {
                    value.parse().ok()
                };
                self.pos += 1;
                match parsed {
                    Some(0) => Ok(Step::Index(0, token.span)),
                    Some(n) if !negative && n <= MAX_LIST_INDEX => Ok(Step::Index(
                        u32::try_from(n).unwrap_or(u32::MAX),
                        token.span,
                    )),
                    _ => Err(StatementError::at(
                        format!(
                            "List index is not within the allowable range; index: [{}{digits}]",
                            if negative { "-" } else { "" }
                        ),
                        token.span,
                    )),
                }
            }
            Tok::Str(s) if !negative => {
                if s.is_empty() {
                    return Err(StatementError::new(
                        "Path component cannot be an empty string",
                    ));
                }
                self.pos += 1;
                Ok(Step::Field(Name {
                    text: s.clone(),
                    span: token.span,
                }))
            }
            Tok::Sym(Sym::Star) => Err(StatementError::new(
                "Wildcard path component like a[*].b are not supported",
            )),
            _ => Err(StatementError::at("Unexpected path component", token.span)),
        }
    }

    // -- expressions ---------------------------------------------------------

    /// A whole expression (the `OR` level).
    pub(super) fn expr(&mut self) -> Result<Expr> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.and()?;
            left = binary(BinOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.pos += 1;
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.not()?;
            left = binary(BinOp::And, left, right);
        }
        Ok(left)
    }

    /// `NOT`s (read iteratively), then a predicate.
    fn not(&mut self) -> Result<Expr> {
        let mut nots = Vec::new();
        while self.is_word("not") {
            nots.push(self.span_here().unwrap_or_default());
            self.pos += 1;
            self.count_operator()?;
        }
        let mut e = self.predicate()?;
        while let Some(start) = nots.pop() {
            let span = start.to(e.span());
            e = Expr::Not(Box::new(e), span);
        }
        Ok(e)
    }

    fn comparator(&self) -> Option<Comparator> {
        match self.peek()?.tok {
            Tok::Sym(Sym::Eq) => Some(Comparator::Eq),
            Tok::Sym(Sym::Ne | Sym::BangEq) => Some(Comparator::Ne),
            Tok::Sym(Sym::Lt) => Some(Comparator::Lt),
            Tok::Sym(Sym::Le) => Some(Comparator::Le),
            Tok::Sym(Sym::Gt) => Some(Comparator::Gt),
            Tok::Sym(Sym::Ge) => Some(Comparator::Ge),
            _ => None,
        }
    }

    /// A comparison, `BETWEEN`, `IN`, `IS` or `LIKE` after an operand, or
    /// the operand alone.
    fn predicate(&mut self) -> Result<Expr> {
        let left = self.concat()?;
        if let Some(op) = self.comparator() {
            self.pos += 1;
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.concat()?;
            return Ok(binary(BinOp::Compare(op), left, right));
        }
        if self.eat_word("is") {
            self.count_operator()?;
            let negated = self.eat_word("not");
            let ty = self.type_name()?;
            let span = left.span().to(self.last_span());
            return Ok(Expr::Is {
                value: Box::new(left),
                negated,
                ty,
                span,
            });
        }
        let negated = self.is_word("not")
            && ["between", "in", "like"]
                .iter()
                .any(|w| self.is_word_at(1, w));
        if negated {
            self.pos += 1;
        }
        if self.eat_word("between") {
            self.count_operator()?;
            self.right_hand_side()?;
            let low = self.concat()?;
            if !self.eat_word("and") {
                return Err(if self.at_end() {
                    self.syntax(SyntaxDetail::MissingRightHandSide)
                } else {
                    self.syntax(SyntaxDetail::TokenAfterExpression)
                });
            }
            self.right_hand_side()?;
            let high = self.concat()?;
            let span = left.span().to(high.span());
            return Ok(Expr::Between {
                value: Box::new(left),
                low: Box::new(low),
                high: Box::new(high),
                negated,
                span,
            });
        }
        if self.eat_word("in") {
            self.count_operator()?;
            self.right_hand_side()?;
            let list = if self.peek_sym(Sym::LParen) {
                let start = self.span_here().unwrap_or_default();
                self.pos += 1;
                let items = self.comma_list(Sym::RParen)?;
                Expr::List(items, start.to(self.last_span()))
            } else {
                self.concat()?
            };
            let span = left.span().to(list.span());
            return Ok(Expr::In {
                value: Box::new(left),
                list: Box::new(list),
                negated,
                span,
            });
        }
        if self.eat_word("like") {
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.concat()?;
            let e = binary(BinOp::Like, left, right);
            return Ok(if negated {
                let span = e.span();
                Expr::Not(Box::new(e), span)
            } else {
                e
            });
        }
        Ok(left)
    }

    fn type_name(&mut self) -> Result<IsType> {
        let Some(word) = self.word_at(0) else {
            return Err(self.syntax(SyntaxDetail::ExpectedTypeName));
        };
        let lower = word.to_ascii_lowercase();
        let ty = match lower.as_str() {
            "missing" => IsType::Missing,
            "null" => IsType::Null,
            "bool" | "boolean" => IsType::Typed("BOOL"),
            "string" => IsType::Typed("S"),
            "numeric" => IsType::Typed("N"),
            "blob" => IsType::Typed("B"),
            "struct" | "tuple" => IsType::Typed("M"),
            "list" => IsType::Typed("L"),
            "int" | "integer" | "int4" | "int8" | "smallint" | "decimal" | "dec" | "float"
            | "real" | "double" | "char" | "character" | "varchar" | "timestamp" | "date"
            | "time" | "bag" | "sexp" | "clob" | "symbol" | "any" => {
                IsType::Unsupported(word.to_ascii_uppercase())
            }
            _ => return Err(self.syntax(SyntaxDetail::ExpectedTypeName)),
        };
        self.pos += 1;
        if lower == "double" {
            self.eat_word("precision");
        }
        Ok(ty)
    }

    fn concat(&mut self) -> Result<Expr> {
        let mut left = self.additive()?;
        while self.peek_sym(Sym::Concat) {
            self.pos += 1;
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.additive()?;
            left = binary(BinOp::Concat, left, right);
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.peek_sym(Sym::Plus) {
                BinOp::Add
            } else if self.peek_sym(Sym::Minus) {
                BinOp::Sub
            } else {
                return Ok(left);
            };
            self.pos += 1;
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.multiplicative()?;
            left = binary(op, left, right);
        }
    }

    fn multiplicative(&mut self) -> Result<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = if self.peek_sym(Sym::Star) {
                BinOp::Mul
            } else if self.peek_sym(Sym::Slash) {
                BinOp::Div
            } else if self.peek_sym(Sym::Percent) {
                BinOp::Mod
            } else {
                return Ok(left);
            };
            self.pos += 1;
            self.count_operator()?;
            self.right_hand_side()?;
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    /// Signs (read iteratively), then a primary.
    fn unary(&mut self) -> Result<Expr> {
        let mut signs = Vec::new();
        loop {
            let negative = if self.peek_sym(Sym::Minus) {
                true
            } else if self.peek_sym(Sym::Plus) {
                false
            } else {
                break;
            };
            signs.push((negative, self.span_here().unwrap_or_default()));
            self.pos += 1;
            self.count_operator()?;
        }
        let mut e = self.primary()?;
        while let Some((negative, start)) = signs.pop() {
            let span = start.to(e.span());
            e = Expr::Sign {
                negative,
                operand: Box::new(e),
                span,
            };
        }
        Ok(e)
    }

    /// Expressions separated by commas, up to `close` (consumed); none when
    /// `close` comes first.
    fn comma_list(&mut self, close: Sym) -> Result<Vec<Expr>> {
        let mut items = Vec::new();
        if self.eat_sym(close) {
            return Ok(items);
        }
        loop {
            items.push(self.expr()?);
            if self.eat_sym(Sym::Comma) {
                continue;
            }
            if self.eat_sym(close) {
                return Ok(items);
            }
            return Err(self.closing_error(close));
        }
    }

    fn closing_error(&self, close: Sym) -> StatementError {
        if self.at_end() {
            if close == Sym::RParen {
                self.syntax(SyntaxDetail::ExpectedRightParen)
            } else {
                self.syntax(SyntaxDetail::UnexpectedTerm)
            }
        } else {
            self.syntax(SyntaxDetail::TokenAfterExpression)
        }
    }

    fn primary(&mut self) -> Result<Expr> {
        let Some(token) = self.peek() else {
            return Err(self.syntax(SyntaxDetail::UnexpectedTerm));
        };
        let span = token.span;
        match &token.tok {
            Tok::Number => {
                self.pos += 1;
                Ok(Expr::Num(self.text_of(span).to_owned(), span))
            }
            Tok::Str(s) => {
                self.pos += 1;
                Ok(Expr::Str(s.clone(), span))
            }
            Tok::Param => {
                self.pos += 1;
                let n = self.params;
                self.params += 1;
                Ok(Expr::Param(n, span))
            }
            Tok::Quoted(_) => Ok(Expr::Path(self.path()?)),
            Tok::Word => self.word_primary(span),
            Tok::Sym(Sym::LParen) => {
                self.pos += 1;
                let inner = self.expr()?;
                if !self.eat_sym(Sym::RParen) {
                    return Err(self.closing_error(Sym::RParen));
                }
                Ok(inner)
            }
            Tok::Sym(Sym::LBracket) => {
                self.pos += 1;
                let items = self.comma_list(Sym::RBracket)?;
                Ok(Expr::List(items, span.to(self.last_span())))
            }
            Tok::Sym(Sym::BagOpen) => {
                self.pos += 1;
                let items = self.comma_list(Sym::BagClose)?;
                Ok(Expr::Bag(items, span.to(self.last_span())))
            }
            Tok::Sym(Sym::LBrace) => {
                self.pos += 1;
                let mut pairs = Vec::new();
                if !self.eat_sym(Sym::RBrace) {
                    loop {
                        let key = self.expr()?;
                        if !self.eat_sym(Sym::Colon) {
                            return Err(self.closing_error(Sym::RBrace));
                        }
                        self.right_hand_side()?;
                        let value = self.expr()?;
                        pairs.push((key, value));
                        if self.eat_sym(Sym::Comma) {
                            continue;
                        }
                        if self.eat_sym(Sym::RBrace) {
                            break;
                        }
                        return Err(self.closing_error(Sym::RBrace));
                    }
                }
                Ok(Expr::Tuple(pairs, span.to(self.last_span())))
            }
            Tok::Sym(
                Sym::RParen | Sym::RBracket | Sym::RBrace | Sym::BagClose | Sym::Comma | Sym::Colon,
            )
            | Tok::Sym(Sym::Semicolon) => Err(self.syntax(SyntaxDetail::UnexpectedTerm)),
            Tok::Sym(_) => Err(self.syntax(SyntaxDetail::UnexpectedOperator)),
        }
    }

    /// A word in a term's place: a function call, a literal keyword, or a
    /// path.
    fn word_primary(&mut self, span: Span) -> Result<Expr> {
        let word = self.text_of(span);
        if self
            .peek_at(1)
            .is_some_and(|t| t.tok == Tok::Sym(Sym::LParen))
        {
            let lower = word.to_ascii_lowercase();
            if !matches!(
                lower.as_str(),
                "not" | "and" | "or" | "in" | "values" | "select"
            ) {
                self.pos += 2;
                self.count_operator()?;
                let args = self.comma_list(Sym::RParen)?;
                return Ok(Expr::Call {
                    name: lower,
                    name_span: span,
                    args,
                    span: span.to(self.last_span()),
                });
            }
        }
        if is_keyword(word) {
            let literal = match word.to_ascii_lowercase().as_str() {
                "true" => Some(Expr::Bool(true, span)),
                "false" => Some(Expr::Bool(false, span)),
                "null" => Some(Expr::Null(span)),
                "missing" => Some(Expr::Missing(span)),
                "and" | "or" | "is" | "like" | "between" | "in" => {
                    return Err(self.syntax(SyntaxDetail::UnexpectedOperator));
                }
                _ => None,
            };
            return match literal {
                Some(e) => {
                    self.pos += 1;
                    Ok(e)
                }
                None => Err(self.syntax(SyntaxDetail::UnexpectedKeyword)),
            };
        }
        Ok(Expr::Path(self.path()?))
    }
}

fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
    let span = left.span().to(right.span());
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
        span,
    }
}
