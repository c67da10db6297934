import Testing
import SynCore
@testable import SynApp
import SynScenes
import TerminalBackend
import TUICore
#if canImport(Glibc)
import Glibc
#endif

/// `--record FILE.cast`: the asciicast v2 writer, its parser, and the screen a cast replays to.
@Suite struct RecordingTests {
    func tempPath(_ name: String) -> String { "/tmp/synaptop-rec-\(getpid())-\(name)" }

    @Test func aRecordedSessionParsesAsAsciicastV2AndReplaysToTheLastFrame() throws {
        let path = tempPath("session.cast")
        defer { unlink(path) }
        let spec = try loadScene("oja")
        let memory = MemoryBackend(size: TerminalSize(width: 100, height: 30), waitsForTimeout: true)
        memory.schedule(.key(.char("n")), afterFrames: 1)
        memory.schedule(.key(.char("?")), afterFrames: 2)
        memory.schedule(.key(.escape), afterFrames: 3)
        memory.schedule(.key(.char("n")), afterFrames: 4)
        var t = 0.0
        let recorder = try RecordingBackend(base: memory, path: path, title: "synaptop oja", term: "xterm-256color",
                                            unixTime: 1_700_000_000, now: { t += 0.25; return t })
        // Resize midway: the cast must carry a resize event and a full redraw.
        memory.schedule(.resize(TerminalSize(width: 90, height: 28)), afterFrames: 5)
        memory.schedule(.key(.char("q")), afterFrames: 7)
        let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
        let app = DashboardApp(spec: spec, runner: runner, backend: recorder, options: DashboardOptions(fps: 60, paused: true))
        #expect(app.run(maxSeconds: 30) == .quit)
        runner.stop()
        #expect(!FileIO.exists(path), "the cast appears only when the recording is finished")
        try recorder.finish()

        let cast = try Asciicast.parse(try FileIO.read(path), path: path)
        #expect(cast.header == Asciicast.Header(width: 100, height: 30, timestamp: 1_700_000_000, title: "synaptop oja",
                                                term: "xterm-256color"))
        #expect(cast.events.count == recorder.frames + 1)
        #expect(cast.events.contains(Asciicast.Event(time: cast.events.first { $0.kind == .resize }?.time ?? -1, kind: .resize,
                                                     data: "90x28")))
        var screen = CastScreen(width: cast.header.width, height: cast.header.height)
        for e in cast.events { screen.apply(e) }
        #expect(screen.plainText == memory.text)
        #expect(screen.plainText.contains("PAUSED"))
    }

    @Test func theHeaderAndEventsAreTheV2Lines() {
        let h = Asciicast.Header(width: 80, height: 24, timestamp: 5, title: "a \"b\"", term: "xterm")
        #expect(h.line == #"{"version": 2, "width": 80, "height": 24, "timestamp": 5, "title": "a \"b\"", "env": {"TERM": "xterm"}}"#)
        #expect(Asciicast.Event(time: 1.5, kind: .output, data: "\u{1B}[0mx\n").line == #"[1.500000, "o", "\u001b[0mx\n"]"#)
        #expect(Asciicast.Event(time: 0.0000004, kind: .resize, data: "80x24").line == #"[0.000000, "r", "80x24"]"#)
        #expect(Asciicast.quoted("tab\t\\ é ⣿ \u{7F}") == #""tab\t\\ é ⣿ \u007f""#)
    }

    @Test func aWrittenEventParsesBackToItself() throws {
        let events = [Asciicast.Event(time: 0.25, kind: .output, data: "\u{1B}[1;1H⣿ \"q\" \\"),
                      Asciicast.Event(time: 1.75, kind: .resize, data: "60x16")]
        let text = Asciicast.Header(width: 60, height: 16, timestamp: 0).line + "\n" + events.map(\.line).joined(separator: "\n") + "\n"
        let cast = try Asciicast.parse(Array(text.utf8), path: "x.cast")
        #expect(cast.events == events)
    }

    @Test(arguments: [
        ("", "x.cast: empty file"),
        (#"{"version": 1, "width": 80, "height": 24}"#, "x.cast:1: version: expected 2"),
        (#"{"version": 2, "width": 0, "height": 24}"#, "x.cast:1: width/height"),
        ("{\"version\": 2, \"width\": 80, \"height\": 24}\n[1.0, \"o\", \"a\"]\n[0.5, \"o\", \"b\"]", "x.cast:3: time 0.5 goes back"),
        ("{\"version\": 2, \"width\": 80, \"height\": 24}\n[1.0, \"o\", \"a\"", "x.cast:2: expected an event"),
        ("{\"version\": 2, \"width\": 80, \"height\": 24}\n[1.0, \"x\", \"a\"]", "x.cast:2: expected an event"),
    ])
    func aBrokenCastIsRefusedWithItsLine(text: String, message: String) {
        #expect {
            _ = try Asciicast.parse(Array(text.utf8), path: "x.cast")
        } throws: { error in
            (error as? Asciicast.ParseError)?.description.hasPrefix(message) == true
        }
    }

    @Test func theScreenFollowsCursorMovesClearsAndSplitEscapes() {
        var s = CastScreen(width: 8, height: 3)
        s.feed("\u{1B}[2;3Hab\u{1B}[38;5;1mc")
        s.feed("\u{1B}[")  // an escape cut between two events
        s.feed("1;1Hz\u{1B}[?25l")
        #expect(s.plainText == "z\n  abc\n")
        s.feed("\u{1B}[2J\u{1B}[3;8Hxy")  // autowrap from the last row stays on it (no scrolling)
        #expect(s.plainText == "\n\ny      x")
        s.apply(Asciicast.Event(time: 0, kind: .resize, data: "4x2"))
        #expect(s.buffer.width == 4 && s.buffer.height == 2)
    }

    @Test func aRecordingToABadPathFailsAtOnce() {
        #expect(throws: FileIOError.self) {
            _ = try RecordingBackend(base: MemoryBackend(size: TerminalSize(width: 10, height: 5)), path: "/nonexistent-dir/x.cast",
                                     title: nil, term: nil, unixTime: 0)
        }
    }
}
