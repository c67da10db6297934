import SynCore
import TUICore

/// Several series over a shared x axis, drawn with braille dots (2 x 4 per cell; with ASCII
/// glyphs, "'", "." and ":"), with y tick labels on the left, the x range underneath, a legend
/// row on top and labelled vertical markers.
///
/// Layout, from the area: the bottom row holds the x labels (when the area has 4+ rows); with
/// more than one named series and a legend, the top row holds the legend (when the area has 6+
/// rows; otherwise the legend is drawn at the top right over the plot when it fits in half its
/// width); a left gutter holds the y labels and the axis line (when the area is wide enough); the
/// rest is the plot. Below 10 x 3 cells a placeholder is drawn.
///
/// Series are told apart without colour too: series i is drawn in the dot pattern
/// `LinePattern.forSeries(i)` (solid, dashed, dotted, sparse, ...) and the legend shows each
/// series' name after a swatch drawn in the same colour and pattern. Y tick labels get more
/// digits until they differ (`1.002`, `1.001`, `1` rather than `1`, `1`, `1`). Marker labels
/// never overwrite each other or a drawn curve: the newest marker's label goes first, each on the
/// first of the top rows where it fits, shortened to the room before the next label, or is
/// left out. With `cursorX` set (a click), a dim vertical line marks that column and the x label
/// row shows the x value there and each series' nearest y value.
public struct LineChart: Widget {
    public var series: [ChartSeries]
    /// `.auto` spans the data; `.fixed(lo, hi)` is in data units (both > 0 for a log axis).
    public var yRange: AxisRange
    public var xRange: AxisRange
    /// Log10 y axis; non-positive values are not drawn.
    public var logY: Bool
    public var markers: [ChartMarker]
    public var showLegend: Bool
    /// Caption centred in the x label row (e.g. "step").
    public var xLabel: String
    /// A screen column (absolute, as in the buffer) to read the series at; nil: no readout.
    public var cursorX: Int?

    public init(series: [ChartSeries], yRange: AxisRange = .auto, xRange: AxisRange = .auto, logY: Bool = false,
                markers: [ChartMarker] = [], showLegend: Bool = true, xLabel: String = "", cursorX: Int? = nil) {
        self.series = series
        self.yRange = yRange
        self.xRange = xRange
        self.logY = logY
        self.markers = markers
        self.showLegend = showLegend
        self.xLabel = xLabel
        self.cursorX = cursorX
    }

    public static let minimumSize = (width: 10, height: 3)

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= Self.minimumSize.width, area.height >= Self.minimumSize.height else {
            Placeholder.draw(in: area, buffer: &buffer, theme: theme)
            return
        }
        buffer.fill(area, with: theme.blank)
        let xScale = scale(for: xRange, data: series.map(\.xs), log: false)
        let yScale = scale(for: yRange, data: series.flatMap(\.allYs), log: logY)

        // Carve out the label row, the legend row and the y gutter.
        var (body, labelRow) = area.height >= 4 ? area.splitBottom(1) : (area, Rect.zero)
        let named = series.filter { !$0.name.isEmpty }.count
        var legendRow = Rect.zero
        if showLegend && named > 1 && body.height >= 5 {
            (legendRow, body) = body.splitTop(1)
        }
        let ticks = yTicks(yScale, rows: body.height)
        let labelWidth = min(ticks.map(\.text.count).max() ?? 0, 9)
        let gutter = area.width >= labelWidth + 1 + 8 ? labelWidth + 1 : 0
        let plot = body.splitLeft(gutter).rest

        drawYAxis(ticks, body: body, gutter: gutter, labelWidth: labelWidth, buffer: &buffer, theme: theme)
        if !labelRow.isEmpty {
            if gutter > 0 {
                buffer.set(x: labelRow.x + gutter - 1, y: labelRow.y, symbol: theme.glyphs.axisCorner,
                           style: theme.dimText)
            }
        }

        var canvas = DotCanvas(width: plot.width, height: plot.height, glyphs: theme.glyphs)
        let markerColumns = drawMarkerLines(xScale, canvas: canvas, plot: plot, buffer: &buffer, theme: theme)
        for (i, s) in series.enumerated() {
            draw(s, color: s.color ?? theme.seriesColor(i), pattern: LinePattern.forSeries(i), x: xScale, y: yScale,
                 canvas: &canvas)
        }
        canvas.draw(into: &buffer, at: plot, background: theme.background)
        var legendArea = Rect.zero
        if !legendRow.isEmpty {
            drawLegendRow(legendRow, buffer: &buffer, theme: theme)
        } else if showLegend {
            legendArea = drawLegend(plot: plot, buffer: &buffer, theme: theme)
        }
        drawMarkerLabels(markerColumns, plot: plot, canvas: canvas, blocked: legendArea, buffer: &buffer, theme: theme)
        if !labelRow.isEmpty {
            let row = labelRow.splitLeft(gutter).rest
            if let cx = cursorX, cx >= plot.x, cx < plot.maxX {
                drawCursor(column: cx, x: xScale, plot: plot, canvas: canvas, labelRow: row, buffer: &buffer, theme: theme)
            } else {
                drawXLabels(xScale, row: row, buffer: &buffer, theme: theme)
            }
        }
    }

    // MARK: Scales and ticks

    private func scale(for range: AxisRange, data: [[Double]], log: Bool) -> AxisScale {
        if case let .fixed(lo, hi) = range {
            let probe = AxisScale(lo: 0, hi: 1, log: log)
            let a = probe.transform(lo), b = probe.transform(hi)
            if a.isFinite, b.isFinite, b > a { return AxisScale(lo: a, hi: b, log: log) }
        }
        return AxisScale.fitting(data, log: log)
    }

    /// Tick labels at the top, bottom and (with 5+ rows) middle row, with as many digits as
    /// it takes for them to differ.
    private func yTicks(_ y: AxisScale, rows: Int) -> [(row: Int, text: String)] {
        var rowsAndValues = [(0, y.data(y.hi)), (rows - 1, y.data(y.lo))]
        if rows >= 5 {
            rowsAndValues.append(((rows - 1) / 2, y.data((y.lo + y.hi) / 2)))
        }
        let texts = Self.distinctLabels(rowsAndValues.map(\.1))
        return zip(rowsAndValues, texts).map { (row: $0.0, text: $1) }
    }

    /// Labels for `values` as short as `NumberFormat.compact` when those differ, else with more
    /// digits (in a common k/M/G unit, or scientific for tiny values) until they do; the compact
    /// ones when nothing up to 8 digits tells them apart (equal values).
    static func distinctLabels(_ values: [Double]) -> [String] {
        let compact = values.map(NumberFormat.compact)
        guard Set(compact).count < compact.count, values.allSatisfy(\.isFinite) else { return compact }
        let largest = values.map(abs).max() ?? 0
        let (unit, suffix): (Double, String) = largest >= 1e9 ? (1e9, "G") : largest >= 1e6 ? (1e6, "M")
            : largest >= 1e4 ? (1e3, "k") : (1, "")
        if largest >= 0.01 {
            for digits in 0...8 {
                let labels = values.map { NumberFormat.trimmed($0 / unit, digits) + suffix }
                if Set(labels).count == labels.count { return labels }
            }
        } else {
            for digits in 1...8 {
                let labels = values.map { $0 == 0 ? "0" : NumberFormat.scientific($0, digits, trim: true) }
                if Set(labels).count == labels.count { return labels }
            }
        }
        return compact
    }

    // MARK: Drawing

    private func drawYAxis(_ ticks: [(row: Int, text: String)], body: Rect, gutter: Int, labelWidth: Int,
                           buffer: inout Buffer, theme: Theme) {
        guard gutter > 0 else { return }
        let axisX = body.x + gutter - 1
        for y in body.y..<body.maxY {
            buffer.set(x: axisX, y: y, symbol: theme.glyphs.axisVertical, style: theme.dimText)
        }
        let labels = Rect(x: body.x, y: body.y, width: labelWidth, height: body.height)
        for tick in ticks {
            buffer.set(x: axisX, y: body.y + tick.row, symbol: theme.glyphs.axisTick, style: theme.dimText)
            let text = Text.truncate(tick.text, to: labelWidth, ellipsis: theme.glyphs.ellipsis)
            Text.rightAligned(text, maxX: labels.maxX, y: body.y + tick.row, style: theme.dimText, clip: labels,
                              buffer: &buffer)
        }
    }

    private func drawXLabels(_ x: AxisScale, row: Rect, buffer: inout Buffer, theme: Theme) {
        let lo = NumberFormat.compact(x.data(x.lo)), hi = NumberFormat.compact(x.data(x.hi))
        buffer.write(lo, x: row.x, y: row.y, style: theme.dimText, clip: row)
        if lo.count + 1 + hi.count <= row.width {
            Text.rightAligned(hi, maxX: row.maxX, y: row.y, style: theme.dimText, clip: row, buffer: &buffer)
        }
        // The caption goes in the middle of the space between the two numbers.
        let gapStart = row.x + lo.count + 1, gapWidth = row.width - lo.count - hi.count - 2
        if !xLabel.isEmpty, xLabel.count <= gapWidth {
            buffer.write(xLabel, x: gapStart + (gapWidth - xLabel.count) / 2, y: row.y, style: theme.dimText, clip: row)
        }
    }

    /// Draws marker lines and returns their plot columns (for the labels drawn after the data).
    private func drawMarkerLines(_ x: AxisScale, canvas: DotCanvas, plot: Rect, buffer: inout Buffer,
                                 theme: Theme) -> [(column: Int, label: String)] {
        var columns: [(column: Int, label: String)] = []
        let style = Style(fg: theme.warning, bg: theme.background)
        for m in markers {
            guard let dot = x.dot(m.x, count: canvas.dotWidth), dot >= 0, dot < canvas.dotWidth else { continue }
            let cx = plot.x + dot / canvas.dotsPerCellX
            for y in plot.y..<plot.maxY { buffer.set(x: cx, y: y, symbol: theme.glyphs.marker, style: style) }
            columns.append((cx, m.label))
        }
        return columns
    }

    /// Marker labels, newest (rightmost) first: each on the first of the plot's top rows (at most
    /// three) where its cells hold neither a curve nor another label, cut to the room there (at
    /// least two characters), else left out.
    private func drawMarkerLabels(_ columns: [(column: Int, label: String)], plot: Rect, canvas: DotCanvas,
                                  blocked: Rect, buffer: inout Buffer, theme: Theme) {
        let rows = min(3, max(1, plot.height / 3))
        var taken = [[Bool]](repeating: [Bool](repeating: false, count: plot.width), count: rows)
        for (column, _) in columns {
            for r in 0..<rows where column - plot.x >= 0 && column - plot.x < plot.width { taken[r][column - plot.x] = true }
        }
        for (column, label) in columns.sorted(by: { $0.column > $1.column }) where !label.isEmpty {
            let start = column + 1 - plot.x
            guard start < plot.width else { continue }
            for r in 0..<rows {
                // Free cells to the right of the marker line on this row.
                var room = 0
                while start + room < plot.width, !taken[r][start + room],
                      !canvas.isSet(cellX: start + room, cellY: r),
                      !blocked.contains(x: plot.x + start + room, y: plot.y + r) {
                    room += 1
                }
                // Keep one blank cell before whatever stops the label (another label, a curve).
                let usable = start + room < plot.width ? room - 1 : room
                guard usable >= 2 else { continue }
                let text = Text.truncate(label, to: usable, ellipsis: theme.glyphs.ellipsis)
                buffer.write(text, x: plot.x + start, y: plot.y + r, style: theme.warningText, clip: plot)
                for k in 0..<text.count { taken[r][start + k] = true }
                break
            }
        }
    }

    /// The readout of a click: a dim vertical line at `column` (where nothing is drawn) and, in
    /// the x label row, the x value there and every series' y at the nearest x.
    private func drawCursor(column: Int, x: AxisScale, plot: Rect, canvas: DotCanvas, labelRow: Rect,
                            buffer: inout Buffer, theme: Theme) {
        for y in plot.y..<plot.maxY where !canvas.isSet(cellX: column - plot.x, cellY: y - plot.y) {
            buffer.set(x: column, y: y, symbol: theme.glyphs.axisVertical, style: theme.dimText)
        }
        let dots = canvas.dotWidth
        let dot = (column - plot.x) * canvas.dotsPerCellX + canvas.dotsPerCellX / 2
        let t = dots > 1 ? x.lo + (x.hi - x.lo) * Double(dot) / Double(dots - 1) : x.lo
        let xValue = x.data(t)
        var parts = [(xLabel.isEmpty ? "x" : xLabel) + " " + NumberFormat.compact(xValue)]
        for s in series {
            guard case let .line(xs, ys) = s.shape, !xs.isEmpty else { continue }
            var best = 0
            var bestDistance = Double.infinity
            for i in 0..<min(xs.count, ys.count) where abs(xs[i] - xValue) < bestDistance {
                bestDistance = abs(xs[i] - xValue)
                best = i
            }
            if best < ys.count {
                parts.append((s.name.isEmpty ? "y" : s.name) + " " + NumberFormat.value(ys[best]))
            }
        }
        let text = Text.truncate(parts.joined(separator: "  "), to: labelRow.width, ellipsis: theme.glyphs.ellipsis)
        buffer.write(text, x: labelRow.x, y: labelRow.y, style: theme.accentText, clip: labelRow)
    }

    private func draw(_ s: ChartSeries, color: Color, pattern: LinePattern, x: AxisScale, y: AxisScale,
                      canvas: inout DotCanvas) {
        let w = canvas.dotWidth, h = canvas.dotHeight
        switch s.shape {
        case let .line(xs, ys):
            // Points that fall in the same dot column (a long trace in a narrow chart) are
            // gathered into one vertical span from their lowest to their highest dot, so the
            // cost follows the chart's width, not the number of points; the curve looks the same.
            var column: (x: Int, lo: Int, hi: Int, last: Int)?
            var phase = 0
            func closeColumn() {
                if let c = column, c.hi > c.lo {
                    canvas.line(c.x, c.lo, c.x, c.hi, color: color, pattern: pattern, phase: &phase)
                }
            }
            for i in 0..<min(xs.count, ys.count) {
                guard let px = x.dot(xs[i], count: w), let py = y.dot(ys[i], count: h, reversed: true) else {
                    closeColumn()
                    column = nil
                    continue
                }
                if let c = column {
                    if c.x == px {
                        column = (px, min(c.lo, py), max(c.hi, py), py)
                        continue
                    }
                    closeColumn()
                    canvas.line(c.x, c.last, px, py, color: color, pattern: pattern, phase: &phase)
                } else {
                    canvas.set(px, py, color: color)
                }
                column = (px, py, py, py)
            }
            closeColumn()
        case let .envelope(xs, lower, upper):
            let n = min(xs.count, lower.count, upper.count)
            var previous: (x: Int, lo: Int, hi: Int)?
            for i in 0..<n {
                guard let px = x.dot(xs[i], count: w), let lo = y.dot(lower[i], count: h, reversed: true),
                      let hi = y.dot(upper[i], count: h, reversed: true) else {
                    previous = nil
                    continue
                }
                if let p = previous, px > p.x + 1, px > 0, p.x < w - 1 {
                    // Fill the visible columns between the two samples with interpolated spans.
                    for cx in max(p.x + 1, 0)..<min(px, w) {
                        let f = Double(cx - p.x) / Double(px - p.x)
                        let a = Int((Double(p.lo) + f * Double(lo - p.lo)).rounded())
                        let b = Int((Double(p.hi) + f * Double(hi - p.hi)).rounded())
                        canvas.vertical(cx, from: b, to: a, color: color)
                    }
                }
                canvas.vertical(px, from: hi, to: lo, color: color)
                previous = (px, lo, hi)
            }
        }
    }

    /// The legend at the top right over the plot (small charts without a legend row): one series
    /// per row, swatch then name, when it fits in half the plot's width. Returns where it is.
    private func drawLegend(plot: Rect, buffer: inout Buffer, theme: Theme) -> Rect {
        let named = legendEntries
        guard !named.isEmpty, plot.height >= 3 else { return .zero }
        let swatchWidth = Self.swatchCells
        let width = (named.map(\.series.name.count).max() ?? 0) + swatchWidth + 1
        guard width <= plot.width / 2 else { return .zero }
        let shownRows = min(named.count, plot.height - 1)
        for (row, (i, s)) in named.prefix(plot.height - 1).enumerated() {
            let y = plot.y + row
            let x = plot.maxX - width
            buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: theme.blank)
            drawSwatch(i, s, x: x, y: y, buffer: &buffer, theme: theme)
            buffer.write(s.name, x: x + swatchWidth + 1, y: y, style: theme.text, clip: plot)
        }
        return Rect(x: plot.maxX - width, y: plot.y, width: width, height: shownRows)
    }

    /// The series a legend lists, with their indices (which set their dot pattern): the named
    /// ones (unnamed series, e.g. the edges of a band, are drawn but not listed).
    private var legendEntries: [(index: Int, series: ChartSeries)] {
        series.enumerated().filter { !$0.element.name.isEmpty }.map { ($0.offset, $0.element) }
    }

    /// Cells of a legend swatch.
    static let swatchCells = 3

    /// The legend in its own row: "swatch name  swatch name ...", names abbreviated in the middle
    /// (equally) until every series fits; series that still do not fit are counted ("+2").
    private func drawLegendRow(_ row: Rect, buffer: inout Buffer, theme: Theme) {
        guard !row.isEmpty else { return }
        let named = legendEntries
        let names = named.map(\.series.name)
        let sw = Self.swatchCells
        func total(_ width: Int) -> Int {
            names.reduce(0) { $0 + sw + 1 + min($1.count, width) } + 2 * max(0, names.count - 1)
        }
        var nameWidth = names.map(\.count).max() ?? 0
        while nameWidth > 3 && total(nameWidth) > row.width { nameWidth -= 1 }
        var x = row.x
        for (k, (i, s)) in named.enumerated() {
            let name = Text.abbreviate(s.name, to: nameWidth, ellipsis: theme.glyphs.ellipsis)
            guard x + sw + 1 + name.count <= row.maxX else {
                buffer.write("+\(named.count - k)", x: x, y: row.y, style: theme.dimText, clip: row)
                break
            }
            drawSwatch(i, s, x: x, y: row.y, buffer: &buffer, theme: theme)
            x = buffer.write(name, x: x + sw + 1, y: row.y, style: theme.text, clip: row) + 2
        }
    }

    /// A short horizontal run of dots in series i's pattern and colour (what its curve looks like).
    private func drawSwatch(_ i: Int, _ s: ChartSeries, x: Int, y: Int, buffer: inout Buffer, theme: Theme) {
        var canvas = DotCanvas(width: Self.swatchCells, height: 1, glyphs: theme.glyphs)
        let row = theme.glyphs.usesBraille ? 1 : 0
        var phase = 0
        canvas.line(0, row, canvas.dotWidth - 1, row, color: s.color ?? theme.seriesColor(i),
                    pattern: LinePattern.forSeries(i), phase: &phase)
        canvas.draw(into: &buffer, at: Rect(x: x, y: y, width: Self.swatchCells, height: 1), background: theme.background)
    }
}
