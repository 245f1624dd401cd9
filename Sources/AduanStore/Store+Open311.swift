import AduanCore
import Foundation
import GRDB

/// Which complaints an Open311 list asks for. The public sees public complaints; a client asking with its API key
/// also sees the private ones it filed.
public struct Open311Query: Sendable {
    public var from: Date
    public var to: Date
    /// nil for both open and settled ones.
    public var open: Bool?
    /// nil for every category.
    public var categories: [String]?
    /// The API key asking, if any.
    public var viewer: Int64?
    public var offset: Int
    public var limit: Int

    public init(from: Date, to: Date, open: Bool? = nil, categories: [String]? = nil, viewer: Int64? = nil, offset: Int = 0, limit: Int) {
        self.from = from
        self.to = to
        self.open = open
        self.categories = categories
        self.viewer = viewer
        self.offset = offset
        self.limit = limit
    }
}

/// One status update of a complaint as Open311's `servicerequestupdates` lists it: an event that moved it.
public struct Open311Update: Sendable {
    public let id: Int64
    public let complaint: Complaint
    public let event: ComplaintEvent
}

extension Store {
    // MARK: - Writes, inside the filing's transaction

    static func insertAttributes(_ answers: [CategoryAnswer], of complaintID: Int64, _ session: some SQLSession) throws {
        for answer in answers {
            for (position, value) in answer.values.enumerated() {
                try session.execute(
                    "INSERT INTO complaint_attribute (complaint_id, code, position, value) VALUES (?, ?, ?, ?)",
                    [complaintID, answer.code, position, value])
            }
        }
    }

    static func insertOpen311Request(_ client: FilingClient, of complaintID: Int64, _ session: some SQLSession) throws {
        try session.execute(
            """
            INSERT INTO open311_request (complaint_id, api_key_id, token, email, device_id, account_id, media_url)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [complaintID, client.apiKeyID, client.token, client.email, client.deviceID, client.accountID, client.mediaURL])
    }

    // MARK: - Reads

    /// The answers to the category's questions, by code (see `StoreLookup.attributes`).
    public func attributes(complaintID: Int64) async throws -> [CategoryAnswer] {
        try await self.lookUp { try $0.attributes(complaintID: complaintID) }
    }

    /// The Open311 client that filed a complaint, if one did.
    public func filingClient(complaintID: Int64) async throws -> FilingClient? {
        try await self.lookUp { try $0.filingClient(complaintID: complaintID) }
    }

    /// The ticket an Open311 token stands for.
    public func ticket(open311Token token: String) async throws -> Ticket? {
        try await self.read { session in
            try session.value(
                String.self, "SELECT c.ticket FROM open311_request r JOIN complaint c ON c.id = r.complaint_id WHERE r.token = ?", [token]
            ).map(Ticket.init)
        }
    }

    /// A page of the complaints filed in the query's window, newest first.
    public func open311Requests(_ query: Open311Query) async throws -> [Complaint] {
        try await self.read { session in
            var conditions = ["c.created_at >= ?", "c.created_at <= ?", Self.seenBy(query.viewer)]
            var arguments: [(any DatabaseValueConvertible)?] = [DatabaseTimestamp.string(query.from), DatabaseTimestamp.string(query.to)]
            if let viewer = query.viewer { arguments.append(viewer) }
            if let open = query.open {
                conditions.append("c.status \(open ? "" : "NOT ")IN \("(" + ComplaintStatus.sqlList(ComplaintStatus.open) + ")")")
            }
            if let categories = query.categories {
                conditions.append("c.category IN (\(categories.map { _ in "?" }.joined(separator: ", ")))")
                arguments += categories
            }
            arguments += [query.limit, query.offset]
            return try session.fetchAll(
                ComplaintRecord.self,
                """
                SELECT c.* FROM complaint c WHERE \(conditions.joined(separator: " AND "))
                ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?
                """, arguments
            ).map(\.complaint)
        }
    }

    /// The complaints with these tickets that the viewer may see, in the order asked.
    public func open311Requests(tickets: [Ticket], viewer: Int64?) async throws -> [Complaint] {
        guard !tickets.isEmpty else { return [] }
        return try await self.read { session in
            var arguments: [(any DatabaseValueConvertible)?] = tickets.map(\.rawValue)
            if let viewer { arguments.append(viewer) }
            let found = try session.fetchAll(
                ComplaintRecord.self,
                """
                SELECT c.* FROM complaint c
                WHERE c.ticket IN (\(tickets.map { _ in "?" }.joined(separator: ", "))) AND \(Self.seenBy(viewer))
                """, arguments
            ).map(\.complaint)
            let byTicket = Dictionary(found.map { ($0.ticket, $0) }, uniquingKeysWith: { first, _ in first })
            return tickets.compactMap { byTicket[$0] }
        }
    }

    /// The status updates made in a window to the complaints the viewer may see, oldest first (`complaint_event_update`): status changes,
    /// forwards and merges.
    public func open311Updates(from: Date, to: Date, viewer: Int64?, offset: Int, limit: Int) async throws -> [Open311Update] {
        try await self.read { session in
            var arguments: [(any DatabaseValueConvertible)?] = [DatabaseTimestamp.string(from), DatabaseTimestamp.string(to)]
            if let viewer { arguments.append(viewer) }
            arguments += [limit, offset]
            let rows = try session.fetchAll(
                """
                SELECT e.* FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
                WHERE e.at >= ? AND e.at <= ? AND e.kind IN ('status_changed', 'forwarded', 'merged')
                    AND e.visible_to_reporter = 1 AND \(Self.seenBy(viewer))
                ORDER BY e.at, e.id LIMIT ? OFFSET ?
                """, arguments)
            let events = try rows.map { (id: $0["id"] as Int64, record: try ComplaintEventRecord(row: $0)) }
            let byID = try Self.complaints(ids: Set(events.map(\.record.complaintID)), session)
            return events.compactMap { event in
                byID[event.record.complaintID].map { Open311Update(id: event.id, complaint: $0, event: event.record.event) }
            }
        }
    }

    /// Which of these complaints were filed with the API key.
    public func filed(byAPIKey key: Int64, among complaintIDs: [Int64]) async throws -> Set<Int64> {
        guard !complaintIDs.isEmpty else { return [] }
        return try await self.read { session in
            Set(
                try session.values(
                    Int64.self,
                    """
                    SELECT complaint_id FROM open311_request
                    WHERE api_key_id = ? AND complaint_id IN (\(complaintIDs.map { _ in "?" }.joined(separator: ", ")))
                    """, [key] + complaintIDs))
        }
    }

    /// The first photo the reporter filed with each complaint: Open311's `media_url`.
    public func firstReportPhotos(complaintIDs: [Int64]) async throws -> [Int64: Int64] {
        guard !complaintIDs.isEmpty else { return [:] }
        return try await self.read { session in
            let rows = try session.fetchAll(
                """
                SELECT complaint_id, MIN(id) AS photo_id FROM photo
                WHERE purpose = 'report' AND complaint_id IN (\(complaintIDs.map { _ in "?" }.joined(separator: ", ")))
                GROUP BY complaint_id
                """, complaintIDs)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["complaint_id"], $0["photo_id"]) })
        }
    }

    /// The condition on `c` (a complaint) for a viewer: public, or filed with the viewer's key (one more argument).
    static func seenBy(_ viewer: Int64?) -> String {
        guard viewer != nil else { return "c.visibility = 'public'" }
        return "(c.visibility = 'public' OR c.id IN (SELECT complaint_id FROM open311_request WHERE api_key_id = ?))"
    }
}

extension StoreLookup {
    /// The answers to the category's questions, by code (the presenter puts them in the category's order).
    public func attributes(complaintID: Int64) throws -> [CategoryAnswer] {
        let rows = try self.session.fetchAll(
            "SELECT code, value FROM complaint_attribute WHERE complaint_id = ? ORDER BY code, position", [complaintID])
        var answers: [CategoryAnswer] = []
        for row in rows {
            let code: String = row["code"]
            if let last = answers.last, last.code == code {
                answers[answers.count - 1] = CategoryAnswer(code: code, values: last.values + [row["value"]])
            } else {
                answers.append(CategoryAnswer(code: code, values: [row["value"]]))
            }
        }
        return answers
    }

    /// The Open311 client that filed a complaint, if one did.
    public func filingClient(complaintID: Int64) throws -> FilingClient? {
        try self.session.fetchOne(
            """
            SELECT r.api_key_id, k.name, r.token, r.email, r.device_id, r.account_id, r.media_url
            FROM open311_request r JOIN api_key k ON k.id = r.api_key_id WHERE r.complaint_id = ?
            """, [complaintID]
        ).map {
            FilingClient(
                apiKeyID: $0["api_key_id"], apiKeyName: $0["name"], token: $0["token"], email: $0["email"], deviceID: $0["device_id"],
                accountID: $0["account_id"], mediaURL: $0["media_url"])
        }
    }
}
