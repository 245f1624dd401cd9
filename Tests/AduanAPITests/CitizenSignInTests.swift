import AduanAPI
import AduanCore
import AduanStore
import AduanTestSupport
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A messaging gateway on loopback that receives sign-in codes, with the server set to use it.
struct CodeGateway {
    let receiver: WebhookReceiver

    static func start() async throws -> CodeGateway {
        let receiver = try await WebhookReceiver.start()
        receiver.setSecrets([WebhookSecret.generate()])
        return CodeGateway(receiver: receiver)
    }

    func configure(_ config: inout ServerConfig) {
        try! config.set("messaging_gateway_url", self.receiver.url("messages"), source: "test")
        try! config.set("messaging_gateway_secret", self.receiver.secrets[0].encoded, source: "test")
    }

    /// The code of the `index`-th message received (counting from 0), as the citizen reads it on their phone.
    func code(_ index: Int = 0) async throws -> String {
        let messages = try await self.receiver.wait(for: "sign-in code \(index)") { $0.count > index }
        let params = messages[index].json["params"] as? [String: String]
        return try #require(params?["code"])
    }
}

func askCode(_ client: any TestClientProtocol, _ phone: String) async throws -> TestResponse {
    try await client.execute(uri: "/v1/auth/otp", method: .post, headers: jsonHeaders, body: body(SignInCodeRequest(phone: phone)))
}

func verifyCode(_ client: any TestClientProtocol, _ phone: String, _ code: String) async throws -> TestResponse {
    try await client.execute(
        uri: "/v1/auth/otp/verify", method: .post, headers: jsonHeaders, body: body(SignInCodeCheck(phone: phone, code: code)))
}

/// Signs `phone` in through the gateway (its `index`-th code) and returns the citizen token.
func signIn(_ client: any TestClientProtocol, _ gateway: CodeGateway, _ phone: String, index: Int = 0) async throws -> String {
    let asked = try await askCode(client, phone)
    #expect(asked.status == .accepted, "\(String(buffer: asked.body))")
    let verified = try await verifyCode(client, phone, try await gateway.code(index))
    #expect(verified.status == .ok, "\(String(buffer: verified.body))")
    return try decode(CitizenSessionDTO.self, verified).token
}

/// A code that is not `code`.
func wrong(_ code: String) -> String { code == "000000" ? "111111" : "000000" }

@Suite("Citizens: sign-in by phone with a code, sessions and sign-out")
struct CitizenSignInTests {
    @Test("a code goes to the phone through the gateway, signed; the right code gives a citizen token that signs out")
    func flow() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, _ in
            let asked = try await askCode(client, "0812-7000-1234")
            #expect(asked.status == .accepted)
            let sent = try decode(SignInCodeSent.self, asked)
            #expect(sent.phone == "+62812*****234")
            #expect(sent.resend_after_seconds == 60)
            let message = try await gateway.receiver.wait(for: "the code") { !$0.isEmpty }[0]
            #expect(message.signedBy == [0])
            #expect(message.json["to"] as? String == "+6281270001234")
            #expect(message.json["template"] as? String == "kode_masuk")
            #expect(message.json["ticket"] == nil)
            #expect(Contract.shared.problems(json: Data(message.body), schemaAt: "#/components/schemas/GatewayMessage") == [])
            let code = try await gateway.code()
            #expect(SignInCode.isWellFormed(code))
            #expect((message.json["text"] as? String)?.contains(code) == true)

            // A wrong code counts against it; the right one then still works, written another way.
            let miss = try await verifyCode(client, "+6281270001234", wrong(code))
            #expect(miss.status == .unprocessableContent)
            #expect(try problem(miss).type == "/problems/sign-in-code-wrong")
            #expect(try problem(miss).detail.contains("attempts left: 4") == true)
            let verified = try await verifyCode(client, "6281270001234", code)
            #expect(verified.status == .ok)
            let token = try decode(CitizenSessionDTO.self, verified).token
            #expect(token.hasPrefix("warga_"))
            // A code works once.
            #expect(try await verifyCode(client, "081270001234", code).status == .unprocessableContent)

            let me = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token))
            #expect(me.status == .ok)
            #expect(try decode(CitizenDTO.self, me).phone == "+6281270001234")
            let out = try await client.execute(uri: "/v1/auth/signout", method: .post, headers: bearer(token))
            #expect(out.status == .noContent)
            let after = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token))
            #expect(after.status == .unauthorized)
            #expect(try problem(after).type == "/problems/invalid-citizen-token")
            #expect(try await client.execute(uri: "/v1/auth/signout", method: .post, headers: bearer(token)).status == .unauthorized)
        }
        await gateway.receiver.stop()
    }

    @Test("numbers that are not Indonesian mobiles, and a code that is not six digits, are refused with the field")
    func badInput() async throws {
        try await withAPI { client, _ in
            for phone in ["12345", "+1 555 0100 200", "0212345678", "0812abc45678", "+62 812", ""] {
                let response = try await askCode(client, phone)
                #expect(response.status == .unprocessableContent, "\(phone)")
                #expect(try problem(response).errors?.first?.code == "not_mobile_phone", "\(phone)")
            }
            let missing = try await client.execute(uri: "/v1/auth/otp", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "{}"))
            #expect(try problem(missing).errors?.first?.code == "required")
            let shortCode = try await verifyCode(client, "081270001234", "12345")
            #expect(try problem(shortCode).errors?.first?.code == "invalid_code")
            // Without a gateway (development) the code goes to the log; a code nobody asked for does not exist.
            #expect(try await askCode(client, "081270009999").status == .accepted)
            let never = try await verifyCode(client, "081311112222", "123456")
            #expect(try problem(never).type == "/problems/sign-in-code-expired")
        }
    }

    @Test("a code lapses after five minutes, and five wrong tries end it")
    func expiryAndTries() async throws {
        let gateway = try await CodeGateway.start()
        let clock = TestClock(Date())
        try await withAPI(now: clock.now, configure: gateway.configure) { client, _ in
            _ = try await askCode(client, "081270001234")
            let first = try await gateway.code(0)
            clock.advance(days: 301.0 / 86_400)
            let late = try await verifyCode(client, "081270001234", first)
            #expect(try problem(late).type == "/problems/sign-in-code-expired")

            clock.advance(days: 60.0 / 86_400)
            _ = try await askCode(client, "081270001234")
            let second = try await gateway.code(1)
            for attempt in 1...5 {
                let miss = try await verifyCode(client, "081270001234", wrong(second))
                #expect(try problem(miss).type == "/problems/sign-in-code-wrong")
                #expect(try problem(miss).detail.contains("attempts left: \(5 - attempt)") == true)
            }
            let ended = try await verifyCode(client, "081270001234", second)
            #expect(try problem(ended).type == "/problems/sign-in-code-expired")
        }
        await gateway.receiver.stop()
    }

    @Test("ten wrong tries in a day lock the phone: no new code until they age out, whatever the number of codes")
    func guessingLock() async throws {
        let gateway = try await CodeGateway.start()
        let clock = TestClock(Date())
        try await withAPI(now: clock.now, configure: gateway.configure) { client, _ in
            for index in 0..<2 {
                #expect(try await askCode(client, "081270001234").status == .accepted)
                let code = try await gateway.code(index)
                for _ in 0..<5 { _ = try await verifyCode(client, "081270001234", wrong(code)) }
                clock.advance(days: 120.0 / 86_400)
            }
            let locked = try await askCode(client, "081270001234")
            #expect(locked.status == .tooManyRequests)
            let wait = Int(locked.headers[.retryAfter] ?? "") ?? 0
            #expect(wait > 86_000 && wait <= 86_400 - 240, "\(wait)")
            // Another phone is not affected.
            #expect(try await askCode(client, "081399998888").status == .accepted)
        }
        await gateway.receiver.stop()
    }

    @Test("sending is rate limited per phone and per client address, with 429 and Retry-After")
    func rateLimits() async throws {
        let clock = TestClock(Date())
        try await withAPI(now: clock.now, configure: { try! $0.set("otp_per_client_per_hour", "4", source: "test") }) { client, _ in
            #expect(try await askCode(client, "081270001234").status == .accepted)
            let again = try await askCode(client, "+6281270001234")
            #expect(again.status == .tooManyRequests)
            #expect(try problem(again).type == "/problems/too-many-requests")
            #expect(again.headers[.retryAfter] == "60")
            clock.advance(days: 30.0 / 86_400)
            #expect(try await askCode(client, "081270001234").headers[.retryAfter] == "30")
            // Refused requests do not count: the client has asked once, and may ask three more times within the hour.
            for phone in ["081270002222", "081270003333", "081270004444"] { #expect(try await askCode(client, phone).status == .accepted) }
            let flood = try await askCode(client, "081399990000")
            #expect(flood.status == .tooManyRequests)
            #expect(Int(flood.headers[.retryAfter] ?? "") == 3570)
        }
        try await withAPI(now: clock.now, configure: { try! $0.set("otp_resend_seconds", "0", source: "test") }) { client, _ in
            for _ in 0..<5 { #expect(try await askCode(client, "081270001234").status == .accepted) }
            let sixth = try await askCode(client, "081270001234")
            #expect(sixth.status == .tooManyRequests)
            #expect(Int(sixth.headers[.retryAfter] ?? "") == 3600)
        }
    }

    @Test("when the gateway cannot take the code: 503 with Retry-After, and the failed code neither works nor counts")
    func gatewayDown() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, _ in
            gateway.receiver.answer(500)
            let failed = try await askCode(client, "081270001234")
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.headers[.retryAfter] != nil)
            let unsent = try await gateway.code(0)
            #expect(try problem(try await verifyCode(client, "081270001234", unsent)).type == "/problems/sign-in-code-expired")
            gateway.receiver.answer(200)
            #expect(try await askCode(client, "081270001234").status == .accepted)
            #expect(try await verifyCode(client, "081270001234", try await gateway.code(1)).status == .ok)
        }
        await gateway.receiver.stop()
    }

    @Test("a token lapses unless used; use moves the lapse on; staff and citizen tokens are never taken for each other")
    func tokens() async throws {
        let gateway = try await CodeGateway.start()
        let clock = TestClock(Date())
        try await withAPI(now: clock.now, configure: { config in
            gateway.configure(&config)
            try! config.set("citizen_token_days", "10", source: "test")
        }) { client, store in
            let staff = try await StaffFixture.make(store)
            let token = try await signIn(client, gateway, "081270001234")
            // Used every 6 days, it outlives its first 10.
            for _ in 0..<3 {
                clock.advance(days: 6)
                #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token)).status == .ok)
            }
            clock.advance(days: 10.5)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token)).status == .unauthorized)

            let fresh = try await signIn(client, gateway, "081270001234", index: 1)
            #expect(try await client.execute(uri: "/v1/staff/me", method: .get, headers: bearer(fresh)).status == .unauthorized)
            let staffOnCitizen = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(staff.adminToken))
            #expect(staffOnCitizen.status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/me", method: .get).status == .unauthorized)
        }
        await gateway.receiver.stop()
    }
}
