import Foundation

/// The settings for running on the open internet and for an operator: rate limits, the proxies whose forwarded
/// addresses are believed, queue bounds, who may read `/metrics`, and the log format. Kept apart from
/// `ServerConfig.swift`, which holds the domain's settings.
extension ServerConfig {
    static let hardeningKeys: [(key: String, env: String)] =
        RateLimitedAction.allCases.map {
            ("rate_limit_\($0.rawValue)_per_minute", "ADUAN_RATE_LIMIT_\($0.rawValue.uppercased())_PER_MINUTE")
        }
        + [
            ("trusted_proxies", "ADUAN_TRUSTED_PROXIES"), ("submission_queue", "ADUAN_SUBMISSION_QUEUE"),
            ("metrics_allow", "ADUAN_METRICS_ALLOW"), ("log_format", "ADUAN_LOG_FORMAT"),
            ("idle_timeout", "ADUAN_IDLE_TIMEOUT"), ("read_timeout", "ADUAN_READ_TIMEOUT"),
            ("request_time_limit", "ADUAN_REQUEST_TIME_LIMIT"),
            ("max_connections", "ADUAN_MAX_CONNECTIONS"), ("reporter_comments_per_day", "ADUAN_REPORTER_COMMENTS_PER_DAY"),
            ("staff_token_days", "ADUAN_STAFF_TOKEN_DAYS"),
        ]

    /// Applies one of `hardeningKeys`; false when `key` is not one of them.
    mutating func setHardening(_ key: String, _ value: String, source: String) throws -> Bool {
        func invalid(_ message: String) -> Invalid { Invalid(source: source, key: key, message: message) }
        if let action = RateLimitedAction.allCases.first(where: { key == "rate_limit_\($0.rawValue)_per_minute" }) {
            guard let count = Int(value), (0...1_000_000).contains(count) else {
                throw invalid("'\(value)' must be a number of requests per minute from 0 (off) to 1000000")
            }
            self.rateLimits.perMinute[action] = count
            return true
        }
        switch key {
        case "trusted_proxies":
            guard let proxies = NetworkList(parsing: value) else {
                throw invalid("'\(value)' must be a comma-separated list of addresses or networks such as 127.0.0.1, 10.0.0.0/8")
            }
            self.trustedProxies = proxies
        case "metrics_allow":
            guard let networks = NetworkList(parsing: value) else {
                throw invalid("'\(value)' must be a comma-separated list of addresses or networks (empty: nobody)")
            }
            self.metricsAllowed = networks
        case "idle_timeout":
            guard let seconds = Int(value), (1...3600).contains(seconds) else { throw invalid("'\(value)' must be 1-3600 seconds") }
            self.idleTimeout = seconds
        case "read_timeout":
            guard let seconds = Int(value), (1...3600).contains(seconds) else { throw invalid("'\(value)' must be 1-3600 seconds") }
            self.readTimeout = seconds
        case "request_time_limit":
            guard let seconds = Int(value), (1...86_400).contains(seconds) else { throw invalid("'\(value)' must be 1-86400 seconds") }
            self.requestTimeLimit = seconds
        case "max_connections":
            guard let count = Int(value), (1...1_000_000).contains(count) else { throw invalid("'\(value)' must be 1-1000000") }
            self.maxConnections = count
        case "reporter_comments_per_day":
            guard let count = Int(value), (0...10_000).contains(count) else { throw invalid("'\(value)' must be 0 (no cap) to 10000") }
            self.reporterCommentsPerDay = count
        case "staff_token_days":
            guard let days = Double(value), days.isFinite, (0...3650).contains(days) else {
                throw invalid("'\(value)' must be 0 (until revoked) to 3650 days")
            }
            self.staffTokenLifetime = days == 0 ? nil : days * 86_400
        case "log_format":
            guard let format = LogFormat(rawValue: value) else { throw invalid("'\(value)' must be text or json") }
            self.logFormat = format
        case "submission_queue":
            guard let count = Int(value), (1...1_000_000).contains(count) else { throw invalid("'\(value)' must be 1-1000000 filings") }
            self.submissionQueue = count
        default:
            return false
        }
        return true
    }
}

/// How the server writes its log: lines for people, or JSON objects for a collector.
public enum LogFormat: String, Sendable {
    case text, json
}
