import Testing
@testable import SynCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct FileIOTests {
    /// A fresh directory under the system temp dir (unique per process and call).
    func scratchDirectory(_ tag: String) -> String {
        let dir = "/tmp/syncore-fileio-\(getpid())-\(tag)"
        mkdir(dir, 0o755)
        return dir
    }

    @Test func atomicWriteThenReadRoundTrips() throws {
        let dir = scratchDirectory("roundtrip")
        let path = dir + "/data.bin"
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FileIO.writeAtomically(path, bytes: bytes)
        #expect(try FileIO.read(path) == bytes)
        try FileIO.writeAtomically(path, bytes: [1, 2, 3])  // replaces, never appends
        #expect(try FileIO.read(path) == [1, 2, 3])
        try FileIO.writeAtomically(dir + "/empty", bytes: [])
        #expect(try FileIO.read(dir + "/empty").isEmpty)
        #expect(FileIO.isFile(path) && !FileIO.isDirectory(path) && FileIO.isDirectory(dir))
        // No temp files are left behind.
        #expect(FileIO.list(dir) == ["data.bin", "empty"])
        unlink(path)
        unlink(dir + "/empty")
        rmdir(dir)
    }

    @Test func errorsNameTheFile() {
        let missing = "/tmp/syncore-fileio-\(getpid())-does-not-exist"
        #expect(throws: FileIOError.self) { try FileIO.read(missing) }
        do {
            _ = try FileIO.read(missing)
        } catch {
            #expect(error.message.contains(missing))
        }
        let dir = scratchDirectory("limit")
        let path = dir + "/big"
        try? FileIO.writeAtomically(path, bytes: [UInt8](repeating: 7, count: 100))
        do {
            _ = try FileIO.read(path, limit: 10)
            Issue.record("a file over the limit was read")
        } catch {
            #expect(error.message.contains("limit"))
        }
        do {
            _ = try FileIO.read(dir)
            Issue.record("a directory was read as a file")
        } catch {
            #expect(error.message.contains("directory"))
        }
        unlink(path)
        rmdir(dir)
    }
}
