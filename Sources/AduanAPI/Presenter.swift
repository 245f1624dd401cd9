import AduanCore
import AduanWire
import Foundation

/// Turns codes and instants into what people read: catalog names in the client's language and local times.
struct Presenter: Sendable {
    let catalog: Catalog

    func category(_ code: String, _ language: Language) -> CodeName {
        let category = self.catalog.category(code)
        return CodeName(code: code, name: (language == .en ? category?.nameEN : category?.nameID) ?? code)
    }

    func region(_ code: RegionCode) -> CodeName {
        CodeName(code: code.rawValue, name: self.catalog.regions[code]?.name ?? code.rawValue)
    }

    func opd(_ code: String) -> CodeName {
        CodeName(code: code, name: self.catalog.opds[code]?.name ?? code)
    }

    func status(_ status: ComplaintStatus, _ language: Language) -> String {
        language == .en ? status.labelEN : status.labelID
    }

    /// The label of a complaint's status; a resolution awaiting validation says so ("Menunggu Validasi" in JAKI).
    func status(of complaint: Complaint, _ language: Language) -> String {
        self.status(complaint.status, awaitingValidation: complaint.state.awaitsValidation, language)
    }

    func status(_ status: ComplaintStatus, awaitingValidation: Bool, _ language: Language) -> String {
        guard awaitingValidation else { return self.status(status, language) }
        return language == .en ? "Resolved, pending validation" : "Selesai, menunggu validasi"
    }

    /// The photos of a complaint as its views list them. `withFacts` adds the camera's time and place, which only the
    /// reporter and staff see (the public copy itself carries no metadata).
    func photos(_ photos: [StoredPhoto], of complaint: Complaint, withFacts: Bool) -> [PhotoDTO] {
        photos.map { stored in
            let url = "/v1/complaints/\(complaint.ticket.rawValue)/photos/\(stored.id)"
            return PhotoDTO(
                id: stored.id, purpose: stored.purpose.rawValue, url: url, thumbnail_url: url + "?size=thumb",
                taken_at: withFacts ? stored.photo.takenAt.map { self.time($0, complaint) } : nil,
                location: withFacts ? stored.photo.location.map { LocationDTO(lat: $0.lat, lng: $0.lng) } : nil)
        }
    }

    /// An instant in the complaint's region's time zone.
    func time(_ instant: Date, _ complaint: Complaint) -> String { self.time(instant, in: complaint.region) }

    func time(_ instant: Date, in region: RegionCode) -> String { self.catalog.calendar(for: region).iso8601(instant) }

    /// A category's questions, for building the filing form.
    func attributes(of category: Category, _ language: Language) -> [CategoryAttributeDTO] {
        category.attributes.map { attribute in
            CategoryAttributeDTO(
                code: attribute.code, datatype: attribute.datatype.rawValue, required: attribute.required, order: attribute.order,
                description: language == .en ? attribute.descriptionEN : attribute.descriptionID,
                values: attribute.datatype.isList
                    ? attribute.values.map { .init(key: $0.key, name: language == .en ? $0.nameEN : $0.nameID) } : nil)
        }
    }

    /// A complaint's answers in its category's order, each value with its label; an answer to a question the catalog
    /// no longer asks keeps its code.
    func answers(_ answers: [CategoryAnswer], category code: String, _ language: Language) -> [AttributeAnswerDTO] {
        let questions = self.catalog.category(code)?.attributes ?? []
        let rank = { (code: String) in questions.firstIndex { $0.code == code } ?? questions.count }
        return answers.sorted { rank($0.code) < rank($1.code) }.map { answer in
            let question = questions.first { $0.code == answer.code }
            return AttributeAnswerDTO(
                code: answer.code,
                question: question.map { language == .en ? $0.descriptionEN : $0.descriptionID } ?? answer.code,
                values: answer.values.map { key in
                    let label = question?.value(key).map { language == .en ? $0.nameEN : $0.nameID }
                    return .init(key: key, name: label ?? key)
                })
        }
    }

    func deadlines(_ complaint: Complaint) -> SLADeadlines {
        SLADeadlines(
            response_due_at: self.time(complaint.responseDueAt, complaint),
            resolution_due_at: self.time(complaint.resolutionDueAt, complaint))
    }
}
