import Foundation

extension JSONEncoder {
    /// The API's JSON: stable key order so that responses diff cleanly and tests can compare bytes.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
