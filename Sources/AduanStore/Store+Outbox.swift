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
        case .webhook(let subscription): return Self.webhookName(subscription.id)
        case .messages: return "messages"
        }
    }

    /// How `delivery.target` names a subscription's line.
    static func webhookName(_ subscriptionID: Int64) -> String { "webhook:\(subscriptionID)" }
}

extension Store {
    /// Writes a change's announcements to the outbox, inside the change's own transaction.
    /// Take it last in a transaction: on several servers the outbox is taken in turns from here to the commit.
    static func announce(_ announcements: [Announcement], of complaint: Complaint, _ session: some SQLSession) throws {
        guard !announcements.isEmpty else { return }
        try session.serialize(on: .outbox)
        for announcement in announcements {
            try session.execute(
                """
                INSERT INTO outbox_event (complaint_id, ticket, type, occurred_at, status, opd, offices, fields)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    complaint.id, complaint.ticket.rawValue, announcement.kind.rawValue, DatabaseTimestamp.string(announcement.at),
                    announcement.status.rawValue, announcement.opd, "," + announcement.offices.joined(separator: ",") + ",",
                    DetailsJSON.encode(announcement.fields),
                ])
        }
    }

    /// Turns the next outbox events into deliveries for every enabled subscription and for the reporters' messages, and
    /// moves each one's place in the outbox past them: an event is fanned out once, and none is skipped. The events and
    /// complaints are read, and the bodies made, outside the write transaction, which only inserts and moves the
    /// places, each only if it is still where it was read (so that two dispatchers on one file never fan out twice):
    /// filings wait for the writer as little as possible. `render` gives the body for a target (nil when it does not
    /// receive that event). Returns the number of events read: the caller goes on while it is `limit`.
    public func fanOut(
        limit: Int = 500, now: Date,
        render: @escaping @Sendable (OutboxEvent, Complaint, DeliveryTarget) -> (messageID: String, body: String)?
    ) async throws -> Int {
        struct Consumer: Sendable {
            let target: DeliveryTarget
            let cursor: Int64
            var deliveries: [[DatabaseValue]] = []
        }
        let read = try await self.read { session -> (consumers: [Consumer], events: [OutboxEvent], complaints: [Int64: Complaint])? in
            let messagesCursor = try session.value(Int64.self, "SELECT last_event_id FROM outbox_cursor WHERE consumer = 'messages'") ?? 0
            let consumers =
                try Self.subscriptions(enabledOnly: true, session).map { Consumer(target: .webhook($0), cursor: $0.lastEventID) }
                + [Consumer(target: .messages, cursor: messagesCursor)]
            let events = try Self.outboxEvents(after: consumers.map(\.cursor).min() ?? 0, limit: limit, session)
            guard !events.isEmpty else { return nil }
            // Only the complaints someone gets a body for: a subscription's, and those of reporters who want messages.
            var wanted = Set<Int64>()
            for consumer in consumers {
                guard case .webhook(let subscription) = consumer.target else { continue }
                for event in events where event.id > consumer.cursor && subscription.receives(event) { wanted.insert(event.complaintID) }
            }
            let eventComplaints = Set(events.filter { $0.id > messagesCursor }.map(\.complaintID))
            if !eventComplaints.isEmpty {
                wanted.formUnion(
                    try session.values(
                        Int64.self,
                        """
                        SELECT id FROM complaint WHERE id IN (\(eventComplaints.map(String.init).joined(separator: ",")))
                            AND (reporter_phone IS NOT NULL OR reporter_phone_sealed IS NOT NULL) AND notify_reporter = 1
                        """))
            }
            return (consumers, events, try Self.complaints(ids: wanted, session))
        }
        guard let (readConsumers, events, complaints) = read, let last = events.last?.id else { return 0 }
        let count = events.count
        var consumers = readConsumers
        let at = DatabaseTimestamp.string(now)
        for index in consumers.indices {
            let target = consumers[index].target
            var subscriptionID: Int64?
            if case .webhook(let subscription) = target { subscriptionID = subscription.id }
            for event in events where event.id > consumers[index].cursor {
                if case .webhook(let subscription) = target, !subscription.receives(event) { continue }
                guard let complaint = complaints[event.complaintID], let (messageID, body) = render(event, complaint, target) else {
                    continue
                }
                let values: [(any DatabaseValueConvertible)?] = [
                    target.name, subscriptionID, event.id, event.complaintID, event.announcement.kind.rawValue, messageID, body, at, at,
                ]
                consumers[index].deliveries.append(values.map { $0?.databaseValue ?? .null })
            }
        }
        let written = consumers
        try await self.relaxedWrite { session in
            for consumer in written where last > consumer.cursor {
                // Moved only from where it was read; if another dispatcher (on this server or another) moved it
                // meanwhile, its deliveries stand.
                let moved: [Row]
                if case .webhook(let subscription) = consumer.target {
                    moved = try session.fetchAll(
                        "UPDATE webhook_subscription SET last_event_id = ? WHERE id = ? AND last_event_id = ? RETURNING id",
                        [last, subscription.id, consumer.cursor])
                } else {
                    moved = try session.fetchAll(
                        """
                        INSERT INTO outbox_cursor (consumer, last_event_id) VALUES ('messages', ?)
                        ON CONFLICT (consumer) DO UPDATE SET last_event_id = excluded.last_event_id WHERE outbox_cursor.last_event_id = ?
                        RETURNING consumer
                        """, [last, consumer.cursor])
                }
                guard !moved.isEmpty else { continue }
                for arguments in consumer.deliveries {
                    try session.execute(
                        """
                        INSERT INTO delivery (target, subscription_id, event_id, complaint_id, type, message_id, body, state,
                            next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                        """, values: arguments)
                }
            }
        }
        return count
    }

    static func outboxEvents(after: Int64, limit: Int, _ session: some SQLSession) throws -> [OutboxEvent] {
        try session.fetchAll("SELECT * FROM outbox_event WHERE id > ? ORDER BY id LIMIT ?", [after, limit]).compactMap(Self.outboxEvent)
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

    /// Complaints by id: one statement for any number of ids (they come as a JSON array), prepared once.
    static func complaints(ids: Set<Int64>, _ session: some SQLSession) throws -> [Int64: Complaint] {
        guard !ids.isEmpty else { return [:] }
        let records = try session.fetchAll(
            ComplaintRecord.self, "SELECT * FROM complaint WHERE \(session.dialect.inIDs)", [SQLDialect.idArray(ids)])
        return Dictionary(uniqueKeysWithValues: records.map { ($0.complaint.id, $0.complaint) })
    }

    /// The outbox's events of one complaint, oldest first: what was announced about it.
    public func outboxEvents(complaintID: Int64) async throws -> [OutboxEvent] {
        try await self.read { session in
            try session.fetchAll("SELECT * FROM outbox_event WHERE complaint_id = ? ORDER BY id", [complaintID]).compactMap(
                Self.outboxEvent)
        }
    }
}
