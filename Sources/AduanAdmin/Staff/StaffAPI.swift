import AsyncHTTPClient
import Foundation

/// The server's staff API as the CLI uses it: JSON in and out, each refusal turned into one readable line.
struct StaffAPI {
    let credentials: Credentials

    /// A JSON object answer.
    typealias Object = [String: Any]

    func get(_ path: String, query: [(String, String)] = []) async throws -> (object: Object, raw: Data) {
        try await self.send(post: false, path, query: query, body: nil)
    }

    func post(_ path: String, body: Object) async throws -> (object: Object, raw: Data) {
        try await self.send(post: true, path, query: [], body: try JSONSerialization.data(withJSONObject: body))
    }

    func send(post: Bool, _ path: String, query: [(String, String)], body: Data?) async throws -> (object: Object, raw: Data) {
        var components = URLComponents(string: self.credentials.server.hasSuffix("/") ? String(self.credentials.server.dropLast()) : self.credentials.server)
        guard components?.scheme == "http" || components?.scheme == "https", components?.host != nil else {
            throw Failure("server '\(self.credentials.server)' is not an http(s) URL (log in again with --server http://HOST:PORT)")
        }
        components?.path += path
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.url?.absoluteString else { throw Failure("cannot build a URL from \(self.credentials.server)") }
        var request = HTTPClientRequest(url: url)
        request.method = post ? .POST : .GET
        request.headers.add(name: "Authorization", value: "Bearer \(self.credentials.token)")
        request.headers.add(name: "Accept", value: "application/json")
        // Table labels are Indonesian, as staff read them.
        request.headers.add(name: "Accept-Language", value: "id")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(Array(body))
        }
        let response: HTTPClientResponse
        let data: Data
        // One attempt to connect, so that a server that is down is reported at once rather than after retries.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            response = try await client.execute(request, timeout: .seconds(60))
            data = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw Failure("cannot reach the server at \(self.credentials.server) (\(Self.reason(error)))")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? Object ?? [:]
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Failure(Self.explain(status: Int(response.status.code), problem: object, path: path))
        }
        return (object, data)
    }

    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("Timeout") || text.contains("timeout") { return "timed out" }
        return text.count > 120 ? String(text.prefix(120)) + "..." : text
    }

    /// One line for a problem document.
    static func explain(status: Int, problem: Object, path: String) -> String {
        let detail = problem["detail"] as? String ?? "HTTP \(status)"
        switch status {
        case 401: return "the server refused the token (revoked or mistyped): run aduan-admin login again"
        case 403: return "not permitted for your role: \(detail)"
        case 404:
            if let ticket = Self.ticket(in: path) { return "no complaint \(ticket) in your queue (unknown ticket, or another OPD's)" }
            return "not found: \(path)"
        case 409:
            let allowed = (problem["allowed"] as? [String]).map { $0.isEmpty ? "none" : $0.joined(separator: ", ") }
            return "cannot do that now: \(detail)" + (allowed.map { " (allowed now: \($0))" } ?? "")
        default:
            let fields = (problem["errors"] as? [Object] ?? []).compactMap { entry -> String? in
                guard let field = entry["field"] as? String, let text = entry["detail"] as? String else { return nil }
                return "\(field): \(text)"
            }
            return fields.isEmpty ? "\(detail) (HTTP \(status))" : "\(detail) " + fields.joined(separator: "; ")
        }
    }

    static func ticket(in path: String) -> String? {
        let parts = path.split(separator: "/")
        guard let index = parts.firstIndex(of: "complaints"), index + 1 < parts.count else { return nil }
        return String(parts[index + 1])
    }
}
