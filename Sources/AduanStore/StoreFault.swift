import Foundation
import GRDB

/// Faults of the database that are not the request's doing and pass: a lock held past the busy timeout, a full disk,
/// a file that became read-only, an I/O error. Callers answer "try again" (503), never "bug" (500); the transaction
/// rolled back, so nothing was acknowledged, and the next one works once the cause is gone.
public enum StoreFault: String, Sendable {
    case busy = "database busy"
    case submissionQueueFull = "submission queue full"
    case diskFull = "disk full"
    case readOnly = "database read-only"
    case ioError = "database I/O error"
    /// A database server that cannot be reached or did not answer within its deadline (PostgreSQL).
    case unavailable = "database unavailable"

    /// The fault `error` is, or nil for any other error.
    public init?(_ error: any Error) {
        if case StoreError.submissionQueueFull = error {
            self = .submissionQueueFull
            return
        }
        if error is DatabaseUnavailable {
            self = .unavailable
            return
        }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy
        case .SQLITE_FULL: self = .diskFull
        case .SQLITE_READONLY: self = .readOnly
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PROTOCOL, .SQLITE_NOLFS: self = .ioError
        default: return nil
        }
    }

    /// Seconds a client should wait: a queue or a lock clears in moments, a disk needs an operator.
    public var retryAfter: Int {
        switch self {
        case .busy, .submissionQueueFull: return 2
        case .unavailable: return 5
        case .diskFull, .readOnly, .ioError: return 30
        }
    }
}

/// A database server that could not be reached, or did not answer within the deadline put on every use of it. Nothing
/// was acknowledged. Work still running when the deadline passed rolls back; only a commit cut off by a lost
/// connection may have happened anyway, which is why filings carry an Idempotency-Key to be tried again safely.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ reason: String) { self.description = "database unavailable: \(reason)" }
}
