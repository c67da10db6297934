#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system failure with a one-line message that names the file.
public struct FileIOError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Small POSIX file helpers: bounded reads and atomic writes (temp file + rename), so a crash
/// or Ctrl-C never leaves a half-written output.
public enum FileIO {
    /// Opens a regular file for reading and returns the descriptor and the file's size. A FIFO,
    /// a device (`/dev/zero`, `/dev/stdin`) or a directory is refused without blocking or
    /// reading from it (opened with O_NONBLOCK, checked with fstat).
    public static func openRegular(_ path: String) throws(FileIOError) -> (fd: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileIOError(message: "cannot open \(path): \(errnoText())") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let msg = errnoText()
            close(fd)
            throw FileIOError(message: "cannot stat \(path): \(msg)")
        }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(fd)
            if kind == S_IFDIR { throw FileIOError(message: "\(path) is a directory, expected a file") }
            throw FileIOError(message: "\(path) is not a regular file (a FIFO, device or socket), expected a file")
        }
        return (fd, Int(st.st_size))
    }

    /// Reads exactly `count` bytes from `fd` (named `path` in errors).
    public static func read(_ fd: Int32, count: Int, path: String) throws(FileIOError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var off = 0
        while off < count {
            let n = out.withUnsafeMutableBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return Glibc_read(fd, base + off, count - off)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError(message: "cannot read \(path): \(errnoText())")
            }
            if n == 0 { throw FileIOError(message: "cannot read \(path): file ended after \(off) of \(count) bytes") }
            off += n
        }
        return out
    }

    /// Reads a whole regular file, refusing files larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = 1 << 30) throws(FileIOError) -> [UInt8] {
        let (fd, size) = try openRegular(path)
        defer { close(fd) }
        if size > limit { throw FileIOError(message: "\(path) is \(size) bytes, larger than the limit of \(limit)") }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError(message: "cannot read \(path): \(errnoText())")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { throw FileIOError(message: "\(path) is larger than the limit of \(limit) bytes") }
        }
        return out
    }

    /// True when `path` exists and is a regular file.
    public static func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// True when `path` exists (any kind of file; a dangling symlink does not count).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// True when `path` exists and is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `bytes` to `path` atomically: a temp file in the same directory, fsync, rename.
    public static func writeAtomically(_ path: String, bytes: [UInt8]) throws(FileIOError) {
        let tmp = "\(path).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FileIOError(message: "cannot write \(path): \(errnoText())") }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return write(fd, base + off, bytes.count - off)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let msg = errnoText()
                close(fd)
                unlink(tmp)
                throw FileIOError(message: "cannot write \(path): \(msg)")
            }
            off += n
        }
        // A full disk or a network file system may only report the failure here: never
        // rename a temp file whose contents did not reach the disk.
        if fsync(fd) != 0 && errno != EINVAL {
            let msg = errnoText()
            close(fd)
            unlink(tmp)
            throw FileIOError(message: "cannot write \(path): \(msg)")
        }
        guard close(fd) == 0 else {
            let msg = errnoText()
            unlink(tmp)
            throw FileIOError(message: "cannot write \(path): \(msg)")
        }
        guard rename(tmp, path) == 0 else {
            let msg = errnoText()
            unlink(tmp)
            throw FileIOError(message: "cannot write \(path): \(msg)")
        }
    }

    /// The temp file name used for an atomic write of `path` by this process.
    public static func tempName(for path: String) -> String { "\(path).tmp-\(getpid())" }

    /// Removes `NAME.tmp-PID` files next to `path` left by processes that no longer exist (a
    /// `kill -9` during a write): only names of this exact form, only when `kill(PID, 0)` says
    /// there is no such process. Returns the names removed.
    @discardableResult
    public static func removeStaleTemps(for path: String) -> [String] {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = base + ".tmp-"
        var removed: [String] = []
        for name in list(dir) where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let pid = Int32(digits), pid > 0, pid != getpid() else { continue }
            guard kill(pid_t(pid), 0) == -1 && errno == ESRCH else { continue }
            let full = dir == "/" ? "/" + name : dir + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(full) == 0 { removed.append(full) }
        }
        return removed
    }

    /// A file written through a temp file in the same directory, renamed over `path` by
    /// `commit()`: readers never see a partial file. The temp file is created at once, so a bad
    /// target (a directory, a name too long, a read-only place) fails before any work.
    public final class AtomicFile {
        public let path: String
        public let tempPath: String
        private var fd: Int32
        private var buffer: [UInt8] = []

        public init(_ path: String) throws(FileIOError) {
            self.path = path
            tempPath = FileIO.tempName(for: path)
            if FileIO.isDirectory(path) { throw FileIOError(message: "cannot write \(path): Is a directory") }
            fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FileIOError(message: "cannot write \(path): \(FileIO.errnoText())") }
            buffer.reserveCapacity(1 << 16)
        }

        deinit { if fd >= 0 { abandon() } }

        /// Appends bytes (buffered; written in 64 KiB pieces).
        public func write(_ bytes: some Sequence<UInt8>) throws(FileIOError) {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 16 { try flush() }
        }

        public func flush() throws(FileIOError) {
            guard fd >= 0 else { throw FileIOError(message: "cannot write \(path): file already closed") }
            var off = 0
            while off < buffer.count {
                let n = buffer.withUnsafeBytes { buf -> Int in
                    guard let base = buf.baseAddress else { return 0 }
                    return Glibc_write(fd, base + off, buffer.count - off)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileIOError(message: "cannot write \(path): \(FileIO.errnoText())")
                }
                off += n
            }
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes, syncs and renames the temp file over `path`. On failure the temp file is removed.
        public func commit() throws(FileIOError) {
            do throws(FileIOError) { try flush() } catch { abandon(); throw error }
            // A full disk or a network file system may only report the failure here: never
            // rename a temp file whose contents did not reach the disk.
            if fsync(fd) != 0 && errno != EINVAL {
                let msg = FileIO.errnoText()
                abandon()
                throw FileIOError(message: "cannot write \(path): \(msg)")
            }
            let rc = close(fd)
            fd = -1
            guard rc == 0 else {
                let msg = FileIO.errnoText()
                unlink(tempPath)
                throw FileIOError(message: "cannot write \(path): \(msg)")
            }
            guard rename(tempPath, path) == 0 else {
                let msg = FileIO.errnoText()
                unlink(tempPath)
                throw FileIOError(message: "cannot write \(path): \(msg)")
            }
        }

        /// Closes and removes the temp file (the target is left as it was).
        public func abandon() {
            if fd >= 0 { close(fd) }
            fd = -1
            unlink(tempPath)
        }
    }

    /// Lists the entries of a directory (names only), sorted.
    public static func list(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

#if canImport(Glibc)
@inline(__always) private func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Glibc.read(fd, p, n) }
@inline(__always) private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#else
@inline(__always) private func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Darwin.read(fd, p, n) }
@inline(__always) private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif
