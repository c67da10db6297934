import SynCore
import TUICore

/// A named range of neurons drawn in its own colour (e.g. "E" 0..<3200, "I" 3200..<4000).
public struct RasterGroup: Sendable, Hashable {
    public var name: String
    public var range: Range<Int>
    /// The theme's group colour for this index when nil.
    public var color: Color?
    public init(name: String, range: Range<Int>, color: Color? = nil) {
        self.name = name
        self.range = range
        self.color = color
    }
}

/// A spike raster in braille: time runs left to right over the window `from..<to` (steps),
/// neuron 0 is at the top. Under it, a one-row population-rate strip in Hz.
///
/// Mapping, with W dot columns, R dot rows, N neurons and window length L = to - from:
/// - a spike at step s goes to dot column `(s - from) * W / L` (integer division), so a scrolling
///   window moves spikes smoothly left;
/// - neuron n goes to dot row `r = ceil(n * R / N)` and is shown only if `r * N / R == n`
///   (integer division). With N <= R every neuron is shown (spread evenly); with N > R this
///   selects the deterministic, evenly spaced subset {floor(r * N / R) : r in 0..<R}, one
///   neuron per dot row, the same every frame.
/// The rate strip counts all spikes (not just the shown subset): column c holds
/// spikes / (N * steps in column * dt) in Hz, scaled from 0 to the window's peak; a window with
/// fewer steps than columns spreads each step's rate over its columns. With 24+ columns a left
/// gutter shows group names and the window's mean rate.
public struct Raster: Widget {
    public var neuronCount: Int
    public var from: Int
    public var to: Int
    /// Seconds per step, for the rate in Hz.
    public var dt: Double
    /// Spike k is neuron `neurons[k]` at step `steps[k]`; spikes outside the window are ignored.
    public var steps: [Int32]
    public var neurons: [Int32]
    public var groups: [RasterGroup]
    public var showRate: Bool

    public init(neuronCount: Int, from: Int, to: Int, dt: Double, steps: [Int32], neurons: [Int32],
                groups: [RasterGroup] = [], showRate: Bool = true) {
        self.neuronCount = neuronCount
        self.from = from
        self.to = to
        self.dt = dt
        self.steps = steps
        self.neurons = neurons
        self.groups = groups
        self.showRate = showRate
    }

    public static let minimumSize = (width: 2, height: 1)

    /// The dot row of neuron `n` among `rows` rows, or nil if `n` is not in the shown subset.
    public static func dotRow(neuron n: Int, neuronCount: Int, rows: Int) -> Int? {
        guard n >= 0, n < neuronCount, rows > 0 else { return nil }
        let r = (n * rows + neuronCount - 1) / neuronCount
        return r < rows && r * neuronCount / rows == n ? r : nil
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= Self.minimumSize.width, area.height >= Self.minimumSize.height, neuronCount > 0,
              to > from else {
            Placeholder.draw(in: area, buffer: &buffer, theme: theme)
            return
        }
        buffer.fill(area, with: theme.blank)
        let (dotsArea, rateRow) = showRate && area.height >= 3 ? area.splitBottom(1) : (area, Rect.zero)
        let gutter = area.width >= 24 ? 7 : 0
        let plot = dotsArea.splitLeft(gutter).rest

        var canvas = DotCanvas(width: plot.width, height: plot.height, glyphs: theme.glyphs)
        let length = to - from, w = canvas.dotWidth, rows = canvas.dotHeight
        // Spike counts per rate bin: per strip column, or per step when there are fewer steps.
        let bins = min(length, plot.width)
        var rateCounts = [Int](repeating: 0, count: bins)
        for k in 0..<min(steps.count, neurons.count) {
            let s = Int(steps[k]), n = Int(neurons[k])
            guard s >= from, s < to, n >= 0, n < neuronCount else { continue }
            rateCounts[(s - from) * bins / length] += 1
            guard let row = Raster.dotRow(neuron: n, neuronCount: neuronCount, rows: rows) else { continue }
            canvas.set((s - from) * w / length, row, color: color(ofNeuron: n, theme: theme))
        }
        canvas.draw(into: &buffer, at: plot, background: theme.background)
        if gutter > 0 { drawGroupLabels(plot: plot, gutter: gutter, canvas: canvas, buffer: &buffer, theme: theme) }
        if !rateRow.isEmpty {
            drawRate(rateCounts, row: rateRow, gutter: gutter, buffer: &buffer, theme: theme)
        }
    }

    private func color(ofNeuron n: Int, theme: Theme) -> Color {
        for (i, g) in groups.enumerated() where g.range.contains(n) {
            return g.color ?? theme.groupColor(i)
        }
        return groups.isEmpty ? theme.groupColor(0) : theme.foreground
    }

    /// The rate in Hz under each of `width` strip columns, from spike counts per bin (one bin
    /// per strip column, or per step when the window has fewer steps than columns; then column
    /// c shows step `c * steps / width`).
    func columnRates(_ counts: [Int], width: Int) -> [Double] {
        let length = to - from, bins = counts.count
        guard bins > 0, width > 0, length > 0, dt > 0 else { return [] }
        let binRates: [Double] = counts.enumerated().map { b, count in
            // Steps s with (s - from) * bins / length == b: ceil((b+1)L/B) - ceil(bL/B).
            let stepsInBin = ((b + 1) * length + bins - 1) / bins - (b * length + bins - 1) / bins
            return stepsInBin > 0 ? Double(count) / (Double(neuronCount) * Double(stepsInBin) * dt) : 0
        }
        return bins == width ? binRates : (0..<width).map { c in binRates[c * bins / width] }
    }

    /// Each group's name in the gutter, on the cell row of its middle neuron.
    private func drawGroupLabels(plot: Rect, gutter: Int, canvas: DotCanvas, buffer: inout Buffer, theme: Theme) {
        let rows = canvas.dotHeight
        let labels = Rect(x: plot.x - gutter, y: plot.y, width: gutter - 1, height: plot.height)
        for (i, g) in groups.enumerated() where !g.range.isEmpty {
            let mid = min(max((g.range.lowerBound + g.range.upperBound - 1) / 2, 0), neuronCount - 1)
            let dotRow = min((mid * rows + neuronCount - 1) / neuronCount, rows - 1)
            let y = plot.y + dotRow / canvas.dotsPerCellY
            let style = Style(fg: g.color ?? theme.groupColor(i), bg: theme.background)
            buffer.write(Text.truncate(g.name, to: labels.width, ellipsis: theme.glyphs.ellipsis), x: labels.x, y: y,
                         style: style, clip: labels)
        }
    }

    private func drawRate(_ counts: [Int], row: Rect, gutter: Int, buffer: inout Buffer, theme: Theme) {
        let strip = row.splitLeft(gutter).rest
        let rates = columnRates(counts, width: strip.width)
        Sparkline(values: rates, color: theme.accent).render(in: strip, buffer: &buffer, theme: theme)
        if gutter > 0 {
            let total = counts.reduce(0, +)
            let length = to - from
            let mean = dt > 0 ? Double(total) / (Double(neuronCount) * Double(length) * dt) : 0
            let label = Rect(x: row.x, y: row.y, width: gutter - 1, height: 1)
            let text = Text.truncate(NumberFormat.compact(mean) + "Hz", to: label.width, ellipsis: theme.glyphs.ellipsis)
            Text.rightAligned(text, maxX: label.maxX, y: row.y, style: theme.dimText, clip: label, buffer: &buffer)
        }
    }
}
