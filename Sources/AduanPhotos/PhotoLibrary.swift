import AduanCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The photo files, content-addressed by SHA-256 under one directory (`ab/abcdef…`). A file is written whole before
/// its name exists (temporary file, fsync, rename, fsync of the directory), so a name always means a complete file;
/// the same bytes uploaded twice are one file. Rows name files; `sweep` removes the files no row names.
public struct PhotoLibrary: Sendable {
    /// Taken by `store` when it reuses an existing file (making it young again) and by `sweep` around each removal,
    /// so that a file the sweep found old cannot be removed after an upload has just reused it: the upload's row may
    /// be about to commit.
    private static let reuseOrRemove = Mutex(())

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
        try bytes.withUnsafeBytes { try self.store($0) }
    }

    /// Stores bytes where they are (an upload's own buffer: no copy).
    @discardableResult
    public func store(_ bytes: UnsafeRawBufferPointer) throws -> String {
        let sha = Secrets.hex(Secrets.sha256(bytes))
        let final = self.url(sha)
        let reused = Self.reuseOrRemove.withLock { _ in
            // The same bytes are already kept (the same photo sent twice): the file is touched, not written again.
            utimensat(AT_FDCWD, final.path, nil, 0) == 0
        }
        if reused { return sha }
        let folder = final.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            Self.fsyncDirectory(self.directory)
        }
        let temporary = folder.appendingPathComponent(".\(sha).\(Secrets.hex(Secrets.randomBytes(6))).tmp")
        func fail(_ what: String) -> WriteFailed { WriteFailed(path: final.path, reason: "\(what): \(String(cString: strerror(errno)))") }
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw fail("open") }
        var written = 0
        let ok: Bool = {
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 { if errno == EINTR { continue } else { return false } }
                written += n
            }
            return fsync(fd) == 0
        }()
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
        Self.fsyncDirectory(folder)
        return sha
    }

    static func fsyncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// The size of a kept file, or nil when there is none.
    public func size(_ sha: String) -> Int? {
        guard Self.isName(sha) else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: self.url(sha).path)[.size] as? Int) ?? nil
    }

    /// A SHA-256 in lowercase hex: the only names the library has.
    static func isName(_ sha: String) -> Bool {
        sha.utf8.count == 64 && sha.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    public func url(_ sha: String) -> URL {
        self.directory.appendingPathComponent(String(sha.prefix(2)), isDirectory: true).appendingPathComponent(sha)
    }

    public func read(_ sha: String) -> Data? {
        guard Self.isName(sha) else { return nil }
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
                let gone = Self.reuseOrRemove.withLock { _ -> Bool in
                    // Looked at again under the lock: an upload may have reused the file since the listing.
                    let modified = (try? manager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
                    guard now.timeIntervalSince(modified) >= grace else { return false }
                    return (try? manager.removeItem(at: url)) != nil
                }
                if gone { removed += 1 }
            }
        }
        return removed
    }
}
