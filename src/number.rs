//! DynamoDB numbers: exact decimals of up to 38 significant digits.
//!
//! A [`Number`] is a sign, an integer coefficient below 10^38 and a decimal
//! exponent, kept normalised (no trailing zeros in the coefficient, zero has a
//! single representation). Everything DynamoDB says about numbers lives here:
//!
//! * parsing of every string form DynamoDB accepts (`+3`, `.5`, `0001.23`,
//!   `-17.4E37`) and rejection of the rest with DynamoDB's messages;
//! * the range: zero, or a magnitude from 1E-130 up to
//!   9.9999999999999999999999999999999999999E+125;
//! * the canonical text DynamoDB returns (`1e3` is `1000`, `-0` is `0`, never an
//!   exponent);
//! * exact comparison, addition and subtraction, with DynamoDB's overflow,
//!   underflow and precision errors (no rounding, ever);
//! * the storage size used for the 400 KB item limit.
//!
//! No floating point is used anywhere.
//!
//! ```
//! use dynacond::Number;
//!
//! let a: Number = "11.7".parse()?;
//! let b: Number = "25.41".parse()?;
//! assert_eq!(a.checked_add(&b)?.to_string(), "37.11");
//! assert_eq!("1e3".parse::<Number>()?, "1000.0".parse::<Number>()?);
//! assert!("1e126".parse::<Number>().is_err());
//! # Ok::<(), dynacond::NumberError>(())
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The largest number of significant decimal digits a DynamoDB number may have.
pub const MAX_DIGITS: u32 = 38;
/// The largest decimal exponent (in scientific notation) of a non-zero number.
pub const MAX_EXPONENT: i64 = 125;
/// The smallest decimal exponent (in scientific notation) of a non-zero number.
pub const MIN_EXPONENT: i64 = -130;

/// 10^38: every coefficient is strictly below this.
const COEF_LIMIT: u128 = 100_000_000_000_000_000_000_000_000_000_000_000_000;

/// Why a string or a computation is not a valid DynamoDB number.
///
/// `Display` gives DynamoDB's exact message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberError {
    /// The text is not a number at all (`NaN`, `dog`, `" 1"`).
    #[error("The parameter cannot be converted to a numeric value: {0}")]
    NotNumeric(String),
    /// The text is empty.
    #[error("The parameter cannot be converted to a numeric value")]
    Empty,
    /// More than 38 significant digits.
    #[error("Attempting to store more than 38 significant digits in a Number")]
    TooManyDigits,
    /// The magnitude is 1E+126 or more. DynamoDB also reports arithmetic whose exact
    /// result needs more than 38 digits with this message.
    #[error(
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )]
    Overflow,
    /// The magnitude is below 1E-130 (and not zero).
    #[error(
        "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    )]
    Underflow,
}

/// An exact DynamoDB number.
///
/// Equality, ordering and hashing are numeric: `1`, `1.0` and `1E0` are the same
/// number. `Display` prints DynamoDB's canonical text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// Below 10^38 and, unless zero, not a multiple of ten: high and low
    /// halves ([`Number::coefficient`]), so that a number is aligned on 8
    /// bytes, not 16, and takes 24 bytes, not 32 (a key holding one is
    /// stored per item: issue 16).
    coefficient: (u64, u64),
    /// Zero when the coefficient is zero.
    exponent: i32,
    /// Decimal digits of the coefficient (1 for zero), kept so that
    /// comparisons need no logarithm.
    digits: u8,
}

/// 10^0 to 10^38: every power of ten a `u128` holds.
#[expect(
    clippy::indexing_slicing,
    reason = "compile-time table; the loop stays within its bounds"
)]
const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// 10^n, if it fits in a `u128`.
fn pow10(n: u32) -> Option<u128> {
    POW10.get(n as usize).copied()
}

/// An optional `+` or `-` at `pos`: whether it is negative, and the position after it.
fn sign(bytes: &[u8], pos: usize) -> (bool, usize) {
    match bytes.get(pos) {
        Some(b'-') => (true, pos + 1),
        Some(b'+') => (false, pos + 1),
        _ => (false, pos),
    }
}

/// Number of decimal digits of a non-zero coefficient (1 for zero).
fn digit_count(c: u128) -> u32 {
    // The number of powers of ten not above c (a binary search of 39 entries).
    (POW10.partition_point(|&p| p <= c) as u32).max(1)
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number {
        negative: false,
        coefficient: (0, 0),
        exponent: 0,
        digits: 1,
    };

    /// Parses DynamoDB's wire form of a number (the string inside `{"N": "..."}`).
    ///
    /// Accepts an optional sign, digits with an optional decimal point (digits may
    /// be missing on one side), and an optional exponent. Leading and trailing
    /// zeros do not count as significant digits. The magnitude is judged on the
    /// value, not on how it is written (`0.1e126` is fine, `11e125` is not).
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        if text.is_empty() {
            return Err(NumberError::Empty);
        }
        let not_numeric = || NumberError::NotNumeric(text.to_owned());
        let bytes = text.as_bytes();
        let (negative, mut pos) = sign(bytes, 0);
        let int_start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        let int_digits = bytes.get(int_start..pos).unwrap_or_default();
        let mut frac_digits: &[u8] = &[];
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            let frac_start = pos;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            frac_digits = bytes.get(frac_start..pos).unwrap_or_default();
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(not_numeric());
        }
        let mut written_exponent: i64 = 0;
        let has_exponent = matches!(bytes.get(pos), Some(b'e' | b'E'));
        if has_exponent {
            let exp_negative;
            (exp_negative, pos) = sign(bytes, pos + 1);
            let exp_start = pos;
            while let Some(d) = bytes.get(pos).filter(|b| b.is_ascii_digit()) {
                // Saturate: anything this large is out of range whatever the digits.
                written_exponent = written_exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(d - b'0'))
                    .min(1 << 40);
                pos += 1;
            }
            if pos == exp_start {
                return Err(not_numeric());
            }
            if exp_negative {
                written_exponent = -written_exponent;
            }
        }
        if pos != bytes.len() {
            return Err(not_numeric());
        }

        // The digits, as one run: value = digits * 10^(written_exponent - frac_len).
        let all = int_digits.iter().chain(frac_digits.iter());
        let leading_zeros = all.clone().take_while(|&&d| d == b'0').count();
        let total = int_digits.len() + frac_digits.len();
        if leading_zeros == total {
            // Zero. DynamoDB judges the range of a zero written with an exponent on
            // the written exponent (`0e126` is rejected, `0.0e126` accepted).
            if has_exponent {
                let adjusted = written_exponent.saturating_sub(frac_digits.len() as i64);
                if adjusted > MAX_EXPONENT {
                    return Err(NumberError::Overflow);
                }
                if adjusted < MIN_EXPONENT {
                    return Err(NumberError::Underflow);
                }
            }
            return Ok(Number::ZERO);
        }
        let trailing_zeros = all.clone().rev().take_while(|&&d| d == b'0').count();
        let significant = total - leading_zeros - trailing_zeros;
        if significant > MAX_DIGITS as usize {
            return Err(NumberError::TooManyDigits);
        }
        let mut coefficient: u128 = 0;
        for &d in all.skip(leading_zeros).take(significant) {
            coefficient = coefficient * 10 + u128::from(d - b'0');
        }
        let exponent = written_exponent
            .saturating_sub(frac_digits.len() as i64)
            .saturating_add(trailing_zeros as i64);
        Number::from_parts(negative, coefficient, exponent)
    }

    /// Builds a number from a normalised coefficient (no trailing zeros, below
    /// 10^38, non-zero) and exponent, checking the range.
    fn from_parts(negative: bool, coefficient: u128, exponent: i64) -> Result<Number, NumberError> {
        let digits = digit_count(coefficient);
        let adjusted = exponent.saturating_add(i64::from(digits) - 1);
        if adjusted > MAX_EXPONENT {
            return Err(NumberError::Overflow);
        }
        if adjusted < MIN_EXPONENT {
            return Err(NumberError::Underflow);
        }
        // The range check bounds the exponent to about ±170.
        let exponent = i32::try_from(exponent).map_err(|_| NumberError::Overflow)?;
        Ok(Number {
            negative,
            coefficient: ((coefficient >> 64) as u64, coefficient as u64),
            exponent,
            // At most 38 (the caller keeps coefficients below 10^38).
            digits: u8::try_from(digits).unwrap_or(u8::MAX),
        })
    }

    /// Normalises an exact result: strips trailing zeros, then checks the digit
    /// count (reported as overflow, as DynamoDB does for arithmetic) and range.
    fn normalise(
        negative: bool,
        mut coefficient: u128,
        mut exponent: i64,
    ) -> Result<Number, NumberError> {
        if coefficient == 0 {
            return Ok(Number::ZERO);
        }
        while coefficient % 10 == 0 {
            coefficient /= 10;
            exponent += 1;
        }
        if coefficient >= COEF_LIMIT {
            return Err(NumberError::Overflow);
        }
        Number::from_parts(negative, coefficient, exponent)
    }

    /// The sign, coefficient and exponent: the whole number (compact item
    /// storage keeps these instead of the text).
    pub(crate) fn parts(&self) -> (bool, u128, i32) {
        (self.negative, self.coefficient(), self.exponent)
    }

    /// The number of [`Number::parts`]; `None` for parts no number has.
    pub(crate) fn from_stored_parts(
        negative: bool,
        coefficient: u128,
        exponent: i32,
    ) -> Option<Number> {
        if coefficient == 0 {
            return (!negative && exponent == 0).then_some(Number::ZERO);
        }
        // Most coefficients fit a u64, whose remainder is cheaper.
        let trailing_zero =
            u64::try_from(coefficient).map_or(coefficient % 10 == 0, |c| c % 10 == 0);
        if trailing_zero || coefficient >= COEF_LIMIT {
            return None;
        }
        Number::from_parts(negative, coefficient, i64::from(exponent)).ok()
    }

    /// The coefficient (below 10^38).
    fn coefficient(&self) -> u128 {
        (u128::from(self.coefficient.0) << 64) | u128::from(self.coefficient.1)
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.coefficient() == 0
    }

    /// True for numbers below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The number of significant decimal digits (1 for zero).
    pub fn significant_digits(&self) -> u32 {
        u32::from(self.digits)
    }

    /// The exponent in scientific notation (`1234` is 1.234E3, so 3; zero gives 0).
    pub fn scientific_exponent(&self) -> i64 {
        i64::from(self.exponent) + i64::from(self.significant_digits()) - 1
    }

    /// The negated number.
    pub fn negated(&self) -> Number {
        Number {
            negative: !self.negative && !self.is_zero(),
            ..*self
        }
    }

    /// Exact sum, or DynamoDB's overflow/underflow error. There is no rounding: a
    /// result that needs more than 38 digits is an error (reported with the
    /// overflow message, as DynamoDB does).
    pub fn checked_add(&self, other: &Number) -> Result<Number, NumberError> {
        if other.is_zero() {
            return Ok(*self);
        }
        if self.is_zero() {
            return Ok(*other);
        }
        let (hi, lo) = if self.exponent >= other.exponent {
            (self, other)
        } else {
            (other, self)
        };
        let shift = u32::try_from(i64::from(hi.exponent) - i64::from(lo.exponent))
            .map_err(|_| NumberError::Overflow)?;
        // Once scaled, `hi` ends in `shift` zeros while `lo` ends in a non-zero
        // digit, so an exact result that does not fit a u128 has more than 38
        // digits: that is DynamoDB's overflow error, not ours to round.
        let scaled = pow10(shift)
            .and_then(|p| hi.coefficient().checked_mul(p))
            .ok_or(NumberError::Overflow)?;
        let exponent = i64::from(lo.exponent);
        if hi.negative == lo.negative {
            let sum = scaled
                .checked_add(lo.coefficient())
                .ok_or(NumberError::Overflow)?;
            Number::normalise(hi.negative, sum, exponent)
        } else if scaled >= lo.coefficient() {
            Number::normalise(hi.negative, scaled - lo.coefficient(), exponent)
        } else {
            Number::normalise(lo.negative, lo.coefficient() - scaled, exponent)
        }
    }

    /// Exact difference `self - other`; errors as for [`Number::checked_add`].
    pub fn checked_sub(&self, other: &Number) -> Result<Number, NumberError> {
        self.checked_add(&other.negated())
    }

    /// The number as an `i64`, if it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        if self.exponent < 0 {
            return None;
        }
        let magnitude =
            pow10(u32::try_from(self.exponent).ok()?)?.checked_mul(self.coefficient())?;
        if self.negative {
            0i128
                .checked_sub_unsigned(magnitude)
                .and_then(|v| i64::try_from(v).ok())
        } else {
            i64::try_from(magnitude).ok()
        }
    }

    /// Bytes this number counts for in DynamoDB's item size: one byte of
    /// exponent, one per pair of digits aligned on the decimal point, and one
    /// for a negative sign. Zero counts 1.
    pub fn storage_size(&self) -> usize {
        if self.is_zero() {
            return 1;
        }
        let high = self.scientific_exponent();
        let low = i64::from(self.exponent);
        let pairs = high.div_euclid(2) - low.div_euclid(2) + 1;
        1 + usize::try_from(pairs).unwrap_or(0) + usize::from(self.negative)
    }

    fn cmp_magnitude(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        self.scientific_exponent()
            .cmp(&other.scientific_exponent())
            .then_with(|| {
                // Same leading position: align both coefficients to the same
                // number of digits (at most 38, so no overflow) and compare.
                let (da, db) = (self.significant_digits(), other.significant_digits());
                let a = pow10(db.saturating_sub(da)).map_or(0, |p| self.coefficient() * p);
                let b = pow10(da.saturating_sub(db)).map_or(0, |p| other.coefficient() * p);
                a.cmp(&b)
            })
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Default for Number {
    fn default() -> Self {
        Number::ZERO
    }
}

impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Number::parse(s)
    }
}

impl TryFrom<&str> for Number {
    type Error = NumberError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Number::parse(s)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Number {
                // Every value of these types has at most 20 digits: always valid.
                let negative = v < 0 as $t;
                let magnitude = u128::from(v.unsigned_abs());
                match Number::normalise(negative, magnitude, 0) {
                    Ok(n) => n,
                    Err(_) => Number::ZERO,
                }
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64);

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Number {
                // At most 20 digits: always valid.
                match Number::normalise(false, u128::from(v), 0) {
                    Ok(n) => n,
                    Err(_) => Number::ZERO,
                }
            }
        }
    )*};
}
from_unsigned!(u8, u16, u32, u64);

impl From<usize> for Number {
    fn from(v: usize) -> Number {
        Number::from(v as u64)
    }
}

impl fmt::Display for Number {
    /// DynamoDB's canonical text: positional notation, no exponent, no `+`, no
    /// leading zeros except a single `0` before the point, no trailing fractional
    /// zeros, `-` only for negative non-zero values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        if self.is_zero() {
            return f.write_char('0');
        }
        if self.negative {
            f.write_char('-')?;
        }
        let digits = self.coefficient().to_string();
        if self.exponent >= 0 {
            f.write_str(&digits)?;
            for _ in 0..self.exponent {
                f.write_char('0')?;
            }
            return Ok(());
        }
        let before_point = digits.len() as i64 + i64::from(self.exponent);
        if before_point > 0 {
            let (int, frac) = digits.split_at(before_point as usize);
            write!(f, "{int}.{frac}")
        } else {
            f.write_str("0.")?;
            for _ in 0..(-before_point) {
                f.write_char('0')?;
            }
            f.write_str(&digits)
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl serde::Serialize for Number {
    /// Serialises as the canonical string, as DynamoDB JSON carries numbers.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Number::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn canonical_text() {
        for (input, out) in [
            ("1", "1"),
            ("007", "7"),
            ("+1.5", "1.5"),
            ("1.00", "1"),
            ("1.0e3", "1000"),
            ("-0.0", "0"),
            ("-.5", "-0.5"),
            ("1e-20", "0.00000000000000000001"),
            ("123e-2", "1.23"),
        ] {
            assert_eq!(n(input).to_string(), out, "{input}");
        }
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(n("0.1").checked_add(&n("0.2")).unwrap(), n("0.3"));
        assert_eq!(
            n("1e38")
                .checked_sub(&n("99999999999999999999999999999999999999"))
                .unwrap(),
            n("1")
        );
        assert_eq!(n("5").checked_add(&n("5")).unwrap().to_string(), "10");
        assert_eq!(n("-5").checked_add(&n("5")).unwrap(), Number::ZERO);
        assert_eq!(n("1e50").checked_add(&n("1")), Err(NumberError::Overflow));
        assert_eq!(
            n("1.1e-130").checked_sub(&n("1e-130")),
            Err(NumberError::Underflow)
        );
    }

    #[test]
    fn integers_and_sizes() {
        assert_eq!(Number::from(-1200i64).to_string(), "-1200");
        assert_eq!(Number::from(u64::MAX).to_string(), u64::MAX.to_string());
        assert_eq!(n("-1200").to_i64(), Some(-1200));
        assert_eq!(n("1.5").to_i64(), None);
        assert_eq!(n(&i64::MIN.to_string()).to_i64(), Some(i64::MIN));
        assert_eq!(n("1e30").to_i64(), None);
        assert_eq!(Number::ZERO.storage_size(), 1);
        assert_eq!(n("1").storage_size(), 2);
        assert_eq!(n("12").storage_size(), 2);
        assert_eq!(n("1.2").storage_size(), 3);
        assert_eq!(n("-1.2").storage_size(), 4);
        assert_eq!(n("0.012").storage_size(), 3);
    }
}
