/// A width x height grid of cells that widgets draw into; the backend diffs two of them and
/// writes only what changed.
///
/// Cells are stored row-major in one flat array. Writes outside the buffer (or outside a given
/// clip rect) are silently dropped, so widgets never need to bounds-check.
public struct Buffer: Sendable, Equatable, CustomDebugStringConvertible {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major cells: cell (x, y) is `cells[y * width + x]`.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: fill, count: self.width * self.height)
    }

    /// The whole buffer as a rect at the origin.
    public var area: Rect { Rect(width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Sets one cell; ignored outside the buffer.
    public mutating func set(x: Int, y: Int, cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x] = cell
    }

    /// Sets one cell's symbol and style; ignored outside the buffer.
    public mutating func set(x: Int, y: Int, symbol: Character, style: Style) {
        set(x: x, y: y, cell: Cell(symbol, style: style))
    }

    /// Changes only the style of the cells in `rect` (their symbols stay).
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let r = rect.intersection(area)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX {
                cells[y * width + x].style = style
            }
        }
    }

    /// Fills `rect` (clipped to the buffer) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let w = width
        cells.withUnsafeMutableBufferPointer { all in
            for y in r.y..<r.maxY {
                UnsafeMutableBufferPointer(rebasing: all[(y * w + r.x)..<(y * w + r.maxX)]).update(repeating: cell)
            }
        }
    }

    /// Resets every cell to `cell`, keeping the storage.
    public mutating func clear(to cell: Cell = .blank) {
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: cell) }
    }

    /// Changes the size, clearing the content (storage is reused when it is large enough).
    public mutating func resize(width newWidth: Int, height newHeight: Int) {
        let w = max(0, newWidth), h = max(0, newHeight)
        if w * h == cells.count {
            clear()
        } else {
            cells.removeAll(keepingCapacity: true)
            cells.append(contentsOf: repeatElement(Cell.blank, count: w * h))
        }
        width = w
        height = h
    }

    /// Writes `text` left to right from column `x` on row `y`, one character per column, and
    /// returns `x` plus the number of characters (where the text ends, clipped or not).
    /// Characters outside the buffer or outside `clip` are dropped; control characters are shown
    /// as spaces.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain,
                               clip: Rect? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        var column = x
        guard y >= bounds.y, y < bounds.maxY else { return column + text.count }
        let row = y * width
        for ch in text {
            if column >= bounds.x, column < bounds.maxX {
                let symbol: Character = ch.isASCII && (ch.asciiValue ?? 32) < 32 ? " " : ch
                cells[row + column] = Cell(symbol, style: style)
            }
            column += 1
        }
        return column
    }

    /// Copies `other` into this buffer with its top-left corner at (x, y), clipped.
    public mutating func blit(_ other: Buffer, x: Int, y: Int) {
        for oy in 0..<other.height {
            for ox in 0..<other.width {
                set(x: x + ox, y: y + oy, cell: other.cells[oy * other.width + ox])
            }
        }
    }

    /// The cells that differ from `previous`, row by row. If the sizes differ every cell counts
    /// as changed (the terminal must be redrawn).
    public func diff(from previous: Buffer) -> [CellChange] {
        var changes: [CellChange] = []
        diff(from: previous, into: &changes)
        return changes
    }

    /// Like `diff(from:)` but appends into `changes` (emptied first, capacity kept) so a render
    /// loop allocates nothing per frame once warm.
    public func diff(from previous: Buffer, into changes: inout [CellChange]) {
        changes.removeAll(keepingCapacity: true)
        let sameSize = previous.width == width && previous.height == height
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<width where !sameSize || now[row + x] != before[row + x] {
                        changes.append(CellChange(x: x, y: y, cell: now[row + x]))
                    }
                }
            }
        }
    }

    /// The text of each row (styles dropped, trailing spaces kept so every line has `width`
    /// characters).
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            line.reserveCapacity(width)
            for x in 0..<width { line.append(cells[y * width + x].symbol) }
            return line
        }
    }

    /// The rows joined by newlines, trailing spaces trimmed: for golden-file and snapshot tests.
    public var plainText: String {
        lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }.joined(separator: "\n")
    }

    /// The size and the content rows between bars, so trailing spaces are visible.
    public var debugDescription: String {
        (["Buffer \(width)x\(height)"] + lines.map { "|\($0)|" }).joined(separator: "\n")
    }
}
