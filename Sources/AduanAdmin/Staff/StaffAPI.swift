import AduanWire
import AsyncHTTPClient
import Foundation

/// The server's staff API as the CLI uses it: the wire types (AduanWire) in and out, each refusal turned into one
/// readable line.
struct StaffAPI {
    let credentials: Credentials

    /// An answer: its bytes, printed as they are for `--json` (so that scripts see whatever the server sent), and
    /// decoded into a wire type only for the tables people read.
    struct Answer {
        let path: String
        let raw: Data

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            do {
                return try JSONDecoder().decode(type, from: self.raw)
            } catch {
                throw Failure("the server's answer to \(self.path) is not what this aduan-admin understands (a different version?)")
            }
        }
    }

    func get(_ path: String, query: [(String, String)] = []) async throws -> Answer {
        Answer(path: path, raw: try await self.send(post: false, path, query: query, body: nil))
    }

    func post(_ path: String, body: some Encodable) async throws -> Answer {
        Answer(path: path, raw: try await self.send(post: true, path, query: [], body: try JSONEncoder().encode(body)))
    }

    /// One part of a `multipart/form-data` body.
    struct FormPart {
        let name: String
        let filename: String?
        let contentType: String
        let bytes: [UInt8]
    }

    func post(_ path: String, form parts: [FormPart]) async throws -> Answer {
        let boundary = "aduan-" + UUID().uuidString
        var body = Data()
        for part in parts {
            let filename = part.filename.map { "; filename=\"\($0.replacingOccurrences(of: "\"", with: "_"))\"" } ?? ""
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(filename)\r\n".utf8))
            body.append(Data("Content-Type: \(part.contentType)\r\n\r\n".utf8))
            body.append(contentsOf: part.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return Answer(
            path: path, raw: try await self.send(post: true, path, query: [], body: body, contentType: "multipart/form-data; boundary=\(boundary)"))
    }

    /// The answer's bytes; a refusal is one line.
    func send(
        post: Bool, _ path: String, query: [(String, String)], body: Data?, contentType: String = "application/json"
    ) async throws -> Data {
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
            request.headers.add(name: "Content-Type", value: contentType)
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
        guard (200..<300).contains(Int(response.status.code)) else {
            let problem = try? JSONDecoder().decode(ProblemDocument.self, from: data)
            throw Failure(Self.explain(status: Int(response.status.code), problem: problem, path: path))
        }
        return data
    }

    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("Timeout") || text.contains("timeout") { return "timed out" }
        return text.count > 120 ? String(text.prefix(120)) + "..." : text
    }

    /// One line for a problem document, in the CLI's words: the server's `detail` is in the requested language
    /// (Indonesian), so the line is built from the stable parts (codes, fields, allowed actions).
    static func explain(status: Int, problem: ProblemDocument?, path: String) -> String {
        let ticket = Self.ticket(in: path)
        let action = path.split(separator: "/").last.map(String.init) ?? "that"
        switch status {
        case 401:
            return path == "/v1/staff/me"
                ? "the server refused this token (unknown, mistyped or revoked)"
                : "the server refused the saved token (revoked or mistyped): log in again with aduan-admin login --server URL"
        case 403 where path.hasPrefix("/v1/reports"): return "not permitted: an office's staff get only their own office's report"
        case 403: return "not permitted: your role may not \(action) complaints"
        case 404:
            if let ticket { return "no complaint \(ticket) in your queue (unknown ticket, or another OPD's)" }
            if path.hasPrefix("/v1/reports") { return "no such kept version of that report (see aduan-admin report versions)" }
            return "not found: \(path)"
        case 409:
            let allowed = problem?.allowed.map { $0.isEmpty ? "none" : $0.joined(separator: ", ") } ?? "none"
            if problem?.type == "/problems/reopen-window-closed" {
                return "cannot reopen \(ticket ?? ""): more than 7 days since the resolution"
            }
            let now = problem?.current_status.map { " now that it is \($0)" } ?? " in its current status"
            return "cannot \(action) \(ticket ?? "it")\(now); allowed: \(allowed)"
        case 413: return "refused: the photos are larger than the server accepts"
        case 503: return "the server is busy or its storage is unavailable; try again shortly"
        case 400, 422:
            let fields = (problem?.errors ?? []).map { "\($0.field) (\($0.code.replacingOccurrences(of: "_", with: " ")))" }
            if !fields.isEmpty { return "refused: " + fields.joined(separator: ", ") }
            return "refused: \(problem?.detail ?? "HTTP \(status)")"
        default:
            return "the server answered HTTP \(status): \(problem?.detail ?? "no details")"
        }
    }

    static func ticket(in path: String) -> String? {
        let parts = path.split(separator: "/")
        guard let index = parts.firstIndex(of: "complaints"), index + 1 < parts.count else { return nil }
        return String(parts[index + 1])
    }
}
