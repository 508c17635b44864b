//! Provisioned capacity as DynamoDB reports it for a table or a global
//! secondary index: the read and write units, and what UpdateTable's
//! changes leave behind (`LastIncreaseDateTime`, `LastDecreaseDateTime`,
//! `NumberOfDecreasesToday`). Capacity is reported only, never enforced.

use crate::api::{ProvisionedThroughput, ProvisionedThroughputDescription};

const SECONDS_PER_DAY: f64 = 86_400.0;

/// The UTC day of a timestamp (days since the epoch).
fn day_of(seconds: f64) -> i64 {
    (seconds / SECONDS_PER_DAY).floor() as i64
}

/// The capacity of a table or an index, and its change history.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Provisioned {
    /// The units; `None` on demand (reported as 0/0).
    pub(crate) units: Option<ProvisionedThroughput>,
    last_increase: Option<f64>,
    last_decrease: Option<f64>,
    /// The UTC day whose decreases are counted, and their number.
    decreases: (i64, i64),
}

impl Provisioned {
    /// Capacity as created, without history.
    pub(crate) fn new(units: Option<ProvisionedThroughput>) -> Provisioned {
        Provisioned {
            units,
            ..Provisioned::default()
        }
    }

    /// The units as read and write numbers (0/0 on demand).
    pub(crate) fn pair(&self) -> (i64, i64) {
        self.units
            .map_or((0, 0), |u| (u.read_capacity_units, u.write_capacity_units))
    }

    /// Sets new units at `now`, noting an increase when either number grew
    /// and a decrease when either shrank (both when one grew and the other
    /// shrank). From on demand (`None`) nothing is noted.
    pub(crate) fn change(&mut self, to: ProvisionedThroughput, now: f64) {
        if let Some(from) = self.units {
            let grew = to.read_capacity_units > from.read_capacity_units
                || to.write_capacity_units > from.write_capacity_units;
            let shrank = to.read_capacity_units < from.read_capacity_units
                || to.write_capacity_units < from.write_capacity_units;
            if grew {
                self.last_increase = Some(now);
            }
            if shrank {
                self.last_decrease = Some(now);
                let today = day_of(now);
                let count = if self.decreases.0 == today {
                    self.decreases.1
                } else {
                    0
                };
                self.decreases = (today, count + 1);
            }
        }
        self.units = Some(to);
    }

    /// DynamoDB's description at `now` (the decreases of earlier days no
    /// longer count).
    pub(crate) fn describe(&self, now: f64) -> ProvisionedThroughputDescription {
        let (read_capacity_units, write_capacity_units) = self.pair();
        let (day, count) = self.decreases;
        ProvisionedThroughputDescription {
            last_increase_date_time: self.last_increase,
            last_decrease_date_time: self.last_decrease,
            number_of_decreases_today: if day == day_of(now) { count } else { 0 },
            read_capacity_units,
            write_capacity_units,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(r: i64, w: i64) -> ProvisionedThroughput {
        ProvisionedThroughput {
            read_capacity_units: r,
            write_capacity_units: w,
        }
    }

    #[test]
    fn increases_and_decreases_are_dated_and_counted_per_day() {
        let mut p = Provisioned::new(Some(units(5, 5)));
        assert_eq!(p.describe(10.0).last_increase_date_time, None);
        p.change(units(6, 5), 100.0);
        p.change(units(4, 5), 200.0);
        p.change(units(4, 6), 300.0);
        p.change(units(3, 7), 400.0);
        let d = p.describe(500.0);
        assert_eq!(d.last_increase_date_time, Some(400.0));
        assert_eq!(d.last_decrease_date_time, Some(400.0));
        assert_eq!(d.number_of_decreases_today, 2);
        assert_eq!((d.read_capacity_units, d.write_capacity_units), (3, 7));
        // The next UTC day starts a new count.
        assert_eq!(
            p.describe(SECONDS_PER_DAY + 1.0).number_of_decreases_today,
            0
        );
        p.change(units(2, 7), SECONDS_PER_DAY + 2.0);
        assert_eq!(
            p.describe(SECONDS_PER_DAY + 3.0).number_of_decreases_today,
            1
        );
    }

    #[test]
    fn from_on_demand_nothing_is_noted() {
        let mut p = Provisioned::new(None);
        assert_eq!(p.pair(), (0, 0));
        p.change(units(1, 1), 5.0);
        assert_eq!(p.describe(6.0).last_increase_date_time, None);
        assert_eq!(p.pair(), (1, 1));
    }
}
