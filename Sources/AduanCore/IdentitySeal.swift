import Foundation

/// An anonymous reporter's name and phone, sealed (AES-256-GCM) under the server's key: what the database keeps
/// instead of the clear values. Either may be absent.
public struct SealedIdentity: Hashable, Sendable {
    public let name: [UInt8]?
    public let phone: [UInt8]?

    public init(name: [UInt8]?, phone: [UInt8]?) {
        self.name = name
        self.phone = phone
    }
}

/// Seals an anonymous reporter's identity when a complaint is filed, and opens the phone for the one use that needs
/// it: a message to the reporter. Nothing else in Aduan holds this: staff, reports, exports and a copy of the
/// database see only the sealed bytes.
public struct IdentitySeal: Sendable {
    let key: SealingKey
    static let nameContext = "aduan anonymous reporter name"
    static let phoneContext = "aduan anonymous reporter phone"

    public init(_ key: SealingKey) { self.key = key }

    /// The sealed identity, or nil when there is nothing to seal.
    public func seal(name: String?, phone: String?) -> SealedIdentity? {
        guard name != nil || phone != nil else { return nil }
        return SealedIdentity(
            name: name.map { self.key.seal(Array($0.utf8), context: Self.nameContext) },
            phone: phone.map { self.key.seal(Array($0.utf8), context: Self.phoneContext) })
    }

    /// The phone to send a message to; nil when there is none or it was sealed under another key.
    public func phone(_ sealed: [UInt8]) -> String? {
        self.key.unseal(sealed, context: Self.phoneContext).map { String(decoding: $0, as: UTF8.self) }
    }
}
