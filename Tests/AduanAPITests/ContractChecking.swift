import AduanAPI
import Foundation
import Hummingbird
import Synchronization
import Testing

/// Holds every response the API tests produce to the OpenAPI document: the router's responder is wrapped, each
/// response's body is read, checked against the documented status, media type and schema, and put back. A
/// response that does not match is an issue of the test that produced it.
struct ContractCheckingResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = try await self.inner.respond(to: request, context: context)
        let collector = CollectingWriter()
        try await response.body.write(collector.writer)
        let body = collector.bytes
        let data = Data(body.readableBytesView)
        var problems = Contract.shared.problems(
            method: request.method.rawValue.lowercased(), path: request.uri.path, status: response.status.code,
            contentType: response.headers[.contentType], body: data)
        // A path the API does not have is not in the document; its 404 must still be a problem document, or under
        // /open311/ an Open311 error list (checked in JSON; the Open311 tests parse the XML ones).
        if response.status == .notFound, problems.contains(where: { $0.hasPrefix("no operation for") }) {
            let open311 = request.uri.path.hasPrefix("/open311/")
            let type = response.headers[.contentType] ?? ""
            if open311 && type.hasPrefix("text/xml") {
                problems = []
            } else {
                problems = Contract.shared.problems(
                    json: data, schemaAt: open311 ? "#/components/schemas/Open311Errors" : "#/components/schemas/Problem")
                if !type.hasPrefix(open311 ? "application/json" : "application/problem+json") {
                    problems.append("404 for an unknown path is not \(open311 ? "an Open311 error list" : "application/problem+json")")
                }
            }
        }
        Contract.checked.withLock { $0 += 1 }
        for problem in problems { Issue.record("response not as documented: \(problem)") }
        response.body = ResponseBody(byteBuffer: body)
        return response
    }
}

/// The document, parsed once, and how many responses were checked (so a test can tell the check ran).
enum Contract {
    static let shared: OpenAPIContract = {
        do { return try OpenAPIContract(json: Data(AduanAPI.OpenAPIDocument.bytes)) } catch { fatalError("openapi.json: \(error)") }
    }()
    static let checked = Mutex(0)
}

/// Gathers a response body's buffers.
final class CollectingWriter: @unchecked Sendable {
    var bytes = ByteBuffer()

    var writer: any ResponseBodyWriter { Writer(owner: self) }

    struct Writer: ResponseBodyWriter {
        let owner: CollectingWriter
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            self.owner.bytes.writeBuffer(&buffer)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

extension Router {
    /// The router's responder, with every response checked against the OpenAPI document.
    func contractChecked() -> ContractCheckingResponder<some HTTPResponder<Context>> {
        ContractCheckingResponder(inner: self.buildResponder())
    }
}
