import AduanAPI
import AduanCore
import AduanReport
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Reports API: the monthly SLA report for staff, scoped by role and kept as versions")
struct ReportsAPITests {
    /// Where the router's clock starts in these tests: the middle of November 2026 in WIB, far from either month
    /// boundary, so that "this month" is the same month for the test and the server whatever the real clock says.
    static let midMonth = instant("2026-11-18T10:00:00+07:00")
    /// The month of `midMonth`: not over, so its report is provisional.
    static let thisMonth = "2026-11"

    static func get(_ client: any TestClientProtocol, _ query: String, token: String?, method: HTTPRequest.Method = .get) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/v1/reports/monthly?\(query)", method: method, headers: headers)
    }

    static func version(_ response: TestResponse) -> String? { response.headers[HTTPField.Name("Aduan-Report-Version")!] }

    @Test("an office's staff get their own office's report, supervisors the province's; others are refused")
    func scoping() async throws {
        try await withAPI(now: clock(startingAt: Self.midMonth)) { client, store in
            let staff = try await StaffFixture.make(store)
            _ = try await fileComplaint(client, own: true)
            _ = try await fileComplaint(client, own: false)
            let month = Self.thisMonth

            let own = try await Self.get(client, "month=\(month)", token: staff.tokens[.triage])
            #expect(own.status == .ok)
            #expect(own.headers[.contentType] == "application/json")
            let ownReport = try ReportJSON.decode(String(buffer: own.body))
            #expect(ownReport.scope.code == StaffFixture.ownOPD)
            #expect(ownReport.total.current.received == 1)
            #expect(ownReport.provisional)

            let province = try ReportJSON.decode(
                String(buffer: try await Self.get(client, "month=\(month)", token: staff.tokens[.supervisor]).body))
            #expect(province.scope.code == ReportScope.provinceCode)
            #expect(province.total.current.received == 2)
            #expect(Set(province.byOPD.map(\.code)) == ["PUPR-1871", "DLH-1871"])

            let other = try await Self.get(client, "month=\(month)&opd=DLH-1871", token: staff.tokens[.officer])
            #expect(other.status == .forbidden)
            #expect(other.headers[.contentType] == "application/problem+json")
            let supervisorOther = try await Self.get(client, "month=\(month)&opd=DLH-1871", token: staff.tokens[.supervisor])
            #expect(try ReportJSON.decode(String(buffer: supervisorOther.body)).total.current.received == 1)

            #expect(try await Self.get(client, "month=\(month)", token: nil).status == .unauthorized)
            #expect(try await Self.get(client, "month=\(month)", token: "wrong").status == .unauthorized)
        }
    }

    @Test("GET serves the kept version (making the first), POST makes a new one, ?version serves an old one unchanged")
    func versions() async throws {
        try await withAPI(now: clock(startingAt: Self.midMonth)) { client, store in
            let staff = try await StaffFixture.make(store)
            let token = staff.tokens[.supervisor]
            let month = Self.thisMonth
            let first = try await Self.get(client, "month=\(month)", token: token)
            #expect(first.headers[HTTPField.Name("Aduan-Report-Version")!] == "1")
            _ = try await fileComplaint(client, own: true)
            // The kept version does not change when complaints arrive.
            let again = try await Self.get(client, "month=\(month)", token: token)
            #expect(again.headers[HTTPField.Name("Aduan-Report-Version")!] == "1")
            #expect(String(buffer: again.body) == String(buffer: first.body))

            let generated = try await Self.get(client, "month=\(month)", token: token, method: .post)
            #expect(generated.status == .created)
            #expect(generated.headers[.location] == "/v1/reports/monthly?month=\(month)&version=2")
            #expect(try ReportJSON.decode(String(buffer: generated.body)).total.current.received == 1)
            let latest = try await Self.get(client, "month=\(month)", token: token)
            #expect(latest.headers[HTTPField.Name("Aduan-Report-Version")!] == "2")
            let old = try await Self.get(client, "month=\(month)&version=1", token: token)
            #expect(String(buffer: old.body) == String(buffer: first.body))
            // A new version is for supervisors and admins: an office's staff read theirs, and make none.
            for role in [StaffRole.triage, .officer] {
                let refused = try await Self.get(client, "month=\(month)", token: staff.tokens[role], method: .post)
                #expect(refused.status == .forbidden, "\(role)")
            }
            #expect(try await Self.get(client, "month=\(month)", token: staff.tokens[.triage]).status == .ok)
            #expect(try await Self.get(client, "month=\(month)&version=9", token: token).status == .notFound)
            let by = "Staf supervisor (staf #\(staff.ids[.supervisor]!))"
            #expect(try await store.reportVersions(period: month, scope: "province").map(\.generatedBy) == [by, by])
        }
    }

    @Test("the four formats, each with its media type and a file name")
    func formats() async throws {
        try await withAPI(now: clock(startingAt: Self.midMonth)) { client, store in
            let staff = try await StaffFixture.make(store)
            _ = try await fileComplaint(client, own: true)
            let month = Self.thisMonth
            let token = staff.tokens[.admin]
            let html = try await Self.get(client, "month=\(month)&format=html", token: token)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.headers[.contentDisposition] == "inline; filename=\"laporan-sla-\(month)-province-v1.html\"")
            let page = String(buffer: html.body)
            #expect(page.hasPrefix("<!doctype html>"))
            #expect(!page.contains("<script") && !page.contains("http://") && !page.contains("https://"))
            let csv = String(buffer: try await Self.get(client, "month=\(month)&format=csv", token: token).body)
            #expect(csv.hasPrefix("bagian,kode,nama,periode,diterima,"))
            #expect(csv.contains("\r\ntotal,province,Lampung,\(month),1,"))
            let markdown = try await Self.get(client, "month=\(month)&format=md", token: token)
            #expect(markdown.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(String(buffer: markdown.body).hasPrefix("# Laporan Bulanan Kepatuhan SLA"))
        }
    }

    @Test("bad parameters are 400 problems: month, a month not started, format, version, unknown OPD")
    func badRequests() async throws {
        try await withAPI(now: clock(startingAt: Self.midMonth)) { client, store in
            let token = try await StaffFixture.make(store).tokens[.supervisor]
            let next = ReportMonth(Self.thisMonth)!.adding(1).description
            for query in [
                "month=2026-13", "month=oktober", "month=2026-+1", "month=+026-10", "month=\(next)", "format=pdf", "version=0", "version=x",
                "opd=NOPE",
            ] {
                let response = try await Self.get(client, query, token: token)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(query)")
            }
            #expect(try await Self.get(client, "version=1", token: token, method: .post).status == .badRequest)
        }
    }

    @Test("a provisional version is replaced by a final one at the first GET after the month ends, and only then")
    func provisionalReplacedAfterMonthEnd() async throws {
        // Given a version of November kept on the 28th, while the month is not over ...
        let clock = TestClock(instant("2026-11-28T10:00:00+07:00"))
        try await withAPI(now: { clock.now() }) { client, store in
            let token = try await StaffFixture.make(store).tokens[.supervisor]
            _ = try await fileComplaint(client, own: true)
            let early = try await Self.get(client, "month=2026-11", token: token)
            #expect(Self.version(early) == "1")
            #expect(try ReportJSON.decode(String(buffer: early.body)).provisional)
            _ = try await fileComplaint(client, own: false)

            // ... reads until the last instant of November (WIB) keep serving it ...
            clock.set(instant("2026-11-30T23:59:59+07:00"))
            let last = try await Self.get(client, "month=2026-11", token: token)
            #expect(Self.version(last) == "1")
            #expect(String(buffer: last.body) == String(buffer: early.body))

            // ... the first read once December has begun in WIB (17:00 UTC on the 30th) makes a final version 2 with
            // the complaints filed since ...
            clock.set(instant("2026-12-01T00:00:00+07:00"))
            let first = try await Self.get(client, "month=2026-11", token: token)
            #expect(Self.version(first) == "2")
            let final = try ReportJSON.decode(String(buffer: first.body))
            #expect(!final.provisional)
            #expect(final.total.current.received == 2)

            // ... and later reads serve that one; version 1 stays readable as it was.
            clock.advance(days: 3)
            let later = try await Self.get(client, "month=2026-11", token: token)
            #expect(Self.version(later) == "2")
            #expect(String(buffer: later.body) == String(buffer: first.body))
            let old = try await Self.get(client, "month=2026-11&version=1", token: token)
            #expect(String(buffer: old.body) == String(buffer: early.body))
            let kept = try await store.reportVersions(period: "2026-11", scope: "province")
            #expect(kept.map(\.version) == [1, 2])
            #expect(kept.map(\.provisional) == [true, false])
        }
    }
}
