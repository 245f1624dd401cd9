import AduanCore
import Foundation
import GRDB

/// A government system subscribed to events: one office's complaints (those forwarded to it and escalations to it
/// included) or, without an office, the whole province's.
public struct WebhookSubscription: Sendable, Hashable {
    public let id: Int64
    public let url: String
    public let opd: String?
    /// The event types it receives; nil for all.
    public let events: [String]?
    public let enabled: Bool
    public let disabledReason: String?
    public let disabledAt: Date?
    public let consecutiveFailures: Int
    public let failingSince: Date?
    public let lastSuccessAt: Date?
    /// Until when the secret before the last rotation still signs.
    public let previousSecretUntil: Date?
    public let createdAt: Date
    public let createdBy: String
    let lastEventID: Int64

    /// Whether this subscription receives an event.
    public func receives(_ event: OutboxEvent) -> Bool {
        if let opd, !event.announcement.offices.contains(opd) { return false }
        if let events, !events.contains(event.announcement.kind.rawValue) { return false }
        return true
    }

    init(row: Row) {
        self.id = row["id"]
        self.url = row["url"]
        self.opd = row["opd"]
        self.events = (row["events"] as String?).map { $0.split(separator: ",").map(String.init) }
        self.enabled = row["enabled"]
        self.disabledReason = row["disabled_reason"]
        self.disabledAt = (row["disabled_at"] as String?).flatMap(DatabaseTimestamp.date)
        self.consecutiveFailures = row["consecutive_failures"]
        self.failingSince = (row["failing_since"] as String?).flatMap(DatabaseTimestamp.date)
        self.lastSuccessAt = (row["last_success_at"] as String?).flatMap(DatabaseTimestamp.date)
        self.previousSecretUntil = (row["previous_secret_until"] as String?).flatMap(DatabaseTimestamp.date)
        self.createdAt = DatabaseTimestamp.date(row["created_at"]) ?? .distantPast
        self.createdBy = row["created_by"]
        self.lastEventID = row["last_event_id"]
    }
}

extension Store {
    // MARK: - Subscriptions (operators, on the database file)

    /// Adds a subscription that receives the events announced from now on. `sealedSecret` is its signing key sealed
    /// with the server's key.
    public func addSubscription(
        url: String, opd: String?, events: [String]?, sealedSecret: [UInt8], by operatorName: String, now: Date
    ) async throws -> WebhookSubscription {
        try await self.write { session in
            let at = DatabaseTimestamp.string(now)
            // From the outbox's end as it is now: on several servers, after every event committed before this.
            try session.serialize(on: .outbox)
            guard
                let id = try session.value(
                    Int64.self,
                    """
                    INSERT INTO webhook_subscription (url, opd, events, secret_sealed, last_event_id, created_at, created_by)
                    VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM outbox_event), ?, ?) RETURNING id
                    """, [url, opd, events?.joined(separator: ","), Data(sealedSecret), at, operatorName])
            else { throw StoredValueInvalid(table: "webhook_subscription", column: "id", value: "none returned") }
            try Self.logWebhook(id, "added", detail: url, by: operatorName, at: now, session)
            return try Self.subscription(id, session)!
        }
    }

    public func subscriptions() async throws -> [WebhookSubscription] {
        try await self.read { session in try Self.subscriptions(enabledOnly: false, session) }
    }

    public func subscription(id: Int64) async throws -> WebhookSubscription? {
        try await self.read { session in try Self.subscription(id, session) }
    }

    /// Switches a subscription off or on; nil when there is none. Switching on clears its failures: deliveries resume
    /// where they stopped.
    public func setSubscription(
        id: Int64, enabled: Bool, reason: String?, by operatorName: String, now: Date
    ) async throws -> WebhookSubscription? {
        try await self.write { session in
            guard try Self.subscription(id, session) != nil else { return nil }
            try Self.setEnabled(id, enabled, reason: reason, by: operatorName, at: now, session)
            return try Self.subscription(id, session)
        }
    }

    /// Replaces the signing key; the one it replaces keeps signing beside it until `graceUntil`.
    public func rotateSecret(id: Int64, sealedSecret: [UInt8], graceUntil: Date, by operatorName: String, now: Date) async throws -> Bool {
        try await self.write { session in
            let rotated = try session.fetchAll(
                """
                UPDATE webhook_subscription SET previous_secret_sealed = secret_sealed, previous_secret_until = ?, secret_sealed = ?
                WHERE id = ? RETURNING id
                """, [DatabaseTimestamp.string(graceUntil), Data(sealedSecret), id])
            guard !rotated.isEmpty else { return false }
            try Self.logWebhook(
                id, "secret_rotated", detail: "old secret signs until \(DatabaseTimestamp.string(graceUntil))", by: operatorName, at: now,
                session)
            return true
        }
    }

    /// The signing keys of a subscription, sealed: the current one, and the previous one while it still signs.
    public func sealedSecrets(subscriptionID: Int64, now: Date) async throws -> [[UInt8]] {
        try await self.read { session in
            guard let row = try session.fetchOne("SELECT * FROM webhook_subscription WHERE id = ?", [subscriptionID]) else { return [] }
            return Self.sealedSecrets(row, now: now)
        }
    }

    static func sealedSecrets(_ row: Row, now: Date) -> [[UInt8]] {
        var secrets = [Array(row["secret_sealed"] as Data)]
        if let previous = row["previous_secret_sealed"] as Data?,
            let until = (row["previous_secret_until"] as String?).flatMap(DatabaseTimestamp.date),
            until > now
        {
            secrets.append(Array(previous))
        }
        return secrets
    }

    /// What happened to a subscription, newest first.
    public func webhookLog(subscriptionID: Int64) async throws -> [(action: String, detail: String?, by: String, at: Date)] {
        try await self.read { session in
            try session.fetchAll("SELECT * FROM webhook_log WHERE subscription_id = ? ORDER BY id DESC", [subscriptionID]).map {
                ($0["action"], $0["detail"], $0["by"], DatabaseTimestamp.date($0["at"]) ?? .distantPast)
            }
        }
    }

    static func subscriptions(enabledOnly: Bool, _ session: some SQLSession) throws -> [WebhookSubscription] {
        try session.fetchAll("SELECT * FROM webhook_subscription \(enabledOnly ? "WHERE enabled = 1" : "") ORDER BY id")
            .map(WebhookSubscription.init(row:))
    }

    static func subscription(_ id: Int64, _ session: some SQLSession) throws -> WebhookSubscription? {
        try session.fetchOne("SELECT * FROM webhook_subscription WHERE id = ?", [id]).map(WebhookSubscription.init(row:))
    }

    static func setEnabled(_ id: Int64, _ enabled: Bool, reason: String?, by: String, at now: Date, _ session: some SQLSession) throws {
        let at = DatabaseTimestamp.string(now)
        let changed =
            enabled
            ? try session.fetchAll(
                """
                UPDATE webhook_subscription SET enabled = 1, disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0,
                    failing_since = NULL WHERE id = ? AND enabled = 0 RETURNING id
                """, [id])
            : try session.fetchAll(
                "UPDATE webhook_subscription SET enabled = 0, disabled_reason = ?, disabled_at = ? WHERE id = ? AND enabled = 1 RETURNING id",
                [reason, at, id])
        if !changed.isEmpty { try Self.logWebhook(id, enabled ? "enabled" : "disabled", detail: reason, by: by, at: now, session) }
    }

    static func logWebhook(_ id: Int64, _ action: String, detail: String?, by: String, at now: Date, _ session: some SQLSession) throws {
        try session.execute(
            "INSERT INTO webhook_log (subscription_id, action, detail, by, at) VALUES (?, ?, ?, ?, ?)",
            [id, action, detail.map { String($0.prefix(500)) }, String(by.prefix(100)), DatabaseTimestamp.string(now)])
    }
}
