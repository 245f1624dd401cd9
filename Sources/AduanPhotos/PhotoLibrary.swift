import AduanCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The photo files, content-addressed by SHA-256 under one directory (`ab/abcdef…`). A file is written whole before
/// its name exists (temporary file, fsync, rename, fsync of the directory), so a name always means a complete file;
/// the same bytes uploaded twice are one file. Rows name files; `sweep` removes the files no row names.
public struct PhotoLibrary: Sendable {
    public let directory: URL

    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    public struct WriteFailed: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write photo file \(self.path): \(self.reason)" }
    }

    /// Stores bytes durably and returns their SHA-256 (hex), which names the file.
    @discardableResult
    public func store(_ bytes: [UInt8]) throws -> String {
        let sha = Secrets.hex(Secrets.sha256(bytes))
        let final = self.url(sha)
        if FileManager.default.fileExists(atPath: final.path) { return sha }
        let folder = final.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(sha).\(Secrets.hex(Secrets.randomBytes(6))).tmp")
        func fail(_ what: String) -> WriteFailed { WriteFailed(path: final.path, reason: "\(what): \(String(cString: strerror(errno)))") }
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw fail("open") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue } else { return false } }
                written += n
            }
            return fsync(fd) == 0
        }
        let error = fail("write")
        close(fd)
        guard ok else {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, final.path) == 0 else {
            let error = fail("rename")
            unlink(temporary.path)
            throw error
        }
        // The rename itself must survive a power loss before the row that names the file commits.
        let directoryFD = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        return sha
    }

    public func url(_ sha: String) -> URL {
        self.directory.appendingPathComponent(String(sha.prefix(2)), isDirectory: true).appendingPathComponent(sha)
    }

    public func read(_ sha: String) -> Data? {
        guard sha.count == 64, sha.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
        return FileManager.default.contents(atPath: self.url(sha).path)
    }

    public func exists(_ sha: String) -> Bool { FileManager.default.fileExists(atPath: self.url(sha).path) }

    /// Removes files that no row names and that are older than `grace` (a file written for a request still in flight
    /// is younger), and stale temporary files. Returns how many it removed.
    public func sweep(keeping referenced: Set<String>, grace: TimeInterval, now: Date = Date()) -> Int {
        let manager = FileManager.default
        guard let folders = try? manager.contentsOfDirectory(atPath: self.directory.path) else { return 0 }
        var removed = 0
        for folder in folders where folder.count == 2 {
            let folderURL = self.directory.appendingPathComponent(folder, isDirectory: true)
            for name in (try? manager.contentsOfDirectory(atPath: folderURL.path)) ?? [] {
                let url = folderURL.appendingPathComponent(name)
                let isTemporary = name.hasPrefix(".")
                guard isTemporary || !referenced.contains(name) else { continue }
                let modified = (try? manager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
                guard now.timeIntervalSince(modified) >= grace else { continue }
                if (try? manager.removeItem(at: url)) != nil { removed += 1 }
            }
        }
        return removed
    }
}
