import AduanCore
import Foundation
import GRDB

extension Store {
    // MARK: - Writes

    /// Stores a new staff member with the hash of their token, and who added them, in one transaction.
    public func addStaff(
        name: String, role: StaffRole, opd: String?, tokenHash: String, now: Date, operatorName: String = "aduan"
    ) async throws -> StaffMember {
        try await self.write { session in
            guard
                let member = try session.fetchOne(
                    StaffRecord.self,
                    "INSERT INTO staff (name, role, opd, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL) RETURNING *",
                    [name, role, opd, tokenHash, DatabaseTimestamp.string(now.wholeMilliseconds)]
                )?.member
            else { throw StoredValueInvalid(table: StaffRecord.databaseTableName, column: "id", value: "none returned") }
            var details = ["name": name, "role": role.rawValue]
            if let opd { details["opd"] = opd }
            try Self.appendStaffEvent("added", member.id, now: now, operatorName: operatorName, details: details, session)
            return member
        }
    }

    /// Revokes a member's token from now on; nil when there is no such member. Revoking twice keeps the first time.
    public func revokeStaff(id: Int64, now: Date, operatorName: String = "aduan") async throws -> StaffMember? {
        try await self.write { session in
            let revoked = try session.fetchAll(
                "UPDATE staff SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id", [DatabaseTimestamp.string(now), id])
            if !revoked.isEmpty { try Self.appendStaffEvent("revoked", id, now: now, operatorName: operatorName, details: [:], session) }
            return try session.fetchOne(StaffRecord.self, "SELECT * FROM staff WHERE id = ?", [id])?.member
        }
    }

    static func appendStaffEvent(
        _ kind: String, _ staffID: Int64, now: Date, operatorName: String, details: [String: String], _ session: some SQLSession
    ) throws {
        try session.execute(
            "INSERT INTO staff_event (staff_id, kind, at, operator, details) VALUES (?, ?, ?, ?, ?)",
            [staffID, kind, DatabaseTimestamp.string(now), String(operatorName.prefix(100)), DetailsJSON.encode(details)])
    }

    /// The account history (added, revoked) of every member, oldest first: `(staff id, kind, at, operator)`.
    public func staffEvents() async throws -> [(staffID: Int64, kind: String, at: Date, operatorName: String)] {
        try await self.read { session in
            try session.fetchAll("SELECT staff_id, kind, at, operator FROM staff_event ORDER BY id").map {
                (staffID: $0["staff_id"], kind: $0["kind"], at: ($0["at"] as Date).nearestMillisecond, operatorName: $0["operator"])
            }
        }
    }

    // MARK: - Reads

    /// The active (not revoked) member holding the token with this hash.
    public func staff(tokenHash: String) async throws -> StaffMember? {
        try await self.read { session in
            // Every staff request asks this: one prepared statement, kept (SQLite).
            try session.fetchOne(StaffRecord.self, "SELECT * FROM staff WHERE token_hash = ? AND revoked_at IS NULL", [tokenHash])?.member
        }
    }

    /// Every member, revoked ones included, in the order they were added.
    public func staffMembers() async throws -> [StaffMember] {
        try await self.read { session in try session.fetchAll(StaffRecord.self, "SELECT * FROM staff ORDER BY id").map(\.member) }
    }

    /// The members with these ids, for naming the actors of an audit log.
    public func staffMembers(ids: Set<Int64>) async throws -> [Int64: StaffMember] {
        guard !ids.isEmpty else { return [:] }
        return try await self.lookUp { try $0.staffMembers(ids: ids) }
    }
}
