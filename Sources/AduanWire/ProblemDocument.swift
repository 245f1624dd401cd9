import Foundation

/// An RFC 9457 problem document (`application/problem+json`): every error the API returns.
public struct ProblemDocument: Codable, Sendable, Equatable {
    /// One field's problem, with a stable code.
    public struct FieldEntry: Codable, Sendable, Equatable {
        public let field: String
        public let code: String
        public let detail: String

        public init(field: String, code: String, detail: String) {
            self.field = field
            self.code = code
            self.detail = detail
        }
    }

    public let type: String
    public let title: String
    public let status: Int
    public let detail: String
    public let instance: String?
    public let errors: [FieldEntry]?
    /// With 409 invalid-transition: the actions allowed now.
    public let allowed: [String]?
    public let current_status: String?

    public init(type: String, title: String, status: Int, detail: String, instance: String? = nil,
        errors: [FieldEntry]? = nil, allowed: [String]? = nil, current_status: String? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.errors = errors
        self.allowed = allowed
        self.current_status = current_status
    }
}
