import AduanCore
import Foundation
import GRDB

/// A signed-in citizen, as a valid session shows them.
public struct CitizenAccount: Sendable, Hashable {
    public let id: Int64
    public let phone: PhoneNumber
    public let createdAt: Date
    /// When this session lapses unless used again.
    public let sessionExpiresAt: Date
}

/// What a sign-in code's check found.
public enum SignInVerdict: Sendable, Equatable {
    case signedIn(citizenID: Int64, expiresAt: Date)
    /// The code was wrong; `attemptsLeft` more tries end it.
    case wrongCode(attemptsLeft: Int)
    /// No code can be used: none was sent, or it expired, was used, was replaced by a newer one, or was tried too often.
    case noLiveCode
    /// The phone's codes were guessed at too often today: no code works until then.
    case locked(until: Date)
}

/// How a reporter proves a complaint is theirs: its tracking token, or the account it belongs to.
public enum ReporterProof: Sendable, Hashable {
    case trackingToken(hash: String)
    case account(Int64)
    /// The Open311 app (API key) that filed it, speaking for its reporter.
    case apiKey(Int64)
}

/// What claiming a complaint with its tracking token did.
public enum ClaimOutcome: Sendable {
    case claimed(Complaint)
    case alreadyYours(Complaint)
    /// Another account holds it.
    case otherAccount
    /// No complaint has this ticket and token.
    case noMatch
}

extension Store {
    // MARK: - Sign-in codes

    /// Records a new code for `phone` unless that phone or client has had too many lately (`SignInRateLimited`, with
    /// when to try again). A newer code replaces any older one. Codes older than a day are forgotten. Returns the
    /// code's id, to withdraw it if it cannot be sent.
    public func addSignInCode(
        phone: PhoneNumber, codeHash: String, clientHash: String, rules: SignInRules, now: Date
    ) async throws -> Int64 {
        try await self.write { session in
            // One sign-in step per phone at a time, across servers: the limits count what the others did.
            try session.serialize(on: .signIn(phone: phone.digits))
            try session.execute(
                "DELETE FROM sign_in_code WHERE created_at < ?", [DatabaseTimestamp.string(now.addingTimeInterval(-86_400))])
            // When the codes of the last hour whose `column` is `value` fall under `limit` (now if they are under it):
            // enough of them must age out, more than one if the limit was lowered.
            func hourlyWait(_ column: String, _ value: String, limit: Int) throws -> (wait: TimeInterval, last: Date?) {
                let times = try session.values(
                    String.self, "SELECT created_at FROM sign_in_code WHERE \(column) = ? AND created_at >= ? ORDER BY created_at",
                    [value, DatabaseTimestamp.string(now.addingTimeInterval(-3600))]
                ).compactMap(DatabaseTimestamp.date)
                let wait = times.count >= limit ? times[times.count - limit].addingTimeInterval(3600).timeIntervalSince(now) : 0
                return (wait, times.last)
            }
            let perPhone = try hourlyWait("phone", phone.digits, limit: rules.perPhonePerHour)
            var waits = [perPhone.wait, try hourlyWait("client_hash", clientHash, limit: rules.perClientPerHour).wait]
            if let last = perPhone.last { waits.append(last.addingTimeInterval(rules.resendInterval).timeIntervalSince(now)) }
            // A phone whose codes were guessed at too often today gets no new one until the day's tries age out.
            if let lockedUntil = try Self.guessingLock(phone, rules: rules, now: now, session) {
                waits.append(lockedUntil.timeIntervalSince(now))
            }
            if let wait = waits.max(), wait > 0 { throw SignInRateLimited(retryAfter: wait) }
            let id = try session.value(
                Int64.self,
                "INSERT INTO sign_in_code (phone, code_hash, client_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [
                    phone.digits, codeHash, clientHash, DatabaseTimestamp.string(now),
                    DatabaseTimestamp.string(now.addingTimeInterval(rules.codeLifetime)),
                ])
            guard let id else { throw StoredValueInvalid(table: "sign_in_code", column: "id", value: "none returned") }
            return id
        }
    }

    /// When a phone whose codes had `rules.maxFailuresPerDay` wrong tries in the last day may be tried again, or nil
    /// when it may be now. Without it, each new code would bring five fresh guesses.
    static func guessingLock(_ phone: PhoneNumber, rules: SignInRules, now: Date, _ session: some SQLSession) throws -> Date? {
        let rows = try session.fetchAll(
            "SELECT created_at, failed_attempts FROM sign_in_code WHERE phone = ? AND created_at >= ? AND failed_attempts > 0 ORDER BY id",
            [phone.digits, DatabaseTimestamp.string(now.addingTimeInterval(-86_400))])
        var failures = rows.reduce(0) { $0 + ($1["failed_attempts"] as Int) }
        guard failures >= rules.maxFailuresPerDay else { return nil }
        // Locked until the codes holding the excess tries are a day old.
        for row in rows {
            failures -= row["failed_attempts"] as Int
            if failures < rules.maxFailuresPerDay, let at = DatabaseTimestamp.date(row["created_at"]) {
                return at.addingTimeInterval(86_400)
            }
        }
        return nil
    }

    /// Forgets a code that could not be sent, so that it neither works nor counts against the phone.
    public func withdrawSignInCode(id: Int64) async throws {
        try await self.write { session in try session.execute("DELETE FROM sign_in_code WHERE id = ?", [id]) }
    }

    /// Checks a code against the phone's newest one. A right code is used up and opens a session (the citizen's
    /// account is made on first sign-in) whose token hash is `tokenHash`; a wrong one counts against the code.
    public func verifySignInCode(
        phone: PhoneNumber, codeHash: String, tokenHash: String, rules: SignInRules, now: Date
    ) async throws -> SignInVerdict {
        try await self.write { session in
            // Two servers checking codes of one phone at once would each count a wrong try from the same number, or
            // both use one right code: one at a time.
            try session.serialize(on: .signIn(phone: phone.digits))
            let at = DatabaseTimestamp.string(now)
            guard
                let row = try session.fetchOne(
                    "SELECT id, code_hash, expires_at, failed_attempts, used_at FROM sign_in_code WHERE phone = ? ORDER BY id DESC LIMIT 1",
                    [phone.digits]),
                (row["used_at"] as String?) == nil, (row["expires_at"] as String) > at,
                (row["failed_attempts"] as Int) < rules.maxAttempts
            else { return .noLiveCode }
            if let until = try Self.guessingLock(phone, rules: rules, now: now, session) { return .locked(until: until) }
            let id: Int64 = row["id"]
            guard Secrets.constantTimeEqual(Array((row["code_hash"] as String).utf8), Array(codeHash.utf8)) else {
                try session.execute("UPDATE sign_in_code SET failed_attempts = failed_attempts + 1 WHERE id = ?", [id])
                return .wrongCode(attemptsLeft: rules.maxAttempts - (row["failed_attempts"] as Int) - 1)
            }
            try session.execute("UPDATE sign_in_code SET used_at = ? WHERE id = ?", [at, id])
            guard
                let citizenID = try session.value(
                    Int64.self,
                    """
                    INSERT INTO citizen (phone, created_at) VALUES (?, ?)
                    ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone
                    RETURNING id
                    """, [phone.digits, at])
            else { throw StoredValueInvalid(table: "citizen", column: "id", value: "none returned") }
            let expiresAt = now.addingTimeInterval(rules.tokenLifetime)
            try session.execute(
                "INSERT INTO citizen_session (citizen_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                [citizenID, tokenHash, at, DatabaseTimestamp.string(expiresAt)])
            return .signedIn(citizenID: citizenID, expiresAt: expiresAt)
        }
    }

    // MARK: - Sessions

    /// The citizen whose live session has this token hash, or nil. Using a session moves its lapse on (at most once per
    /// `rules.tokenRefreshInterval`, so that reads stay reads).
    public func citizen(tokenHash: String, rules: SignInRules, now: Date) async throws -> CitizenAccount? {
        let found = try await self.read { session -> (CitizenAccount, sessionID: Int64)? in
            guard
                let row = try session.fetchOne(
                    """
                    SELECT s.id AS session_id, s.expires_at, c.id, c.phone, c.created_at FROM citizen_session s
                    JOIN citizen c ON c.id = s.citizen_id WHERE s.token_hash = ? AND s.revoked_at IS NULL
                    """, [tokenHash]),
                let expiresAt = DatabaseTimestamp.date(row["expires_at"]), expiresAt > now,
                let phone = PhoneNumber(row["phone"]), let createdAt = DatabaseTimestamp.date(row["created_at"])
            else { return nil }
            return (CitizenAccount(id: row["id"], phone: phone, createdAt: createdAt, sessionExpiresAt: expiresAt), row["session_id"])
        }
        guard let (account, sessionID) = found else { return nil }
        let renewed = now.addingTimeInterval(rules.tokenLifetime)
        guard renewed.timeIntervalSince(account.sessionExpiresAt) >= rules.tokenRefreshInterval else { return account }
        try await self.write { session in
            try session.execute(
                "UPDATE citizen_session SET expires_at = ? WHERE id = ? AND revoked_at IS NULL",
                [DatabaseTimestamp.string(renewed), sessionID])
        }
        return CitizenAccount(id: account.id, phone: account.phone, createdAt: account.createdAt, sessionExpiresAt: renewed)
    }

    /// Ends the session with this token hash; false when there was no live one.
    public func signOut(tokenHash: String, now: Date) async throws -> Bool {
        try await self.write { session in
            try !session.fetchAll(
                "UPDATE citizen_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ? RETURNING id",
                [DatabaseTimestamp.string(now), tokenHash, DatabaseTimestamp.string(now)]
            ).isEmpty
        }
    }

    // MARK: - The account's complaints

    /// A page of the account's complaints, newest first, after the complaint `before` (an id) if given.
    public func complaints(ofAccount citizenID: Int64, before: Int64?, limit: Int) async throws -> [Complaint] {
        try await self.read { session in
            try session.fetchAll(
                ComplaintRecord.self, "SELECT * FROM complaint WHERE citizen_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                [citizenID, before ?? Int64.max, limit]
            ).map(\.complaint)
        }
    }

    /// Makes a complaint filed before sign-in the account's, given its ticket and tracking token.
    public func claim(ticket: Ticket, trackingTokenHash: String, citizenID: Int64) async throws -> ClaimOutcome {
        try await self.write { session in
            guard
                let complaint = try StoreLookup.complaint(
                    ticket: ticket, proof: .trackingToken(hash: trackingTokenHash), forUpdate: true, session)
            else { return .noMatch }
            switch complaint.reporter.account {
            case citizenID?: return .alreadyYours(complaint)
            case .some: return .otherAccount
            case nil:
                try session.execute("UPDATE complaint SET citizen_id = ? WHERE id = ?", [citizenID, complaint.id])
                let citizen = Supporter.citizen(citizenID).key
                // A citizen does not support their own complaint: a +1 they gave before claiming it is taken back.
                try session.execute("DELETE FROM support WHERE complaint_id = ? AND supporter = ?", [complaint.id, citizen])
                // If it was merged, the +1 it stood for on the target is now the citizen's own: counted once, and never on
                // a complaint of their own.
                let stoodFor = Supporter.duplicateReporter(complaintID: complaint.id).key
                try session.execute(
                    """
                    INSERT INTO support (complaint_id, supporter, created_at)
                    SELECT s.complaint_id, ?, s.created_at FROM support s JOIN complaint t ON t.id = s.complaint_id
                    WHERE s.supporter = ? AND t.citizen_id IS DISTINCT FROM ?
                    ON CONFLICT DO NOTHING
                    """, [citizen, stoodFor, citizenID])
                try session.execute("DELETE FROM support WHERE supporter = ?", [stoodFor])
                guard let claimed = try session.fetchOne(ComplaintRecord.self, "SELECT * FROM complaint WHERE id = ?", [complaint.id])
                else {
                    return .noMatch
                }
                return .claimed(claimed.complaint)
            }
        }
    }

    // MARK: - A reporter's own complaint

    /// The complaint if the proof shows it is the reporter's, else nil.
    public func complaint(ticket: Ticket, proof: ReporterProof) async throws -> Complaint? {
        try await self.lookUp { try $0.complaint(ticket: ticket, proof: proof) }
    }
}
