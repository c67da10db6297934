import Testing
import SynScenes
import TerminalBackend
import TUICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SynApp

/// Whole dashboard frames from `synaptop render` (the same `HeadlessFrame` code path) at fixed
/// seeds, compared with text files in Tests/SynAppTests/Golden. Run with RECORD_GOLDEN=1 to
/// re-record them after an intended change (and review the diff).
@Suite struct GoldenFrameTests {
    static let recording = getenv("RECORD_GOLDEN").map { String(cString: $0) == "1" } ?? false

    func check(_ name: String, _ buffer: Buffer) throws {
        let path = "\(packageRoot)/Tests/SynAppTests/Golden/\(name).txt"
        let text = buffer.plainText + "\n"
        if Self.recording {
            let ok = text.withCString { p -> Bool in
                guard let f = fopen(path, "w") else { return false }
                defer { fclose(f) }
                return fputs(p, f) >= 0
            }
            #expect(ok, "could not write \(path)")
            return
        }
        let expected = try #require(readFile(path), "missing golden file \(path); record it with RECORD_GOLDEN=1")
        if expected != text {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
            let want = line < a.count ? String(a[line]) : "<end>"
            let got = line < b.count ? String(b[line]) : "<end>"
            Issue.record("\(name): frame differs from \(path) at line \(line + 1)\n want: \(want)\n  got: \(got)\n(re-record with RECORD_GOLDEN=1 if the change is intended)")
        }
    }

    func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func ojaAfter2000Steps() throws {
        let spec = try loadScene("oja")
        try check("oja-120x40", try HeadlessFrame.render(spec: spec, steps: 2000, size: TerminalSize(width: 120, height: 40), ascii: false))
    }

    @Test func ojaInASCIIAt80x24() throws {
        let spec = try loadScene("oja")
        try check("oja-ascii-80x24", try HeadlessFrame.render(spec: spec, steps: 500, size: TerminalSize(width: 80, height: 24), ascii: true))
    }

    @Test func sangerDigitsAfter500Steps() throws {
        let spec = try loadScene("sanger-digits")
        try check("sanger-digits-120x40", try HeadlessFrame.render(spec: spec, steps: 500, size: TerminalSize(width: 120, height: 40), ascii: false))
    }

    @Test func tooSmallTerminalNamesTheNeededSize() throws {
        let spec = try loadScene("oja")
        let frame = try HeadlessFrame.render(spec: spec, steps: 0, size: TerminalSize(width: 50, height: 12), ascii: false)
        #expect(frame.plainText.contains("60x16"))
        try check("too-small-50x12", frame)
    }

    @Test func renderIsDeterministic() throws {
        let spec = try loadScene("oja")
        let a = try HeadlessFrame.render(spec: spec, seed: 3, steps: 700, size: TerminalSize(width: 100, height: 30), ascii: false)
        let b = try HeadlessFrame.render(spec: spec, seed: 3, steps: 700, size: TerminalSize(width: 100, height: 30), ascii: false)
        #expect(a == b)
        let c = try HeadlessFrame.render(spec: spec, seed: 4, steps: 700, size: TerminalSize(width: 100, height: 30), ascii: false)
        #expect(a != c)
    }
}
