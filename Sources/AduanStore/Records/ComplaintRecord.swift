import AduanCore
import Foundation
import GRDB

/// A row of `complaint`.
struct ComplaintRecord: Decodable, FetchableRecord, TableRecord {
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

    /// The domain value; the schema's CHECK constraints guarantee the enum values.
    var complaint: Complaint {
        Complaint(
            id: self.id ?? 0, ticket: Ticket(self.ticket), category: self.category, description: self.description,
            region: RegionCode(self.region), location: self.lat.flatMap { lat in self.lng.map { GeoPoint(lat: lat, lng: $0) } },
            address: self.address, reporter: Reporter(name: self.reporter_name, phone: self.reporter_phone),
            visibility: Visibility(rawValue: self.visibility) ?? .private, anonymous: self.anonymous,
            status: ComplaintStatus(rawValue: self.status) ?? .submitted, opd: self.opd, routingRule: self.routing_rule,
            responseDueAt: self.response_due_at.nearestMillisecond, resolutionDueAt: self.resolution_due_at.nearestMillisecond,
            createdAt: self.created_at.nearestMillisecond, updatedAt: self.updated_at.nearestMillisecond)
    }
}
