import AduanCore
import Foundation
import GRDB

/// A civic app's key to Open311: named, kept as a hash, revocable.
public struct APIKey: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let createdAt: Date
    public let revokedAt: Date?
    /// Complaints filed with it.
    public let requests: Int
    public let lastRequestAt: Date?

    init(row: Row) {
        self.id = row["id"]
        self.name = row["name"]
        self.createdAt = DatabaseTimestamp.date(row["created_at"]) ?? .distantPast
        self.revokedAt = (row["revoked_at"] as String?).flatMap(DatabaseTimestamp.date)
        self.requests = row["requests"] ?? 0
        self.lastRequestAt = (row["last_request_at"] as String?).flatMap(DatabaseTimestamp.date)
    }
}

extension Store {
    static let apiKeySQL = """
        SELECT k.id, k.name, k.created_at, k.revoked_at,
            (SELECT COUNT(*) FROM open311_request r WHERE r.api_key_id = k.id) AS requests,
            (SELECT MAX(c.created_at) FROM open311_request r JOIN complaint c ON c.id = r.complaint_id WHERE r.api_key_id = k.id)
                AS last_request_at
        FROM api_key k
        """

    /// Adds a key (its SHA-256 only) and records who added it.
    public func addAPIKey(name: String, keyHash: String, now: Date, operatorName: String) async throws -> APIKey {
        try await self.write { session in
            guard
                let id = try session.value(
                    Int64.self, "INSERT INTO api_key (name, key_hash, created_at) VALUES (?, ?, ?) RETURNING id",
                    [name, keyHash, DatabaseTimestamp.string(now)])
            else { throw StoredValueInvalid(table: "api_key", column: "id", value: "none returned") }
            try Self.appendAPIKeyEvent("added", id, now: now, operatorName: operatorName, session)
            return try APIKey(row: session.fetchOne(Self.apiKeySQL + " WHERE k.id = ?", [id])!)
        }
    }

    /// Revokes a key from now on; nil when there is no such key. Revoking twice keeps the first time.
    public func revokeAPIKey(id: Int64, now: Date, operatorName: String) async throws -> APIKey? {
        try await self.write { session in
            let revoked = try session.fetchAll(
                "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id", [DatabaseTimestamp.string(now), id])
            if !revoked.isEmpty { try Self.appendAPIKeyEvent("revoked", id, now: now, operatorName: operatorName, session) }
            return try session.fetchOne(Self.apiKeySQL + " WHERE k.id = ?", [id]).map(APIKey.init)
        }
    }

    /// Every key, revoked ones included, in the order they were added.
    public func apiKeys() async throws -> [APIKey] {
        try await self.read { session in try session.fetchAll(Self.apiKeySQL + " ORDER BY k.id").map(APIKey.init) }
    }

    /// The key with this hash, unless revoked: what an Open311 POST checks.
    public func apiKey(hash: String) async throws -> (id: Int64, name: String)? {
        try await self.read { session in
            try session.fetchOne("SELECT id, name FROM api_key WHERE key_hash = ? AND revoked_at IS NULL", [hash]).map {
                ($0["id"], $0["name"])
            }
        }
    }

    /// What was done to a key (added, revoked), oldest first.
    public func apiKeyEvents(id: Int64) async throws -> [(kind: String, at: Date, operatorName: String)] {
        try await self.read { session in
            try session.fetchAll("SELECT kind, at, operator FROM api_key_event WHERE api_key_id = ? ORDER BY id", [id])
                .map { ($0["kind"], DatabaseTimestamp.date($0["at"]) ?? .distantPast, $0["operator"]) }
        }
    }

    static func appendAPIKeyEvent(_ kind: String, _ id: Int64, now: Date, operatorName: String, _ session: some SQLSession) throws {
        try session.execute(
            "INSERT INTO api_key_event (api_key_id, kind, at, operator) VALUES (?, ?, ?, ?)",
            [id, kind, DatabaseTimestamp.string(now), String(operatorName.prefix(100))])
    }
}
