import AduanCore
import AduanStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// Puts the staff member holding the request's bearer token into the request context (`context.identity`), as
/// hummingbird-auth's authenticators do. It guards the staff routes: anyone else gets the 401 problem before a
/// handler runs.
struct StaffAuthenticator<Context: AuthRequestContext<StaffMember>>: AuthenticatorMiddleware {
    let store: Store
    /// How long a token works after it was issued (`staff_token_days`); nil: until revoked.
    var tokenLifetime: TimeInterval? = nil
    var now: @Sendable () -> Date = Date.init

    func authenticate(request: Request, context: Context) async throws -> StaffMember? {
        // Only the token's hash is stored; a revoked member's token finds no one.
        guard let token = request.bearerToken, let member = try await self.store.staff(tokenHash: Secrets.sha256Hex(token))
        else { throw Problem(.invalidStaffToken) }
        if let lifetime = self.tokenLifetime, member.createdAt.addingTimeInterval(lifetime) < self.now() {
            throw Problem(.invalidStaffToken, context: "the token has expired; an operator issues a new one (aduan-admin staff add)")
        }
        return member
    }
}

extension AuthRequestContext where Identity == StaffMember {
    /// The member the authenticator found; a route outside its group has none, which is the same 401.
    func staffMember() throws -> StaffMember {
        guard let member = self.identity else { throw Problem(.invalidStaffToken) }
        return member
    }
}
