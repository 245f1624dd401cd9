import Foundation

/// A client's Idempotency-Key, kept only as derived values: an HMAC under the server's key to find the earlier
/// submission, and a pad (another HMAC) that masks its tracking token so that only a client holding the key can get
/// the token back. Keyed, so that the database alone cannot test guessed keys against the stored values.
public struct IdempotencyKey: Sendable {
    /// How long a key replays its filing; after it, the key is forgotten and may be used again.
    public static let lifetime: TimeInterval = 48 * 3600
    /// 16 characters at least: a short key is easy to guess or to collide with another client's.
    public static let lengths = 16...255

    public let lookupHash: String
    let pad: [UInt8]

    /// Keys are printable ASCII of 16 to 255 characters (a UUID fits); anything else is nil.
    public init?(_ key: String, keys: IdempotencyKeyHasher) {
        guard Self.lengths.contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e }) else { return nil }
        self.lookupHash = keys.lookup.hex(key)
        self.pad = Array(Secrets.hmacSHA256(key: keys.pad.key, Array(key.utf8)).prefix(32))
    }

    /// What is stored of the request's fingerprint: keyed too, since the fingerprint covers the reporter's name and
    /// phone, which an unkeyed hash would let anyone with the database confirm by guessing.
    public func requestHash(_ fingerprint: String) -> String { Secrets.hex(Secrets.hmacSHA256(key: self.pad, Array(fingerprint.utf8))) }

    /// Masks or unmasks a 32-byte token (XOR with the pad is its own inverse).
    public func mask(_ token: [UInt8]) -> [UInt8] {
        zip(token, self.pad).map { $0 ^ $1 }
    }

    /// The tracking token of the filing this key made, from its masked copy.
    public func token(unmasking masked: [UInt8]) -> String { Secrets.base64URL(self.mask(masked)) }
}

/// The server's two keyed hashes for Idempotency-Keys, derived from its sealing key.
public struct IdempotencyKeyHasher: Sendable {
    let lookup: KeyedHasher
    let pad: KeyedHasher

    public init(_ key: SealingKey) {
        self.lookup = KeyedHasher(key, purpose: "idempotency lookup")
        self.pad = KeyedHasher(key, purpose: "idempotency pad")
    }

    /// The key the client sent, or nil when it breaks the rules.
    public func key(_ raw: String) -> IdempotencyKey? { IdempotencyKey(raw, keys: self) }
}
