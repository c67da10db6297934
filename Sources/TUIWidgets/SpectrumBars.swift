import SynCore
import Foundation
import TUICore

/// Eigenvalues sorted from largest to smallest as bars on a log10 axis, with readouts
/// ("name: value") in a column at the right.
///
/// The axis spans `decades` powers of ten below the largest eigenvalue (by default one more than
/// the whole decades the positive eigenvalues cover, at most 6, so the smallest still shows). Bar length is `(log10 v - floor) / decades`;
/// zero, negative and non-finite eigenvalues get no bar. Vertical bars are one column each (up
/// to 3 wide when there are few), largest at the left; horizontal bars are one row each, largest
/// at the top. When there are more eigenvalues than bars fit, the largest are shown.
public struct SpectrumBars: Widget {
    /// Bars grow upwards from the bottom (`vertical`) or rightwards from the left (`horizontal`).
    public enum Orientation: Sendable, Hashable { case vertical, horizontal }

    public var eigenvalues: [Double]
    public var readouts: [Readout]
    public var orientation: Orientation
    /// Decades shown below the largest value; automatic when nil.
    public var decades: Int?

    public init(eigenvalues: [Double], readouts: [Readout] = [], orientation: Orientation = .vertical,
                decades: Int? = nil) {
        self.eigenvalues = eigenvalues
        self.readouts = readouts
        self.orientation = orientation
        self.decades = decades
    }

    /// The log10 axis: (top, floor) in log10 units, or nil if there is no positive eigenvalue.
    func axis() -> (top: Double, floor: Double)? {
        let positive = eigenvalues.filter { $0 > 0 && $0.isFinite }
        guard let largest = positive.max(), let smallest = positive.min() else { return nil }
        let top = log10(largest)
        let span = decades.map { max($0, 1) } ?? min(Int((top - log10(smallest)).rounded(.down)) + 1, 6)
        return (top, top - Double(span))
    }

    /// Bar length in [0, 1] for eigenvalue `v`.
    func fraction(_ v: Double) -> Double {
        guard v > 0, v.isFinite, let (top, floor) = axis() else { return 0 }
        return min(max((log10(v) - floor) / (top - floor), 0), 1)
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= 6, area.height >= 2 else {
            Placeholder.draw(in: area, buffer: &buffer, theme: theme)
            return
        }
        buffer.fill(area, with: theme.blank)
        // Readouts on the right when there is room for them and 8 columns of bars.
        let readoutWidth = (readouts.map(\.text.count).max() ?? 0) + 1
        var chart = area
        if !readouts.isEmpty && area.width - readoutWidth >= 8 {
            let (left, right) = area.splitRight(readoutWidth)
            chart = left
            drawReadouts(in: right.splitLeft(1).rest, buffer: &buffer, theme: theme)
        }
        let sorted = eigenvalues.sorted(by: >)
        guard let (top, floor) = axis() else {
            Text.centered("no values > 0", in: chart, y: chart.y + (chart.height - 1) / 2,
                          style: theme.dimText, buffer: &buffer, theme: theme)
            return
        }
        switch orientation {
        case .vertical: drawVertical(sorted, top: top, floor: floor, in: chart, buffer: &buffer, theme: theme)
        case .horizontal: drawHorizontal(sorted, in: chart, buffer: &buffer, theme: theme)
        }
    }

    private func drawReadouts(in area: Rect, buffer: inout Buffer, theme: Theme) {
        for (i, r) in readouts.prefix(area.height).enumerated() {
            let y = area.y + i
            let x = buffer.write(r.name + ": ", x: area.x, y: y, style: theme.dimText, clip: area)
            buffer.write(r.value, x: x, y: y, style: theme.text.adding(.bold), clip: area)
        }
    }

    private func barStyle(_ f: Double, theme: Theme) -> Style {
        Style(fg: theme.sequential.color(at: 0.35 + 0.65 * f), bg: theme.background)
    }

    /// Bars with the top and floor powers of ten labelled in a left gutter.
    private func drawVertical(_ sorted: [Double], top: Double, floor: Double, in area: Rect, buffer: inout Buffer,
                              theme: Theme) {
        let topText = NumberFormat.compact(pow(10, top)), floorText = NumberFormat.compact(pow(10, floor))
        let labelWidth = max(topText.count, floorText.count)
        var plot = area
        if area.width - labelWidth - 1 >= 4 {
            let (gutter, rest) = area.splitLeft(labelWidth + 1)
            plot = rest
            let labels = gutter.splitRight(1).rest
            Text.rightAligned(topText, maxX: labels.maxX, y: labels.y, style: theme.dimText, clip: labels,
                              buffer: &buffer)
            Text.rightAligned(floorText, maxX: labels.maxX, y: labels.maxY - 1, style: theme.dimText, clip: labels,
                              buffer: &buffer)
            for y in gutter.y..<gutter.maxY {
                let labelled = y == gutter.y || y == gutter.maxY - 1
                buffer.set(x: gutter.maxX - 1, y: y, symbol: labelled ? theme.glyphs.axisTick : theme.glyphs.axisVertical,
                           style: theme.dimText)
            }
        }
        let barWidth = min(max(plot.width / max(sorted.count, 1), 1), 3)
        let count = min(sorted.count, plot.width / barWidth)
        for (i, v) in sorted.prefix(count).enumerated() {
            let f = fraction(v)
            let e = Bars.eighths(f, cells: plot.height)
            guard e > 0 else { continue }
            Bars.vertical(e, in: Rect(x: plot.x + i * barWidth, y: plot.y, width: barWidth, height: plot.height),
                          style: barStyle(f, theme: theme), buffer: &buffer, glyphs: theme.glyphs)
        }
    }

    /// One row per eigenvalue: its value in a left gutter, then the bar.
    private func drawHorizontal(_ sorted: [Double], in area: Rect, buffer: inout Buffer, theme: Theme) {
        let shown = sorted.prefix(area.height)
        let texts = shown.map(NumberFormat.compact)
        let labelWidth = min(texts.map(\.count).max() ?? 0, 7)
        let (labels, bars) = area.width - labelWidth - 1 >= 4 ? area.splitLeft(labelWidth + 1) : (Rect.zero, area)
        for (i, v) in shown.enumerated() {
            let y = area.y + i
            if !labels.isEmpty {
                Text.rightAligned(texts[i], maxX: labels.maxX - 1, y: y, style: theme.dimText, clip: labels,
                                  buffer: &buffer)
            }
            let f = fraction(v)
            Bars.horizontal(Bars.eighths(f, cells: bars.width), in: Rect(x: bars.x, y: y, width: bars.width, height: 1),
                            style: barStyle(f, theme: theme), buffer: &buffer, glyphs: theme.glyphs)
        }
    }
}
