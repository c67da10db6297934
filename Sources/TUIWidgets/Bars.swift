import TUICore

/// Drawing bars with eighth-cell resolution, shared by bar-like widgets.
enum Bars {
    /// Eighths of a cell (rounded) for `fraction` of `cells` cells.
    static func eighths(_ fraction: Double, cells: Int) -> Int {
        guard fraction.isFinite, fraction > 0 else { return 0 }
        return min(Int((min(fraction, 1) * Double(cells * 8)).rounded()), cells * 8)
    }

    /// A bar `eighths` high growing up from the bottom row of `column` (a one-column rect).
    static func vertical(_ eighths: Int, in column: Rect, style: Style, buffer: inout Buffer, glyphs: GlyphSet) {
        var left = eighths
        var y = column.maxY - 1
        while left > 0 && y >= column.y {
            let part = min(left, 8)
            for x in column.x..<column.maxX {
                buffer.set(x: x, y: y, symbol: glyphs.verticalEighths[part], style: style)
            }
            left -= part
            y -= 1
        }
    }

    /// A bar `eighths` long growing right from the left of `row` (a one-row rect).
    static func horizontal(_ eighths: Int, in row: Rect, style: Style, buffer: inout Buffer, glyphs: GlyphSet) {
        var left = eighths
        var x = row.x
        while left > 0 && x < row.maxX {
            let part = min(left, 8)
            for y in row.y..<row.maxY {
                buffer.set(x: x, y: y, symbol: glyphs.horizontalEighths[part], style: style)
            }
            left -= part
            x += 1
        }
    }
}
