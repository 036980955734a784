//! The code of a Japanese local government (全国地方公共団体コード, JIS X 0402) as the card
//! writes the issuing municipality: five ASCII digits, the first two the prefecture (`01`
//! Hokkaido … `47` Okinawa). The sixth digit of the full code, a check digit, is not on the
//! card: myna-card reads five digits from the common application's record, from the master
//! file's data objects and from the card-face application's basic data, and yuki-js's
//! sc-tools-myna names the same master-file object the city id.

use std::fmt;

/// A five-digit municipality code, such as `13101` (千代田区, Tokyo).
///
/// ```
/// use mynumbercard::municipality::MunicipalityCode;
/// let code = MunicipalityCode::parse(b"13101").unwrap();
/// assert_eq!(code.prefecture_code(), 13);
/// assert_eq!(code.as_str(), "13101");
/// assert_eq!(code.with_check_digit(), "131016");
/// assert!(MunicipalityCode::parse(b"1310").is_none());
/// assert!(MunicipalityCode::parse(b"1310X").is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MunicipalityCode([u8; 5]);

impl MunicipalityCode {
    /// Exactly five ASCII digits; `None` for anything else.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let digits: [u8; 5] = bytes.try_into().ok()?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then_some(Self(digits))
    }

    /// The five digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The prefecture code: the first two digits (1–47 for a real municipality; the digits
    /// are returned as they are, whatever their value).
    pub fn prefecture_code(&self) -> u8 {
        let [a, b, ..] = self.0;
        (a - b'0') * 10 + (b - b'0')
    }

    /// The six-digit form with the JIS X 0402 check digit: the digits weighted 6, 5, 4, 3, 2,
    /// summed, and the last digit of 11 minus the sum's remainder modulo 11.
    pub fn with_check_digit(&self) -> String {
        let sum: u32 = self
            .0
            .iter()
            .zip([6u32, 5, 4, 3, 2])
            .map(|(digit, weight)| u32::from(digit - b'0') * weight)
            .sum();
        let check = (11 - sum % 11) % 10;
        format!("{}{check}", self.as_str())
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MunicipalityCode({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_published_codes() {
        // 札幌市 011002, 千代田区 131016, 那覇市 472018.
        for (code, full) in [
            ("01100", "011002"),
            ("13101", "131016"),
            ("47201", "472018"),
        ] {
            let parsed = MunicipalityCode::parse(code.as_bytes()).unwrap();
            assert_eq!(parsed.with_check_digit(), full);
        }
        assert_eq!(
            MunicipalityCode::parse(b"47201").unwrap().prefecture_code(),
            47
        );
    }
}
