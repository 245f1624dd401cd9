import HTTPTypes
import Hummingbird

/// Headers every response carries, errors included: `X-Content-Type-Options: nosniff`; `Cache-Control: no-store` unless
/// the route chose its own (public photo copies are immutable), since most answers carry someone's data and a shared
/// cache must keep none of it; and on HTML (the monthly report) a Content-Security-Policy that allows nothing but its
/// own inline styles and inline SVG, so that text from a complaint can never run or load anything.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var reportPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if response.headers[.contentType]?.hasPrefix("text/html") == true { response.headers[.contentSecurityPolicy] = Self.reportPolicy }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}
