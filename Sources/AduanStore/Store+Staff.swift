import AduanCore
import Foundation
import GRDB

extension Store {
    // MARK: - Writes

    /// Stores a new staff member with the hash of their token, and who added them, in one transaction.
    public func addStaff(
        name: String, role: StaffRole, opd: String?, tokenHash: String, now: Date, operatorName: String = "aduan"
    ) async throws -> StaffMember {
        try await self.writer.write { db in
            let member = try StaffRecord(
                StaffMember(id: 0, name: name, role: role, opd: opd, createdAt: now.wholeMilliseconds, revokedAt: nil),
                tokenHash: tokenHash
            ).inserted(db).member
            var details = ["name": name, "role": role.rawValue]
            if let opd { details["opd"] = opd }
            try Self.appendStaffEvent("added", member.id, now: now, operatorName: operatorName, details: details, db)
            return member
        }
    }

    /// Revokes a member's token from now on; nil when there is no such member. Revoking twice keeps the first time.
    public func revokeStaff(id: Int64, now: Date, operatorName: String = "aduan") async throws -> StaffMember? {
        try await self.writer.write { db in
            try db.execute(
                sql: "UPDATE staff SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [DatabaseTimestamp.string(now), id])
            if db.changesCount > 0 { try Self.appendStaffEvent("revoked", id, now: now, operatorName: operatorName, details: [:], db) }
            return try StaffRecord.fetchOne(db, key: id)?.member
        }
    }

    static func appendStaffEvent(
        _ kind: String, _ staffID: Int64, now: Date, operatorName: String, details: [String: String], _ db: Database
    ) throws {
        try db.execute(
            sql: "INSERT INTO staff_event (staff_id, kind, at, operator, details) VALUES (?, ?, ?, ?, ?)",
            arguments: [staffID, kind, DatabaseTimestamp.string(now), String(operatorName.prefix(100)), DetailsJSON.encode(details)])
    }

    /// The account history (added, revoked) of every member, oldest first: `(staff id, kind, at, operator)`.
    public func staffEvents() async throws -> [(staffID: Int64, kind: String, at: Date, operatorName: String)] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT staff_id, kind, at, operator FROM staff_event ORDER BY id").map {
                (staffID: $0["staff_id"], kind: $0["kind"], at: ($0["at"] as Date).nearestMillisecond, operatorName: $0["operator"])
            }
        }
    }

    // MARK: - Reads

    /// The active (not revoked) member holding the token with this hash.
    public func staff(tokenHash: String) async throws -> StaffMember? {
        try await self.writer.read { db in
            // Every staff request asks this: one prepared statement, kept.
            try StaffRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM staff WHERE token_hash = ? AND revoked_at IS NULL"), arguments: [tokenHash]
            )?.member
        }
    }

    /// Every member, revoked ones included, in the order they were added.
    public func staffMembers() async throws -> [StaffMember] {
        try await self.writer.read { db in
            try StaffRecord.order(StaffRecord.Columns.id).fetchAll(db).map(\.member)
        }
    }

    /// The members with these ids, for naming the actors of an audit log.
    public func staffMembers(ids: Set<Int64>) async throws -> [Int64: StaffMember] {
        guard !ids.isEmpty else { return [:] }
        return try await self.lookUp { try $0.staffMembers(ids: ids) }
    }
}
