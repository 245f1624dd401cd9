import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a public write is, for its rate limit.
public enum RateLimitedAction: String, Sendable, CaseIterable {
    /// Filing a complaint (`POST /v1/complaints`).
    case filing
    /// Any other citizen write: comments, feedback, photos, support, notification settings, claims.
    case write
    /// Sign-in codes and their checks (`/v1/auth/`), on top of the per-phone limits kept in the database.
    case signIn = "sign_in"
    /// Open311 writes, per client address (an app's server files for all its users).
    case open311
    /// Per bearer token (tracking or citizen token) or Open311 API key, whatever the address.
    case token

    /// The public write a request is, or nil for reads, staff and report routes (authenticated and audited).
    static func of(_ method: HTTPRequest.Method, _ path: Substring) -> RateLimitedAction? {
        guard method != .get && method != .head && method != .options else { return nil }
        if path.hasPrefix("/open311/") { return .open311 }
        guard path.hasPrefix("/v1/"), !path.hasPrefix("/v1/staff"), !path.hasPrefix("/v1/reports") else { return nil }
        if path == "/v1/complaints" || path == "/v1/complaints/" { return .filing }
        return path.hasPrefix("/v1/auth/") ? .signIn : .write
    }
}

/// Requests per minute allowed for each kind of public write, per client address (and per token for `token`); a
/// burst of a minute's worth is allowed at once. 0 turns a limit off.
public struct RateLimits: Sendable, Equatable {
    public var perMinute: [RateLimitedAction: Int] = [.filing: 30, .write: 60, .signIn: 20, .open311: 300, .token: 30]

    public init() {}

    /// No limits at all.
    public static var off: RateLimits {
        var limits = RateLimits()
        for action in RateLimitedAction.allCases { limits.perMinute[action] = 0 }
        return limits
    }

    public var isOff: Bool { self.perMinute.values.allSatisfy { $0 == 0 } }
}

/// Token buckets in memory, one per (action, client): each holds up to a minute's allowance and refills steadily. A
/// restart forgets them, which only forgives; the durable per-phone sign-in limits live in the database.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: TimeInterval
    }

    let limits: RateLimits
    let now: @Sendable () -> Date
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Beyond this many buckets, full ones (clients quiet for a minute) are dropped, so memory stays bounded.
    let sweepAbove = 100_000

    public init(limits: RateLimits, now: @escaping @Sendable () -> Date = Date.init) {
        self.limits = limits
        self.now = now
    }

    /// Takes one request from the bucket of `client` for `action`; nil when allowed, else the seconds to wait.
    public func take(_ action: RateLimitedAction, client: String) -> Int? {
        let perMinute = self.limits.perMinute[action] ?? 0
        guard perMinute > 0 else { return nil }
        let capacity = Double(perMinute)
        let rate = capacity / 60
        let now = self.now().timeIntervalSince1970
        let key = action.rawValue + "|" + client
        return self.buckets.withLock { buckets -> Int? in
            if buckets.count > self.sweepAbove {
                buckets = buckets.filter { now - $0.value.updated < 60 }
            }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Throws the 429 problem when `client` has used up `action`'s allowance.
    func check(_ action: RateLimitedAction, client: String) throws {
        if let wait = self.take(action, client: client) { throw Problem(.tooManyRequests, retryAfter: wait) }
    }
}

/// Applies the rate limits to every public write, by client address and, with a bearer token, by token too.
struct RateLimitMiddleware<Context: ClientRequestContext>: RouterMiddleware {
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !self.limiter.limits.isOff, let action = RateLimitedAction.of(request.method, request.uri.path[...]) else {
            return try await next(request, context)
        }
        try self.limiter.check(action, client: context.clientAddress)
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            // The token itself is not kept: Swift's per-process seeded hash names its bucket.
            try self.limiter.check(.token, client: String(authorization.hashValue))
        }
        return try await next(request, context)
    }
}
