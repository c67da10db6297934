import SynCore
import TUICore

/// Vertical bars of bin counts over [lower, upper], with the range under the bars and the label
/// and tallest count above them.
///
/// Bins are mapped to columns evenly: with more bins than columns, column c sums bins
/// `c*n/w ..< (c+1)*n/w`; with fewer, each bin spans several columns (column c shows bin `c*n/w`).
/// Bar heights are linear in counts, from 0 to the tallest column.
public struct Histogram: Widget {
    public var counts: [Int]
    public var lower: Double
    public var upper: Double
    public var label: String
    public var color: Color?

    public init(counts: [Int], lower: Double, upper: Double, label: String = "", color: Color? = nil) {
        self.counts = counts
        self.lower = lower
        self.upper = upper
        self.label = label
        self.color = color
    }

    /// Smallest area that shows bars with both axis rows.
    public static let minimumSize = (width: 8, height: 3)

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= Self.minimumSize.width, area.height >= Self.minimumSize.height, !counts.isEmpty else {
            Placeholder.draw(in: area, buffer: &buffer, theme: theme)
            return
        }
        buffer.fill(area, with: theme.blank)
        let (top, rest) = area.splitTop(1)
        let (plot, axis) = rest.splitBottom(1)
        let columns = columnCounts(width: plot.width)
        let tallest = columns.max() ?? 0

        buffer.write(Text.truncate(label, to: top.width, ellipsis: theme.glyphs.ellipsis), x: top.x, y: top.y,
                     style: theme.text, clip: top)
        let peak = "max \(tallest)"
        if label.count + peak.count + 1 <= top.width {
            Text.rightAligned(peak, maxX: top.maxX, y: top.y, style: theme.dimText, clip: top, buffer: &buffer)
        }
        let lo = NumberFormat.compact(lower), hi = NumberFormat.compact(upper)
        buffer.write(lo, x: axis.x, y: axis.y, style: theme.dimText, clip: axis)
        if lo.count + hi.count + 1 <= axis.width {
            Text.rightAligned(hi, maxX: axis.maxX, y: axis.y, style: theme.dimText, clip: axis, buffer: &buffer)
        }

        guard tallest > 0 else { return }
        let style = Style(fg: color ?? theme.seriesColor(0), bg: theme.background)
        for (c, count) in columns.enumerated() where count > 0 {
            let e = max(Bars.eighths(Double(count) / Double(tallest), cells: plot.height), 1)
            Bars.vertical(e, in: Rect(x: plot.x + c, y: plot.y, width: 1, height: plot.height), style: style,
                          buffer: &buffer, glyphs: theme.glyphs)
        }
    }

    /// Counts per column (see the type's doc for the mapping).
    func columnCounts(width: Int) -> [Int] {
        let n = counts.count
        guard width > 0, n > 0 else { return [] }
        if n >= width {
            return (0..<width).map { c in
                counts[(c * n / width)..<((c + 1) * n / width)].reduce(0, +)
            }
        }
        return (0..<width).map { c in counts[c * n / width] }
    }
}
