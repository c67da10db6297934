import TUICore

/// A grid of on/off dots over a rectangle of cells, drawn as braille (2 x 4 dots per cell) or,
/// with ASCII glyphs, as 1 x 2 dots per cell shown as "'", "." or ":".
///
/// Dot (0, 0) is the top-left. Each cell takes the colour of the last dot set in it. Dots
/// outside the grid are ignored, so callers may draw lines that leave the plot.
struct DotCanvas {
    let width: Int
    let height: Int
    let dotsPerCellX: Int
    let dotsPerCellY: Int
    let glyphs: GlyphSet
    private var masks: [UInt8]
    private var colors: [Color]

    init(width: Int, height: Int, glyphs: GlyphSet) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        dotsPerCellX = glyphs.usesBraille ? Braille.dotsWide : 1
        dotsPerCellY = glyphs.usesBraille ? Braille.dotsHigh : 2
        masks = [UInt8](repeating: 0, count: self.width * self.height)
        colors = [Color](repeating: .default, count: self.width * self.height)
    }

    /// Dot columns and rows.
    var dotWidth: Int { width * dotsPerCellX }
    var dotHeight: Int { height * dotsPerCellY }

    /// Whether any dot is set in cell (cx, cy).
    func isSet(cellX cx: Int, cellY cy: Int) -> Bool {
        guard cx >= 0, cx < width, cy >= 0, cy < height else { return false }
        return masks[cy * width + cx] != 0
    }

    mutating func set(_ x: Int, _ y: Int, color: Color) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cx = x / dotsPerCellX, cy = y / dotsPerCellY
        let dx = x - cx * dotsPerCellX, dy = y - cy * dotsPerCellY
        let bit: UInt8 = glyphs.usesBraille ? Braille.bit(dx: dx, dy: dy) : (dy == 0 ? 1 : 2)
        masks[cy * width + cx] |= bit
        colors[cy * width + cx] = color
    }

    /// A straight line of dots from (x0, y0) to (x1, y1) inclusive (Bresenham). Endpoints far
    /// outside the grid are clamped to a margin first so the loop stays short.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: Color) {
        var phase = 0
        line(x0, y0, x1, y1, color: color, pattern: .solid, phase: &phase)
    }

    /// A line in a dot pattern: the dots along it are counted from `phase` (carried from one
    /// segment to the next so a polyline keeps its rhythm) and only those the pattern turns on
    /// are set. A segment's first dot is its previous segment's last, so it is not counted twice.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: Color, pattern: LinePattern,
                       phase: inout Int) {
        let marginX = dotWidth + 2, marginY = dotHeight + 2
        var x = min(max(x0, -marginX), 2 * marginX), y = min(max(y0, -marginY), 2 * marginY)
        let xEnd = min(max(x1, -marginX), 2 * marginX), yEnd = min(max(y1, -marginY), 2 * marginY)
        let dx = abs(xEnd - x), dy = -abs(yEnd - y)
        let sx = x < xEnd ? 1 : -1, sy = y < yEnd ? 1 : -1
        var err = dx + dy
        var first = true
        while true {
            if pattern == .solid {
                set(x, y, color: color)
            } else {
                if !first || phase == 0 {
                    if pattern.isOn(phase) { set(x, y, color: color) }
                    phase += 1
                }
            }
            first = false
            if x == xEnd && y == yEnd { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// A vertical run of dots in column `x` from `yTop` to `yBottom` inclusive.
    mutating func vertical(_ x: Int, from yTop: Int, to yBottom: Int, color: Color) {
        let a = max(min(yTop, yBottom), 0), b = min(max(yTop, yBottom), dotHeight - 1)
        guard a <= b else { return }
        for y in a...b { set(x, y, color: color) }
    }

    /// Draws every non-empty cell into `buffer` with its top-left cell at `origin`.
    func draw(into buffer: inout Buffer, at origin: Rect, background: Color) {
        for cy in 0..<height {
            for cx in 0..<width {
                let mask = masks[cy * width + cx]
                guard mask != 0 else { continue }
                let symbol = glyphs.usesBraille ? Braille.character(mask) : glyphs.asciiDots[Int(mask & 3)]
                buffer.set(x: origin.x + cx, y: origin.y + cy,
                           cell: Cell(symbol, fg: colors[cy * width + cx], bg: background))
            }
        }
    }
}

/// How a chart series' curve is dotted, so series differ without colour: `on` dots set, then
/// `off` dots skipped, repeating along the curve.
public struct LinePattern: Sendable, Hashable {
    public var on: Int
    public var off: Int

    public static let solid = LinePattern(on: 1, off: 0)
    public static let dashed = LinePattern(on: 4, off: 2)
    public static let dotted = LinePattern(on: 1, off: 1)
    public static let sparse = LinePattern(on: 1, off: 4)

    /// The pattern of series `i`: solid, dashed, dotted, sparse, then again.
    public static func forSeries(_ i: Int) -> LinePattern {
        [solid, dashed, dotted, sparse][((i % 4) + 4) % 4]
    }

    /// Whether the dot at position `k` along the curve is drawn.
    func isOn(_ k: Int) -> Bool {
        off <= 0 || k % (on + off) < on
    }
}
