import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// An RFC 9457 problem: every error the API returns, with a stable type and a message in the client's language.
struct Problem: Error, Sendable {
    /// The stable kinds of problem; each becomes the `type` URI `/problems/<slug>`.
    enum Kind: String, Sendable {
        case malformedJSON = "malformed-json"
        case invalidBody = "invalid-body"
        case validationFailed = "validation-failed"
        case payloadTooLarge = "payload-too-large"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case invalidTrackingToken = "invalid-tracking-token"
        case invalidIdempotencyKey = "invalid-idempotency-key"
        case idempotencyKeyReused = "idempotency-key-reused"
        case notReady = "not-ready"
        case invalidStaffToken = "invalid-staff-token"
        case forbidden = "forbidden"
        case invalidTransition = "invalid-transition"
        case reopenWindowClosed = "reopen-window-closed"
        case badRequest = "bad-request"
        /// Overload or a fault the client cannot fix: try again after `Retry-After`.
        case unavailable = "unavailable"
        case unsupportedMediaType = "unsupported-media-type"
        case internalError = "internal-error"
        case tooManyRequests = "too-many-requests"
        case invalidCitizenToken = "invalid-citizen-token"
        case signInCodeWrong = "sign-in-code-wrong"
        case signInCodeExpired = "sign-in-code-expired"
        case claimNotProven = "claim-not-proven"
        case claimedByAnother = "claimed-by-another"
        case supporterRequired = "supporter-required"
        case complaintNotOpen = "complaint-not-open"
        case ownComplaint = "own-complaint"

        var status: HTTPResponse.Status {
            switch self {
            case .malformedJSON, .invalidBody, .invalidIdempotencyKey, .badRequest, .supporterRequired: return .badRequest
            case .validationFailed, .idempotencyKeyReused, .signInCodeWrong, .signInCodeExpired: return .unprocessableContent
            case .payloadTooLarge: return .contentTooLarge
            case .notFound: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .invalidTrackingToken, .invalidStaffToken, .invalidCitizenToken: return .unauthorized
            case .forbidden, .claimNotProven: return .forbidden
            case .invalidTransition, .reopenWindowClosed, .claimedByAnother, .complaintNotOpen, .ownComplaint: return .conflict
            case .tooManyRequests: return .tooManyRequests
            case .notReady, .unavailable: return .serviceUnavailable
            case .unsupportedMediaType: return .unsupportedMediaType
            case .internalError: return .internalServerError
            }
        }
    }

    let kind: Kind
    /// Extra words for the detail, such as the byte limit or the parse position.
    let context: String?
    let fieldErrors: [FieldError]
    /// For an invalid transition: the actions that are allowed instead, and the complaint's status.
    let allowed: [String]?
    let currentStatus: String?
    /// Seconds before trying again, for a 429 or 503 (`Retry-After`).
    let retryAfter: Int?

    init(
        _ kind: Kind, context: String? = nil, fieldErrors: [FieldError] = [], allowed: [String]? = nil, currentStatus: String? = nil,
        retryAfter: Int? = nil
    ) {
        self.kind = kind
        self.context = context
        self.fieldErrors = fieldErrors
        self.allowed = allowed
        self.currentStatus = currentStatus
        self.retryAfter = retryAfter
    }

    /// The workflow's refusals, as the API states them.
    init(_ error: WorkflowError) {
        switch error {
        case .notPermitted(let role, let action):
            self.init(.forbidden, context: "\(role.rawValue): \(action.rawValue)")
        case .invalidTransition(let action, let status, let allowed):
            self.init(.invalidTransition, context: "\(action) from \(status.rawValue)", allowed: allowed, currentStatus: status.rawValue)
        case .reopenWindowClosed:
            self.init(.reopenWindowClosed)
        case .invalidInput(let errors):
            self.init(.validationFailed, fieldErrors: errors)
        }
    }

    func response(language: Language, instance: String?) -> Response {
        let text = Messages.problem(self.kind, language)
        let detail = self.context.map { "\(text.detail) (\($0))" } ?? text.detail
        let document = ProblemDocument(
            type: "/problems/\(self.kind.rawValue)", title: text.title, status: Int(self.kind.status.code), detail: detail,
            instance: instance,
            errors: self.fieldErrors.isEmpty
                ? nil
                : self.fieldErrors.map {
                    ProblemDocument.FieldEntry(field: $0.field, code: $0.code.rawValue, detail: Messages.field($0, language))
                },
            allowed: self.allowed, current_status: self.currentStatus)
        let body = (try? APIJSON.encode(document)) ?? Array("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json", .contentLanguage: language.rawValue]
        if self.kind.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if self.kind.status == .serviceUnavailable || self.kind == .tooManyRequests { headers[.retryAfter] = String(self.retryAfter ?? 2) }
        return Response(status: self.kind.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Turns every error into a problem document, so no client ever sees a bare 500 or an HTML page.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let language = Language(request)
        let path = request.uri.path
        // Open311 clients read Open311's error list, never a problem document; its readers are the apps' developers, so
        // it is in English unless the client asks otherwise.
        let open311Language = request.headers[.acceptLanguage] == nil ? Language.en : language
        let respond: (Problem) -> Response =
            path.hasPrefix("/open311/")
            ? { Open311Error($0, language: open311Language).response(Open311Format(path: path)) }
            : { $0.response(language: language, instance: path) }
        do {
            return try await next(request, context)
        } catch let error as Open311Error {
            return error.response(Open311Format(path: path))
        } catch let problem as Problem {
            return respond(problem)
        } catch let error as WorkflowError {
            return respond(Problem(error))
        } catch let error as HTTPError {
            return respond(Self.problem(for: error))
        } catch {
            if let fault = StoreFault(error) {
                // A passing fault of the database (busy, full, read-only): the client should retry, and nothing was saved.
                context.logger.warning(
                    "database unavailable", metadata: ["fault": "\(fault.rawValue)", "error": "\(error)", "path": "\(path)"])
                return respond(Problem(.unavailable, retryAfter: fault.retryAfter))
            }
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(path)"])
            return respond(Problem(.internalError))
        }
    }

    static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound: return Problem(.notFound)
        case .contentTooLarge: return Problem(.payloadTooLarge)
        case .methodNotAllowed: return Problem(.methodNotAllowed)
        case .badRequest: return Problem(.badRequest, context: error.body)
        default: return Problem(error.status.code >= 500 ? .internalError : .badRequest, context: error.body)
        }
    }
}
