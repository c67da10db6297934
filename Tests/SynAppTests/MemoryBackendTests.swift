import Testing
import TerminalBackend
import TUICore

@Suite struct MemoryBackendTests {
    @Test func byteCountFollowsCursorMovesStylesAndUTF8() {
        var counter = OutputByteCounter(colorMode: .truecolor)
        let red = Style(fg: .rgb(255, 0, 0))
        counter.count([
            CellChange(x: 0, y: 0, cell: Cell("a", style: red)),
            CellChange(x: 1, y: 0, cell: Cell("b", style: red)),      // adjacent, same style: 1 byte
            CellChange(x: 10, y: 4, cell: Cell("⠁", style: red)),     // jump + 3-byte braille
        ])
        let sgr = ANSI.sgr(red).utf8.count                             // "\e[0;38;2;255;0;0m"
        let expected = ("\u{1B}[1;1H".utf8.count + sgr + 1) + 1 + ("\u{1B}[5;11H".utf8.count + 3)
        #expect(counter.bytes == expected)
    }

    @Test func quantisedColoursShortenTheEscapes() {
        let change = [CellChange(x: 0, y: 0, cell: Cell("x", fg: .rgb(10, 200, 30)))]
        var truecolor = OutputByteCounter(colorMode: .truecolor)
        var palette = OutputByteCounter(colorMode: .palette256)
        var none = OutputByteCounter(colorMode: .monochrome)
        truecolor.count(change)
        palette.count(change)
        none.count(change)
        #expect(truecolor.bytes > palette.bytes)
        #expect(palette.bytes > none.bytes)
    }

    @Test func scriptedEventsArriveAfterTheirFrame() {
        let backend = MemoryBackend(size: TerminalSize(width: 10, height: 3), events: [.key(.char("a"))])
        backend.schedule(.key(.char("b")), afterFrames: 1)
        #expect(backend.pollEvent(timeoutMilliseconds: 0) == .key(.char("a")))
        #expect(backend.pollEvent(timeoutMilliseconds: 0) == nil)
        backend.flush()
        #expect(backend.pollEvent(timeoutMilliseconds: 0) == .key(.char("b")))
        backend.resize(to: TerminalSize(width: 4, height: 2))
        #expect(backend.pollEvent(timeoutMilliseconds: 0) == .resize(TerminalSize(width: 4, height: 2)))
        #expect(backend.size == TerminalSize(width: 4, height: 2))
    }

    @Test func sizesParseFromTheCommandLineForm() {
        #expect(TerminalSize(parsing: "120x40") == TerminalSize(width: 120, height: 40))
        #expect(TerminalSize(parsing: "80X24") == TerminalSize(width: 80, height: 24))
        #expect(TerminalSize(parsing: "120") == nil)
        #expect(TerminalSize(parsing: "0x10") == nil)
        #expect(TerminalSize(parsing: "axb") == nil)
    }
}
