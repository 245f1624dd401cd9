import AduanCore
import AduanServices
import AduanStore
import AduanWire
import Foundation
import Hummingbird

/// Citizens' sign-in by phone under `/v1/auth`: a code sent to the phone, exchanged for a citizen token; and sign-out.
/// Filing without an account keeps working: an account only gathers a citizen's complaints and support.
struct SignInController<Context: ClientRequestContext> {
    let store: Store
    let catalog: LiveCatalog
    let sessions: CitizenSessions
    let sender: SignInCodeSender
    /// HMACs under the server's key: of the code with its phone, and of the client's address.
    let codes: KeyedHasher
    let clients: KeyedHasher
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    var rules: SignInRules { self.sessions.rules }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("auth/otp", use: self.sendCode)
        group.post("auth/otp/verify", use: self.verify)
        group.post("auth/signout", use: self.signOut)
    }

    /// Sends a new code to the phone, unless the phone or the client has asked too often (429 with Retry-After). When
    /// the gateway cannot take it, the code is forgotten and the answer is 503: nothing counts against the citizen.
    @Sendable func sendCode(_ request: Request, context: Context) async throws -> Response {
        let body = try request.decodeJSON(SignInCodeRequest.self, from: try await request.collectBody(limit: self.maxBodyBytes))
        let phone = try Self.phone(body.phone)
        let code = SignInCode.random()
        let now = self.now()
        let id: Int64
        do {
            id = try await self.store.addSignInCode(
                phone: phone, codeHash: self.codeHash(phone, code.digits), clientHash: self.clients.hex(context.clientAddress),
                rules: self.rules, now: now)
        } catch let limited as SignInRateLimited {
            throw Problem(.tooManyRequests, retryAfter: max(1, Int(limited.retryAfter.rounded(.up))))
        }
        do {
            try await self.sender.send(.signInCode(code, minutes: Int(self.rules.codeLifetime / 60)), to: phone)
        } catch {
            // Why is in the log; the citizen only needs to ask again.
            try await self.store.withdrawSignInCode(id: id)
            throw Problem(.unavailable, retryAfter: 30)
        }
        let sent = SignInCodeSent(
            phone: phone.masked, expires_at: self.time(now.addingTimeInterval(self.rules.codeLifetime)),
            resend_after_seconds: Int(self.rules.resendInterval))
        return try .json(sent, status: .accepted)
    }

    /// Exchanges the phone's newest code for a citizen token. A wrong code counts against it; five end it.
    @Sendable func verify(_ request: Request, context: Context) async throws -> Response {
        let body = try request.decodeJSON(SignInCodeCheck.self, from: try await request.collectBody(limit: self.maxBodyBytes))
        let phone = try Self.phone(body.phone)
        guard let code = body.code, SignInCode.isWellFormed(code) else {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: "code", code: body.code == nil ? .required : .invalidCode)])
        }
        let token = CitizenToken.new()
        let verdict = try await self.store.verifySignInCode(
            phone: phone, codeHash: self.codeHash(phone, code), tokenHash: Secrets.sha256Hex(token), rules: self.rules, now: self.now())
        switch verdict {
        case .signedIn(_, let expiresAt):
            return try .json(CitizenSessionDTO(token: token, expires_at: self.time(expiresAt)))
        case .wrongCode(let left):
            throw Problem(.signInCodeWrong, context: "attempts left: \(left)")
        case .noLiveCode:
            throw Problem(.signInCodeExpired)
        case .locked(let until):
            throw Problem(.tooManyRequests, retryAfter: max(1, Int(until.timeIntervalSince(self.now()).rounded(.up))))
        }
    }

    /// Ends the session of the token sent; its token no longer works anywhere.
    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        guard let token = request.bearerToken, CitizenToken.isCitizenToken(token),
            try await self.store.signOut(tokenHash: Secrets.sha256Hex(token), now: self.now())
        else { throw Problem(.invalidCitizenToken) }
        return Response(status: .noContent)
    }

    static func phone(_ raw: String?) throws -> PhoneNumber {
        guard let raw else { throw Problem(.validationFailed, fieldErrors: [FieldError(field: "phone", code: .required)]) }
        guard let phone = PhoneNumber(raw) else {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: "phone", code: .notMobilePhone)])
        }
        return phone
    }

    func codeHash(_ phone: PhoneNumber, _ code: String) -> String { self.codes.hex(phone.digits, code) }

    func time(_ instant: Date) -> String { self.catalog.current.calendar.iso8601(instant) }
}
