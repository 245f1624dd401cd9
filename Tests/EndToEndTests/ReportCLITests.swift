import AduanStore
import Foundation
import Testing

extension EndToEnd {
    /// The binaries read the real clock and cannot be given another. So every month here is fixed and far from the
    /// present: the demo history ends at 2026-11-01 and the reports are of October 2026, which was over more than a
    /// month before these tests were written (December 2026). Whatever the real clock says from then on, October is
    /// over (its reports are final) and no WIB month boundary is near it; `2099-01` stands for a month not started.
    @Suite("The real aduan-admin: demo seed and the monthly report")
    struct ReportCLITests {
        @Test("the rakor pack from a seeded quarter: hotspots appear, every format is written, bad periods are one-line errors")
        func rakorPack() async throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("demo.sqlite").path
            let seed = try run(
                binary("aduan-admin"),
                ["demo", "seed", "--db", db, "--complaints", "4000", "--months", "3", "--now", "2026-10-01T00:00:00+07:00"])
            #expect(seed.status == 0, "\(seed.stderr)")
            for format in ["html", "md", "csv", "json"] {
                let out = directory.appendingPathComponent("pack.\(format)").path
                let pack = try run(binary("aduan-admin"), ["report", "rakor", "--db", db, "--quarter", "2026Q3", "--format", format, "--out", out])
                #expect(pack.status == 0 && pack.stdout.contains("rakor pack 2026-07/2026-09"), "\(pack.stderr)")
            }
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("pack.json"))) as? [String: Any])
            let issues = (json["desks"] as? [[String: Any]] ?? []).flatMap { $0["issues"] as? [[String: Any]] ?? [] }
            // The demo history has recurring places: hotspots appear, with a point on the map.
            #expect(issues.contains { $0["kind"] as? String == "hotspot" && $0["latitude"] != nil }, "no hotspot in \(issues.count) issues")
            #expect(json["version"] as? Int == 4)
            let html = try String(contentsOfFile: directory.appendingPathComponent("pack.html").path, encoding: .utf8)
            #expect(html.contains("Triwulan III 2026") && html.contains("Rancangan butir kesepakatan") && !html.contains("<script"))
            for arguments in [["--quarter", "2026Q9"], ["--from", "2026-09", "--to", "2026-07"], ["--from", "2026-07"], ["--desk", "jalan"]] {
                let bad = try run(binary("aduan-admin"), ["report", "rakor", "--db", db] + arguments)
                #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1, "\(arguments): \(bad.stderr)")
            }
        }

        @Test("demo seed fills a new database through the real rules; the report comes out in four formats, kept as versions")
        func seedAndReport() async throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("demo.sqlite").path
            let seed = try run(
                binary("aduan-admin"),
                ["demo", "seed", "--db", db, "--complaints", "600", "--months", "3", "--now", "2026-11-01T00:00:00+07:00"])
            #expect(seed.status == 0, "\(seed.stderr)")
            #expect(seed.stdout.contains("seeded 600 complaints from 2026-08-01"))

            // The history went through the workflow: every kind of outcome, all kabupaten/kota, and the audit names staff.
            let store = try Store.open(path: db)
            #expect(try await store.complaintCount() == 600)
            let again = try run(binary("aduan-admin"), ["demo", "seed", "--db", db, "--complaints", "10", "--months", "1"])
            #expect(again.status != 0)
            #expect(again.stderr.contains("already has complaints"))

            var versions: [String] = []
            for format in ["html", "md", "csv", "json"] {
                let out = directory.appendingPathComponent("rakor.\(format)").path
                let report = try run(
                    binary("aduan-admin"), ["report", "monthly", "--db", db, "--month", "2026-10", "--format", format, "--out", out])
                #expect(report.status == 0, "\(report.stderr)")
                versions.append(report.stdout)
                let text = try String(contentsOfFile: out, encoding: .utf8)
                #expect(!text.isEmpty)
            }
            #expect(versions.last?.contains("kept as version 4") == true)
            let html = try String(contentsOfFile: directory.appendingPathComponent("rakor.html").path, encoding: .utf8)
            #expect(html.contains("Oktober 2026") && html.contains("<svg") && !html.contains("<script"))
            // The report's JSON as `report monthly` writes it: the operator command's own output, read as plain JSON.
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("rakor.json"))) as? [String: Any])
            let regions = try #require(json["by_region"] as? [[String: Any]])
            #expect(regions.count == 15, "every kabupaten/kota has complaints")
            let total = try #require((json["total"] as? [String: Any])?["current"] as? [String: Any])
            #expect((total["received"] as? Int ?? 0) > 100)
            #expect((total["forwarded"] as? Int ?? 0) > 0)
            #expect((total["rejected"] as? Int ?? 0) > 0)
            #expect((total["backlog_total"] as? Int ?? 0) > 0)

            // A kept version renders the same whatever happened since.
            let v1 = try run(binary("aduan-admin"), ["report", "monthly", "--db", db, "--month", "2026-10", "--version", "1", "--format", "html"])
            #expect(v1.status == 0)
            #expect(v1.stdout.contains("Versi 1,"))
            let listed = try run(binary("aduan-admin"), ["report", "versions", "--db", db, "--month", "2026-10"])
            #expect(listed.stdout.split(separator: "\n").count == 5, "\(listed.stdout)")
            #expect(listed.stdout.contains("final") && !listed.stdout.contains("sementara"))

            // Failures are one line and a non-zero exit.
            for (arguments, message) in [
                (["--month", "2026-13"], "must be YYYY-MM"), (["--month", "2099-01"], "has not started"),
                (["--format", "pdf"], "unknown format 'pdf'"), (["--opd", "NOPE"], "unknown OPD 'NOPE'"),
                (["--version", "9"], "no version 9"), (["--out", "/nonexistent-dir/r.html"], "no directory /nonexistent-dir"),
                (["--out", directory.path], "it is a directory"), (["--month", "2026-+1"], "must be YYYY-MM"),
                (["--version", "1", "--target", "80"], "--target applies when generating"),
            ] {
                let failed = try run(binary("aduan-admin"), ["report", "monthly", "--db", db, "--month", "2026-10"] + arguments)
                #expect(failed.status != 0, "\(arguments)")
                #expect(failed.stderr.contains(message), "\(arguments): \(failed.stderr)")
                #expect(failed.stderr.split(separator: "\n").count == 1, "\(arguments): \(failed.stderr)")
            }
            // None of the failures kept a version.
            let after = try run(binary("aduan-admin"), ["report", "versions", "--db", db, "--month", "2026-10"])
            #expect(after.stdout.split(separator: "\n").count == 5, "\(after.stdout)")

            // Another program's SQLite file is refused, and left as it was.
            let foreign = directory.appendingPathComponent("other.sqlite").path
            let made = try run("/usr/bin/sqlite3", [foreign, "CREATE TABLE t (x)"])
            #expect(made.status == 0)
            let refused = try run(binary("aduan-admin"), ["report", "versions", "--db", foreign, "--month", "2026-10"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("is not an Aduan database"))
            let tables = try run("/usr/bin/sqlite3", [foreign, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'"])
            #expect(tables.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t")
        }
    
        @Test("staff download their report over the API with report fetch; another office's is refused in one line")
        func fetchOverAPI() throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("demo.sqlite").path
            let admin = binary("aduan-admin")
            let seed = try run(admin, ["demo", "seed", "--db", db, "--complaints", "300", "--months", "2", "--now", "2026-11-01T00:00:00+07:00"])
            #expect(seed.status == 0, "\(seed.stderr)")
            let triage = try StaffCLITests.addStaff(db: db, ["--name", "Rina Triage PU", "--role", "triage", "--opd", "PUPR-1871"])
            let supervisor = try StaffCLITests.addStaff(db: db, ["--name", "Biro Pemerintahan", "--role", "supervisor"])
            let server = try ServerProcess(arguments: ["--db", db], environment: ["ADUAN_SLA_CHECK_INTERVAL": "0"])
            defer { _ = server.terminate() }
            let url = "http://127.0.0.1:\(server.port)"
            let asTriage = ["ADUAN_SERVER": url, "ADUAN_TOKEN": triage, "ADUAN_CREDENTIALS": ""]
            let asSupervisor = ["ADUAN_SERVER": url, "ADUAN_TOKEN": supervisor, "ADUAN_CREDENTIALS": ""]

            let csv = try run(admin, ["report", "fetch", "--month", "2026-10", "--format", "csv"], environment: asTriage)
            #expect(csv.status == 0, "\(csv.stderr)")
            #expect(csv.stdout.contains("\r\ntotal,PUPR-1871,"))
            #expect(!csv.stdout.contains("DLH-1871"))
            let file = directory.appendingPathComponent("rakor.html").path
            let html = try run(admin, ["report", "fetch", "--month", "2026-10", "--out", file], environment: asSupervisor)
            #expect(html.status == 0, "\(html.stderr)")
            #expect(try String(contentsOfFile: file, encoding: .utf8).contains("Provinsi Lampung"))
            // The report's JSON is no AduanWire type (this target does not link AduanReport): its text is checked.
            let fresh = try run(admin, ["report", "fetch", "--month", "2026-10", "--format", "json", "--new"], environment: asSupervisor)
            #expect(fresh.stdout.contains("\"version\" : 2"))

            let other = try run(admin, ["report", "fetch", "--month", "2026-10", "--opd", "DLH-1871"], environment: asTriage)
            #expect(other.status != 0)
            #expect(other.stderr == "Error: not permitted: an office's staff get only their own office's report\n")
            let missing = try run(admin, ["report", "fetch", "--month", "2026-10", "--version", "7"], environment: asSupervisor)
            #expect(missing.stderr.contains("no such kept version"))
        }
    }
}
