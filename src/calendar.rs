//! The Japanese calendar as the card writes it: eras (元号) and Gregorian dates, and the
//! conversion between them (birth dates in certificates, access code B).

use std::fmt;

/// The Japanese era (元号) the birth date's leading digit names.
///
/// Open to eras not yet named: the next era's digit will be `6`, read as
/// [`Era::Unnamed`]`(6)` rather than refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Era {
    /// `0`: not stated (不明).
    Unknown,
    /// `1`: 明治, from 1868-01-25 (Gregorian).
    Meiji,
    /// `2`: 大正, from 1912-07-30.
    Taisho,
    /// `3`: 昭和, from 1926-12-25.
    Showa,
    /// `4`: 平成, from 1989-01-08.
    Heisei,
    /// `5`: 令和, from 2019-05-01.
    Reiwa,
    /// `6`–`9`: an era after 令和 that this version does not name; holds the digit's value
    /// (`Unnamed(6)` for `6`). Its name and first day are not known here.
    Unnamed(u8),
}

impl Era {
    /// The era of an ASCII digit: `0`–`5` named, `6`–`9` [`Era::Unnamed`]; `None` for
    /// anything but a digit.
    pub const fn from_digit(digit: u8) -> Option<Self> {
        Some(match digit {
            b'0' => Era::Unknown,
            b'1' => Era::Meiji,
            b'2' => Era::Taisho,
            b'3' => Era::Showa,
            b'4' => Era::Heisei,
            b'5' => Era::Reiwa,
            b'6'..=b'9' => Era::Unnamed(digit - b'0'),
            _ => return None,
        })
    }

    /// The digit the certificate writes for this era (`?` for an [`Era::Unnamed`] value
    /// above 9, which no certificate holds).
    pub const fn digit(self) -> char {
        match self {
            Era::Unknown => '0',
            Era::Meiji => '1',
            Era::Taisho => '2',
            Era::Showa => '3',
            Era::Heisei => '4',
            Era::Reiwa => '5',
            Era::Unnamed(n) => match char::from_digit(n as u32, 10) {
                Some(c) => c,
                None => '?',
            },
        }
    }

    /// The era's name in Japanese (`None` for [`Era::Unknown`] and [`Era::Unnamed`]).
    pub const fn name_ja(self) -> Option<&'static str> {
        match self {
            Era::Unknown | Era::Unnamed(_) => None,
            Era::Meiji => Some("明治"),
            Era::Taisho => Some("大正"),
            Era::Showa => Some("昭和"),
            Era::Heisei => Some("平成"),
            Era::Reiwa => Some("令和"),
        }
    }

    /// The era's first day (`None` for [`Era::Unknown`] and [`Era::Unnamed`]).
    pub const fn first_day(self) -> Option<CalendarDate> {
        let (year, month, day) = match self {
            Era::Unknown | Era::Unnamed(_) => return None,
            Era::Meiji => (1868, 1, 25),
            Era::Taisho => (1912, 7, 30),
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        };
        Some(CalendarDate { year, month, day })
    }
}

/// A valid Gregorian calendar date; `Display` gives ISO 8601 (`1990-01-01`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CalendarDate {
    /// 0001-01-01.
    pub const MIN: Self = Self {
        year: 1,
        month: 1,
        day: 1,
    };

    /// A date, if it exists in the Gregorian calendar (years 1–9999).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if year == 0 || year > 9999 || day == 0 || day > days {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl CalendarDate {
    /// The era the date falls in (`None` before 明治, 1868-01-25).
    pub fn era(self) -> Option<Era> {
        const NEWEST_FIRST: [Era; 5] =
            [Era::Reiwa, Era::Heisei, Era::Showa, Era::Taisho, Era::Meiji];
        NEWEST_FIRST
            .into_iter()
            .find(|era| era.first_day().is_some_and(|first| self >= first))
    }

    /// Reads `YYYYMMDD` (ASCII digits), the form the card-info and card-face files hold;
    /// `None` unless it is 8 digits naming a real date.
    ///
    /// ```
    /// use mynumbercard::calendar::CalendarDate;
    /// assert_eq!(CalendarDate::parse_yyyymmdd(b"19900101"), CalendarDate::new(1990, 1, 1));
    /// assert_eq!(CalendarDate::parse_yyyymmdd(b"19900230"), None);
    /// ```
    pub fn parse_yyyymmdd(text: &[u8]) -> Option<Self> {
        if text.len() != 8 || !text.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            text.get(range)?
                .iter()
                .try_fold(0u16, |acc, d| Some(acc * 10 + u16::from(d - b'0')))
        };
        let month = u8::try_from(number(4..6)?).ok()?;
        let day = u8::try_from(number(6..8)?).ok()?;
        Self::new(number(0..4)?, month, day)
    }

    /// The date as `YYYYMMDD`, the form the card-info and card-face files hold.
    pub fn yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// The date as Japanese-era `YYMMDD` (1990-01-01 → 平成2年 → `020101`), as access code B
    /// starts with it; `None` before 明治 or when the era year needs three digits.
    pub fn era_yymmdd(self) -> Option<String> {
        let (_, year) = self.era_year().filter(|&(_, year)| year <= 99)?;
        Some(format!("{year:02}{:02}{:02}", self.month, self.day))
    }

    /// The year within the date's era: 1990-01-01 is 平成2年 → `(Heisei, 2)`.
    pub fn era_year(self) -> Option<(Era, u16)> {
        let era = self.era()?;
        let first = era.first_day()?;
        Some((era, self.year - first.year + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_years_across_the_changes_of_era() {
        let d = |y, m, d| CalendarDate::new(y, m, d).unwrap();
        assert_eq!(d(1990, 1, 1).era_year(), Some((Era::Heisei, 2)));
        assert_eq!(d(1980, 2, 17).era_year(), Some((Era::Showa, 55)));
        assert_eq!(d(1989, 1, 7).era_year(), Some((Era::Showa, 64)));
        assert_eq!(d(1989, 1, 8).era_year(), Some((Era::Heisei, 1)));
        assert_eq!(d(2019, 4, 30).era_year(), Some((Era::Heisei, 31)));
        assert_eq!(d(2019, 5, 1).era_year(), Some((Era::Reiwa, 1)));
        assert_eq!(d(1926, 12, 25).era_year(), Some((Era::Showa, 1)));
        assert_eq!(d(1868, 1, 24).era_year(), None);
        assert_eq!(d(1990, 1, 1).era_yymmdd().as_deref(), Some("020101"));
        assert_eq!(d(1980, 2, 17).era_yymmdd().as_deref(), Some("550217"));
        assert_eq!(d(1850, 1, 1).era_yymmdd(), None);
        assert!(CalendarDate::new(2023, 2, 29).is_none());
        assert!(CalendarDate::new(2024, 2, 29).is_some());
    }
}
