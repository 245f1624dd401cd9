import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where Aduan may send webhooks and messages: an http(s) URL whose host resolves to public addresses only, unless
/// the operator allows private ones (`webhook_allow_private`). Otherwise a staff member who can add a subscription could
/// aim the server at its own network (loopback, private, link-local and metadata addresses).
public enum ReceiverAddress {
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case notHTTP(String)
        case unresolvable(host: String)
        case privateAddress(host: String, address: String)

        public var description: String {
            switch self {
            case .notHTTP(let url): return "\(url) is not an http:// or https:// URL with a host"
            case .unresolvable(let host): return "\(host) does not resolve"
            case .privateAddress(let host, let address):
                return "\(host) resolves to \(address), a loopback, private or link-local address "
                    + "(allowed only with webhook_allow_private = true)"
            }
        }
    }

    /// The URL's host, if it is an http(s) URL.
    public static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        return host
    }

    /// Checks `url`; resolving its host blocks, so call it off the event loops.
    public static func check(_ url: String, allowPrivate: Bool) throws(Refusal) {
        guard let host = self.host(of: url) else { throw .notHTTP(url) }
        if allowPrivate { return }
        let addresses = self.resolve(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        guard !addresses.isEmpty else { throw .unresolvable(host: host) }
        if let inside = addresses.first(where: { !self.isPublic($0) }) {
            throw .privateAddress(host: host, address: self.text(inside))
        }
    }

    /// The addresses a host resolves to, as raw bytes (4 for IPv4, 16 for IPv6).
    static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var out: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET, let address = entry.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    out.append(withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) })
                }
            } else if entry.pointee.ai_family == AF_INET6, let address = entry.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    out.append(withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) })
                }
            }
            cursor = entry.pointee.ai_next
        }
        return out
    }

    /// Whether an address is on the public internet: not loopback, private, shared (CGNAT), link-local, unspecified,
    /// multicast or reserved.
    public static func isPublic(_ address: [UInt8]) -> Bool {
        if address.count == 16 {
            // An IPv4-mapped address is judged as the IPv4 address it maps.
            if address.prefix(10).allSatisfy({ $0 == 0 }) && address[10] == 0xff && address[11] == 0xff {
                return self.isPublic(Array(address.suffix(4)))
            }
            // ::/96 holds :: and ::1, and the deprecated IPv4-compatible addresses (::127.0.0.1), which some stacks
            // still route to the IPv4 address: none is a public receiver.
            if address.prefix(12).allSatisfy({ $0 == 0 }) { return false }
            // 64:ff9b::/96, NAT64: judged as the IPv4 address it carries.
            if address.prefix(12) == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return self.isPublic(Array(address.suffix(4))) }
            if address[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local
            if address[0] == 0xfe && address[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
            if address[0] == 0xff { return false }  // multicast
            return true
        }
        guard address.count == 4 else { return false }
        let (a, b) = (address[0], address[1])
        switch a {
        case 0, 10, 127: return false
        case 100 where b & 0xc0 == 64: return false  // 100.64.0.0/10
        case 169 where b == 254: return false
        case 172 where b & 0xf0 == 16: return false
        case 192 where b == 168: return false
        case 192 where b == 0 && address[2] == 0: return false
        case 198 where b & 0xfe == 18: return false  // benchmarking
        case 224...255: return false
        default: return true
        }
    }

    static func text(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: address.count, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
