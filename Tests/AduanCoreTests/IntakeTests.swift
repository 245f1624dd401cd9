import AduanCore
import Foundation
import Testing

@Suite("Intake: checking, locating, routing and timing a submission")
struct IntakeTests {
    let intake = Intake(catalog: lampung)
    let now = instant("2026-11-20T19:00:00+07:00")

    func admit(_ input: SubmissionInput) -> Result<NewComplaint, ValidationFailure> { self.intake.admit(input, now: self.now) }

    @Test("a good submission is routed, timed and given the category's default privacy")
    func admitted() throws {
        let result = self.admit(SubmissionInput(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01"))
        let complaint = try result.get()
        #expect(complaint.opd == "DLH-1871")
        #expect(complaint.routingRule == "sampah@18.71#0")
        #expect(complaint.visibility == lampung.category("sampah")!.defaultVisibility)
        #expect(complaint.responseDueAt == instant("2026-11-24T16:00:00+07:00"))
        #expect(complaint.ticketPeriod == "2611")
    }

    @Test("a location alone resolves to its kecamatan")
    func located() throws {
        let complaint = try self.admit(
            SubmissionInput(category: "banjir", description: "Banjir setinggi lutut di jalan.", location: (-5.1131, 105.3067))
        ).get()
        #expect(RegionCode("18.72").contains(complaint.region))
        #expect(complaint.opd == "BPBD-1872")
        #expect(complaint.responseDueAt == self.now.addingTimeInterval(6 * 3600))
    }

    static let refusals: [(String, SubmissionInput, String, FieldError.Code)] = [
        ("missing category", SubmissionInput(description: "cukup panjang ya", region: "18.71.01"), "category", .required),
        (
            "unknown category", SubmissionInput(category: "ufo", description: "cukup panjang ya", region: "18.71.01"), "category",
            .unknownCategory
        ),
        ("short description", SubmissionInput(category: "sampah", description: "pendek", region: "18.71.01"), "description", .tooShort),
        (
            "blank description", SubmissionInput(category: "sampah", description: "            ", region: "18.71.01"), "description",
            .tooShort
        ),
        (
            "long description", SubmissionInput(category: "sampah", description: String(repeating: "a", count: 4001), region: "18.71.01"),
            "description", .tooLong
        ),
        (
            "control characters", SubmissionInput(category: "sampah", description: "sampah\u{0007} di pasar", region: "18.71.01"),
            "description", .controlCharacters
        ),
        (
            "NUL", SubmissionInput(category: "sampah", description: "sampah di pasar\u{0000}", region: "18.71.01"), "description",
            .controlCharacters
        ),
        // Text that reads otherwise than it is: a right-to-left override, an isolate, a zero-width space, a BOM.
        (
            "bidi override",
            SubmissionInput(category: "sampah", description: "tolong \u{202E}nakusiruh\u{202C} segera", region: "18.71.01"), "description",
            .invisibleCharacters
        ),
        (
            "bidi isolate", SubmissionInput(category: "sampah", description: "sampah di \u{2067}pasar\u{2069} lama", region: "18.71.01"),
            "description", .invisibleCharacters
        ),
        (
            "zero-width space in a name",
            SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "18.71.01", reporterName: "Bu\u{200B}di"),
            "reporter.name", .invisibleCharacters
        ),
        (
            "byte order mark in an address",
            SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "18.71.01", address: "Jl.\u{FEFF} Pisang"),
            "address", .invisibleCharacters
        ),
        (
            "unknown region", SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "18.99.01"), "region",
            .unknownRegion
        ),
        (
            "region outside the province", SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "31.71"), "region",
            .unknownRegion
        ),
        (
            "kabupaten only", SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "18.71"), "region",
            .regionTooCoarse
        ),
        ("no place at all", SubmissionInput(category: "sampah", description: "cukup panjang ya"), "location", .required),
        (
            "latitude out of range", SubmissionInput(category: "sampah", description: "cukup panjang ya", location: (91, 105)),
            "location.lat", .outOfRange
        ),
        (
            "longitude not finite", SubmissionInput(category: "sampah", description: "cukup panjang ya", location: (-5, .infinity)),
            "location.lng", .outOfRange
        ),
        (
            "outside the province", SubmissionInput(category: "sampah", description: "cukup panjang ya", location: (-6.2, 106.8)),
            "location", .outsideProvince
        ),
        (
            "half a location", SubmissionInput(category: "sampah", description: "cukup panjang ya", location: (-5.4, nil)), "location.lng",
            .required
        ),
        (
            "bad visibility",
            SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "18.71.01", visibility: "secret"), "visibility",
            .invalidValue
        ),
        (
            "bad phone", SubmissionInput(category: "sampah", description: "cukup panjang ya", region: "18.71.01", reporterPhone: "call me"),
            "reporter.phone", .invalidPhone
        ),
    ]

    @Test("emoji built with zero-width joiners, and plain accents, are not refused")
    func emojiKept() {
        for text in ["banjir lagi 👨‍👩‍👧 mengungsi", "❤️‍🔥 terima kasih petugas", "jalan di Cimahi café 👍🏽‍"] {
            #expect(Intake.forbiddenCharacters(in: text, allowNewlines: true) == nil, "\(text)")
        }
        #expect(Intake.forbiddenCharacters(in: "1\u{200D}2", allowNewlines: true) == .invisibleCharacters)
    }

    @Test("bad submissions are refused with the field and a stable code", arguments: refusals)
    func refused(_ name: String, _ input: SubmissionInput, _ field: String, _ code: FieldError.Code) {
        guard case .failure(let failure) = self.admit(input) else {
            Issue.record("\(name) was admitted")
            return
        }
        #expect(
            failure.errors.contains(FieldError(field: field, code: code, limit: failure.errors.first { $0.field == field }?.limit)),
            "\(name): \(failure.errors)")
    }

    @Test("CRLF from mobile keyboards is stored as LF; tabs and newlines are allowed")
    func newlines() throws {
        let complaint = try self.admit(SubmissionInput(category: "sampah", description: "baris satu\r\nbaris\tdua", region: "18.71.01"))
            .get()
        #expect(complaint.description == "baris satu\nbaris\tdua")
    }
}
