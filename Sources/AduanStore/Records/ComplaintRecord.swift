import AduanCore
import Foundation
import GRDB

/// A row of `complaint`. Each column is named once, in `Columns`, and read by that name; what is written is a list
/// of (column, value) pairs, from which the INSERT and UPDATE statements are generated once (filing is the hot path:
/// GRDB's generic persistence builds its statement anew per row). The state columns are one list, written when a
/// complaint is filed and at every workflow step. A stored value this binary does not know (a status, a privacy, an
/// SLA level) is an error, never a guess.
struct ComplaintRecord: FetchableRecord, TableRecord {
    static let databaseTableName = "complaint"

    enum Columns {
        static let id = Column("id")
        static let ticket = Column("ticket")
        static let category = Column("category")
        static let description = Column("description")
        static let region = Column("region")
        static let lat = Column("lat")
        static let lng = Column("lng")
        static let address = Column("address")
        static let reporterName = Column("reporter_name")
        static let reporterPhone = Column("reporter_phone")
        static let reporterNameSealed = Column("reporter_name_sealed")
        static let reporterPhoneSealed = Column("reporter_phone_sealed")
        static let notifyReporter = Column("notify_reporter")
        static let visibility = Column("visibility")
        static let anonymous = Column("anonymous")
        static let routingRule = Column("routing_rule")
        static let trackingTokenHash = Column("tracking_token_hash")
        static let createdAt = Column("created_at")
        static let locationSource = Column("location_source")
        static let citizenID = Column("citizen_id")
        static let supportCount = Column("support_count")
        // The state: what the workflow changes.
        static let status = Column("status")
        static let opd = Column("opd")
        static let responseDueAt = Column("response_due_at")
        static let resolutionDueAt = Column("resolution_due_at")
        static let responseAtRiskAt = Column("response_at_risk_at")
        static let resolutionAtRiskAt = Column("resolution_at_risk_at")
        static let respondedAt = Column("responded_at")
        static let resolvedAt = Column("resolved_at")
        static let pausedAt = Column("paused_at")
        static let responseSLA = Column("response_sla")
        static let resolutionSLA = Column("resolution_sla")
        static let mergedInto = Column("merged_into")
        static let escalatedTo = Column("escalated_to")
        static let reopenCount = Column("reopen_count")
        static let settledAt = Column("settled_at")
        static let reopenedAt = Column("reopened_at")
        static let pausedWorkingSeconds = Column("paused_working_seconds")
        static let responseWorkingSeconds = Column("response_working_seconds")
        static let resolutionWorkingSeconds = Column("resolution_working_seconds")
        static let resolutionReview = Column("resolution_review")
        static let resolutionReviewedAt = Column("resolution_reviewed_at")
        static let rejectedResolutions = Column("rejected_resolutions")
        static let updatedAt = Column("updated_at")
    }

    var complaint: Complaint
    var trackingTokenHash: String

    init(_ complaint: Complaint, trackingTokenHash: String) {
        self.complaint = complaint
        self.trackingTokenHash = trackingTokenHash
    }

    init(row: Row) throws {
        let lat: Double? = row[Columns.lat]
        let lng: Double? = row[Columns.lng]
        self.trackingTokenHash = row[Columns.trackingTokenHash]
        self.complaint = Complaint(
            id: row[Columns.id], ticket: Ticket(row[Columns.ticket]), category: row[Columns.category],
            description: row[Columns.description], region: RegionCode(row[Columns.region]),
            location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } }, address: row[Columns.address],
            reporter: Reporter(
                name: row[Columns.reporterName], phone: row[Columns.reporterPhone], notify: row[Columns.notifyReporter],
                account: row[Columns.citizenID], sealed: Self.sealed(row)),
            visibility: try row.decode(forColumn: Columns.visibility), anonymous: row[Columns.anonymous],
            routingRule: row[Columns.routingRule], createdAt: try Self.instant(row, Columns.createdAt),
            locationSource: try row.decode(forColumn: Columns.locationSource),
            state: ComplaintState(
                status: try row.decode(forColumn: Columns.status), opd: row[Columns.opd],
                responseDueAt: try Self.instant(row, Columns.responseDueAt),
                resolutionDueAt: try Self.instant(row, Columns.resolutionDueAt),
                // Rows from before schema 2 have no at-risk points: they are at risk only when due.
                responseAtRiskAt: try Self.instant(row, Columns.responseAtRiskAt, or: Columns.responseDueAt),
                resolutionAtRiskAt: try Self.instant(row, Columns.resolutionAtRiskAt, or: Columns.resolutionDueAt),
                respondedAt: try Self.optionalInstant(row, Columns.respondedAt),
                resolvedAt: try Self.optionalInstant(row, Columns.resolvedAt),
                pausedAt: try Self.optionalInstant(row, Columns.pausedAt),
                responseSLA: try row.decode(forColumn: Columns.responseSLA),
                resolutionSLA: try row.decode(forColumn: Columns.resolutionSLA),
                mergedInto: (row[Columns.mergedInto] as String?).map(Ticket.init), escalatedTo: row[Columns.escalatedTo],
                reopenCount: row[Columns.reopenCount], settledAt: try Self.optionalInstant(row, Columns.settledAt),
                reopenedAt: try Self.optionalInstant(row, Columns.reopenedAt),
                pausedWorkingSeconds: row[Columns.pausedWorkingSeconds],
                responseWorkingSeconds: row[Columns.responseWorkingSeconds],
                resolutionWorkingSeconds: row[Columns.resolutionWorkingSeconds],
                resolutionReview: try row.decode(forColumn: Columns.resolutionReview),
                resolutionReviewedAt: try Self.optionalInstant(row, Columns.resolutionReviewedAt),
                rejectedResolutions: row[Columns.rejectedResolutions],
                updatedAt: try Self.instant(row, Columns.updatedAt)),
            supportCount: row[Columns.supportCount])
    }

    /// An anonymous reporter's sealed name and phone, when the row has them.
    static func sealed(_ row: Row) -> SealedIdentity? {
        let name = (row[Columns.reporterNameSealed] as Data?).map { Array($0) }
        let phone = (row[Columns.reporterPhoneSealed] as Data?).map { Array($0) }
        return name == nil && phone == nil ? nil : SealedIdentity(name: name, phone: phone)
    }

    typealias Written<Value> = (column: Column, value: @Sendable (Value) -> (any DatabaseValueConvertible)?)

    /// What filing writes besides the state, column by column.
    static let filed: [Written<ComplaintRecord>] = [
        (Columns.ticket, { $0.complaint.ticket.rawValue }),
        (Columns.category, { $0.complaint.category }),
        (Columns.description, { $0.complaint.description }),
        (Columns.region, { $0.complaint.region.rawValue }),
        (Columns.lat, { $0.complaint.location?.lat }),
        (Columns.lng, { $0.complaint.location?.lng }),
        (Columns.address, { $0.complaint.address }),
        (Columns.reporterName, { $0.complaint.reporter.name }),
        (Columns.reporterPhone, { $0.complaint.reporter.phone }),
        (Columns.reporterNameSealed, { $0.complaint.reporter.sealed?.name.map { Data($0) } }),
        (Columns.reporterPhoneSealed, { $0.complaint.reporter.sealed?.phone.map { Data($0) } }),
        (Columns.notifyReporter, { $0.complaint.reporter.notify }),
        (Columns.visibility, { $0.complaint.visibility }),
        (Columns.anonymous, { $0.complaint.anonymous }),
        (Columns.routingRule, { $0.complaint.routingRule }),
        (Columns.trackingTokenHash, { $0.trackingTokenHash }),
        (Columns.createdAt, { DatabaseTimestamp.string($0.complaint.createdAt) }),
        (Columns.locationSource, { $0.complaint.locationSource }),
        (Columns.citizenID, { $0.complaint.reporter.account }),
    ]

    /// The state columns: written when a complaint is filed and at every workflow step.
    static let state: [Written<ComplaintState>] = [
        (Columns.status, { $0.status }),
        (Columns.opd, { $0.opd }),
        (Columns.responseDueAt, { DatabaseTimestamp.string($0.responseDueAt) }),
        (Columns.resolutionDueAt, { DatabaseTimestamp.string($0.resolutionDueAt) }),
        (Columns.responseAtRiskAt, { DatabaseTimestamp.string($0.responseAtRiskAt) }),
        (Columns.resolutionAtRiskAt, { DatabaseTimestamp.string($0.resolutionAtRiskAt) }),
        (Columns.respondedAt, { $0.respondedAt.map(DatabaseTimestamp.string) }),
        (Columns.resolvedAt, { $0.resolvedAt.map(DatabaseTimestamp.string) }),
        (Columns.pausedAt, { $0.pausedAt.map(DatabaseTimestamp.string) }),
        (Columns.responseSLA, { $0.responseSLA }),
        (Columns.resolutionSLA, { $0.resolutionSLA }),
        (Columns.mergedInto, { $0.mergedInto?.rawValue }),
        (Columns.escalatedTo, { $0.escalatedTo }),
        (Columns.reopenCount, { $0.reopenCount }),
        (Columns.settledAt, { $0.settledAt.map(DatabaseTimestamp.string) }),
        (Columns.reopenedAt, { $0.reopenedAt.map(DatabaseTimestamp.string) }),
        (Columns.pausedWorkingSeconds, { $0.pausedWorkingSeconds }),
        (Columns.responseWorkingSeconds, { $0.responseWorkingSeconds }),
        (Columns.resolutionWorkingSeconds, { $0.resolutionWorkingSeconds }),
        (Columns.resolutionReview, { $0.resolutionReview }),
        (Columns.resolutionReviewedAt, { $0.resolutionReviewedAt.map(DatabaseTimestamp.string) }),
        (Columns.rejectedResolutions, { $0.rejectedResolutions }),
        (Columns.updatedAt, { DatabaseTimestamp.string($0.updatedAt) }),
    ]

    static let insertSQL = """
        INSERT INTO complaint (\((filed.map(\.column) + state.map(\.column)).map(\.name).joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: filed.count + state.count).joined(separator: ", ")))
        """
    static let insertReturningSQL = insertSQL + " RETURNING id"
    static let updateSQL = "UPDATE complaint SET \(state.map { "\($0.column.name) = ?" }.joined(separator: ", ")) WHERE id = ?"

    /// Inserts the complaint (its id is ignored) and returns it with the id it was given.
    func insert(_ session: some SQLSession) throws -> Complaint {
        var values: [(any DatabaseValueConvertible)?] = Self.filed.map { $0.value(self) }
        values += Self.state.map { $0.value(self.complaint.state) }
        guard let id = try session.value(Int64.self, Self.insertReturningSQL, values) else {
            throw StoredValueInvalid(table: Self.databaseTableName, column: Columns.id.name, value: "none returned")
        }
        let complaint = self.complaint
        return Complaint(
            id: id, ticket: complaint.ticket, category: complaint.category, description: complaint.description,
            region: complaint.region, location: complaint.location, address: complaint.address, reporter: complaint.reporter,
            visibility: complaint.visibility, anonymous: complaint.anonymous, routingRule: complaint.routingRule,
            createdAt: complaint.createdAt, locationSource: complaint.locationSource, state: complaint.state)
    }

    /// Stores a new state of the complaint `id`.
    static func update(_ state: ComplaintState, id: Int64, _ session: some SQLSession) throws {
        var values: [(any DatabaseValueConvertible)?] = Self.state.map { $0.value(state) }
        values.append(id)
        try session.execute(Self.updateSQL, values)
    }

    // MARK: - Instants

    /// A stored instant, parsed on the fast path (no formatter); a value that is not a timestamp is an error.
    static func instant(_ row: Row, _ column: Column, or fallback: Column? = nil, table: String = databaseTableName) throws -> Date {
        if let date = try self.optionalInstant(row, column, table: table) { return date }
        if let fallback, let date = try self.optionalInstant(row, fallback, table: table) { return date }
        throw StoredValueInvalid(table: table, column: column.name, value: "NULL")
    }

    static func optionalInstant(_ row: Row, _ column: Column, table: String = databaseTableName) throws -> Date? {
        guard let text = row[column] as String? else { return nil }
        guard let date = DatabaseTimestamp.date(text) else {
            throw StoredValueInvalid(table: table, column: column.name, value: text)
        }
        return date
    }
}

extension ComplaintStatus: DatabaseValueConvertible {}
extension Visibility: DatabaseValueConvertible {}
extension SLALevel: DatabaseValueConvertible {}
extension LocationSource: DatabaseValueConvertible {}
extension ResolutionReview: DatabaseValueConvertible {}
