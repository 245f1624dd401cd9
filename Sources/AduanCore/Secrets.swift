import CCrypto
import Foundation

/// Hashing and secure randomness for tokens, through the system's libcrypto.
public enum Secrets {
    /// SHA-256 of the bytes.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        // Contiguous bytes (an array, a photo's buffer) are hashed where they are, without a copy.
        let hashed: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = SHA256(buffer.baseAddress, buffer.count, &digest)
        }
        if hashed == nil {
            Array(bytes).withUnsafeBufferPointer { buffer in _ = SHA256(buffer.baseAddress, buffer.count, &digest) }
        }
        return digest
    }

    /// SHA-256 of a string's UTF-8 bytes, as lowercase hex: the form in which secrets are stored.
    public static func sha256Hex(_ string: String) -> String {
        hex(sha256(Array(string.utf8)))
    }

    /// Cryptographically secure random bytes from libcrypto's RAND_bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        // RAND_bytes only fails when the system has no entropy source at all; continuing would hand out
        // guessable tokens, so this is the one place where stopping the process is the safe answer.
        precondition(status == 1, "RAND_bytes failed: no secure randomness available")
        return bytes
    }

    /// A new random token of 32 bytes, base64url without padding (43 characters).
    public static func newToken() -> String {
        base64URL(randomBytes(32))
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of an unpadded base64url string; nil when it is not one.
    public static func base64URLDecoded(_ string: String) -> [UInt8]? {
        var base64 = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }

    public static func base64URL(_ bytes: [UInt8]) -> String {
        // RFC 4648 §5 by hand: Foundation's replacingOccurrences showed up in profiles of the submit path.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<(chunk.count + 1) { out.append(alphabet[Int(value >> (18 - 6 * UInt32(position)) & 0x3f)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
