import AduanWire
import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `aduan-admin login`: checks a staff token against the server and keeps both for later commands.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a server with a staff token (kept in a 0600 credentials file).",
        discussion: """
            The token is read from a prompt without echo, or from standard input when it is not a terminal.
            The credentials file is $ADUAN_CREDENTIALS, else $XDG_CONFIG_HOME/aduan/credentials, else
            ~/.config/aduan/credentials. ADUAN_SERVER and ADUAN_TOKEN override it for one command.

            Examples:
              aduan-admin login --server http://127.0.0.1:8080
              echo "$TOKEN" | aduan-admin login --server https://aduan.lampungprov.go.id
            """)

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.") var server: String

    func run() async throws {
        if let url = URL(string: self.server), url.scheme == "http",
            !["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host ?? "")
        {
            FileHandle.standardError.write(Data("warning: \(self.server) is plain HTTP: the token crosses the network unencrypted; use https\n".utf8))
        }
        let token = try Self.readToken()
        let credentials = Credentials(server: self.server, token: token)
        let me = try await StaffAPI(credentials: credentials).get("/v1/staff/me").decode(StaffMemberDTO.self)
        let path = Credentials.path()
        try credentials.save(path: path)
        print("logged in as \(me.name) (\(me.role)\(me.opd.map { ", \($0.name)" } ?? "")) at \(self.server)")
        print("credentials saved in \(path)")
    }

    static func readToken() throws -> String {
        let line: String?
        if isatty(STDIN_FILENO) == 1, let entered = getpass("Staff token: ") {
            line = String(cString: entered)
        } else {
            line = readLine(strippingNewline: true)
        }
        guard let token = line?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw Failure("no token given (type it at the prompt or pipe it on standard input)")
        }
        return token
    }
}
