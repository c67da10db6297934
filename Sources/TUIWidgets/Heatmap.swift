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
///
/// With `paged` set, tiles are never shrunk below their own size (a shrunk 8x8 digit field is
/// unreadable): as many as fit are shown at full size, page `page` of them (wrapping around),
/// and the colour bar names the fields shown and the page (`13-24/100 2/9`). Only when not even
/// one tile fits at full size does it shrink, to show at least one.
public struct Heatmap: Widget {
    public var rows: Int
    public var cols: Int
    /// Row-major, `rows * cols` values (missing ones are treated as NaN).
    public var values: [Float]
    public var tile: TileShape?
    public var scale: HeatmapScale
    /// A bottom row with the colour gradient between the numeric limits.
    public var showColorBar: Bool
    /// Tiles at full size, in pages, instead of all of them shrunk to fit (see the type's doc).
    public var paged: Bool
    /// The page shown when `paged` (any integer: taken modulo the page count).
    public var page: Int

    public init(rows: Int, cols: Int, values: [Float], tile: TileShape? = nil, scale: HeatmapScale,
                showColorBar: Bool = true, paged: Bool = false, page: Int = 0) {
        self.rows = rows
        self.cols = cols
        self.values = values
        self.tile = tile
        self.scale = scale
        self.showColorBar = showColorBar
        self.paged = paged
        self.page = page
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
        /// Index of the first image shown (paging), the page shown and the page count.
        var first = 0
        var page = 0
        var pages = 1
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
            drawColorBar(in: barRow, grid: grid, buffer: &buffer, theme: theme)
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
        if paged, count > 1, (best?.factor ?? 0) < 1, tw <= pixelWidth, th <= pixelHeight {
            // Full-size tiles, as many as fit, in pages.
            let perRow = max(1, (pixelWidth + gap) / (tw + gap))
            let perColumn = max(1, (pixelHeight + gap) / (th + gap))
            let perPage = perRow * perColumn
            let pages = (count + perPage - 1) / perPage
            let p = ((page % pages) + pages) % pages
            let first = p * perPage
            return Grid(tileCount: count, tileRows: th, tileCols: tw, pixelRows: th, pixelCols: tw, gridCols: perRow,
                        shown: min(perPage, count - first), gap: gap, first: first, page: p, pages: pages)
        }
        let fitCols = min(gridCols, max(1, (pixelWidth + gap) / (pixelCols + gap)))
        let fitRows = (pixelHeight + gap) / (pixelRows + gap)
        let shown = min(count, fitCols * fitRows)
        guard shown > 0 else { return nil }
        return Grid(tileCount: count, tileRows: th, tileCols: tw, pixelRows: pixelRows, pixelCols: pixelCols,
                    gridCols: fitCols, shown: shown, gap: gap)
    }

    /// The page count the widget shows in `area` (1 when every tile fits or it is not paged),
    /// so a caller can clamp or wrap a page index and say how many there are.
    public func pageCount(in area: Rect, theme: Theme) -> Int {
        let image = showColorBar && area.height >= 3 ? area.splitBottom(1).rest : area
        let halfBlocks = theme.glyphs.usesHalfBlocks
        return layout(pixelWidth: halfBlocks ? image.width : image.width / 2,
                      pixelHeight: halfBlocks ? image.height * 2 : image.height)?.pages ?? 1
    }

    /// The value at display pixel (px, py), or nil for gaps, blank space and NaN.
    func value(atPixel px: Int, _ py: Int, grid: Grid) -> Double? {
        let cellW = grid.pixelCols + grid.gap, cellH = grid.pixelRows + grid.gap
        let gx = px / cellW, gy = py / cellH
        let ix = px - gx * cellW, iy = py - gy * cellH
        guard gx < grid.gridCols, ix < grid.pixelCols, iy < grid.pixelRows else { return nil }
        let shownIndex = gy * grid.gridCols + gx
        guard shownIndex < grid.shown else { return nil }
        let t = grid.first + shownIndex
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
    /// plus "k/n" when not every tile is shown, or when paged the fields shown and the page
    /// ("13-24/100 2/9", shortened to the page when the row is narrow).
    private func drawColorBar(in row: Rect, grid: Grid?, buffer: inout Buffer, theme: Theme) {
        let (lo, hi) = scale.bounds
        let loText = NumberFormat.compact(lo), hiText = NumberFormat.compact(hi)
        let shown = grid?.shown ?? 0, total = grid?.tileCount ?? 0
        var note = shown < total ? " \(shown)/\(total)" : ""
        if let g = grid, g.pages > 1 {
            let pageText = " \(g.page + 1)/\(g.pages)"
            let long = " \(g.first + 1)-\(g.first + g.shown)/\(g.tileCount)" + pageText
            note = row.width - loText.count - hiText.count - 2 - long.count >= 6 ? long : pageText
        }
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
