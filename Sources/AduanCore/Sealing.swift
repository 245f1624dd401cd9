import CCrypto
import Foundation

extension Secrets {
    /// HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], _ message: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(message)
        _ = HMAC(EVP_sha256(), key, Int32(key.count), bytes, bytes.count, &out, &length)
        return Array(out.prefix(Int(length)))
    }

    /// Compares two byte strings in time that depends on their length only.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}

/// Why a sealing key cannot be used.
public enum SealingKeyError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case loosePermissions(path: String, mode: String)
    case wrongSize(path: String, bytes: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot use the key file \(path): \(reason)"
        case .loosePermissions(let path, let mode):
            return "the key file \(path) is readable by others (mode \(mode)); run: chmod 600 \(path)"
        case .wrongSize(let path, let bytes): return "the key file \(path) holds \(bytes) bytes; a key is 32"
        }
    }
}

/// The server's key for secrets it must use again (webhook signing keys): AES-256-GCM, from a file only its owner
/// can read. The database alone, or a backup of it, cannot open what it sealed.
public struct SealingKey: Sendable {
    let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "an AES-256 key is 32 bytes")
        self.bytes = bytes
    }

    /// Reads the key at `path`, creating it (mode 600) when it does not exist and `create` is true. A key readable by
    /// the group or others is refused.
    public static func load(path: String, create: Bool) throws -> SealingKey {
        if create && !FileManager.default.fileExists(atPath: path) {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Written whole under a private name, then linked into place: a process starting at the same moment sees
            // no key file or a complete one, never a half-written one, and only one key ever wins.
            let temporary = path + ".new-" + Secrets.hex(Secrets.randomBytes(8))
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw SealingKeyError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            let key = Secrets.randomBytes(32)
            let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, 32) }
            fsync(descriptor)
            close(descriptor)
            defer { unlink(temporary) }
            guard written == 32 else { throw SealingKeyError.unreadable(path: path, reason: "could not write a new key") }
            if link(temporary, path) != 0 && errno != EEXIST {
                throw SealingKeyError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw SealingKeyError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & 0o077 == 0 else {
            throw SealingKeyError.loosePermissions(path: path, mode: String(info.st_mode & 0o777, radix: 8))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SealingKeyError.unreadable(path: path, reason: "cannot read it")
        }
        guard data.count == 32 else { throw SealingKeyError.wrongSize(path: path, bytes: data.count) }
        return SealingKey(bytes: Array(data))
    }

    /// Nonce (12 bytes), ciphertext and tag (16 bytes). `context` is authenticated with it: a value sealed for one
    /// purpose does not open for another.
    public func seal(_ plaintext: [UInt8], context: String) -> [UInt8] {
        let nonce = Secrets.randomBytes(12)
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: 16)
        let context = Array(context.utf8)
        let ctx = EVP_CIPHER_CTX_new()
        defer { EVP_CIPHER_CTX_free(ctx) }
        var length: Int32 = 0
        var ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, self.bytes, nonce) == 1
        ok = ok && EVP_EncryptUpdate(ctx, nil, &length, context, Int32(context.count)) == 1
        ok = ok && EVP_EncryptUpdate(ctx, &out, &length, plaintext, Int32(plaintext.count)) == 1
        var total = Int(length)
        ok = ok && out.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(ctx, $0.baseAddress! + total, &length) } == 1
        total += Int(length)
        ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, &tag) == 1
        // AES-GCM with a valid key and nonce cannot fail; a failure means libcrypto itself is broken.
        precondition(ok, "AES-256-GCM sealing failed")
        return nonce + out.prefix(total) + tag
    }

    /// The plaintext, or nil when `sealed` was not sealed by this key for this context (or was altered).
    public func unseal(_ sealed: [UInt8], context: String) -> [UInt8]? {
        guard sealed.count >= 28 else { return nil }
        let nonce = Array(sealed.prefix(12))
        var tag = Array(sealed.suffix(16))
        let ciphertext = Array(sealed.dropFirst(12).dropLast(16))
        let context = Array(context.utf8)
        var out = [UInt8](repeating: 0, count: ciphertext.count + 16)
        let ctx = EVP_CIPHER_CTX_new()
        defer { EVP_CIPHER_CTX_free(ctx) }
        var length: Int32 = 0
        var ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, self.bytes, nonce) == 1
        ok = ok && EVP_DecryptUpdate(ctx, nil, &length, context, Int32(context.count)) == 1
        ok = ok && EVP_DecryptUpdate(ctx, &out, &length, ciphertext, Int32(ciphertext.count)) == 1
        let total = Int(length)
        ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, &tag) == 1
        ok = ok && out.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(ctx, $0.baseAddress! + total, &length) } == 1
        return ok ? Array(out.prefix(total + Int(length))) : nil
    }
}
