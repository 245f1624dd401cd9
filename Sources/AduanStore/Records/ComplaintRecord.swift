import AduanCore
import Foundation
import GRDB

/// A row of `complaint`.
struct ComplaintRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "complaint"

    var id: Int64?
    var ticket: String
    var category: String
    var description: String
    var region: String
    var lat: Double?
    var lng: Double?
    var address: String?
    var reporter_name: String?
    var reporter_phone: String?
    var visibility: String
    var anonymous: Bool
    var status: String
    var opd: String
    var routing_rule: String
    var response_due_at: Date
    var resolution_due_at: Date
    var tracking_token_hash: String
    var created_at: Date
    var updated_at: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { self.id = inserted.rowID }

    init(new complaint: NewComplaint, ticket: Ticket, trackingTokenHash: String) {
        self.id = nil
        self.ticket = ticket.rawValue
        self.category = complaint.category
        self.description = complaint.description
        self.region = complaint.region.rawValue
        self.lat = complaint.location?.lat
        self.lng = complaint.location?.lng
        self.address = complaint.address
        self.reporter_name = complaint.reporter.name
        self.reporter_phone = complaint.reporter.phone
        self.visibility = complaint.visibility.rawValue
        self.anonymous = complaint.anonymous
        self.status = ComplaintStatus.submitted.rawValue
        self.opd = complaint.opd
        self.routing_rule = complaint.routingRule
        self.response_due_at = complaint.responseDueAt
        self.resolution_due_at = complaint.resolutionDueAt
        self.tracking_token_hash = trackingTokenHash
        self.created_at = complaint.createdAt
        self.updated_at = complaint.createdAt
    }

    /// The domain value; the schema's CHECK constraints guarantee the enum values.
    var complaint: Complaint {
        Complaint(
            id: self.id ?? 0, ticket: Ticket(self.ticket), category: self.category, description: self.description,
            region: RegionCode(self.region), location: self.lat.flatMap { lat in self.lng.map { GeoPoint(lat: lat, lng: $0) } },
            address: self.address, reporter: Reporter(name: self.reporter_name, phone: self.reporter_phone),
            visibility: Visibility(rawValue: self.visibility) ?? .private, anonymous: self.anonymous,
            status: ComplaintStatus(rawValue: self.status) ?? .submitted, opd: self.opd, routingRule: self.routing_rule,
            responseDueAt: self.response_due_at, resolutionDueAt: self.resolution_due_at, createdAt: self.created_at,
            updatedAt: self.updated_at)
    }
}
