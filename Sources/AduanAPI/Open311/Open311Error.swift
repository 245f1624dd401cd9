import AduanCore
import Foundation
import HTTPTypes
import Hummingbird

/// An error as Open311 states it: a list of `<error><code/><description/></error>` (a JSON array in JSON), with 400,
/// 403 or 404. Overload keeps its 429 or 503 and `Retry-After`. Every error under `/open311/` is answered this way,
/// never as a problem document: `ProblemMiddleware` hands them here.
struct Open311Error: Error, Sendable {
    let status: HTTPResponse.Status
    let errors: [(code: Int, description: String)]
    var retryAfter: Int? = nil

    init(_ status: HTTPResponse.Status, _ description: String) {
        self.status = status
        self.errors = [(Int(status.code), description)]
    }

    init(status: HTTPResponse.Status, errors: [(code: Int, description: String)], retryAfter: Int? = nil) {
        self.status = status
        self.errors = errors
        self.retryAfter = retryAfter
    }

    static func badRequest(_ description: String) -> Self { Self(.badRequest, description) }

    /// The API's problem in Open311's terms: field problems become one error each, named by the parameter the client
    /// sent (`attribute[ukuran]`, `lat`); statuses other than 403, 404 and overload become 400.
    init(_ problem: Problem, language: Language) {
        let status: HTTPResponse.Status
        switch problem.kind.status {
        case .forbidden, .unauthorized: status = .forbidden
        case .notFound, .methodNotAllowed: status = problem.kind == .methodNotAllowed ? .badRequest : .notFound
        case .tooManyRequests, .serviceUnavailable, .internalServerError: status = problem.kind.status
        default: status = .badRequest
        }
        let code = Int(status.code)
        if problem.fieldErrors.isEmpty {
            let text = Messages.problem(problem.kind, language)
            let detail = problem.context.map { "\(text.detail) (\($0))" } ?? text.detail
            self.init(status: status, errors: [(code, detail)], retryAfter: problem.retryAfter)
        } else {
            self.init(
                status: status,
                errors: problem.fieldErrors.map { error in
                    // Open311 clients find the services in services.xml, not in /v1/categories.
                    let text =
                        error.code == .unknownCategory
                        ? (language == .en ? "Unknown service; see services.xml." : "Layanan tidak dikenal; lihat services.xml.")
                        : Messages.field(error, language)
                    return (code, "\(Self.parameter(for: error.field)): \(text)")
                },
                retryAfter: problem.retryAfter)
        }
    }

    /// The Open311 parameter that carried an intake field.
    static func parameter(for field: String) -> String {
        if field.hasPrefix("attributes.") { return "attribute[\(field.dropFirst("attributes.".count))]" }
        switch field {
        case "category": return "service_code"
        case "location.lat": return "lat"
        case "location.lng": return "long"
        case "location": return "lat, long"
        case "address": return "address_string"
        case "region": return "address_id"
        case "reporter.name": return "first_name, last_name"
        case "reporter.phone": return "phone"
        case "text", "reason": return "description"
        default:
            if field.hasPrefix("photo") { return "media" + field.dropFirst("photo".count) }
            return field
        }
    }

    func response(_ format: Open311Format) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter {
            headers[.retryAfter] = String(retryAfter)
        } else if self.status == .serviceUnavailable || self.status == .tooManyRequests {
            headers[.retryAfter] = "2"
        }
        let list = Open311Node.list(
            item: "error", self.errors.map { .object([("code", .integer($0.code)), ("description", .text($0.description))]) })
        return list.response(root: "errors", format, status: self.status, headers: headers)
    }
}
