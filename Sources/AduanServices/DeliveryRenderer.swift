import AduanCore
import AduanStore
import AduanWire
import Foundation

/// The bodies deliveries carry, made once when an event is fanned out and sent unchanged on every retry (a signature
/// covers the body, and a receiver drops a repeat by its id).
struct DeliveryRenderer: Sendable {
    let catalog: Catalog

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A new `webhook-id`.
    static func newMessageID() -> String { "msg_" + Secrets.base64URL(Secrets.randomBytes(16)) }

    /// The body for a target, or nil when the target gets nothing for this event (a reporter without a phone, who
    /// turned messages off, or an event they are not told of).
    func render(_ event: OutboxEvent, _ complaint: Complaint, for target: DeliveryTarget) -> (messageID: String, body: String)? {
        switch target {
        case .webhook:
            let id = Self.newMessageID()
            return (id, Self.json(self.webhookEvent(event, complaint, id: id)))
        case .messages:
            guard complaint.reporter.hasPhone, complaint.reporter.notify,
                let message = CitizenMessage.about(
                    event.announcement, ticket: event.ticket, officeName: self.officeName(event.announcement.opd))
            else { return nil }
            return (
                Self.newMessageID(),
                Self.json(
                    GatewayMessage(
                        to: nil, template: message.template, params: message.params, ticket: event.ticket.rawValue, text: message.text))
            )
        }
    }

    func webhookEvent(_ event: OutboxEvent, _ complaint: Complaint, id: String) -> WebhookEvent {
        let announcement = event.announcement
        let calendar = self.catalog.calendar(for: complaint.region)
        var filed: WebhookEvent.Filed?
        if announcement.kind == .filed {
            filed = WebhookEvent.Filed(
                description: complaint.description,
                location: self.catalog.officeLocation(of: complaint).map { LocationDTO(lat: $0.lat, lng: $0.lng) },
                address: complaint.anonymous ? nil : complaint.address, visibility: complaint.visibility.rawValue,
                anonymous: complaint.anonymous, response_due_at: calendar.iso8601(complaint.responseDueAt),
                resolution_due_at: calendar.iso8601(complaint.resolutionDueAt),
                // An anonymous reporter is never named outside Aduan.
                reporter: complaint.anonymous || (complaint.reporter.name == nil && complaint.reporter.phone == nil)
                    ? nil : ReporterDTO(name: complaint.reporter.name, phone: complaint.reporter.phone))
        }
        return WebhookEvent(
            id: id, type: announcement.kind.rawValue, occurred_at: calendar.iso8601(announcement.at), ticket: event.ticket.rawValue,
            status: announcement.status.rawValue,
            office: WebhookEvent.Named(code: announcement.opd, name: self.officeName(announcement.opd)),
            category: WebhookEvent.Named(
                code: complaint.category, name: self.catalog.category(complaint.category)?.nameID ?? complaint.category),
            region: WebhookEvent.Named(
                code: complaint.region.rawValue, name: self.catalog.regions[complaint.region]?.name ?? complaint.region.rawValue),
            data: announcement.fields, complaint: filed)
    }

    func officeName(_ code: String) -> String { self.catalog.opds[code]?.name ?? code }

    static func json(_ value: some Encodable) -> String {
        // These values are plain strings, numbers and booleans: encoding them cannot fail.
        String(decoding: (try? self.encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
