import Foundation

/// Which database the server runs on: the SQLite file (`db`, the default), or a PostgreSQL server that several
/// aduan-servers share (`database_url`). The choice is made once, at start-up; nothing above the store knows it.
extension ServerConfig {
    static let databaseKeys: [(key: String, env: String)] = [
        ("database_url", "ADUAN_DATABASE_URL"), ("database_pool_size", "ADUAN_DATABASE_POOL_SIZE"),
        ("database_timeout", "ADUAN_DATABASE_TIMEOUT"),
    ]

    /// Applies one of `databaseKeys`; false when `key` is not one of them.
    mutating func setDatabase(_ key: String, _ value: String, source: String) throws -> Bool {
        func invalid(_ message: String) -> Invalid { Invalid(source: source, key: key, message: message) }
        switch key {
        case "database_url":
            // Empty: the SQLite file. The URL itself is read (and refused with its reason) when the server starts.
            guard value.isEmpty || value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
                throw invalid("must be a postgres:// URL (or empty for the SQLite file)")
            }
            self.databaseURL = value.isEmpty ? nil : value
        case "database_pool_size":
            guard let size = Int(value), (1...1000).contains(size) else { throw invalid("'\(value)' must be 1-1000 connections") }
            self.databasePoolSize = size
        case "database_timeout":
            guard let seconds = Int(value), (1...600).contains(seconds) else { throw invalid("'\(value)' must be 1-600 seconds") }
            self.databaseTimeout = seconds
        default:
            return false
        }
        return true
    }
}
