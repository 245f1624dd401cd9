import Foundation

/// When a failed delivery is tried again, and when a receiver that keeps failing is switched off.
public struct DeliveryPolicy: Sendable, Equatable {
    /// The waits after the 1st, 2nd... failed attempt; after the last, the delivery is a dead letter. The default spans
    /// about two days (5 s, 30 s, 2 min, 10 min, 30 min, 1, 2, 4, 8, 12 and 16 h).
    public var retryDelays: [TimeInterval] = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 57_600]
    /// Each wait is stretched or shrunk by up to this share at random, so that retries after an outage spread out.
    public var jitter = 0.2
    /// A `Retry-After` is honoured up to this wait.
    public var maxRetryAfter: TimeInterval = 86_400
    /// A subscription is disabled when every attempt has failed for this long, and at least `disableAfterFailures`
    /// times: longer than the retry schedule, so that one outage the schedule rides out never disables it.
    public var disableAfter: TimeInterval = 3 * 86_400
    public var disableAfterFailures = 10

    public init() {}

    /// The wait before the next attempt after `attempts` failed ones, or nil when the schedule is spent. `random` is
    /// in 0...1.
    public func nextDelay(afterAttempts attempts: Int, retryAfter: TimeInterval?, random: Double) -> TimeInterval? {
        guard attempts >= 1, attempts <= self.retryDelays.count else { return nil }
        let base = self.retryDelays[attempts - 1]
        let jittered = base * (1 + self.jitter * (2 * random - 1))
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, self.maxRetryAfter))
    }

    /// Whether a subscription failing since `failingSince`, `failures` times in a row, should be switched off at `now`.
    public func shouldDisable(failingSince: Date?, failures: Int, now: Date) -> Bool {
        guard let failingSince else { return false }
        return failures >= self.disableAfterFailures && now.timeIntervalSince(failingSince) >= self.disableAfter
    }

    /// Reads a list such as `5s,30s,2m,1h` (bare numbers are seconds); nil when an entry is not a positive duration.
    public static func parseDelays(_ text: String) -> [TimeInterval]? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let delays = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }.map { entry -> TimeInterval? in
            guard let last = entry.last else { return nil }
            let (number, unit) = units[last].map { (entry.dropLast(), $0) } ?? (Substring(entry), 1)
            guard let value = Double(number), value.isFinite, value > 0 else { return nil }
            return value * unit
        }
        guard !delays.isEmpty, !delays.contains(nil) else { return nil }
        return delays.compactMap { $0 }
    }
}
