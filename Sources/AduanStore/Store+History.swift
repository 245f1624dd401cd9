import AduanCore
import Foundation
import GRDB

extension Store {
    /// Files complaints together with the workflow steps already decided for them, in one transaction: for demo data,
    /// whose histories are replayed through the real workflow at past instants. `history` gets each complaint as filed
    /// and returns its transitions in order; each is applied as a staff action would be (state and events together).
    /// `supporters`, if given, gets each public complaint as filed and returns the instants of the +1s it received:
    /// each is a `support` row of a demo device (`d:demo-<complaint id>-<n>`, no real device's hash), added before the
    /// history so that a merge carries it over as it would a real one; the table's triggers keep `support_count`.
    /// Synchronous, for the admin CLI: a seed of a million complaints runs as a long series of these batches. Nothing is
    /// announced: these are past events, not news for subscribers or reporters.
    public func fileWithHistories(
        _ filings: [Filing], supporters: ((Complaint) -> [Date])? = nil, history: (Complaint) throws -> [Transition]
    ) throws {
        try self.writer.write { db in
            for filing in filings {
                guard case .created(let complaint) = try Self.insert(filing, announce: false, counting: nil, db) else { continue }
                if let supporters, complaint.visibility == .public {
                    let instants = supporters(complaint)
                    if !instants.isEmpty {
                        let statement = try db.cachedStatement(
                            sql: "INSERT INTO support (complaint_id, supporter, created_at) VALUES (?, ?, ?)")
                        for (n, instant) in instants.enumerated() {
                            try statement.execute(
                                arguments: [complaint.id, "d:demo-\(complaint.id)-\(n + 1)", DatabaseTimestamp.string(instant)])
                        }
                    }
                }
                for transition in try history(complaint) { try Self.apply(transition, to: complaint, announce: false, counting: nil, db) }
            }
        }
    }
}
