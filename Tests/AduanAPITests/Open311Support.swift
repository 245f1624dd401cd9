import AduanAPI
import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of a parsed XML document: its name, children and text. Attributes are refused at parse time (Open311
/// documents have none), so none are kept.
final class XMLElement: @unchecked Sendable {
    let name: String
    var children: [XMLElement] = []
    var text = ""

    init(name: String) { self.name = name }

    func child(_ name: String) -> XMLElement? { self.children.first { $0.name == name } }
    func all(_ name: String) -> [XMLElement] { self.children.filter { $0.name == name } }
    /// The text of a child element, nil when it is absent.
    subscript(_ name: String) -> String? { self.child(name)?.text }
}

/// Parses a whole XML document with Foundation's (libxml2) parser, failing on any error, on a namespace, on an
/// attribute, or without the UTF-8 declaration Open311 clients expect.
func strictXML(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLElement {
    let text = String(buffer: response.body)
    #expect(response.headers[.contentType] == "text/xml; charset=utf-8", sourceLocation: sourceLocation)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"), "no XML declaration: \(text.prefix(80))", sourceLocation: sourceLocation)
    let delegate = StrictXMLDelegate()
    let parser = XMLParser(data: Data(text.utf8))
    parser.shouldProcessNamespaces = true
    parser.delegate = delegate
    let parsed = parser.parse()
    guard parsed, let root = delegate.root, delegate.problems.isEmpty else {
        throw XMLProblem(description: "not strict XML (\(parser.parserError.map { "\($0)" } ?? "")): \(delegate.problems) in \(text)")
    }
    return root
}

struct XMLProblem: Error, CustomStringConvertible { let description: String }

final class StrictXMLDelegate: NSObject, XMLParserDelegate, @unchecked Sendable {
    var stack: [XMLElement] = []
    var root: XMLElement?
    var problems: [String] = []

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        if let namespaceURI, !namespaceURI.isEmpty { self.problems.append("namespace \(namespaceURI) on \(name)") }
        if !attributes.isEmpty { self.problems.append("attributes \(attributes) on \(name)") }
        let element = XMLElement(name: name)
        if let parent = self.stack.last { parent.children.append(element) } else { self.root = element }
        self.stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = self.stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { self.stack.last?.text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) { self.problems.append("\(error)") }
}

/// A JSON body as plain values.
func jsonValue(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
    #expect(response.headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
    return try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
}

func jsonList(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    try #require(try jsonValue(response, sourceLocation: sourceLocation) as? [[String: Any]], "not a JSON array: \(String(buffer: response.body))")
}

/// An API key for an app, added as `aduan-admin apikeys add` does.
func addAPIKey(_ store: Store, name: String = "Aplikasi Kota") async throws -> (id: Int64, key: String) {
    let key = "o311_test_\(UUID().uuidString)"
    let added = try await store.addAPIKey(name: name, keyHash: Secrets.sha256Hex(key), now: Date(), operatorName: "test")
    return (added.id, key)
}

/// `application/x-www-form-urlencoded` from pairs (names may repeat), percent-encoded as a browser would.
func urlEncoded(_ pairs: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = pairs.map { name, value in
        "\(name.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
    }.joined(separator: "&")
    return ByteBuffer(string: text)
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

/// A school complaint in Kedaton as FixMyStreet would post it, with the required answers and a multi-value one in
/// the repeated-key spelling.
func schoolRequest(key: String) -> [(String, String)] {
    [
        ("api_key", key), ("service_code", "sekolah_sd_smp"), ("description", "Atap ruang kelas 3 bocor setiap hujan deras."),
        ("lat", "-5.3702"), ("long", "105.2470"), ("attribute[nama_sekolah]", "SD Negeri 2 Kedaton"),
        ("attribute[jenjang]", "sd"), ("attribute[jenjang]", "smp"), ("first_name", "Siti"), ("last_name", "Rahma"),
        ("email", "siti.rahma@example.id"), ("phone", "081270001234"), ("device_id", "fms-device-1"), ("account_id", "fms-42"),
        ("media_url", "http://127.0.0.1:9/photo/1.jpeg"),
    ]
}

/// Posts an Open311 request (urlencoded) and returns the response.
func open311Post(_ client: any TestClientProtocol, _ pairs: [(String, String)], format: String = "json", query: String = "") async throws -> TestResponse {
    try await client.execute(uri: "/open311/v2/requests.\(format)\(query)", method: .post, headers: formHeaders, body: urlEncoded(pairs))
}

/// Files through Open311 and returns the ticket.
func open311File(_ client: any TestClientProtocol, _ pairs: [(String, String)]) async throws -> String {
    let response = try await open311Post(client, pairs)
    #expect(response.status == .created, "\(String(buffer: response.body))")
    return try #require(try jsonList(response).first?["service_request_id"] as? String)
}

/// A W3C date-time with an offset and no fractional seconds.
func isW3C(_ text: String?) -> Bool {
    guard let text else { return false }
    return text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"#, options: .regularExpression) != nil
}
