import Foundation

/// The rules of signing in by phone: a 6-digit code sent to the phone, valid a few minutes and for a few tries, and
/// the citizen token it is exchanged for. Codes and client addresses are kept only as HMACs under the server's key,
/// so the database alone cannot test the million possible codes of a row.
public struct SignInRules: Sendable, Equatable {
    /// How long a code can be used.
    public var codeLifetime: TimeInterval = 5 * 60
    /// Wrong tries that end a code, and wrong tries over a day (all codes of a phone) that lock it until they age out.
    public var maxAttempts = 5
    public var maxFailuresPerDay = 10
    /// Between two codes to one phone.
    public var resendInterval: TimeInterval = 60
    /// Codes to one phone, and from one client address, per hour.
    public var perPhonePerHour = 5
    public var perClientPerHour = 20
    /// A citizen token lapses after this long without use.
    public var tokenLifetime: TimeInterval = 30 * 86_400

    public init() {}

    /// The token's lapse is moved on at most this often, so that a busy app does not write at every request.
    public var tokenRefreshInterval: TimeInterval { min(86_400, self.tokenLifetime / 10) }
}

/// Why a sign-in code may not be sent now, with when to try again.
public struct SignInRateLimited: Error, Sendable, Equatable {
    public let retryAfter: TimeInterval
    public init(retryAfter: TimeInterval) { self.retryAfter = retryAfter }
}

/// A code, and the keyed hashes under which codes and client addresses are stored.
public struct SignInCode: Sendable {
    public let digits: String

    /// A uniformly random 6-digit code (rejection sampling, so that no code is likelier than another).
    public static func random() -> SignInCode {
        while true {
            let bytes = Secrets.randomBytes(4)
            let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            // The largest multiple of 1,000,000 below 2^32: values above it would favour low codes.
            guard value < 4_294_000_000 else { continue }
            return SignInCode(digits: zeroPadded(Int(value % 1_000_000), 6))
        }
    }

    public init(digits: String) { self.digits = digits }

    /// Whether a string looks like a code at all (6 ASCII digits).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 6 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// HMAC-SHA256 under a key derived from the server's sealing key: for values too guessable to store as a plain hash
/// (a 6-digit code, an IP address).
public struct KeyedHasher: Sendable {
    let key: [UInt8]

    public init(_ sealingKey: SealingKey, purpose: String) {
        self.key = Secrets.hmacSHA256(key: sealingKey.bytes, Array("aduan \(purpose)".utf8))
    }

    public func hex(_ parts: String...) -> String {
        Secrets.hex(Secrets.hmacSHA256(key: self.key, Array(parts.joined(separator: "\u{1F}").utf8)))
    }
}

/// A citizen's bearer token: `warga_` and 43 random characters. The prefix tells it from a staff token or a tracking
/// token at a glance, so that neither is ever taken for the other.
public enum CitizenToken {
    public static let prefix = "warga_"

    public static func new() -> String { Self.prefix + Secrets.newToken() }

    public static func isCitizenToken(_ token: String) -> Bool { token.hasPrefix(Self.prefix) }
}

extension CitizenMessage {
    /// The sign-in code, sent to the phone that asked for it.
    public static func signInCode(_ code: SignInCode, minutes: Int) -> CitizenMessage {
        CitizenMessage(
            "kode_masuk", ["code": code.digits, "minutes": String(minutes)],
            "Kode masuk Aduan Anda: \(code.digits). Berlaku \(minutes) menit. Jangan berikan kode ini kepada siapa pun, termasuk petugas.")
    }
}
