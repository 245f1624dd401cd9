import AduanCore
import AduanStore
import Foundation
import Hummingbird

/// Finds the signed-in citizen of a request from its citizen token (`warga_…`). A staff token or a tracking token
/// is never taken for one, nor the reverse: each kind is looked up only where it belongs.
struct CitizenSessions: Sendable {
    let store: Store
    let rules: SignInRules
    let now: @Sendable () -> Date

    /// The citizen, nil when the request carries no citizen token, and the 401 problem when it carries one that is not
    /// valid (signed out, lapsed, unknown).
    func citizen(_ request: Request) async throws -> CitizenAccount? {
        guard let token = request.bearerToken, CitizenToken.isCitizenToken(token) else { return nil }
        guard let account = try await self.store.citizen(tokenHash: Secrets.sha256Hex(token), rules: self.rules, now: self.now()) else {
            throw Problem(.invalidCitizenToken)
        }
        return account
    }

    /// The citizen, or the 401 problem.
    func required(_ request: Request) async throws -> CitizenAccount {
        guard let account = try await self.citizen(request) else { throw Problem(.invalidCitizenToken) }
        return account
    }
}
