import AduanCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A request context that knows who the client is, for rate limits.
public protocol ClientRequestContext: RequestContext {
    var clientAddress: String { get }
}

/// Addresses and networks (`10.0.0.0/8`, `::1`): the reverse proxies whose `X-Forwarded-For` is believed (from anyone
/// else the header is ignored, or a client could name any address and escape its limits), and who may read `/metrics`.
public struct NetworkList: Sendable, Equatable {
    struct Network: Sendable, Equatable {
        let bytes: [UInt8]
        let prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == self.bytes.count else { return false }
            var left = self.prefix
            for (a, b) in zip(address, self.bytes) where left > 0 {
                let mask: UInt8 = left >= 8 ? 0xff : ~(0xff >> UInt8(left))
                if a & mask != b & mask { return false }
                left -= 8
            }
            return true
        }
    }

    let networks: [Network]

    public init() { self.networks = [] }

    /// A comma-separated list such as `127.0.0.1, ::1, 10.0.0.0/8`; nil when an entry is not an address or network.
    public init?(parsing list: String) {
        var networks: [Network] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(parts[0]) else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...bytes.count * 8).contains(prefix) else { return nil }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
        self.networks = networks
    }

    public var isEmpty: Bool { self.networks.isEmpty }

    func contains(_ address: [UInt8]) -> Bool {
        // An IPv4-mapped IPv6 peer (a dual-stack socket) is judged as its IPv4 address.
        if address.count == 16 && address.prefix(10).allSatisfy({ $0 == 0 }) && address[10] == 0xff && address[11] == 0xff {
            return self.contains(Array(address.suffix(4)))
        }
        return self.networks.contains { $0.contains(address) }
    }

    /// An address's bytes (4 for IPv4, 16 for IPv6), or nil.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    /// The client behind the proxies: from the right of `X-Forwarded-For`, the first address that is not a trusted
    /// proxy (what the nearest proxy saw); nil when the peer is not trusted or the header names nobody usable.
    func client(peer: [UInt8], forwardedFor header: String?) -> [UInt8]? {
        guard let header, self.contains(peer) else { return nil }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var last: [UInt8]?
        for hop in hops.reversed() {
            guard let address = Self.bytes(hop) else { return last }
            if !self.contains(address) { return address }
            last = address
        }
        return last
    }
}

/// Who a client is for rate limits: its IPv4 address, or the /64 network of an IPv6 one (a single subscriber holds a
/// whole /64); "unknown" when there is none (a test channel).
enum ClientName {
    static func of(_ bytes: [UInt8]) -> String {
        if bytes.count == 16 {
            // An IPv4-mapped address is the IPv4 client it maps.
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Self.of(Array(bytes.suffix(4))) }
            return "v6:" + Secrets.hex(Array(bytes.prefix(8))) + "/64"
        }
        return bytes.map(String.init).joined(separator: ".")
    }

    static func bytes(of address: SocketAddress?) -> [UInt8]? {
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: return nil
        }
    }
}

/// Puts the client's address in the context: the peer's, or, from a trusted proxy, the one it forwards.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: NetworkList

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let peer = context.clientBytes, !self.trustedProxies.isEmpty,
            let client = self.trustedProxies.client(peer: peer, forwardedFor: request.headers[.xForwardedFor])
        {
            context.clientBytes = client
            context.clientAddress = ClientName.of(client)
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
