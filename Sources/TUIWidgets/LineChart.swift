import SynCore
import TUICore

/// Several series over a shared x axis, drawn with braille dots (2 x 4 per cell; with ASCII
/// glyphs, "'", "." and ":"), with y tick labels on the left, the x range underneath, an
/// optional legend at the top right and labelled vertical markers.
///
/// Layout, from the area: the bottom row holds the x labels (when the area has 4+ rows); a left
/// gutter holds the y labels and the axis line (when the area is wide enough); the rest is the
/// plot. Below 10 x 3 cells a placeholder is drawn.
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

    public init(series: [ChartSeries], yRange: AxisRange = .auto, xRange: AxisRange = .auto, logY: Bool = false,
                markers: [ChartMarker] = [], showLegend: Bool = true, xLabel: String = "") {
        self.series = series
        self.yRange = yRange
        self.xRange = xRange
        self.logY = logY
        self.markers = markers
        self.showLegend = showLegend
        self.xLabel = xLabel
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

        // Carve out the label row and the y gutter.
        let (body, labelRow) = area.height >= 4 ? area.splitBottom(1) : (area, Rect.zero)
        let ticks = yTicks(yScale, rows: body.height)
        let labelWidth = min(ticks.map(\.text.count).max() ?? 0, 7)
        let gutter = area.width >= labelWidth + 1 + 8 ? labelWidth + 1 : 0
        let plot = body.splitLeft(gutter).rest

        drawYAxis(ticks, body: body, gutter: gutter, labelWidth: labelWidth, buffer: &buffer, theme: theme)
        if !labelRow.isEmpty {
            drawXLabels(xScale, row: labelRow.splitLeft(gutter).rest, buffer: &buffer, theme: theme)
            if gutter > 0 {
                buffer.set(x: labelRow.x + gutter - 1, y: labelRow.y, symbol: theme.glyphs.axisCorner,
                           style: theme.dimText)
            }
        }

        var canvas = DotCanvas(width: plot.width, height: plot.height, glyphs: theme.glyphs)
        let markerColumns = drawMarkerLines(xScale, canvas: canvas, plot: plot, buffer: &buffer, theme: theme)
        for (i, s) in series.enumerated() {
            draw(s, color: s.color ?? theme.seriesColor(i), x: xScale, y: yScale, canvas: &canvas)
        }
        canvas.draw(into: &buffer, at: plot, background: theme.background)
        drawMarkerLabels(markerColumns, plot: plot, buffer: &buffer, theme: theme)
        if showLegend { drawLegend(plot: plot, buffer: &buffer, theme: theme) }
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

    /// Tick labels at the top, bottom and (with 5+ rows) middle row.
    private func yTicks(_ y: AxisScale, rows: Int) -> [(row: Int, text: String)] {
        var ticks = [(0, NumberFormat.compact(y.data(y.hi))), (rows - 1, NumberFormat.compact(y.data(y.lo)))]
        if rows >= 5 {
            ticks.append(((rows - 1) / 2, NumberFormat.compact(y.data((y.lo + y.hi) / 2))))
        }
        return ticks.map { (row: $0.0, text: $0.1) }
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

    private func drawMarkerLabels(_ columns: [(column: Int, label: String)], plot: Rect, buffer: inout Buffer,
                                  theme: Theme) {
        for (column, label) in columns where !label.isEmpty {
            let room = plot.maxX - column - 1
            guard room >= 2 else { continue }
            buffer.write(Text.truncate(label, to: room, ellipsis: theme.glyphs.ellipsis), x: column + 1, y: plot.y,
                         style: theme.warningText, clip: plot)
        }
    }

    private func draw(_ s: ChartSeries, color: Color, x: AxisScale, y: AxisScale, canvas: inout DotCanvas) {
        let w = canvas.dotWidth, h = canvas.dotHeight
        switch s.shape {
        case let .line(xs, ys):
            var previous: (Int, Int)?
            for i in 0..<min(xs.count, ys.count) {
                guard let px = x.dot(xs[i], count: w), let py = y.dot(ys[i], count: h, reversed: true) else {
                    previous = nil
                    continue
                }
                if let (qx, qy) = previous {
                    canvas.line(qx, qy, px, py, color: color)
                } else {
                    canvas.set(px, py, color: color)
                }
                previous = (px, py)
            }
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

    private func drawLegend(plot: Rect, buffer: inout Buffer, theme: Theme) {
        let names = series.map(\.name)
        guard !names.isEmpty, names.contains(where: { !$0.isEmpty }), plot.height >= 3 else { return }
        let width = (names.map(\.count).max() ?? 0) + 2
        guard width <= plot.width / 2 else { return }
        for (i, s) in series.prefix(plot.height - 1).enumerated() {
            let y = plot.y + i
            let x = plot.maxX - width
            buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: theme.blank)
            buffer.set(x: x, y: y, symbol: theme.glyphs.legendSwatch,
                       style: Style(fg: s.color ?? theme.seriesColor(i), bg: theme.background))
            buffer.write(s.name, x: x + 2, y: y, style: theme.text, clip: plot)
        }
    }
}
