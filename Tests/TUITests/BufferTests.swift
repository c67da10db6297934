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
