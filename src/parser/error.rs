//! Errors of the expression parsers, structured, with DynamoDB's exact text.
//!
//! Every expression problem DynamoDB reports is a `ValidationException` whose
//! message is `Invalid <Parameter>: <detail>`, for example
//! `Invalid ConditionExpression: The expression can not be empty;`.
//! [`ExprError`] keeps the three parts apart (which parameter, what went wrong,
//! where) and renders that text with [`Display`](std::fmt::Display).

use std::fmt;

use crate::ast::Span;

/// Which request parameter an expression came from.
///
/// It decides the head of the error message (`Invalid ConditionExpression: `)
/// and nothing else: `FilterExpression` and `KeyConditionExpression` share the
/// condition grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExpressionKind {
    /// `ConditionExpression` (PutItem, UpdateItem, DeleteItem, transactions).
    Condition,
    /// `FilterExpression` (Query, Scan).
    Filter,
    /// `KeyConditionExpression` (Query).
    KeyCondition,
    /// `UpdateExpression` (UpdateItem, transactions).
    Update,
    /// `ProjectionExpression` (GetItem, Query, Scan, ...).
    Projection,
}

impl ExpressionKind {
    /// The request parameter's name, as DynamoDB prints it in messages.
    #[must_use]
    pub const fn param_name(self) -> &'static str {
        match self {
            Self::Condition => "ConditionExpression",
            Self::Filter => "FilterExpression",
            Self::KeyCondition => "KeyConditionExpression",
            Self::Update => "UpdateExpression",
            Self::Projection => "ProjectionExpression",
        }
    }
}

impl fmt::Display for ExpressionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.param_name())
    }
}

/// What is wrong with an expression; [`Display`](fmt::Display) gives
/// DynamoDB's detail text (the part after `Invalid <Parameter>: `).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorDetail {
    /// The text is empty or only whitespace.
    Empty,
    /// The text is longer than 4096 bytes.
    TooLarge {
        /// The length in bytes.
        size: usize,
    },
    /// The text is not in the grammar.
    Syntax {
        /// The offending token, or `<EOF>` at the end of the input.
        token: String,
        /// A short window of the input around the token.
        near: String,
    },
    /// Two pairs of parentheses directly around the same thing.
    RedundantParentheses,
    /// More than 300 operators and function calls.
    TooManyOperators {
        /// The count DynamoDB reports: counting stops at the first operator
        /// over the limit, so this is always 301.
        count: usize,
    },
    /// A call of a function that does not exist (names are case-sensitive).
    InvalidFunctionName {
        /// The name as written.
        function: String,
    },
    /// An update-only function (`if_not_exists`, `list_append`) in a
    /// condition.
    FunctionNotAllowedInCondition {
        /// The name as written.
        function: String,
    },
    /// A condition-only function in an update expression.
    FunctionNotAllowedInUpdate {
        /// The name as written.
        function: String,
    },
    /// A boolean function used as an operand, or `size` used as a condition.
    FunctionUsedThisWay {
        /// The name as written.
        function: String,
    },
    /// A bare attribute name that is one of DynamoDB's reserved words.
    ReservedKeyword {
        /// The name as written (the user's spelling is kept).
        keyword: String,
    },
    /// A function called with the wrong number of arguments.
    OperandCount {
        /// The function name.
        function: String,
        /// The number of arguments given.
        count: usize,
    },
    /// An `IN` list with more than 100 entries.
    TooManyInOperands {
        /// The number of list entries.
        count: usize,
    },
    /// `attribute_exists` / `attribute_not_exists` (and similar) given
    /// something other than a document path.
    RequiresDocumentPath {
        /// The function name.
        function: String,
    },
    /// A document path with more than 32 elements.
    PathTooDeep {
        /// The number of elements (names and indexes).
        levels: usize,
    },
    /// A list index above 4294967294.
    ListIndexOutOfRange {
        /// The digits as written.
        index: String,
    },
    /// A `#name` placeholder that ExpressionAttributeNames does not define.
    UndefinedName {
        /// The placeholder, `#` included.
        name: String,
    },
    /// A `:value` placeholder that ExpressionAttributeValues does not define.
    UndefinedValue {
        /// The placeholder, `:` included.
        value: String,
    },
    /// A clause keyword of an update expression given twice.
    DuplicateSection {
        /// The keyword in upper case: `SET`, `REMOVE`, `ADD` or `DELETE`.
        section: String,
    },
    /// Two update targets (or projected paths) where one is a prefix of the
    /// other, or equal, after `#name` substitution. The paths are printed by
    /// dynacond's path printer, e.g. `[a, [1]]`.
    PathsOverlap {
        /// The path written first, printed.
        one: String,
        /// The path written second, printed.
        two: String,
    },
    /// Two update targets (or projected paths) that continue a common prefix
    /// one with a map key and the other with a list index.
    PathsConflict {
        /// The path written first, printed.
        one: String,
        /// The path written second, printed.
        two: String,
    },
    /// An operand whose type (known from its placeholder's value or from
    /// `size()`) the operator or function does not take.
    OperandType {
        /// The operator or function.
        function: String,
        /// The operand's type code (`S`, `N`, ...), or every type when the
        /// operand can be of any type.
        operand_type: String,
    },
    /// An `ADD` or `DELETE` update action given a value of another type than
    /// the action takes.
    SetActionOperandType {
        /// `ADD` or `DELETE`.
        operator: String,
        /// DynamoDB's long type name (`STRING`, `NUMBER_SET`, ...).
        operand_type: String,
    },
    /// A path compared with itself, or passed twice to a function.
    OperandsNotDistinct {
        /// The operator or function.
        operator: String,
        /// The path, printed.
        first: String,
    },
    /// `BETWEEN` bounds of different types.
    BetweenTypes {
        /// The lower bound, printed as DynamoDB prints it.
        low: String,
        /// The upper bound, printed.
        high: String,
    },
    /// `BETWEEN` bounds in descending order.
    BetweenOrder {
        /// The lower bound, printed as DynamoDB prints it.
        low: String,
        /// The upper bound, printed.
        high: String,
    },
    /// An `attribute_type` type name that is not a DynamoDB type.
    InvalidTypeName {
        /// The name given.
        name: String,
        /// The valid names, as DynamoDB lists them.
        valid: String,
    },
}

impl ErrorDetail {
    /// Whether DynamoDB reports this problem only after checking that every
    /// placeholder of the expression is defined (spec §5.4, §7.2): an
    /// undefined placeholder anywhere in the text wins over it, as in
    /// `SET b = if_not_exists(:undefined, :v)`.
    ///
    /// The parsers report these without the placeholder maps; a caller that
    /// has the maps and gets such an error can look for undefined
    /// placeholders first with [`crate::parser::placeholders`].
    #[must_use]
    pub const fn is_checked_after_placeholders(&self) -> bool {
        matches!(
            self,
            Self::OperandCount { .. }
                | Self::TooManyInOperands { .. }
                | Self::RequiresDocumentPath { .. }
                | Self::PathsOverlap { .. }
                | Self::PathsConflict { .. }
        )
    }
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("The expression can not be empty;"),
            Self::TooLarge { size } => write!(
                f,
                "Expression size has exceeded the maximum allowed size; expression size: {size}"
            ),
            Self::Syntax { token, near } => {
                write!(f, "Syntax error; token: \"{token}\", near: \"{near}\"")
            }
            Self::RedundantParentheses => f.write_str("The expression has redundant parentheses;"),
            Self::TooManyOperators { count } => write!(
                f,
                "The expression contains too many operators; operator count: {count}"
            ),
            Self::InvalidFunctionName { function } => {
                write!(f, "Invalid function name; function: {function}")
            }
            Self::FunctionNotAllowedInCondition { function } => write!(
                f,
                "The function is not allowed in a condition expression; function: {function}"
            ),
            Self::FunctionNotAllowedInUpdate { function } => write!(
                f,
                "The function is not allowed in an update expression; function: {function}"
            ),
            Self::FunctionUsedThisWay { function } => write!(
                f,
                "The function is not allowed to be used this way in an expression; function: {function}"
            ),
            Self::ReservedKeyword { keyword } => write!(
                f,
                "Attribute name is a reserved keyword; reserved keyword: {keyword}"
            ),
            Self::OperandCount { function, count } => write!(
                f,
                "Incorrect number of operands for operator or function; operator or function: {function}, number of operands: {count}"
            ),
            Self::TooManyInOperands { count } => write!(
                f,
                "The IN operator is provided with too many operands; number of operands: {count}"
            ),
            Self::RequiresDocumentPath { function } => write!(
                f,
                "Operator or function requires a document path; operator or function: {function}"
            ),
            Self::PathTooDeep { levels } => write!(
                f,
                "The document path has too many nesting levels; nesting levels: {levels}"
            ),
            Self::ListIndexOutOfRange { index } => write!(
                f,
                "List index is not within the allowable range; index: [{index}]"
            ),
            Self::UndefinedName { name } => write!(
                f,
                "An expression attribute name used in the document path is not defined; attribute name: {name}"
            ),
            Self::UndefinedValue { value } => write!(
                f,
                "An expression attribute value used in expression is not defined; attribute value: {value}"
            ),
            Self::DuplicateSection { section } => write!(
                f,
                "The \"{section}\" section can only be used once in an update expression;"
            ),
            Self::PathsOverlap { one, two } => write!(
                f,
                "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {one}, path two: {two}"
            ),
            Self::PathsConflict { one, two } => write!(
                f,
                "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {one}, path two: {two}"
            ),
            Self::OperandType {
                function,
                operand_type,
            } => write!(
                f,
                "Incorrect operand type for operator or function; operator or function: {function}, operand type: {operand_type}"
            ),
            Self::SetActionOperandType {
                operator,
                operand_type,
            } => write!(
                f,
                "Incorrect operand type for operator or function; operator: {operator}, operand type: {operand_type}, typeSet: ALLOWED_FOR_{operator}_OPERAND"
            ),
            Self::OperandsNotDistinct { operator, first } => write!(
                f,
                "The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {first}"
            ),
            Self::BetweenTypes { low, high } => write!(
                f,
                "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
            ),
            Self::BetweenOrder { low, high } => write!(
                f,
                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
            ),
            Self::InvalidTypeName { name, valid } => write!(
                f,
                "Invalid attribute type name found; type: {name}, valid types: {valid}"
            ),
        }
    }
}

/// An invalid expression: which parameter, what is wrong, and where.
///
/// `Display` gives DynamoDB's message without the optional
/// `1 validation error detected: ` prefix, e.g.
/// `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExprError {
    kind: ExpressionKind,
    detail: ErrorDetail,
    span: Option<Span>,
    /// DynamoDB's message, rendered once.
    message: String,
}

impl ExprError {
    /// An error about the expression passed as `kind`.
    #[must_use]
    pub fn new(kind: ExpressionKind, detail: ErrorDetail, span: Option<Span>) -> Self {
        let message = format!("Invalid {}: {detail}", kind.param_name());
        Self {
            kind,
            detail,
            span,
            message,
        }
    }

    /// DynamoDB's message: `Invalid <Parameter>: <detail>`.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The parameter the expression came from.
    #[must_use]
    pub const fn kind(&self) -> ExpressionKind {
        self.kind
    }

    /// DynamoDB's detail text: the message after `Invalid <Parameter>: `.
    #[must_use]
    pub fn detail(&self) -> String {
        self.detail.to_string()
    }

    /// The structured reason.
    #[must_use]
    pub const fn error_detail(&self) -> &ErrorDetail {
        &self.detail
    }

    /// The byte range of the expression text the error is about, when there
    /// is one (none for limits that concern the whole text).
    #[must_use]
    pub const fn span(&self) -> Option<Span> {
        self.span
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_has_parameter_head() {
        let e = ExprError::new(ExpressionKind::Filter, ErrorDetail::Empty, None);
        assert_eq!(
            e.to_string(),
            "Invalid FilterExpression: The expression can not be empty;"
        );
        assert_eq!(e.detail(), "The expression can not be empty;");
        let e = ExprError::new(
            ExpressionKind::Update,
            ErrorDetail::Syntax {
                token: "_".into(),
                near: "SET _123".into(),
            },
            Some(Span::new(4, 5)),
        );
        assert_eq!(
            e.to_string(),
            "Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\""
        );
        assert_eq!(e.span(), Some(Span::new(4, 5)));
    }

    #[test]
    fn parameter_names() {
        use ExpressionKind::*;
        let names: Vec<_> = [Condition, Filter, KeyCondition, Update, Projection]
            .iter()
            .map(|k| k.param_name())
            .collect();
        assert_eq!(
            names,
            [
                "ConditionExpression",
                "FilterExpression",
                "KeyConditionExpression",
                "UpdateExpression",
                "ProjectionExpression"
            ]
        );
    }
}
