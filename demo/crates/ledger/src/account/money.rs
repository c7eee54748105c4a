//! Amounts of money, kept in whole cents so that no rounding ever happens.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cents(pub i64);

impl Cents {
    pub fn from_dollars(dollars: i64, cents: i64) -> Cents {
        Cents(dollars * 100 + cents)
    }

    pub fn plus(self, other: Cents) -> Cents {
        Cents(self.0 + other.0)
    }

    pub fn minus(self, other: Cents) -> Cents {
        Cents(self.0 - other.0)
    }

    pub fn dollars(&self) -> i64 {
        self.0 / 100
    }

    pub fn cents(&self) -> i64 {
        self.0 % 100
    }
}
