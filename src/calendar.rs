//! The Japanese calendar as the card writes it: eras (元号) and Gregorian dates, and the
//! conversion between them (birth dates in certificates, access code B), and ages as Japanese
//! law counts them (年齢計算ニ関スル法律).

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

/// Ages as Japanese law counts them: the Act on the Calculation of Age (年齢計算ニ関スル法律,
/// 明治35年法律第50号) counts from the day of birth, and the Civil Code (民法 第143条) ends a
/// period of years at the end of the day before the anniversary, or, where the anniversary's
/// month has no such day, at the end of that month. So an age is attained when the day before
/// the birthday ends: born on 1 April, one is N throughout 1 April, having become N at the end of
/// 31 March; born on 29 February, one becomes N when 28 February ends, in common and leap years
/// alike.
impl CalendarDate {
    /// Whether `year` is a leap year of the Gregorian calendar.
    pub const fn is_leap_year(year: u16) -> bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The age someone born on `self` has throughout `date` (from its first moment), as the
    /// law counts it; `None` when `date` is before the birth date.
    ///
    /// ```
    /// use mynumbercard::calendar::CalendarDate;
    /// let d = |y, m, d| CalendarDate::new(y, m, d).unwrap();
    /// let born = d(2006, 4, 2);
    /// assert_eq!(born.age_on(d(2024, 4, 1)), Some(17)); // 18 when this day ends
    /// assert_eq!(born.age_on(d(2024, 4, 2)), Some(18));
    /// // Born on 29 February: 18 from 1 March in a common year (28 February has ended).
    /// let leap = d(2004, 2, 29);
    /// assert_eq!(leap.age_on(d(2022, 2, 28)), Some(17));
    /// assert_eq!(leap.age_on(d(2022, 3, 1)), Some(18));
    /// assert_eq!(leap.age_on(d(2024, 2, 29)), Some(20));
    /// assert_eq!(born.age_on(d(2006, 4, 1)), None);
    /// ```
    pub fn age_on(self, date: CalendarDate) -> Option<u16> {
        if date < self {
            return None;
        }
        let years = date.year - self.year;
        // The day from whose start the new age is held: the day after the period ends.
        let anniversary = if self.month == 2 && self.day == 29 && !Self::is_leap_year(date.year) {
            (3, 1)
        } else {
            (self.month, self.day)
        };
        Some(if (date.month, date.day) < anniversary {
            years - 1
        } else {
            years
        })
    }

    /// Whether someone born on `self` is at least `years` old throughout `date`.
    ///
    /// ```
    /// use mynumbercard::calendar::CalendarDate;
    /// let born = CalendarDate::new(2006, 4, 2).unwrap();
    /// assert!(!born.is_at_least(18, CalendarDate::new(2024, 4, 1).unwrap()));
    /// assert!(born.is_at_least(18, CalendarDate::new(2024, 4, 2).unwrap()));
    /// ```
    pub fn is_at_least(self, years: u16, date: CalendarDate) -> bool {
        self.age_on(date).is_some_and(|age| age >= years)
    }

    /// The date in Japan (JST, UTC+9, no daylight saving) at `time`; `None` before 0001-01-01
    /// or after 9999-12-31.
    pub fn in_japan_at(time: std::time::SystemTime) -> Option<Self> {
        let seconds = match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).ok()?,
            Err(before) => -i64::try_from(before.duration().as_secs()).ok()?,
        };
        let days = seconds.checked_add(9 * 3600)?.div_euclid(86_400);
        Self::from_days_since_epoch(days)
    }

    /// Today's date in Japan, from the system clock.
    pub fn today_in_japan() -> Option<Self> {
        Self::in_japan_at(std::time::SystemTime::now())
    }

    /// The date `days` days after 1970-01-01: the proleptic Gregorian calendar counted in
    /// 400-year cycles of 146,097 days, each year starting on 1 March so that the leap day
    /// ends it.
    fn from_days_since_epoch(days: i64) -> Option<Self> {
        // Days since 0000-03-01.
        let since_march_zero = days.checked_add(719_468)?;
        let cycle = since_march_zero.div_euclid(146_097);
        let day_of_cycle = since_march_zero.rem_euclid(146_097);
        let year_of_cycle = (day_of_cycle - day_of_cycle / 1_460 + day_of_cycle / 36_524
            - day_of_cycle / 146_096)
            / 365;
        let day_of_year =
            day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let month = if month_from_march < 10 {
            month_from_march + 3
        } else {
            month_from_march - 9
        };
        let year = cycle * 400 + year_of_cycle + i64::from(month <= 2);
        Self::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
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

    #[test]
    fn ages_as_the_law_counts_them() {
        let d = |y, m, d| CalendarDate::new(y, m, d).unwrap();
        // Born 1 April: N throughout 1 April (attained when 31 March ended).
        let april_first = d(2000, 4, 1);
        assert_eq!(april_first.age_on(d(2018, 3, 31)), Some(17));
        assert_eq!(april_first.age_on(d(2018, 4, 1)), Some(18));
        // Born 29 February: attains it when 28 February ends, whatever the year.
        let leap = d(2000, 2, 29);
        assert_eq!(leap.age_on(d(2001, 2, 28)), Some(0));
        assert_eq!(leap.age_on(d(2001, 3, 1)), Some(1));
        assert_eq!(leap.age_on(d(2004, 2, 28)), Some(3));
        assert_eq!(leap.age_on(d(2004, 2, 29)), Some(4));
        assert_eq!(
            leap.age_on(d(2100, 2, 28)),
            Some(99),
            "2100 is a common year"
        );
        assert_eq!(leap.age_on(d(2100, 3, 1)), Some(100));
        assert_eq!(d(2000, 12, 31).age_on(d(2001, 1, 1)), Some(0));
        assert_eq!(d(2000, 1, 1).age_on(d(2000, 1, 1)), Some(0));
        assert_eq!(d(2000, 1, 2).age_on(d(2000, 1, 1)), None);
        assert!(leap.is_at_least(18, d(2018, 3, 1)));
        assert!(!leap.is_at_least(18, d(2018, 2, 28)));
        assert!(!d(2000, 1, 2).is_at_least(0, d(2000, 1, 1)));
        assert!(CalendarDate::is_leap_year(2000) && !CalendarDate::is_leap_year(1900));
    }

    #[test]
    fn dates_in_japan_from_the_clock() {
        use std::time::{Duration, UNIX_EPOCH};
        let at = |s: u64| CalendarDate::in_japan_at(UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), CalendarDate::new(1970, 1, 1));
        // 15:00 UTC is midnight in Japan.
        assert_eq!(at(15 * 3600 - 1), CalendarDate::new(1970, 1, 1));
        assert_eq!(at(15 * 3600), CalendarDate::new(1970, 1, 2));
        // 2024-02-29T00:00+09:00 = 1709132400.
        assert_eq!(at(1_709_132_400), CalendarDate::new(2024, 2, 29));
        assert_eq!(at(1_709_132_399), CalendarDate::new(2024, 2, 28));
        assert_eq!(
            CalendarDate::in_japan_at(UNIX_EPOCH - Duration::from_secs(86_400)),
            CalendarDate::new(1969, 12, 31)
        );
        assert_eq!(
            CalendarDate::from_days_since_epoch(-719_162),
            CalendarDate::new(1, 1, 1)
        );
        assert_eq!(CalendarDate::from_days_since_epoch(-719_163), None);
    }
}
