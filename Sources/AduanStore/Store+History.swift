import AduanCore
import Foundation
import GRDB

extension Store {
    /// Files complaints together with the workflow steps already decided for them, in one transaction: for demo data,
    /// whose histories are replayed through the real workflow at past instants. `history` gets each complaint as filed
    /// and returns its transitions in order; each is applied as a staff action would be (state and events together).
    /// Synchronous, for the admin CLI: a seed of a million complaints runs as a long series of these batches. Nothing is
    /// announced: these are past events, not news for subscribers or reporters.
    public func fileWithHistories(_ filings: [Filing], history: (Complaint) throws -> [Transition]) throws {
        try self.writer.write { db in
            for filing in filings {
                guard case .created(let complaint) = try Self.insert(filing, announce: false, db) else { continue }
                for transition in try history(complaint) { try Self.apply(transition, to: complaint, announce: false, db) }
            }
        }
    }
}
