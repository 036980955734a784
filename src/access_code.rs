//! The secrets of the card-info and card-face applications: the card-info PIN, access code A
//! (the 12-digit my number, 個人番号) and access code B (照合番号B). Validated before they touch
//! the card, zeroized on drop, never shown by `Debug`.

use std::fmt;

use zeroize::Zeroizing;

use crate::calendar::CalendarDate;
use crate::pin::{digits, PinFormatError};

/// The card-info input helper application's PIN (券面事項入力補助用暗証番号): 4 digits,
/// 3 tries (jpki/myna and myna-card). On most cards it is the same number as the auth PIN.
#[derive(Clone, PartialEq, Eq)]
pub struct CardInfoPin(pub(crate) Zeroizing<Vec<u8>>);

impl CardInfoPin {
    /// Checks and keeps a 4-digit PIN.
    pub fn new(pin: &str) -> Result<Self, PinFormatError> {
        digits(pin, 4, "exactly 4 digits").map(Self)
    }
}

/// A my number (個人番号), access code A (照合番号A): 12 digits whose last is a check digit.
///
/// `Debug` and [`MyNumber::masked`] show only the last 4 digits; [`MyNumber::reveal`] gives
/// the whole number.
///
/// ```
/// use mynumbercard::access_code::MyNumber;
/// let n = MyNumber::new("123456789018").unwrap();
/// assert_eq!(n.masked(), "********9018");
/// assert!(MyNumber::new("123456789012").is_err()); // wrong check digit
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct MyNumber(pub(crate) Zeroizing<Vec<u8>>);

impl MyNumber {
    /// Checks the length, the digits and the check digit.
    pub fn new(number: &str) -> Result<Self, PinFormatError> {
        let bytes = digits(number, 12, "exactly 12 digits")?;
        match (bytes.get(..11), bytes.get(11)) {
            (Some(body), Some(&check)) if check_digit(body) == Some(check) => Ok(Self(bytes)),
            _ => Err(PinFormatError::CheckDigit),
        }
    }

    /// The number, for display where the holder consented.
    pub fn reveal(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `********` and the last four digits.
    pub fn masked(&self) -> String {
        let last = self.0.get(8..).unwrap_or_default();
        format!("********{}", String::from_utf8_lossy(last))
    }
}

/// The check digit (ASCII) of the first 11 digits of a my number (ASCII), per the
/// ordinance on the my number's check digit (行政手続における特定の個人を識別するための番号の
/// 利用等に関する法律施行令 第八条): with P(n) the n-th digit counting from the right and
/// Q(n) = n + 1 for n ≤ 6, n − 5 otherwise, r = Σ P(n)·Q(n) mod 11; the check digit is 0 if
/// r ≤ 1, else 11 − r.
pub fn check_digit(first_eleven: &[u8]) -> Option<u8> {
    if first_eleven.len() != 11 || !first_eleven.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first_eleven
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let n = i as u32 + 1;
            let q = if n <= 6 { n + 1 } else { n - 5 };
            u32::from(d - b'0') * q
        })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    Some(b'0' + check as u8)
}

/// Access code B (照合番号B): the holder's birth date as Japanese-era `YYMMDD`, the card's
/// expiry year `YYYY`, and the 4-digit security code printed on the card: 14 digits
/// (described by myna-card; jsapdu says the same in a comment, and siketyan/jpki-rs documents
/// it inconsistently).
///
/// ```
/// use mynumbercard::access_code::AccessCodeB;
/// use mynumbercard::calendar::CalendarDate;
/// // Born 1980-02-17 (昭和55年), card expiring 2035, security code 2285.
/// let code = AccessCodeB::from_parts(CalendarDate::new(1980, 2, 17).unwrap(), 2035, "2285")?;
/// assert_eq!(code, AccessCodeB::new("55021720352285")?);
/// # Ok::<(), mynumbercard::PinFormatError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCodeB(pub(crate) Zeroizing<Vec<u8>>);

impl AccessCodeB {
    /// Checks a code of 14 digits: a birth date as era `YYMMDD` that can exist (era year
    /// 01–99, month 01–12, a day the month has, 29 February allowed since the era is not
    /// in the code), an expiry year 2000–2099, then the 4-digit security code. A code that
    /// fails is refused before anything is sent: a card spends a try on it otherwise.
    ///
    /// ```
    /// use mynumbercard::access_code::AccessCodeB;
    /// assert!(AccessCodeB::new("02010120351234").is_ok());
    /// assert!(AccessCodeB::new("02130120351234").is_err()); // month 13
    /// assert!(AccessCodeB::new("02023020351234").is_err()); // 30 February
    /// assert!(AccessCodeB::new("02010119991234").is_err()); // expiry 1999
    /// ```
    pub fn new(code: &str) -> Result<Self, PinFormatError> {
        let bytes = digits(code, 14, "exactly 14 digits")?;
        check_era_date(bytes.get(..6).unwrap_or_default())?;
        let expiry = number(bytes.get(6..10).unwrap_or_default());
        if !(2000..=2099).contains(&expiry) {
            return Err(EXPIRY_OUT_OF_RANGE);
        }
        Ok(Self(bytes))
    }

    /// Builds the code from what the card shows: converts the birth date to its era year
    /// (1990-01-01 → 平成2年 → `020101`), checks the expiry year (2000–2099) and the 4-digit
    /// security code.
    pub fn from_parts(
        birth_date: CalendarDate,
        expiry_year: u16,
        security_code: &str,
    ) -> Result<Self, PinFormatError> {
        let year = birth_date
            .era_year()
            .map(|(_, year)| year)
            .filter(|year| *year <= 99)
            .ok_or(PinFormatError::Invalid {
                what: "birth date without a two-digit era year",
            })?;
        if !(2000..=2099).contains(&expiry_year) {
            return Err(EXPIRY_OUT_OF_RANGE);
        }
        let code = digits(security_code, 4, "a security code of exactly 4 digits")?;
        // Written digit by digit into the zeroized buffer: no formatted string holds them.
        let mut out = Zeroizing::new(Vec::with_capacity(14));
        push_digits(&mut out, year, 2);
        push_digits(&mut out, u16::from(birth_date.month()), 2);
        push_digits(&mut out, u16::from(birth_date.day()), 2);
        push_digits(&mut out, expiry_year, 4);
        out.extend_from_slice(&code);
        Ok(Self(out))
    }
}

const EXPIRY_OUT_OF_RANGE: PinFormatError = PinFormatError::Invalid {
    what: "card expiry year outside 2000-2099",
};

/// Checks an era `YYMMDD` (ASCII digits): era year 01–99, month 01–12, a day the month can
/// have in some year (29 February included).
fn check_era_date(yymmdd: &[u8]) -> Result<(), PinFormatError> {
    let (year, month, day) = match yymmdd {
        [y1, y2, m1, m2, d1, d2] => (
            number(&[*y1, *y2]),
            number(&[*m1, *m2]),
            number(&[*d1, *d2]),
        ),
        _ => return Err(PinFormatError::Invalid { what: "birth date" }),
    };
    if year == 0 {
        return Err(PinFormatError::Invalid {
            what: "birth date: era year 00 (the first year is 01)",
        });
    }
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => {
            return Err(PinFormatError::Invalid {
                what: "birth date: month outside 01-12",
            })
        }
    };
    if day == 0 || day > days {
        return Err(PinFormatError::Invalid {
            what: "birth date: no such day in the month",
        });
    }
    Ok(())
}

/// The value of ASCII digits (already checked to be digits).
fn number(digits: &[u8]) -> u16 {
    digits.iter().fold(0u16, |n, d| {
        n.wrapping_mul(10)
            .wrapping_add(u16::from(d.wrapping_sub(b'0')))
    })
}

/// Appends `value` as exactly `width` ASCII digits (the low ones).
fn push_digits(out: &mut Vec<u8>, value: u16, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u16.pow(place)) % 10;
        out.push(b'0' + digit as u8);
    }
}

macro_rules! redacted_secret {
    ($t:ident) => {
        impl crate::pin::Pin for $t {}

        impl crate::pin::sealed::Sealed for $t {
            fn secret_bytes(&self) -> &[u8] {
                &self.0
            }
        }

        impl std::str::FromStr for $t {
            type Err = PinFormatError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }
    };
}

redacted_secret!(CardInfoPin);
redacted_secret!(MyNumber);
redacted_secret!(AccessCodeB);

impl fmt::Debug for CardInfoPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardInfoPin(REDACTED)")
    }
}

impl fmt::Debug for AccessCodeB {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCodeB(REDACTED)")
    }
}

impl fmt::Debug for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MyNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        // Worked example: 12345678901 → Σ = 1·2+0·3+9·4+8·5+7·6+6·7+5·2+4·3+3·4+2·5+1·6 = 212,
        // 212 mod 11 = 3, check = 8.
        assert_eq!(check_digit(b"12345678901"), Some(b'8'));
        assert_eq!(check_digit(b"00000000000"), Some(b'0'));
        assert_eq!(check_digit(b"1234567890"), None);
        assert_eq!(check_digit(b"1234567890a"), None);
        assert!(MyNumber::new("123456789018").is_ok());
        for wrong in [
            "123456789010",
            "123456789019",
            "12345678901",
            "12345678901a",
        ] {
            assert!(MyNumber::new(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn access_code_b_from_the_card_face() {
        let d = |y, m, d| CalendarDate::new(y, m, d).unwrap();
        let code = AccessCodeB::from_parts(d(1990, 1, 1), 2035, "1234").unwrap();
        assert_eq!(code.0.as_slice(), b"02010120351234");
        let code = AccessCodeB::from_parts(d(2019, 5, 1), 2029, "0007").unwrap();
        assert_eq!(code.0.as_slice(), b"01050120290007", "令和元年 is year 01");
        assert!(AccessCodeB::from_parts(d(1990, 1, 1), 1999, "1234").is_err());
        assert!(AccessCodeB::from_parts(d(1990, 1, 1), 2035, "123").is_err());
        assert!(AccessCodeB::from_parts(d(1860, 1, 1), 2035, "1234").is_err());
        assert!(AccessCodeB::new("0201012035123").is_err());
        assert_eq!(
            AccessCodeB::from_parts(d(1980, 2, 17), 2035, "2285").unwrap(),
            AccessCodeB::new("55021720352285").unwrap()
        );
    }

    #[test]
    fn access_codes_b_with_impossible_dates_are_refused() {
        let refused = |code: &str| match AccessCodeB::new(code) {
            Err(PinFormatError::Invalid { what }) => what,
            other => panic!("{code}: {other:?}"),
        };
        assert_eq!(refused("02130120351234"), "birth date: month outside 01-12");
        assert_eq!(refused("02000120351234"), "birth date: month outside 01-12");
        assert_eq!(
            refused("02023020351234"),
            "birth date: no such day in the month"
        );
        assert_eq!(
            refused("02043120351234"),
            "birth date: no such day in the month"
        );
        assert_eq!(
            refused("02010020351234"),
            "birth date: no such day in the month"
        );
        assert_eq!(
            refused("00010120351234"),
            "birth date: era year 00 (the first year is 01)"
        );
        assert_eq!(
            refused("02010119991234"),
            "card expiry year outside 2000-2099"
        );
        assert_eq!(
            refused("02010121001234"),
            "card expiry year outside 2000-2099"
        );
        for fine in ["02022920351234", "99123120991234", "01010120000000"] {
            assert!(AccessCodeB::new(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn secrets_never_show() {
        let n = MyNumber::new("123456789018").unwrap();
        assert_eq!(format!("{n:?}"), "MyNumber(********9018)");
        let b = AccessCodeB::new("02010120351234").unwrap();
        assert!(!format!("{b:?}").contains("0201"));
        let p = CardInfoPin::new("1234").unwrap();
        assert!(!format!("{p:?}").contains("1234"));
        let e = MyNumber::new("123456789010").unwrap_err().to_string();
        assert!(!e.contains("12345678"), "{e}");
    }
}
