//! Helpers shared by the benchmarks: what machine they ran on, and percentiles.
#![allow(dead_code)]

use std::fmt::Write as _;

/// CPU model, logical CPUs, whether it is a virtual machine, and the kernel release:
/// `AMD EPYC, 2 CPUs (virtual machine), Linux 6.18.44`.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
        .map_or("unknown CPU", |(_, m)| m.trim());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let vm = cpuinfo
        .lines()
        .any(|l| l.starts_with("flags") && l.split_whitespace().any(|f| f == "hypervisor"));
    format!(
        "{model}, {cpus} CPUs{}, Linux {}",
        if vm { " (virtual machine)" } else { "" },
        kernel.trim()
    )
}

/// The load average over the last minute, as `uptime` shows it (`null` if unknown).
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "null".to_owned())
}

/// The nearest-rank percentile `p` (0 to 1) of `sorted` (not empty, ascending).
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> T {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `s` as a JSON string, quotes included.
pub fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
