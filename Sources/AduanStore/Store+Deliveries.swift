import AduanCore
import Foundation
import GRDB

/// One delivery as operators see it.
public struct DeliveryInfo: Sendable, Hashable {
    public enum State: String, Sendable { case pending, delivered, failed, cancelled }
    public let id: Int64
    public let target: String
    public let subscriptionID: Int64?
    public let ticket: Ticket?
    public let type: String
    public let messageID: String
    public let state: State
    public let attempts: Int
    public let nextAttemptAt: Date?
    public let lastAttemptAt: Date?
    public let lastStatus: Int?
    public let lastError: String?
    public let createdAt: Date
    public let deliveredAt: Date?
}

/// A delivery whose turn has come, with what sending it needs.
public struct DueDelivery: Sendable {
    public let id: Int64
    public let target: String
    public let subscriptionID: Int64?
    public let complaintID: Int64?
    public let type: String
    public let messageID: String
    public let body: String
    /// Failed attempts so far.
    public let attempts: Int
    /// A webhook's address and sealed signing keys (the previous one while it still signs).
    public let url: String?
    public let sealedSecrets: [[UInt8]]
    /// A reporter's message: their phone (sealed, for an anonymous reporter), and whether they still want messages.
    public let reporterPhone: String?
    public let reporterPhoneSealed: [UInt8]?
    public let notifyReporter: Bool
}

/// How one attempt ended, and what follows.
public enum AttemptOutcome: Sendable, Equatable {
    case delivered(status: Int)
    /// Failed; tried again at `retryAt`, or a dead letter when nil.
    case failed(status: Int?, error: String, retryAt: Date?)
    /// The receiver answered 410 Gone: its subscription is switched off, the delivery waits in case it is switched on.
    case gone
    /// Not to be sent any more (the reporter turned messages off, or gave no phone).
    case cancelled(reason: String)
}

extension Store {
    /// The deliveries due at `now`: for each target and complaint only the oldest pending one, so that a receiver gets a
    /// complaint's events in order, and none in `excluding` (in flight). Disabled subscriptions' deliveries wait.
    public func dueDeliveries(now: Date, limit: Int, excluding: Set<Int64>) async throws -> [DueDelivery] {
        let excluded = excluding.isEmpty ? "" : "AND d.id NOT IN (\(excluding.map(String.init).joined(separator: ",")))"
        return try await self.read { session in
            try session.fetchAll(
                """
                SELECT d.id, d.target, d.subscription_id, d.complaint_id, d.type, d.message_id, d.body, d.attempts,
                    s.url, s.secret_sealed, s.previous_secret_sealed, s.previous_secret_until, c.reporter_phone, c.reporter_phone_sealed,
                    c.notify_reporter
                FROM delivery d
                LEFT JOIN webhook_subscription s ON s.id = d.subscription_id
                LEFT JOIN complaint c ON c.id = d.complaint_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= ? \(excluded)
                    AND (d.subscription_id IS NULL OR s.enabled = 1)
                    AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.state = 'pending' AND e.target = d.target
                        AND e.complaint_id = d.complaint_id AND e.id < d.id)
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """, [DatabaseTimestamp.string(now), limit]
            ).map { row in
                DueDelivery(
                    id: row["id"], target: row["target"], subscriptionID: row["subscription_id"], complaintID: row["complaint_id"],
                    type: row["type"], messageID: row["message_id"], body: row["body"], attempts: row["attempts"], url: row["url"],
                    sealedSecrets: row["secret_sealed"] == nil ? [] : Self.sealedSecrets(row, now: now),
                    reporterPhone: row["reporter_phone"], reporterPhoneSealed: (row["reporter_phone_sealed"] as Data?).map { Array($0) },
                    notifyReporter: (row["notify_reporter"] as Bool?) ?? false)
            }
        }
    }

    /// Takes deliveries for this server to attempt now. On a database server that several share, each is leased until
    /// `until` (its next attempt moved there) so that no other server sends it meanwhile, and one another server took
    /// first is left out; if this server dies, the lease runs out and another sends it (at least once). One SQLite
    /// file has one server, whose dispatcher keeps its own deliveries in flight apart: all are its.
    public func claimDeliveries(_ ids: [Int64], now: Date, until: Date) async throws -> Set<Int64> {
        guard case .server = self.engine, !ids.isEmpty else { return Set(ids) }
        return try await self.write { session in
            Set(
                try session.values(
                    Int64.self,
                    """
                    UPDATE delivery SET next_attempt_at = ?
                    WHERE \(session.dialect.inIDs) AND state = 'pending' AND next_attempt_at <= ?
                    RETURNING id
                    """,
                    [
                        DatabaseTimestamp.string(until), SQLDialect.idArray(ids),
                        DatabaseTimestamp.string(now),
                    ]))
        }
    }

    /// When the next pending delivery falls due after `now`, if any (those due already are either started or wait
    /// behind an earlier one of their line).
    public func nextDeliveryDue(after now: Date) async throws -> Date? {
        try await self.read { session in
            try session.value(
                String.self, "SELECT MIN(next_attempt_at) FROM delivery WHERE state = 'pending' AND next_attempt_at > ?",
                [DatabaseTimestamp.string(now)]
            ).flatMap(DatabaseTimestamp.date)
        }
    }

    /// Records attempts in one transaction, with their subscriptions' run of failures: a success ends it, a 410 switches
    /// the subscription off, and so does failing without a break for as long as `policy` allows. Returns the
    /// subscriptions switched off.
    @discardableResult
    public func recordAttempts(
        _ attempts: [(delivery: DueDelivery, outcome: AttemptOutcome)], policy: DeliveryPolicy, now: Date
    ) async throws -> [(id: Int64, reason: String)] {
        guard !attempts.isEmpty else { return [] }
        return try await self.relaxedWrite { session -> [(id: Int64, reason: String)] in
            let at = DatabaseTimestamp.string(now)
            var disabled: [(id: Int64, reason: String)] = []
            for (delivery, outcome) in attempts {
                switch outcome {
                case .delivered(let status):
                    try session.execute(
                        """
                        UPDATE delivery SET state = 'delivered', attempts = attempts + 1, last_attempt_at = ?, last_status = ?,
                            last_error = NULL, delivered_at = ? WHERE id = ?
                        """, [at, status, at, delivery.id])
                    if let id = delivery.subscriptionID {
                        try session.execute(
                            "UPDATE webhook_subscription SET consecutive_failures = 0, failing_since = NULL, last_success_at = ? WHERE id = ?",
                            [at, id])
                    }
                case .failed(let status, let error, let retryAt):
                    try session.execute(
                        """
                        UPDATE delivery SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_error = ?,
                            next_attempt_at = ? WHERE id = ?
                        """,
                        [
                            retryAt == nil ? "failed" : "pending", at, status, String(error.prefix(500)),
                            DatabaseTimestamp.string(retryAt ?? now), delivery.id,
                        ])
                    guard let id = delivery.subscriptionID else { continue }
                    try session.execute(
                        """
                        UPDATE webhook_subscription SET consecutive_failures = consecutive_failures + 1,
                            failing_since = COALESCE(failing_since, ?) WHERE id = ?
                        """, [at, id])
                    if let subscription = try Self.subscription(id, session), subscription.enabled,
                        policy.shouldDisable(failingSince: subscription.failingSince, failures: subscription.consecutiveFailures, now: now)
                    {
                        let reason =
                            "no delivery succeeded since \(DatabaseTimestamp.string(subscription.failingSince!)) "
                            + "(\(subscription.consecutiveFailures) failed attempts)"
                        try Self.setEnabled(id, false, reason: reason, by: "dispatcher", at: now, session)
                        disabled.append((id, reason))
                    }
                case .gone:
                    try session.execute(
                        "UPDATE delivery SET attempts = attempts + 1, last_attempt_at = ?, last_status = 410, last_error = ? WHERE id = ?",
                        [at, "410 Gone: the subscription was switched off", delivery.id])
                    if let id = delivery.subscriptionID {
                        let reason = "the receiver answered 410 Gone"
                        try Self.setEnabled(id, false, reason: reason, by: "dispatcher", at: now, session)
                        disabled.append((id, reason))
                    }
                case .cancelled(let reason):
                    try session.execute("UPDATE delivery SET state = 'cancelled', last_error = ? WHERE id = ?", [reason, delivery.id])
                }
            }
            return disabled
        }
    }

    // MARK: - Operators

    /// Deliveries, newest first: of one subscription, or of the reporters' messages (`target: "messages"`), or all;
    /// only dead letters with `failedOnly`.
    public func deliveries(subscriptionID: Int64? = nil, target: String? = nil, failedOnly: Bool = false, limit: Int = 50) async throws
        -> [DeliveryInfo]
    {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let subscriptionID {
            conditions.append("d.subscription_id = ?")
            arguments.append(subscriptionID)
        }
        if let target {
            conditions.append("d.target = ?")
            arguments.append(target)
        }
        if failedOnly { conditions.append("d.state = 'failed'") }
        arguments.append(limit)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let values = arguments.map { $0?.databaseValue ?? .null }
        return try await self.read { session in
            try session.fetch(
                "SELECT d.*, c.ticket FROM delivery d LEFT JOIN complaint c ON c.id = d.complaint_id \(filter) ORDER BY d.id DESC LIMIT ?",
                values: values
            ).map(Self.deliveryInfo)
        }
    }

    public func delivery(id: Int64) async throws -> DeliveryInfo? {
        try await self.read { session in
            try session.fetchOne("SELECT d.*, c.ticket FROM delivery d LEFT JOIN complaint c ON c.id = d.complaint_id WHERE d.id = ?", [id])
                .map(Self.deliveryInfo)
        }
    }

    /// Sends dead letters (or one delivery that is not on its way) again from now, with a fresh retry schedule.
    /// Returns how many were queued.
    public func retryDeliveries(id: Int64? = nil, subscriptionID: Int64? = nil, by operatorName: String, now: Date) async throws -> Int {
        try await self.write { session in
            let at = DatabaseTimestamp.string(now)
            var ids: [(Int64, Int64?)]
            if let id {
                ids = try session.fetchAll(
                    "SELECT id, subscription_id FROM delivery WHERE id = ? AND state IN ('failed', 'cancelled', 'pending')", [id]
                )
                .map { ($0["id"], $0["subscription_id"]) }
            } else {
                ids = try session.fetchAll(
                    "SELECT id, subscription_id FROM delivery WHERE state = 'failed' \(subscriptionID == nil ? "" : "AND subscription_id = ?")",
                    subscriptionID.map { [$0] } ?? []
                ).map { ($0["id"], $0["subscription_id"]) }
            }
            for (delivery, subscription) in ids {
                try session.execute(
                    "UPDATE delivery SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?", [at, delivery])
                if let subscription {
                    try Self.logWebhook(subscription, "retried", detail: "delivery \(delivery)", by: operatorName, at: now, session)
                }
            }
            return ids.count
        }
    }

    /// Queues a test event for a subscription; returns the delivery's id.
    public func enqueueTest(subscriptionID: Int64, messageID: String, body: String, by operatorName: String, now: Date) async throws
        -> Int64
    {
        try await self.write { session in
            let at = DatabaseTimestamp.string(now)
            guard
                let id = try session.value(
                    Int64.self,
                    """
                    INSERT INTO delivery (target, subscription_id, type, message_id, body, state, next_attempt_at, created_at)
                    VALUES (?, ?, 'webhook.test', ?, ?, 'pending', ?, ?) RETURNING id
                    """, [DeliveryTarget.webhookName(subscriptionID), subscriptionID, messageID, body, at, at])
            else { throw StoredValueInvalid(table: "delivery", column: "id", value: "none returned") }
            try Self.logWebhook(subscriptionID, "test", detail: "delivery \(id)", by: operatorName, at: now, session)
            return id
        }
    }

    static func deliveryInfo(_ row: Row) -> DeliveryInfo {
        let state = DeliveryInfo.State(rawValue: row["state"]) ?? .pending
        return DeliveryInfo(
            id: row["id"], target: row["target"], subscriptionID: row["subscription_id"],
            ticket: (row["ticket"] as String?).map(Ticket.init),
            type: row["type"], messageID: row["message_id"], state: state, attempts: row["attempts"],
            nextAttemptAt: state == .pending ? (row["next_attempt_at"] as String?).flatMap(DatabaseTimestamp.date) : nil,
            lastAttemptAt: (row["last_attempt_at"] as String?).flatMap(DatabaseTimestamp.date), lastStatus: row["last_status"],
            lastError: row["last_error"], createdAt: DatabaseTimestamp.date(row["created_at"]) ?? .distantPast,
            deliveredAt: (row["delivered_at"] as String?).flatMap(DatabaseTimestamp.date))
    }
}
