//! Facts about the machine for the benchmark reports, read from Linux's
//! `/proc`. On other systems the parts that cannot be read are reported
//! as unknown.

use std::path::Path;

/// Returns the CPU model, the number of cores, the memory and the file
/// system that contains `dir`, such as
/// `AMD EPYC 7B13, 2 cores, 24 GiB RAM, database on ext4 (/dev/vda)`.
pub(crate) fn describe(dir: &Path) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name").and_then(|rest| rest.split_once(':')))
        .map_or("unknown CPU".to_owned(), |(_, model)| model.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = memory_gib(&meminfo).map_or("unknown".to_owned(), |gib| format!("{gib:.0} GiB"));
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let file_system = file_system_of(&mounts, &absolute)
        .map_or("an unknown file system".to_owned(), |(kind, device)| format!("{kind} ({device})"));
    format!("{cpu}, {cores} cores, {memory} RAM, database on {file_system}")
}

/// Returns `MemTotal` of `/proc/meminfo` in GiB.
fn memory_gib(meminfo: &str) -> Option<f64> {
    let line = meminfo.lines().find(|line| line.starts_with("MemTotal:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / (1024.0 * 1024.0))
}

/// Returns the type and device of the mount in `/proc/mounts` with the
/// longest mount point that contains `path`.
fn file_system_of(mounts: &str, path: &Path) -> Option<(String, String)> {
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let device = fields.next()?;
            let mount_point = fields.next()?;
            let kind = fields.next()?;
            path.starts_with(mount_point).then_some((mount_point.len(), kind, device))
        })
        .max_by_key(|(length, _, _)| *length)
        .map(|(_, kind, device)| (kind.to_owned(), device.to_owned()))
}

/// CPU time counters of the machine and of one process, in the kernel's
/// clock ticks, read at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CpuSample {
    /// Ticks of all cores together, idle included.
    pub(crate) machine_total: u64,
    /// Ticks of all cores spent neither idle nor waiting for I/O.
    pub(crate) machine_busy: u64,
    /// User and system ticks of the process.
    pub(crate) process: u64,
}

/// Share of the machine's CPU time between two samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CpuShares {
    /// Used by the sampled process, from 0 to 1.
    pub(crate) process: f64,
    /// Used by every other process, from 0 to 1.
    pub(crate) others: f64,
    /// CPU seconds of the sampled process.
    pub(crate) process_seconds: f64,
}

impl CpuSample {
    /// Reads the counters of the machine and of process `pid`, or returns
    /// `None` where `/proc` cannot be read.
    pub(crate) fn read(pid: u32) -> Option<CpuSample> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let process = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        CpuSample::parse(&stat, &process)
    }

    fn parse(stat: &str, process_stat: &str) -> Option<CpuSample> {
        let fields: Vec<u64> = stat
            .lines()
            .next()?
            .strip_prefix("cpu ")?
            .split_whitespace()
            .filter_map(|field| field.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal (guest time is
        // already part of user time).
        let total: u64 = fields.iter().take(8).sum();
        let idle = fields.get(3)? + fields.get(4).copied().unwrap_or(0);
        // The command name in brackets may contain spaces, so the fields
        // are counted after its closing bracket: utime and stime are the
        // 12th and 13th.
        let after_name = &process_stat[process_stat.rfind(')')? + 1..];
        let mut process_fields = after_name.split_whitespace().skip(11);
        let user: u64 = process_fields.next()?.parse().ok()?;
        let system: u64 = process_fields.next()?.parse().ok()?;
        Some(CpuSample { machine_total: total, machine_busy: total - idle, process: user + system })
    }

    /// Returns the shares of the machine used between `self` and `later`,
    /// which lasted `wall` seconds on `cores` cores.
    pub(crate) fn shares_until(&self, later: &CpuSample, cores: usize, wall: f64) -> Option<CpuShares> {
        let total = later.machine_total.checked_sub(self.machine_total)?;
        if total == 0 {
            return None;
        }
        let busy = later.machine_busy.checked_sub(self.machine_busy)? as f64;
        let process = later.process.checked_sub(self.process)? as f64;
        let total = total as f64;
        Some(CpuShares {
            process: process / total,
            others: ((busy - process) / total).max(0.0),
            process_seconds: process / total * cores as f64 * wall,
        })
    }
}

/// Returns today's date in UTC as `YYYY-MM-DD`.
pub(crate) fn utc_date() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Converts days since 1970-01-01 into a proleptic Gregorian date. The
/// calendar repeats every 400 years (146,097 days), and a year is counted
/// from March so that the leap day comes last.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_791), (2026, 12, 4));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn memory_in_gib() {
        let meminfo = "MemTotal:       24683828 kB\nMemFree:        1000 kB\n";
        let gib = memory_gib(meminfo).expect("MemTotal is present");
        assert!((gib - 23.54).abs() < 0.01, "{gib}");
        assert_eq!(memory_gib("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn cpu_shares_between_samples() {
        let process_stat = "42 (ogkit serve) S 1 42 42 0 -1 4194304 100 0 0 0 300 100 0 0 20 0 5";
        let before = CpuSample::parse("cpu  1000 0 500 8000 500 0 0 0 0 0\ncpu0 1 2 3\n", process_stat)
            .expect("the samples parse");
        assert_eq!(before, CpuSample { machine_total: 10_000, machine_busy: 1_500, process: 400 });

        let later = CpuSample { machine_total: 12_000, machine_busy: 3_100, process: 1_200 };
        let shares = before.shares_until(&later, 2, 10.0).expect("time has passed");
        assert!((shares.process - 0.4).abs() < 1e-9, "{shares:?}");
        assert!((shares.others - 0.4).abs() < 1e-9, "{shares:?}");
        assert!((shares.process_seconds - 8.0).abs() < 1e-9, "{shares:?}");
    }

    #[test]
    fn unreadable_process_stat_gives_none() {
        assert_eq!(CpuSample::parse("cpu  1 2 3 4\n", "no brackets here"), None);
        assert_eq!(CpuSample::parse("intr 5\n", "1 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13"), None);
    }

    #[test]
    fn longest_mount_point_wins() {
        let mounts = "/dev/vda / ext4 rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n/dev/vdb /work xfs rw 0 0\n";
        let found = file_system_of(mounts, Path::new("/work/main/target/bench"));
        assert_eq!(found, Some(("xfs".to_owned(), "/dev/vdb".to_owned())));
        let found = file_system_of(mounts, Path::new("/srv"));
        assert_eq!(found, Some(("ext4".to_owned(), "/dev/vda".to_owned())));
    }
}
