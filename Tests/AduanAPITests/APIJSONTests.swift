import AduanWire
import Foundation
import Testing

@testable import AduanAPI

/// The API's own JSON writer must write exactly what Foundation's `JSONEncoder` (sorted keys, slashes as they are)
/// writes, byte for byte, so that replacing it changed no response.
@Suite("APIJSON: the same bytes as JSONEncoder, written faster")
struct APIJSONTests {
    struct Inner: Codable { var name: String; var count: Int?; var tags: [String] }
    struct Sample: Codable {
        var zeta: String
        var alpha: Int
        var flag: Bool
        var missing: String?
        var present: Double?
        var inner: Inner
        var list: [Inner]
        var matrix: [[Int]]
        var map: [String: Int]
        var empty: [String]
        var emptyObject: Inner?
        var small: Int8
        var large: UInt64
        var date: Date
    }

    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func same<T: Encodable>(_ value: T) throws {
        let ours = try APIJSON.encode(value)
        let theirs = Array(try Self.foundation.encode(value))
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
    }

    @Test("objects, arrays, nil left out, maps, nesting and key order")
    func shapes() throws {
        let inner = Inner(name: "Jalan rusak / berlubang", count: nil, tags: ["a", "b"])
        try Self.same(
            Sample(
                zeta: "z", alpha: -3, flag: true, missing: nil, present: 0.5, inner: inner,
                list: [inner, Inner(name: "", count: 2, tags: [])],
                matrix: [[1, 2], [], [3]], map: ["b": 2, "a": 1, "aa": 3, "B": 4], empty: [], emptyObject: nil, small: -8, large: .max,
                date: Date(timeIntervalSince1970: 1_790_000_000.25)))
        try Self.same([Inner]())
        try Self.same(["k": ["x": "y"]])
    }

    @Test(
        "strings: quotes, backslashes, control characters, Unicode",
        arguments: [
            "plain", "kata \"rusak\" \\ baris\nbaru\t\r\u{8}\u{c}", "\u{1}\u{1f}\u{7f}", "jalan 🚧 dan 👨‍👩‍👧", "é ñ 中文",
            "/v1/complaints/2611-0001", "",
        ])
    func strings(_ text: String) throws {
        try Self.same(["s": text])
        try Self.same([text])
    }

    @Test(
        "numbers as Foundation writes them",
        arguments: [
            0.0, 1, -1.5, 0.1, 1e-7, 1.5e-5, 1e21, 1e15, 123_456_789.123, 5.0 / 6, 105.2610, -5.4292, 0.8571428571428571, 100, 2.5e-300,
        ])
    func numbers(_ value: Double) throws {
        try Self.same(["n": value])
    }

    @Test("the API's own documents")
    func documents() throws {
        try Self.same(
            ProblemDocument(
                type: "/problems/invalid-body", title: "Isian tidak valid", status: 400, detail: "baris \"satu\"",
                instance: "/v1/complaints",
                errors: [ProblemDocument.FieldEntry(field: "location.lat", code: "wrong_type", detail: "harus angka")], allowed: nil,
                current_status: nil))
    }

    @Test("a value that is not a number is refused, not written")
    func notANumber() {
        #expect(throws: EncodingError.self) { try APIJSON.encode(["n": Double.nan]) }
    }
}
