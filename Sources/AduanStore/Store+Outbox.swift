import AduanCore
import Foundation
import GRDB

/// An announcement as the outbox keeps it, with its place in the outbox's order.
public struct OutboxEvent: Sendable, Hashable {
    public let id: Int64
    public let complaintID: Int64
    public let ticket: Ticket
    public let announcement: Announcement
}

/// Who a fan-out makes deliveries for.
public enum DeliveryTarget: Sendable, Hashable {
    case webhook(WebhookSubscription)
    /// The reporters' messages, through the messaging gateway.
    case messages

    var name: String {
        switch self {
        case .webhook(let subscription): return "webhook:\(subscription.id)"
        case .messages: return "messages"
        }
    }
}

extension Store {
    /// Writes a change's announcements to the outbox, inside the change's own transaction.
    static func announce(_ announcements: [Announcement], of complaint: Complaint, _ db: Database) throws {
        guard !announcements.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO outbox_event (complaint_id, ticket, type, occurred_at, status, opd, offices, fields)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for announcement in announcements {
            try statement.execute(arguments: [
                complaint.id, complaint.ticket.rawValue, announcement.kind.rawValue, DatabaseTimestamp.string(announcement.at),
                announcement.status.rawValue, announcement.opd, "," + announcement.offices.joined(separator: ",") + ",",
                DetailsJSON.encode(announcement.fields),
            ])
        }
    }

    /// Turns the next outbox events into deliveries for every enabled subscription and for the reporters' messages, and
    /// moves each one's place in the outbox past them, in one transaction: an event is fanned out once, and none is
    /// skipped. `render` gives the body for a target (nil when it does not receive that event). Returns the number of
    /// events read: the caller goes on while it is `limit`.
    public func fanOut(
        limit: Int = 500, now: Date,
        render: @escaping @Sendable (OutboxEvent, Complaint, DeliveryTarget) -> (messageID: String, body: String)?
    ) async throws -> Int {
        let count = try await self.relaxedWrite { db -> Int in
            let subscriptions = try Self.subscriptions(enabledOnly: true, db)
            try db.execute(sql: "INSERT INTO outbox_cursor (consumer, last_event_id) VALUES ('messages', 0) ON CONFLICT DO NOTHING")
            let messagesCursor = try Int64.fetchOne(db, sql: "SELECT last_event_id FROM outbox_cursor WHERE consumer = 'messages'") ?? 0
            var cursors: [(DeliveryTarget, Int64)] = subscriptions.map { (.webhook($0), $0.lastEventID) }
            cursors.append((.messages, messagesCursor))
            let from = cursors.map(\.1).min() ?? 0
            let events = try Self.outboxEvents(after: from, limit: limit, db)
            guard let last = events.last?.id else { return 0 }
            let complaints = try Self.complaints(ids: Set(events.map(\.complaintID)), db)
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO delivery (target, subscription_id, event_id, complaint_id, type, message_id, body, state,
                        next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                    """)
            let at = DatabaseTimestamp.string(now)
            for (target, cursor) in cursors {
                var subscriptionID: Int64?
                if case .webhook(let subscription) = target { subscriptionID = subscription.id }
                for event in events where event.id > cursor {
                    if case .webhook(let subscription) = target, !subscription.receives(event) { continue }
                    guard let complaint = complaints[event.complaintID], let (messageID, body) = render(event, complaint, target) else { continue }
                    try insert.execute(arguments: [
                        target.name, subscriptionID, event.id, event.complaintID, event.announcement.kind.rawValue, messageID, body, at, at,
                    ])
                }
                guard last > cursor else { continue }
                if let subscriptionID {
                    try db.execute(sql: "UPDATE webhook_subscription SET last_event_id = ? WHERE id = ?", arguments: [last, subscriptionID])
                } else {
                    try db.execute(sql: "UPDATE outbox_cursor SET last_event_id = ? WHERE consumer = 'messages'", arguments: [last])
                }
            }
            return events.count
        }
        return count
    }

    static func outboxEvents(after: Int64, limit: Int, _ db: Database) throws -> [OutboxEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM outbox_event WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit])
            .compactMap(Self.outboxEvent)
    }

    /// An outbox row; nil for an event type or status from a newer binary, which is not this one's to announce.
    static func outboxEvent(_ row: Row) -> OutboxEvent? {
        guard let kind = Announcement.Kind(rawValue: row["type"]), let status = ComplaintStatus(rawValue: row["status"]),
            let at = DatabaseTimestamp.date(row["occurred_at"])
        else { return nil }
        let offices = (row["offices"] as String).split(separator: ",").map(String.init)
        let fields = DetailsJSON.decode(row["fields"])
        return OutboxEvent(
            id: row["id"], complaintID: row["complaint_id"], ticket: Ticket(row["ticket"]),
            announcement: Announcement(kind: kind, at: at, status: status, opd: row["opd"], offices: offices, fields: fields))
    }

    static func complaints(ids: Set<Int64>, _ db: Database) throws -> [Int64: Complaint] {
        let records = try ComplaintRecord.filter(ids.contains(ComplaintRecord.Columns.id)).fetchAll(db)
        return Dictionary(uniqueKeysWithValues: records.map { ($0.complaint.id, $0.complaint) })
    }

    /// The outbox's events of one complaint, oldest first (for tests and the staff's view of what was announced).
    public func outboxEvents(complaintID: Int64) async throws -> [OutboxEvent] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox_event WHERE complaint_id = ? ORDER BY id", arguments: [complaintID])
                .compactMap(Self.outboxEvent)
        }
    }
}
