import AduanCore
import Hummingbird

/// The paging every list shares: `limit`, and an opaque `cursor` (a place in the list's order, as `:`-separated fields
/// in base64url). Each list says what its fields mean; a cursor of another list or another shape is a 400.
enum Paging {
    /// `limit` from the query, 1 to `max`, or `defaultLimit` when absent.
    static func limit(_ request: Request, max: Int, default defaultLimit: Int) throws -> Int {
        guard let raw = request.uri.queryParameters["limit"].map(String.init) else { return defaultLimit }
        guard let limit = Int(raw), (1...max).contains(limit) else { throw Problem(.badRequest, context: "limit: 1-\(max)") }
        return limit
    }

    static func cursor(_ fields: String...) -> String { Secrets.base64URL(Array(fields.joined(separator: ":").utf8)) }

    /// The fields of the request's `cursor`, nil when it has none; `parse` turns them into a position, or nil for a
    /// cursor this list did not make (400).
    static func after<Position>(_ request: Request, _ parse: ([Substring]) -> Position?) throws -> Position? {
        guard let raw = request.uri.queryParameters["cursor"].map(String.init) else { return nil }
        guard raw.count <= 64, let bytes = Secrets.base64URLDecoded(raw),
            let position = parse(String(decoding: bytes, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false))
        else { throw Problem(.badRequest, context: "cursor: not a cursor of this list") }
        return position
    }
}
