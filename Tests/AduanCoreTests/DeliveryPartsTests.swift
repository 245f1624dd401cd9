import AduanCore
import Foundation
import Testing

/// The parts of a delivery that need no network: signatures, the sealing key, the retry schedule and the address
/// check.
@Suite("Delivery parts")
struct DeliveryPartsTests {
    @Test("signatures reproduce the Standard Webhooks reference vector exactly")
    func referenceVector() throws {
        // Published with the Standard Webhooks reference libraries: a receiver's own library must accept ours.
        let secret = try #require(WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let at = Date(timeIntervalSince1970: 1_614_265_330)
        #expect(
            WebhookSignature.verify(
                header: "v1,bm9wZQ== " + signature, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body,
                secret: secret, now: at))
        // Another body, another id, or a stale timestamp do not verify.
        #expect(
            !WebhookSignature.verify(
                header: signature, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array("{}".utf8), secret: secret,
                now: at))
        #expect(!WebhookSignature.verify(header: signature, id: "msg_other", timestamp: 1_614_265_330, body: body, secret: secret, now: at))
        #expect(
            !WebhookSignature.verify(
                header: signature, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret,
                now: at.addingTimeInterval(301)))
    }

    @Test("a secret is whsec_ and base64; a new one round-trips and two are never the same")
    func secrets() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.encoded.hasPrefix("whsec_"))
        #expect(WebhookSecret(secret.encoded) == secret)
        #expect(WebhookSecret.generate() != secret)
        #expect(WebhookSecret("whsec_not base64!") == nil)
        #expect(WebhookSecret("whsec_" + Data([1, 2, 3]).base64EncodedString()) == nil, "too short to be a key")
    }

    @Test("sealed values open only with the same key and context, and not once altered")
    func sealing() throws {
        let key = SealingKey(bytes: Secrets.randomBytes(32))
        let plaintext = Array("rahasia webhook".utf8)
        let sealed = key.seal(plaintext, context: "webhook")
        #expect(sealed.count == plaintext.count + 28)
        #expect(key.unseal(sealed, context: "webhook") == plaintext)
        #expect(key.seal(plaintext, context: "webhook") != sealed, "a fresh nonce each time")
        #expect(key.unseal(sealed, context: "reporter") == nil)
        #expect(SealingKey(bytes: Secrets.randomBytes(32)).unseal(sealed, context: "webhook") == nil)
        var altered = sealed
        altered[14] ^= 1
        #expect(key.unseal(altered, context: "webhook") == nil)
    }

    @Test("the key file is made owner-only, read back the same, and refused when others can read it")
    func keyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-key-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("aduan.key").path
        let made = try SealingKey.load(path: path, create: true)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let sealed = made.seal([1, 2, 3], context: "x")
        #expect(try SealingKey.load(path: path, create: true).unseal(sealed, context: "x") == [1, 2, 3])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: SealingKeyError.loosePermissions(path: path, mode: "644")) { try SealingKey.load(path: path, create: true) }
        #expect(throws: SealingKeyError.self) { try SealingKey.load(path: directory.appendingPathComponent("none").path, create: false) }
    }

    @Test("processes starting at once make one key between them, never a half-written one")
    func keyFileRace() async throws {
        for _ in 0..<20 {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-key-\(UUID().uuidString)/aduan.key").path
            let sealed = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<8 {
                    group.addTask { try SealingKey.load(path: path, create: true).seal([7], context: "race") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let key = try SealingKey.load(path: path, create: false)
            #expect(sealed.allSatisfy { key.unseal($0, context: "race") == [7] })
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
            #expect(leftovers == ["aduan.key"])
        }
    }

    @Test("the default schedule spans about two days; jitter, Retry-After and the end of the schedule")
    func schedule() {
        let policy = DeliveryPolicy()
        let total = policy.retryDelays.reduce(0, +)
        #expect(total > 40 * 3600 && total < 56 * 3600, "\(total / 3600) h")
        #expect(policy.nextDelay(afterAttempts: 1, retryAfter: nil, random: 0.5) == 5)
        #expect(policy.nextDelay(afterAttempts: 1, retryAfter: nil, random: 0) == 4)
        #expect(policy.nextDelay(afterAttempts: 1, retryAfter: nil, random: 1) == 6)
        #expect(policy.nextDelay(afterAttempts: 1, retryAfter: 120, random: 0.5) == 120)
        #expect(policy.nextDelay(afterAttempts: 1, retryAfter: 10 * 86_400, random: 0.5) == 86_400, "a Retry-After is capped")
        #expect(policy.nextDelay(afterAttempts: policy.retryDelays.count, retryAfter: nil, random: 0.5) != nil)
        #expect(policy.nextDelay(afterAttempts: policy.retryDelays.count + 1, retryAfter: nil, random: 0.5) == nil)
        #expect(DeliveryPolicy.parseDelays("5s, 30s,2m,1h,1d,3") == [5, 30, 120, 3600, 86_400, 3])
        #expect(DeliveryPolicy.parseDelays("5s,,1m") == nil)
        #expect(DeliveryPolicy.parseDelays("-1") == nil)
    }

    @Test("a subscription is switched off only after failing without a break for longer than the schedule")
    func disabling() {
        let policy = DeliveryPolicy()
        let now = Date()
        #expect(!policy.shouldDisable(failingSince: nil, failures: 100, now: now))
        #expect(!policy.shouldDisable(failingSince: now.addingTimeInterval(-3600), failures: 500, now: now), "an hour's outage")
        #expect(!policy.shouldDisable(failingSince: now.addingTimeInterval(-4 * 86_400), failures: 3, now: now), "too few attempts")
        #expect(policy.shouldDisable(failingSince: now.addingTimeInterval(-4 * 86_400), failures: 12, now: now))
    }

    @Test("receivers on loopback, private, link-local and metadata addresses are refused unless allowed")
    func addresses() throws {
        for refused in [
            "http://[::127.0.0.1]/x", "http://[::ffff:10.0.0.1]/x", "http://[64:ff9b::7f00:1]/x", "http://127.0.0.1:9000/x",
            "http://localhost/x", "http://10.1.2.3/", "http://192.168.1.1/", "http://172.16.0.9/",
            "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://0.0.0.0/", "http://100.64.0.1/",
        ] {
            #expect(throws: ReceiverAddress.Refusal.self, "\(refused)") { try ReceiverAddress.check(refused, allowPrivate: false) }
            try ReceiverAddress.check(refused, allowPrivate: true)
        }
        for notHTTP in ["ftp://example.go.id/", "file:///etc/passwd", "pu.example.go.id/hook", "http:///nohost"] {
            #expect(throws: ReceiverAddress.Refusal.notHTTP(notHTTP)) { try ReceiverAddress.check(notHTTP, allowPrivate: true) }
        }
        #expect(ReceiverAddress.isPublic([103, 10, 20, 30]))
        #expect(ReceiverAddress.isPublic([0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]))
        #expect(!ReceiverAddress.isPublic(Array(repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 1]), "IPv4-mapped private")
        #expect(!ReceiverAddress.isPublic([0xfe, 0x80] + Array(repeating: 0, count: 14)))
        #expect(!ReceiverAddress.isPublic([0xfd, 0x00] + Array(repeating: 0, count: 14)))
    }
}
