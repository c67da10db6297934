import SynCore
import TUICore

/// A matrix as colours, two pixels per cell with "▀" half blocks (fg = upper pixel, bg = lower),
/// or with ASCII glyphs one pixel per two columns from the density ramp " .:-=+*#%@" (coloured
/// too, so the ramp matters only on monochrome terminals).
///
/// With `tile` set (and `tile.rows * tile.cols == cols`), each matrix row is reshaped into a
/// `tile.rows x tile.cols` image and the images are laid out in a grid with one blank pixel
/// between neighbours, e.g. 16 receptive fields of 8x8 digit pixels.
///
/// Sizing: images are scaled by one common factor chosen to make them as large as possible
/// (whole-number factors when enlarging so pixels stay square; nearest-neighbour sampling when
/// shrinking). When even one-pixel tiles would not fit, the first tiles that fit are shown and
/// the colour bar says how many. NaN values are left blank; values outside the limits clamp.
public struct Heatmap: Widget {
    public var rows: Int
    public var cols: Int
    /// Row-major, `rows * cols` values (missing ones are treated as NaN).
    public var values: [Float]
    public var tile: TileShape?
    public var scale: HeatmapScale
    /// A bottom row with the colour gradient between the numeric limits.
    public var showColorBar: Bool

    public init(rows: Int, cols: Int, values: [Float], tile: TileShape? = nil, scale: HeatmapScale,
                showColorBar: Bool = true) {
        self.rows = rows
        self.cols = cols
        self.values = values
        self.tile = tile
        self.scale = scale
        self.showColorBar = showColorBar
    }

    /// How the images are laid out in pixels.
    struct Grid: Equatable {
        var tileCount: Int
        var tileRows: Int
        var tileCols: Int
        /// Displayed size of one image.
        var pixelRows: Int
        var pixelCols: Int
        var gridCols: Int
        /// Images actually drawn (fewer than `tileCount` only when they cannot all fit).
        var shown: Int
        /// Blank pixels between neighbouring images (0 for a single matrix).
        var gap: Int
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= 2, area.height >= 1, rows > 0, cols > 0 else {
            Placeholder.draw(in: area, buffer: &buffer, theme: theme)
            return
        }
        buffer.fill(area, with: theme.blank)
        let (image, barRow) = showColorBar && area.height >= 3 ? area.splitBottom(1) : (area, Rect.zero)
        let halfBlocks = theme.glyphs.usesHalfBlocks
        // Pixels stay roughly square: a half block is 1 column x half a row; an ASCII pixel is
        // 2 columns x 1 row.
        let pixelWidth = halfBlocks ? image.width : image.width / 2
        let pixelHeight = halfBlocks ? image.height * 2 : image.height
        let grid = layout(pixelWidth: pixelWidth, pixelHeight: pixelHeight)
        if let grid {
            drawImage(grid, in: image, halfBlocks: halfBlocks, buffer: &buffer, theme: theme)
        }
        if !barRow.isEmpty {
            drawColorBar(in: barRow, shown: grid?.shown ?? 0, total: grid?.tileCount ?? 0, buffer: &buffer, theme: theme)
        }
    }

    // MARK: Layout

    /// Picks the grid column count giving the largest images; nil when nothing fits.
    func layout(pixelWidth: Int, pixelHeight: Int) -> Grid? {
        let tiled = tile.map { $0.rows > 0 && $0.cols > 0 && $0.rows * $0.cols == cols } ?? false
        let count = tiled ? rows : 1
        let th = tiled ? (tile?.rows ?? rows) : rows, tw = tiled ? (tile?.cols ?? cols) : cols
        let gap = count > 1 ? 1 : 0
        guard pixelWidth > 0, pixelHeight > 0 else { return nil }

        var best: (factor: Double, gridCols: Int)?
        for gc in 1...count {
            let gr = (count + gc - 1) / gc
            let availW = (pixelWidth - (gc - 1) * gap) / gc, availH = (pixelHeight - (gr - 1) * gap) / gr
            guard availW > 0, availH > 0 else { continue }
            let f = min(Double(availW) / Double(tw), Double(availH) / Double(th))
            if best == nil || f > (best?.factor ?? 0) { best = (f, gc) }
        }
        var pixelRows = 1, pixelCols = 1, gridCols = max(1, (pixelWidth + gap) / (1 + gap))
        if let best {
            gridCols = best.gridCols
            if best.factor >= 1 {
                let k = Int(best.factor)
                pixelRows = th * k
                pixelCols = tw * k
            } else {
                pixelRows = max(1, Int(Double(th) * best.factor))
                pixelCols = max(1, Int(Double(tw) * best.factor))
            }
        }
        let fitCols = min(gridCols, max(1, (pixelWidth + gap) / (pixelCols + gap)))
        let fitRows = (pixelHeight + gap) / (pixelRows + gap)
        let shown = min(count, fitCols * fitRows)
        guard shown > 0 else { return nil }
        return Grid(tileCount: count, tileRows: th, tileCols: tw, pixelRows: pixelRows, pixelCols: pixelCols,
                    gridCols: fitCols, shown: shown, gap: gap)
    }

    /// The value at display pixel (px, py), or nil for gaps, blank space and NaN.
    func value(atPixel px: Int, _ py: Int, grid: Grid) -> Double? {
        let cellW = grid.pixelCols + grid.gap, cellH = grid.pixelRows + grid.gap
        let gx = px / cellW, gy = py / cellH
        let ix = px - gx * cellW, iy = py - gy * cellH
        guard gx < grid.gridCols, ix < grid.pixelCols, iy < grid.pixelRows else { return nil }
        let t = gy * grid.gridCols + gx
        guard t < grid.shown else { return nil }
        // Nearest neighbour: display pixel i samples source pixel floor((i + 0.5) * src / dst).
        let sr = (2 * iy + 1) * grid.tileRows / (2 * grid.pixelRows)
        let sc = (2 * ix + 1) * grid.tileCols / (2 * grid.pixelCols)
        // Tile t starts at t * (tileRows * tileCols); within it, rows are tileCols long (for a
        // single untiled matrix tileCols == cols and t == 0).
        let index = t * grid.tileRows * grid.tileCols + sr * grid.tileCols + sc
        guard index < values.count else { return nil }
        let v = Double(values[index])
        return v.isNaN ? nil : v
    }

    /// Position of `v` within the limits, clamped to [0, 1] (0 when undefined, e.g. with
    /// infinite limits).
    func normalized(_ v: Double) -> Double {
        let (lo, hi) = scale.bounds
        guard hi > lo else { return v >= hi ? 1 : 0 }
        let t = (v - lo) / (hi - lo)
        return t.isNaN ? 0 : min(max(t, 0), 1)
    }

    private func color(_ v: Double, theme: Theme) -> Color {
        let map: Colormap
        if case .symmetric = scale { map = theme.diverging } else { map = theme.sequential }
        return map.color(at: normalized(v))
    }

    private func rampSymbol(_ t: Double, glyphs: GlyphSet) -> Character {
        let ramp = glyphs.densityRamp
        return ramp[min(Int((t * Double(ramp.count - 1)).rounded()), ramp.count - 1)]
    }

    // MARK: Drawing

    private func drawImage(_ grid: Grid, in image: Rect, halfBlocks: Bool, buffer: inout Buffer, theme: Theme) {
        for cy in 0..<image.height {
            for cx in 0..<image.width {
                let x = image.x + cx, y = image.y + cy
                if halfBlocks {
                    let upper = value(atPixel: cx, 2 * cy, grid: grid)
                    let lower = value(atPixel: cx, 2 * cy + 1, grid: grid)
                    switch (upper, lower) {
                    case (nil, nil):
                        continue
                    case let (u?, l?):
                        buffer.set(x: x, y: y, cell: Cell(theme.glyphs.halfBlockUpper, fg: color(u, theme: theme),
                                                          bg: color(l, theme: theme)))
                    case let (u?, nil):
                        buffer.set(x: x, y: y, cell: Cell(theme.glyphs.halfBlockUpper, fg: color(u, theme: theme),
                                                          bg: theme.background))
                    case let (nil, l?):
                        buffer.set(x: x, y: y, cell: Cell(theme.glyphs.halfBlockLower, fg: color(l, theme: theme),
                                                          bg: theme.background))
                    }
                } else if let v = value(atPixel: cx / 2, cy, grid: grid) {
                    buffer.set(x: x, y: y, cell: Cell(rampSymbol(normalized(v), glyphs: theme.glyphs),
                                                      fg: color(v, theme: theme), bg: theme.background))
                }
            }
        }
    }

    /// "lo ▀▀▀▀▀▀ hi" (gradient as background colours, or the density ramp with ASCII glyphs),
    /// plus "k/n" when not every tile is shown.
    private func drawColorBar(in row: Rect, shown: Int, total: Int, buffer: inout Buffer, theme: Theme) {
        let (lo, hi) = scale.bounds
        let loText = NumberFormat.compact(lo), hiText = NumberFormat.compact(hi)
        let note = shown < total ? " \(shown)/\(total)" : ""
        let gradientWidth = row.width - loText.count - hiText.count - 2 - note.count
        guard gradientWidth >= 2 else {
            let text = Text.truncate(loText + ".." + hiText + note, to: row.width, ellipsis: theme.glyphs.ellipsis)
            buffer.write(text, x: row.x, y: row.y, style: theme.dimText, clip: row)
            return
        }
        var x = buffer.write(loText + " ", x: row.x, y: row.y, style: theme.dimText, clip: row)
        for i in 0..<gradientWidth {
            let t = gradientWidth > 1 ? Double(i) / Double(gradientWidth - 1) : 0
            let v = lo + t * (hi - lo)
            if theme.glyphs.usesHalfBlocks {
                buffer.set(x: x, y: row.y, cell: Cell(" ", fg: theme.foreground, bg: color(v, theme: theme)))
            } else {
                buffer.set(x: x, y: row.y, cell: Cell(rampSymbol(t, glyphs: theme.glyphs), fg: color(v, theme: theme),
                                                      bg: theme.background))
            }
            x += 1
        }
        buffer.write(" " + hiText + note, x: x, y: row.y, style: theme.dimText, clip: row)
    }
}
