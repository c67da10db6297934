import TUICore
import Testing
@testable import TUIWidgets

@Suite struct BrailleTests {
    @Test func dotsMapToTheUnicodeBrailleBits() {
        // Unicode numbers braille dots 1-3 and 7 down the left column, 4-6 and 8 down the right.
        let expected: [(dx: Int, dy: Int, scalar: UInt32)] = [
            (0, 0, 0x2801), (0, 1, 0x2802), (0, 2, 0x2804), (0, 3, 0x2840),
            (1, 0, 0x2808), (1, 1, 0x2810), (1, 2, 0x2820), (1, 3, 0x2880),
        ]
        for e in expected {
            #expect(Braille.character(Braille.bit(dx: e.dx, dy: e.dy)).unicodeScalars.first?.value == e.scalar)
        }
        #expect(Braille.character(0) == "\u{2800}")
        #expect(Braille.character(0xFF) == "⣿")
        #expect(Braille.bit(dx: 2, dy: 0) == 0 && Braille.bit(dx: 0, dy: 4) == 0 && Braille.bit(dx: -1, dy: 1) == 0)
    }

    @Test func canvasDrawsADiagonalAsBrailleCells() {
        var canvas = DotCanvas(width: 2, height: 1, glyphs: .braille)
        canvas.line(0, 0, 3, 3, color: .red)
        var b = Buffer(width: 2, height: 1)
        canvas.draw(into: &b, at: b.area, background: .default)
        // Dots (0,0), (1,1) in the first cell; (2,2), (3,3) in the second.
        #expect(b.lines == ["\u{2811}\u{2884}"])
        #expect(b[0, 0].fg == .red)
    }

    @Test func canvasIgnoresDotsOutsideAndClampsFarLines() {
        var canvas = DotCanvas(width: 1, height: 1, glyphs: .braille)
        canvas.set(-1, 0, color: .red)
        canvas.set(2, 0, color: .red)
        canvas.line(-1_000_000, 1, 1_000_000, 1, color: .red)
        var b = Buffer(width: 1, height: 1)
        canvas.draw(into: &b, at: b.area, background: .default)
        #expect(b.lines == ["\u{2812}"])  // only the two dots of row 1
    }

    @Test func asciiCanvasUsesUpperLowerAndBothMarks() {
        var canvas = DotCanvas(width: 3, height: 1, glyphs: .ascii)
        canvas.set(0, 0, color: .red)
        canvas.set(1, 1, color: .red)
        canvas.vertical(2, from: 0, to: 1, color: .red)
        var b = Buffer(width: 3, height: 1)
        canvas.draw(into: &b, at: b.area, background: .default)
        #expect(b.lines == ["'.:"])
    }
}
