import AduanCore
import Foundation
import GRDB

/// Who gives a +1: a signed-in citizen, or a device without an account (kept as a hash of its id). A merge adds the
/// reporter of the duplicate too, standing for them by the duplicate's id until they claim it.
public enum Supporter: Sendable, Hashable {
    case citizen(Int64)
    case device(idHash: String)
    case duplicateReporter(complaintID: Int64)

    var key: String {
        switch self {
        case .citizen(let id): return "c:\(id)"
        case .device(let hash): return "d:\(hash)"
        case .duplicateReporter(let id): return "r:\(id)"
        }
    }
}

/// What a +1 or its withdrawal found.
public enum SupportOutcome: Sendable, Equatable {
    /// The complaint's count now, and whether this supporter is counted in it.
    case counted(supportCount: Int, supporting: Bool)
    /// No public complaint has this ticket.
    case notFound
    /// Settled complaints take no new support.
    case notOpen(status: ComplaintStatus)
    /// A citizen does not support their own complaint.
    case ownComplaint
}

extension Store {
    /// Adds the supporter's +1 to a public open complaint; a second +1 changes nothing.
    public func support(ticket: Ticket, by supporter: Supporter, now: Date) async throws -> SupportOutcome {
        try await self.write { session in
            guard let complaint = try Self.publicComplaint(ticket, session) else { return .notFound }
            guard complaint.status.isOpen else { return .notOpen(status: complaint.status) }
            if case .citizen(let id) = supporter, complaint.reporter.account == id { return .ownComplaint }
            try session.execute(
                "INSERT INTO support (complaint_id, supporter, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [complaint.id, supporter.key, DatabaseTimestamp.string(now)])
            return .counted(supportCount: try Self.supportCount(complaint.id, session), supporting: true)
        }
    }

    /// Withdraws the supporter's +1 (at any status); withdrawing one never given changes nothing.
    public func withdrawSupport(ticket: Ticket, by supporter: Supporter) async throws -> SupportOutcome {
        try await self.write { session in
            guard let complaint = try Self.publicComplaint(ticket, session) else { return .notFound }
            try session.execute("DELETE FROM support WHERE complaint_id = ? AND supporter = ?", [complaint.id, supporter.key])
            return .counted(supportCount: try Self.supportCount(complaint.id, session), supporting: false)
        }
    }

    /// Whether this supporter counts in the complaint's support.
    public func isSupporting(complaintID: Int64, _ supporter: Supporter) async throws -> Bool {
        try await self.read { session in
            try session.value(Bool.self, "SELECT 1 FROM support WHERE complaint_id = ? AND supporter = ?", [complaintID, supporter.key]) ?? false
        }
    }

    /// A merge carries the duplicate's support over to its target, and its reporter too (their account, or the
    /// duplicate itself standing for them), each counted once. Part of the merge's transaction.
    static func carrySupport(from duplicate: Complaint, into target: Ticket, at now: Date, _ session: some SQLSession) throws {
        guard let targetRow = try session.fetchOne("SELECT id, citizen_id FROM complaint WHERE ticket = ?", [target.rawValue]) else {
            return
        }
        let targetID: Int64 = targetRow["id"]
        // The target's own reporter never supports their own complaint, whether they supported the duplicate or filed it.
        let owner = (targetRow["citizen_id"] as Int64?).map { Supporter.citizen($0).key } ?? ""
        try session.execute(
            """
            INSERT INTO support (complaint_id, supporter, created_at)
            SELECT ?, supporter, created_at FROM support WHERE complaint_id = ? AND supporter <> ?
            ON CONFLICT DO NOTHING
            """, [targetID, duplicate.id, owner])
        let reporter = duplicate.reporter.account.map(Supporter.citizen) ?? .duplicateReporter(complaintID: duplicate.id)
        guard reporter.key != owner else { return }
        try session.execute(
            "INSERT INTO support (complaint_id, supporter, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [targetID, reporter.key, DatabaseTimestamp.string(now)])
    }

    static func publicComplaint(_ ticket: Ticket, _ session: some SQLSession) throws -> Complaint? {
        try StoreLookup.complaint(ticket: ticket, proof: nil, session).flatMap { $0.visibility == .public ? $0 : nil }
    }

    static func supportCount(_ complaintID: Int64, _ session: some SQLSession) throws -> Int {
        try session.value(Int.self, "SELECT support_count FROM complaint WHERE id = ?", [complaintID]) ?? 0
    }
}
