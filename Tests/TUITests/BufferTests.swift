import Testing
@testable import TUICore

@Suite struct BufferTests {
    @Test func writeClipsToBufferAndRect() {
        var b = Buffer(width: 6, height: 2)
        b.write("hello world", x: 1, y: 0)
        b.write("abcdef", x: -2, y: 1, clip: Rect(x: 0, y: 1, width: 3, height: 1))
        b.write("zz", x: 0, y: 5)
        #expect(b.lines == [" hello", "cde   "])
    }

    @Test func diffListsOnlyChangedCells() {
        var a = Buffer(width: 4, height: 3)
        a.write("abcd", x: 0, y: 1)
        var b = a
        b.set(x: 2, y: 1, cell: Cell("X"))
        b.set(x: 3, y: 2, cell: Cell(" ", fg: .red))
        let changes = b.diff(from: a)
        #expect(changes == [CellChange(x: 2, y: 1, cell: Cell("X")), CellChange(x: 3, y: 2, cell: Cell(" ", fg: .red))])
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func diffAfterResizeRedrawsEverything() {
        let a = Buffer(width: 2, height: 2)
        let b = Buffer(width: 3, height: 1)
        #expect(b.diff(from: a).count == 3)
    }
}

@Suite struct CellTests {
    @Test func cellsArePlainValuesWithOneScalar() {
        #expect(_isPOD(Cell.self))
        #expect(Cell("⣿").symbol == "⣿")
        // "e" + combining acute accent: only the base letter is kept.
        #expect(Cell("e\u{301}").symbol == "e")
        var c = Cell("a", fg: .red)
        c.symbol = "b"
        #expect(c == Cell("b", fg: .red) && c.scalar == "b")
    }
}

@Suite struct BufferContentTests {
    @Test func writeReturnsTheEndColumnAndBlanksControlCharacters() {
        var b = Buffer(width: 8, height: 1)
        #expect(b.write("a\tb", x: 1, y: 0) == 4)
        #expect(b.write("xyz", x: 6, y: 0) == 9)  // clipped, but the end column is where the text ends
        #expect(b.lines == [" a b  xy"])
        #expect(b[1, 0] == Cell("a"))
        #expect(b[-1, 0] == .blank && b[0, 9] == .blank)
    }

    @Test func fillSetStyleAndClear() {
        var b = Buffer(width: 4, height: 3)
        b.fill(Rect(x: 1, y: 1, width: 9, height: 9), with: Cell("#"))
        #expect(b.plainText == "\n ###\n ###")
        b.setStyle(Style(fg: .green, attributes: .bold), in: Rect(x: 3, y: 2, width: 1, height: 1))
        #expect(b[3, 2] == Cell("#", fg: .green, attributes: .bold))
        b.clear()
        #expect(b.cells.allSatisfy { $0 == .blank })
    }

    @Test func resizeClearsAndChangesShape() {
        var b = Buffer(width: 3, height: 2)
        b.write("abc", x: 0, y: 0)
        b.resize(width: 2, height: 3)
        #expect(b.width == 2 && b.height == 3 && b.cells.count == 6)
        #expect(b.plainText == "\n\n")
        b.resize(width: -1, height: 5)
        #expect(b.cells.isEmpty && b.lines == ["", "", "", "", ""])
    }

    @Test func blitCopiesWithClipping() {
        var small = Buffer(width: 2, height: 2)
        small.write("ab", x: 0, y: 0)
        small.write("cd", x: 0, y: 1)
        var big = Buffer(width: 3, height: 3)
        big.blit(small, x: 2, y: 1)
        #expect(big.plainText == "\n  a\n  c")
    }

    @Test func diffIntoReusesTheArrayAndMatchesDiff() {
        var a = Buffer(width: 5, height: 2), b = Buffer(width: 5, height: 2)
        b.write("hi", x: 3, y: 1)
        var changes = [CellChange(x: 9, y: 9, cell: .blank)]
        b.diff(from: a, into: &changes)
        #expect(changes == b.diff(from: a))
        #expect(changes.map(\.x) == [3, 4] && changes.allSatisfy { $0.y == 1 })
        // Applying the changes to the old frame gives the new one.
        for c in changes { a.set(x: c.x, y: c.y, cell: c.cell) }
        #expect(a == b)
    }

    @Test func diffOfRandomFramesListsExactlyTheDifferingCells() {
        // A small linear congruential generator keeps the frames the same on every run.
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        let symbols: [Character] = [" ", "a", "⣿", "▀"], colours: [Color] = [.default, .red, .rgb(1, 2, 3)]
        for _ in 0..<20 {
            var old = Buffer(width: 9, height: 5), new = Buffer(width: 9, height: 5)
            for _ in 0..<30 {
                old.set(x: next(9), y: next(5), cell: Cell(symbols[next(4)], fg: colours[next(3)]))
                new.set(x: next(9), y: next(5), cell: Cell(symbols[next(4)], bg: colours[next(3)]))
            }
            let changes = new.diff(from: old)
            let differing = zip(old.cells, new.cells).filter { $0 != $1 }.count
            #expect(changes.count == differing)
            #expect(changes.allSatisfy { old[$0.x, $0.y] != $0.cell })
            for c in changes { old.set(x: c.x, y: c.y, cell: c.cell) }
            #expect(old == new)
        }
    }

    @Test func debugDescriptionShowsSizeAndPaddedRows() {
        var b = Buffer(width: 3, height: 2)
        b.write("x", x: 1, y: 1)
        #expect(b.debugDescription == "Buffer 3x2\n|   |\n| x |")
    }
}

@Suite struct ANSITests {
    @Test func emitsCodesOnlyWhereTheStyleChanges() {
        var b = Buffer(width: 4, height: 2)
        b.write("ab", x: 0, y: 0, style: Style(fg: .rgb(255, 0, 0)))
        b.write("c", x: 2, y: 0, style: Style(fg: .rgb(255, 0, 0), attributes: [.bold, .underline]))
        let esc = "\u{1B}["
        #expect(b.renderANSI(colorMode: .truecolor)
            == "\(esc)0;38;2;255;0;0mab\(esc)0;1;4;38;2;255;0;0mc\(esc)0m \n    \n")
        #expect(b.renderANSI(colorMode: .palette256).hasPrefix("\(esc)0;38;5;196mab"))
        #expect(b.renderANSI(colorMode: .palette16).hasPrefix("\(esc)0;91mab"))
        #expect(b.renderANSI(colorMode: .monochrome) == "ab\(esc)0;1;4mc\(esc)0m \n    \n")
    }

    @Test func backgroundAndLowIndexCodes() {
        #expect(ANSI.sgr(Style(fg: .red, bg: .blue)) == "\u{1B}[0;31;44m")
        #expect(ANSI.sgr(Style(fg: .brightWhite, bg: .brightBlack, attributes: [.dim, .reverse]))
            == "\u{1B}[0;2;7;97;100m")
        #expect(ANSI.sgr(Style(bg: .indexed(200))) == "\u{1B}[0;48;5;200m")
        #expect(ANSI.sgr(Style(bg: .rgb(1, 2, 3))) == "\u{1B}[0;48;2;1;2;3m")
    }
}
