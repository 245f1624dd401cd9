import AduanWire
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
@Suite("The real aduan-server and clients that ask before sending a body")
struct ExpectContinueTests {
    /// A TCP connection on loopback with a read timeout, for speaking HTTP/1.1 by hand.
    final class Connection {
        let fd: Int32

        init(port: Int) throws {
            self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw ServerDidNotStart(output: "cannot connect to port \(port)") }
            // Two seconds: a client that got no 100 Continue would wait one and then send anyway.
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(self.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { write(self.fd, $0.baseAddress, $0.count) } }

        /// What arrives within the timeout, up to 64 KiB.
        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = read(self.fd, &buffer, buffer.count)
            return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
        }

        deinit { close(self.fd) }
    }

    @Test("Expect: 100-continue is answered at once, and the request then goes through as any other")
    func continueAtOnce() throws {
        let directory = try temporaryDirectory()
        let server = try ServerProcess(arguments: ["--db", directory.appendingPathComponent("aduan.sqlite").path])
        defer { _ = server.terminate() }
        let json = String(buffer: body(SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01")))
        let connection = try Connection(port: server.port)
        connection.send(
            "POST /v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(json.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
        let started = Date()
        let interim = connection.receive()
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim)")
        #expect(Date().timeIntervalSince(started) < 1)
        connection.send(json)
        var answer = interim.replacingOccurrences(of: "HTTP/1.1 100 Continue\r\n\r\n", with: "")
        if answer.isEmpty { answer = connection.receive() }
        #expect(answer.hasPrefix("HTTP/1.1 201 Created"), "\(answer)")
    }
}
}
