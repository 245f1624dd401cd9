import Foundation

/// An extra question a category asks (Open311's service attribute): the size of a pothole, the school levels
/// concerned. Each category's questions are in the catalog, in the order clients show them.
public struct CategoryAttribute: Hashable, Sendable {
    /// Open311's datatypes: free text on one line (`string`) or several (`text`), a `number`, a `datetime`, and
    /// answers picked from `values`, one or several.
    public enum Datatype: String, Sendable, CaseIterable {
        case string, number, datetime, text, singlevaluelist, multivaluelist

        public var isList: Bool { self == .singlevaluelist || self == .multivaluelist }
        /// The longest answer taken, in characters.
        var maxLength: Int { self == .text ? 1000 : 200 }
    }

    /// One answer a list offers: a stable key and its label.
    public struct Value: Hashable, Sendable {
        public let key: String
        public let nameID: String
        public let nameEN: String

        public init(key: String, nameID: String, nameEN: String) {
            self.key = key
            self.nameID = nameID
            self.nameEN = nameEN
        }
    }

    public let code: String
    public let datatype: Datatype
    public let required: Bool
    public let order: Int
    /// The question as the client asks it.
    public let descriptionID: String
    public let descriptionEN: String
    public let values: [Value]

    public init(
        code: String, datatype: Datatype, required: Bool, order: Int, descriptionID: String, descriptionEN: String,
        values: [Value] = []
    ) {
        self.code = code
        self.datatype = datatype
        self.required = required
        self.order = order
        self.descriptionID = descriptionID
        self.descriptionEN = descriptionEN
        self.values = values
    }

    public func value(_ key: String) -> Value? { self.values.first { $0.key == key } }
}

/// The answers to a category's questions, by code; a multi-value answer keeps the order given.
public typealias AttributeAnswers = [String: [String]]

extension Category {
    /// Checks the answers given against this category's questions and returns what is kept: the answers to its own
    /// questions, trimmed, in its questions' order. Answers to questions it does not ask are dropped, not refused:
    /// Open311 clients send extras of their own. An empty answer is no answer, so a required question left empty is
    /// `required`. Field names are `attributes.<code>`.
    public func check(_ answers: AttributeAnswers) -> (kept: [(code: String, values: [String])], errors: [FieldError]) {
        var kept: [(code: String, values: [String])] = []
        var errors: [FieldError] = []
        for attribute in self.attributes {
            let field = "attributes.\(attribute.code)"
            var values: [String] = []
            for raw in answers[attribute.code] ?? [] {
                let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty && !values.contains(value) { values.append(value) }
            }
            if values.isEmpty {
                if attribute.required { errors.append(FieldError(field: field, code: .required)) }
                continue
            }
            if values.count > 1 && attribute.datatype != .multivaluelist {
                errors.append(FieldError(field: field, code: .invalidValue))
                continue
            }
            if let problem = values.lazy.compactMap({ attribute.problem(with: $0) }).first {
                errors.append(FieldError(field: field, code: problem, limit: problem == .tooLong ? attribute.datatype.maxLength : nil))
                continue
            }
            kept.append((attribute.code, values))
        }
        return (kept, errors)
    }
}

extension CategoryAttribute {
    /// What is wrong with one answer, or nil.
    func problem(with value: String) -> FieldError.Code? {
        if self.datatype.isList { return self.value(value) == nil ? .invalidValue : nil }
        if value.unicodeScalars.count > self.datatype.maxLength { return .tooLong }
        if let code = Intake.forbiddenCharacters(in: value, allowNewlines: self.datatype == .text) { return code }
        switch self.datatype {
        case .number: return Double(value).map { $0.isFinite } == true ? nil : .invalidValue
        case .datetime: return W3CDateTime.parse(value) == nil ? .invalidValue : nil
        default: return nil
        }
    }
}
