import AduanWire
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    @Suite("The real aduan-server and clients that ask before sending a body")
    struct ExpectContinueTests {
        @Test("Expect: 100-continue is answered at once, and the request then goes through as any other")
        func continueAtOnce() throws {
            let directory = try temporaryDirectory()
            let server = try ServerProcess(arguments: ["--db", directory.appendingPathComponent("aduan.sqlite").path])
            defer { _ = server.terminate() }
            let json = String(
                buffer: body(SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01")))
            let connection = try RawConnection(port: server.port)
            try connection.send(
                "POST /v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(json.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
            let started = Date()
            // Two seconds: a client that got no 100 Continue would wait one and then send anyway.
            let interim = connection.receiveOnce(seconds: 2)
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim)")
            #expect(Date().timeIntervalSince(started) < 1)
            try connection.send(json)
            var answer = interim.replacingOccurrences(of: "HTTP/1.1 100 Continue\r\n\r\n", with: "")
            if answer.isEmpty { answer = connection.receiveOnce(seconds: 2) }
            #expect(answer.hasPrefix("HTTP/1.1 201 Created"), "\(answer)")
        }
    }
}
