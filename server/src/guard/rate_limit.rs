//! Rate limit per client address.
//!
//! Client addresses never leave this module in clear: the limiter keys its
//! counters by SHA-256 of a random salt plus the address. The salt lives
//! only in memory and is replaced at midnight UTC together with all
//! counters, so yesterday's hashes cannot be matched to today's. IPv6
//! addresses count per /64 network, the block one household usually gets.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use ogkit_core::poll::Timestamp;
use sha2::{Digest as _, Sha256};

use super::GuardError;

/// Fixed-window limit of requests per client address and hour.
pub(crate) struct RateLimiter {
    limit_per_hour: u32,
    state: Mutex<LimiterState>,
}

struct LimiterState {
    day: i64,
    salt: [u8; 32],
    hour: i64,
    counts: HashMap<[u8; 32], u32>,
}

impl RateLimiter {
    /// Creates a limiter; `limit_per_hour` 0 switches it off.
    pub(crate) fn new(limit_per_hour: u32) -> RateLimiter {
        RateLimiter {
            limit_per_hour,
            state: Mutex::new(LimiterState {
                day: i64::MIN,
                salt: [0; 32],
                hour: i64::MIN,
                counts: HashMap::new(),
            }),
        }
    }

    /// Counts one request from `address` at `now`.
    ///
    /// # Errors
    ///
    /// Returns [`GuardError::RateLimited`] when the address has used up this
    /// hour's requests, and [`GuardError::Internal`] when no random salt
    /// could be drawn.
    pub(crate) fn check(&self, address: IpAddr, now: Timestamp) -> Result<(), GuardError> {
        if self.limit_per_hour == 0 {
            return Ok(());
        }
        let seconds = now.as_unix_seconds();
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let day = seconds.div_euclid(86_400);
        if state.day != day {
            let mut salt = [0; 32];
            getrandom::fill(&mut salt)
                .map_err(|error| GuardError::Internal(anyhow::anyhow!("rate limiter: no random salt: {error}")))?;
            state.salt = salt;
            state.day = day;
            state.counts.clear();
        }
        let hour = seconds.div_euclid(3600);
        if state.hour != hour {
            state.hour = hour;
            state.counts.clear();
        }

        let mut hasher = Sha256::new();
        hasher.update(state.salt);
        match address {
            IpAddr::V4(v4) => hasher.update(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => hasher.update(v4.octets()),
                None => hasher.update(&v6.octets()[..8]),
            },
        }
        let key: [u8; 32] = hasher.finalize().into();
        let count = state.counts.entry(key).or_insert(0);
        if *count >= self.limit_per_hour {
            let retry_after_seconds = u64::try_from(3600 - seconds.rem_euclid(3600)).unwrap_or(3600);
            return Err(GuardError::RateLimited { retry_after_seconds });
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_stops_after_limit() {
        let limiter = RateLimiter::new(3);
        let address: IpAddr = [192, 0, 2, 7].into();
        let now = Timestamp(1_800_000_000);
        for _ in 0..3 {
            assert!(limiter.check(address, now).is_ok());
        }
        assert!(matches!(limiter.check(address, now), Err(GuardError::RateLimited { .. })));
        assert!(limiter.check([192, 0, 2, 8].into(), now).is_ok());
        assert!(limiter.check(address, Timestamp(now.0 + 3600)).is_ok());
    }

    #[test]
    fn limiter_groups_ipv6_by_network() {
        let limiter = RateLimiter::new(1);
        let now = Timestamp(1_800_000_000);
        let first: IpAddr = "2001:db8:1:2::1".parse().expect("a valid address");
        let same_network: IpAddr = "2001:db8:1:2::99".parse().expect("a valid address");
        assert!(limiter.check(first, now).is_ok());
        assert!(limiter.check(same_network, now).is_err());
    }
}
