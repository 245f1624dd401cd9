import Foundation

/// A client's Idempotency-Key, kept only as derived values: a hash to find the earlier submission, and a pad
/// that masks its tracking token so that only a client holding the key can get the token back.
public struct IdempotencyKey: Sendable {
    public let lookupHash: String
    let pad: [UInt8]

    /// Keys are printable ASCII of 1 to 255 characters (UUIDs in practice); anything else is nil.
    public init?(_ key: String) {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e }) else { return nil }
        self.lookupHash = Secrets.hex(Secrets.sha256(Array("aduan-idempotency-lookup:\(key)".utf8)))
        self.pad = Secrets.sha256(Array("aduan-idempotency-pad:\(key)".utf8))
    }

    /// Masks or unmasks a 32-byte token (XOR with the pad is its own inverse).
    public func mask(_ token: [UInt8]) -> [UInt8] {
        zip(token, self.pad).map { $0 ^ $1 }
    }

    /// The tracking token of the filing this key made, from its masked copy.
    public func token(unmasking masked: [UInt8]) -> String { Secrets.base64URL(self.mask(masked)) }
}
