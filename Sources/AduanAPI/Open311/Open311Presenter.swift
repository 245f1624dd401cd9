import AduanCore
import AduanStore
import Foundation

/// Aduan's catalog and complaints in Open311's terms: a category is a service, a ticket a service request id, the
/// office the agency responsible, the resolution deadline the expected datetime. The reporter never appears.
struct Open311Presenter: Sendable {
    let presenter: Presenter
    let language: Language
    /// Where this server is reached from outside, for absolute `media_url`s.
    let baseURL: String

    var catalog: Catalog { self.presenter.catalog }

    // MARK: - Services

    func service(_ category: Category) -> Open311Node {
        .object([
            ("service_code", .text(category.code)),
            ("service_name", .text(self.name(category))),
            ("description", .text(self.serviceDescription(category))),
            ("metadata", .boolean(!category.attributes.isEmpty)),
            ("type", .text("realtime")),
            ("keywords", .text(nil)),
            ("group", .text(nil)),
        ])
    }

    func definition(_ category: Category) -> Open311Node {
        .object([
            ("service_code", .text(category.code)),
            (
                "attributes",
                .list(
                    item: "attribute",
                    category.attributes.map { attribute in
                        var fields: [(String, Open311Node)] = [
                            ("variable", .boolean(true)),
                            ("code", .text(attribute.code)),
                            ("datatype", .text(attribute.datatype.rawValue)),
                            ("required", .boolean(attribute.required)),
                            ("datatype_description", .text(self.datatypeDescription(attribute.datatype))),
                            ("order", .integer(attribute.order)),
                            ("description", .text(self.language == .en ? attribute.descriptionEN : attribute.descriptionID)),
                        ]
                        if attribute.datatype.isList {
                            fields.append(
                                (
                                    "values",
                                    .list(
                                        item: "value",
                                        attribute.values.map {
                                            .object([("key", .text($0.key)), ("name", .text(self.language == .en ? $0.nameEN : $0.nameID))])
                                        })
                                ))
                        }
                        return .object(fields)
                    })
            ),
        ])
    }

    func name(_ category: Category) -> String { self.language == .en ? category.nameEN : category.nameID }

    func serviceDescription(_ category: Category) -> String {
        let response = self.target(category.sla.response), resolution = self.target(category.sla.resolution)
        return self.language == .en
            ? "\(category.nameEN). Response within \(response), resolution within \(resolution)."
            : "\(category.nameID). Ditanggapi dalam \(response), diselesaikan dalam \(resolution)."
    }

    func target(_ target: SLATarget) -> String {
        switch target {
        case .workingDays(let days): return self.language == .en ? "\(days) working day\(days == 1 ? "" : "s")" : "\(days) hari kerja"
        case .hours(let hours): return self.language == .en ? "\(hours) hour\(hours == 1 ? "" : "s")" : "\(hours) jam"
        }
    }

    func datatypeDescription(_ datatype: CategoryAttribute.Datatype) -> String? {
        switch datatype {
        case .number: return self.language == .en ? "A number" : "Angka"
        case .datetime: return self.language == .en ? "Date and time, e.g. 2026-12-01T08:30:00+07:00" : "Tanggal dan jam, mis. 2026-12-01T08:30:00+07:00"
        case .multivaluelist: return self.language == .en ? "One or more of the values" : "Satu atau lebih pilihan"
        default: return nil
        }
    }

    // MARK: - Requests

    /// One request as the lists show it. `ownedByViewer`: the API key asking filed it, and sees its exact place and
    /// address as its reporter gave them; anyone else sees what the public view shows.
    func request(_ complaint: Complaint, ownedByViewer: Bool, photoID: Int64?) -> Open311Node {
        let category = self.catalog.category(complaint.category)
        let point = ownedByViewer ? complaint.location : self.catalog.shownLocation(of: complaint)
        let time = { (instant: Date) in self.presenter.time(instant, complaint) }
        // Photos are served to the public for public complaints only.
        let media = complaint.visibility == .public ? photoID.map { self.photoURL(complaint, $0) } : nil
        return .object([
            ("service_request_id", .text(complaint.ticket.rawValue)),
            ("status", .text(complaint.status.isOpen ? "open" : "closed")),
            ("status_notes", .text(self.presenter.status(of: complaint, self.language))),
            ("service_name", .text(category.map(self.name) ?? complaint.category)),
            ("service_code", .text(complaint.category)),
            ("description", .text(complaint.description)),
            ("agency_responsible", .text(self.presenter.opd(complaint.opd).name)),
            ("service_notice", .text(self.notice(complaint))),
            ("requested_datetime", .text(time(complaint.createdAt))),
            ("updated_datetime", .text(time(complaint.updatedAt))),
            ("expected_datetime", .text(time(complaint.resolutionDueAt))),
            ("address", .text(ownedByViewer ? complaint.address : nil)),
            ("address_id", .text(complaint.region.rawValue)),
            ("zipcode", .text(nil)),
            ("lat", point.map { .decimal($0.lat) } ?? .text(nil)),
            ("long", point.map { .decimal($0.lng) } ?? .text(nil)),
            ("media_url", .text(media)),
        ])
    }

    /// What the office promises: the deadlines.
    func notice(_ complaint: Complaint) -> String {
        let response = self.presenter.time(complaint.responseDueAt, complaint)
        let resolution = self.presenter.time(complaint.resolutionDueAt, complaint)
        return self.language == .en
            ? "\(self.presenter.opd(complaint.opd).name) responds by \(response) and resolves by \(resolution)."
            : "\(self.presenter.opd(complaint.opd).name) menanggapi paling lambat \(response) dan menyelesaikan paling lambat \(resolution)."
    }

    func photoURL(_ complaint: Complaint, _ photoID: Int64) -> String {
        "\(self.baseURL)/v1/complaints/\(complaint.ticket.rawValue)/photos/\(photoID)"
    }

    // MARK: - Updates

    func update(_ update: Open311Update, ownedByViewer: Bool) -> Open311Node {
        let event = update.event
        let (status, description) = self.statusAndText(event, ownedByViewer: ownedByViewer)
        return .object([
            ("update_id", .text(String(update.id))),
            ("service_request_id", .text(update.complaint.ticket.rawValue)),
            ("status", .text(status)),
            ("updated_datetime", .text(self.presenter.time(event.at, update.complaint))),
            ("description", .text(description)),
            ("media_url", .text(nil)),
            ("external_status_code", .text(event.details["to"] ?? event.kind.rawValue)),
        ])
    }

    /// An update's status in the values FixMyStreet's extension names (clients match them ignoring case), and its text:
    /// the status label, with the office's own words where they answer the public (an acceptance's or a resolution's
    /// note, a rejection's reason). A question to the reporter is shown only to the app that filed the complaint,
    /// which passes it on; a reopening's reason, the reporter's own, is not shown.
    func statusAndText(_ event: ComplaintEvent, ownedByViewer: Bool) -> (String, String) {
        switch event.kind {
        case .forwarded:
            let office = event.details["to"].map { self.presenter.opd($0).name } ?? ""
            return ("INTERNAL_REFERRAL", self.language == .en ? "Forwarded to \(office)" : "Diteruskan ke \(office)")
        case .merged:
            let into = event.details["into"] ?? ""
            return ("DUPLICATE", self.language == .en ? "Merged into \(into)" : "Digabung ke \(into)")
        default:
            let status = event.details["to"].flatMap(ComplaintStatus.init(rawValue:)) ?? .submitted
            let label = self.presenter.status(status, self.language)
            let words: String?
            switch status {
            case .inProgress where event.details["reason"] == nil, .resolved: words = event.details["note"]
            case .rejected: words = event.details["reason"]
            case .waitingInfo where ownedByViewer: words = event.details["question"]
            default: words = nil
            }
            return (Self.updateStatus(status), words.map { "\(label): \($0)" } ?? label)
        }
    }

    static func updateStatus(_ status: ComplaintStatus) -> String {
        switch status {
        case .submitted, .reopened: return "OPEN"
        case .inProgress: return "IN_PROGRESS"
        case .waitingInfo: return "INVESTIGATING"
        case .resolved: return "FIXED"
        case .closed: return "CLOSED"
        case .rejected: return "NO_FURTHER_ACTION"
        case .duplicate: return "DUPLICATE"
        }
    }
}
