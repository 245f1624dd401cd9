import Foundation

/// A submission as the client sent it, before any checking.
public struct SubmissionInput: Sendable {
    public var category: String?
    public var description: String?
    public var region: String?
    public var location: (lat: Double?, lng: Double?)?
    public var address: String?
    public var reporterName: String?
    public var reporterPhone: String?
    public var visibility: String?
    public var anonymous: Bool?
    /// False when the reporter does not want messages about the complaint.
    public var notify: Bool?
    /// The signed-in citizen filing it, whose complaint it becomes.
    public var account: Int64?
    /// Answers to the category's questions (`Category.attributes`), by code.
    public var attributes: AttributeAnswers = [:]

    public init(
        category: String? = nil, description: String? = nil, region: String? = nil,
        location: (lat: Double?, lng: Double?)? = nil, address: String? = nil, reporterName: String? = nil,
        reporterPhone: String? = nil, visibility: String? = nil, anonymous: Bool? = nil, notify: Bool? = nil
    ) {
        self.category = category
        self.description = description
        self.region = region
        self.location = location
        self.address = address
        self.reporterName = reporterName
        self.reporterPhone = reporterPhone
        self.visibility = visibility
        self.anonymous = anonymous
        self.notify = notify
    }
}

/// One field's problem, with a stable code and the values a message needs.
public struct FieldError: Error, Hashable, Sendable {
    public enum Code: String, Sendable {
        case required, tooShort = "too_short", tooLong = "too_long", controlCharacters = "control_characters"
        /// Bidirectional controls and zero-width characters (`Intake.forbiddenCharacters`).
        case invisibleCharacters = "invisible_characters"
        case unknownCategory = "unknown_category", unknownRegion = "unknown_region", regionTooCoarse = "region_too_coarse"
        case outOfRange = "out_of_range", outsideProvince = "outside_province", invalidValue = "invalid_value"
        case invalidPhone = "invalid_phone", wrongType = "wrong_type"
        /// Sign-in: not an Indonesian mobile number; not a 6-digit code.
        case notMobilePhone = "not_mobile_phone", invalidCode = "invalid_code"
        /// Photos: more than the limit; a format Aduan does not take; larger than the limit in bytes or pixels; a file
        /// that is not a whole image; an empty part.
        case tooMany = "too_many", unsupportedFormat = "unsupported_format", tooLarge = "too_large", tooManyPixels = "too_many_pixels"
        case corrupt, empty
    }
    public let field: String
    public let code: Code
    public let limit: Int?

    public init(field: String, code: Code, limit: Int? = nil) {
        self.field = field
        self.code = code
        self.limit = limit
    }
}

/// Checks a submission, resolves its region, routes it and sets its deadlines: the whole of filing that does
/// not touch storage.
public struct Intake: Sendable {
    public static let descriptionLength = 10...4000
    public static let addressMaxLength = 500
    public static let nameMaxLength = 100
    /// As the schema's CHECK on reporter_phone: separators count too.
    public static let phoneMaxLength = 32

    public let catalog: Catalog
    let router: ComplaintRouter
    /// Seals an anonymous reporter's name and phone. Without it (tools that file no anonymous identities) an anonymous
    /// reporter's name and phone are not kept at all: never in clear.
    let identitySeal: IdentitySeal?

    public init(catalog: Catalog, identitySeal: IdentitySeal? = nil) {
        self.identitySeal = identitySeal
        self.catalog = catalog
        self.router = ComplaintRouter(catalog: catalog)
    }

    /// The region a point falls in (a kecamatan, or the nearest across a gap in the boundaries), or nil outside the
    /// province.
    public func region(at point: GeoPoint) -> RegionCode? {
        self.catalog.boundaries.region(at: point)
    }

    /// Validates and routes a submission filed at `now`; all field problems are reported together.
    public func admit(_ input: SubmissionInput, now instant: Date) -> Result<NewComplaint, ValidationFailure> {
        // Whole milliseconds: what the database keeps, so that a stored complaint equals the one filed.
        let now = instant.wholeMilliseconds
        var errors: [FieldError] = []

        let category = input.category.flatMap { self.catalog.category($0) }
        if input.category == nil {
            errors.append(FieldError(field: "category", code: .required))
        } else if category == nil {
            errors.append(FieldError(field: "category", code: .unknownCategory))
        }

        // Surrounding whitespace is not content: ten spaces are not a description.
        let description = input.description.map { Self.normalizeNewlines($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        if let description {
            let length = description.unicodeScalars.count
            if length < Self.descriptionLength.lowerBound {
                errors.append(FieldError(field: "description", code: .tooShort, limit: Self.descriptionLength.lowerBound))
            } else if length > Self.descriptionLength.upperBound {
                errors.append(FieldError(field: "description", code: .tooLong, limit: Self.descriptionLength.upperBound))
            }
            if let code = Self.forbiddenCharacters(in: description, allowNewlines: true) {
                errors.append(FieldError(field: "description", code: code))
            }
        } else {
            errors.append(FieldError(field: "description", code: .required))
        }

        let address = self.optionalText(input.address, field: "address", max: Self.addressMaxLength, &errors)
        let name = self.optionalText(input.reporterName, field: "reporter.name", max: Self.nameMaxLength, &errors)
        let phone = input.reporterPhone.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let phone, phone.unicodeScalars.count > Self.phoneMaxLength {
            errors.append(FieldError(field: "reporter.phone", code: .tooLong, limit: Self.phoneMaxLength))
        } else if let phone, !Self.isPlausiblePhone(phone) {
            errors.append(FieldError(field: "reporter.phone", code: .invalidPhone))
        }

        var visibility = category?.defaultVisibility ?? .private
        if let raw = input.visibility {
            if let chosen = Visibility(rawValue: raw) {
                visibility = chosen
            } else {
                errors.append(FieldError(field: "visibility", code: .invalidValue))
            }
        }

        var point: GeoPoint?
        if let location = input.location {
            if let lat = location.lat, let lng = location.lng {
                let candidate = GeoPoint(lat: lat, lng: lng)
                if candidate.isValid {
                    point = candidate
                } else {
                    if !(lat.isFinite && abs(lat) <= 90) { errors.append(FieldError(field: "location.lat", code: .outOfRange)) }
                    if !(lng.isFinite && abs(lng) <= 180) { errors.append(FieldError(field: "location.lng", code: .outOfRange)) }
                }
            } else {
                if location.lat == nil { errors.append(FieldError(field: "location.lat", code: .required)) }
                if location.lng == nil { errors.append(FieldError(field: "location.lng", code: .required)) }
            }
        }

        var region: RegionCode?
        if let raw = input.region {
            let code = RegionCode(raw)
            if let known = self.catalog.regions[code], self.catalog.province.contains(code) {
                if known.code.depth >= 3 {
                    region = code
                } else {
                    errors.append(FieldError(field: "region", code: .regionTooCoarse))
                }
            } else {
                errors.append(FieldError(field: "region", code: .unknownRegion))
            }
        } else if let point {
            region = self.region(at: point)
            if region == nil { errors.append(FieldError(field: "location", code: .outsideProvince)) }
        } else if input.location == nil {
            errors.append(FieldError(field: "location", code: .required))
        }

        let attributes = category.map { $0.check(input.attributes) } ?? (kept: [], errors: [])
        errors += attributes.errors

        guard errors.isEmpty, let category, let description, let region,
            let decision = self.router.route(category: category.code, region: region)
        else {
            // Unreachable with a valid catalog (it must have a catch-all), but never a crash.
            return .failure(ValidationFailure(errors: errors.isEmpty ? [FieldError(field: "category", code: .unknownCategory)] : errors))
        }
        let calendar = self.catalog.calendar(for: region)
        let local = calendar.local(now).date
        let responseDue = calendar.deadline(from: now, target: category.sla.response)
        let resolutionDue = calendar.deadline(from: now, target: category.sla.resolution)
        return .success(
            NewComplaint(
                category: category.code, description: description, region: region, location: point, address: address,
                reporter: (input.anonymous ?? false)
                    ? Reporter(
                        name: nil, phone: nil, notify: input.notify ?? true, account: input.account,
                        sealed: self.identitySeal?.seal(name: name, phone: phone))
                    : Reporter(name: name, phone: phone, notify: input.notify ?? true, account: input.account),
                visibility: visibility, anonymous: input.anonymous ?? false,
                opd: decision.winner.opd, routingRule: decision.winner.id,
                responseDueAt: responseDue, resolutionDueAt: resolutionDue,
                responseAtRiskAt: calendar.atRisk(start: now, due: responseDue, target: category.sla.response),
                resolutionAtRiskAt: calendar.atRisk(start: now, due: resolutionDue, target: category.sla.resolution),
                createdAt: now, ticketPeriod: zeroPadded(local.year % 100, 2) + zeroPadded(local.month, 2),
                attributes: attributes.kept.map { CategoryAnswer(code: $0.code, values: $0.values) }))
    }

    func optionalText(_ value: String?, field: String, max: Int, _ errors: inout [FieldError]) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        if value.unicodeScalars.count > max { errors.append(FieldError(field: field, code: .tooLong, limit: max)) }
        if let code = Self.forbiddenCharacters(in: value, allowNewlines: false) { errors.append(FieldError(field: field, code: code)) }
        return value
    }

    /// Mobile keyboards send CRLF; the stored text uses LF only.
    static func normalizeNewlines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// What free text may not contain, or nil: control characters (Unicode Cc) other than newline and tab; and
    /// characters that make text read otherwise than it is (`invisible_characters`): bidirectional overrides,
    /// embeddings, isolates and marks, which reorder what staff read, and zero-width characters, which hide inside
    /// words. A zero-width joiner is kept after an emoji, where it builds one picture out of several.
    public static func forbiddenCharacters(in text: String, allowNewlines: Bool) -> FieldError.Code? {
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if scalar.properties.generalCategory == .control {
                if allowNewlines && (scalar == "\n" || scalar == "\t") { continue }
                return .controlCharacters
            }
            switch scalar.value {
            case 0x200D
            where previous.map({ $0.properties.isEmojiPresentation || $0.properties.isEmojiModifier || $0.value == 0xFE0F }) == true:
                continue
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x200B...0x200D, 0x2060, 0xFEFF, 0x180E:
                return .invisibleCharacters
            default: continue
            }
        }
        return nil
    }

    /// Indonesian numbers as people type them: digits with an optional leading +, spaces and dashes.
    static func isPlausiblePhone(_ phone: String) -> Bool {
        let digits = phone.filter(\.isNumber)
        let allowed = phone.enumerated().allSatisfy { index, ch in
            (ch.isASCII && ch.isNumber) || ch == " " || ch == "-" || (ch == "+" && index == 0)
        }
        return allowed && (8...15).contains(digits.count)
    }
}

/// A submission refused, with every field's problem.
public struct ValidationFailure: Error, Sendable {
    public let errors: [FieldError]
    public init(errors: [FieldError]) { self.errors = errors }
}
