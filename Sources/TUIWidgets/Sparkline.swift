import TUICore

/// A one-row-or-taller sparkline: the most recent values, one per column, as bars with eighth-cell
/// resolution. When there are more values than columns, the last `width` are shown.
public struct Sparkline: Widget {
    public var values: [Double]
    /// `.auto` scales from 0 (or the minimum, if negative) to the maximum.
    public var range: AxisRange
    public var color: Color?
    /// With `.auto`: scale from the smallest value shown instead of from 0, so a series that
    /// moves little around a large value shows its movement; a (nearly) constant series is then
    /// a flat line one eighth high, not a wall of full blocks.
    public var fromMinimum: Bool

    public init(values: [Double], range: AxisRange = .auto, color: Color? = nil, fromMinimum: Bool = false) {
        self.values = values
        self.range = range
        self.color = color
        self.fromMinimum = fromMinimum
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let shown = values.suffix(area.width)
        let (lo, hi) = resolvedRange(shown)
        let style = Style(fg: color ?? theme.accent, bg: theme.background)
        let start = area.maxX - shown.count
        let relative = fromMinimum && range == .auto
        let flat = relative && hi - lo <= 1e-9 * max(abs(hi), abs(lo), 1e-300)
        for (i, v) in shown.enumerated() where v.isFinite {
            let fraction = flat ? 0 : hi > lo ? (v - lo) / (hi - lo) : (v > 0 ? 1 : 0)
            let column = Rect(x: start + i, y: area.y, width: 1, height: area.height)
            // A visible floor: any positive value gets at least one eighth (relative: every value).
            let e = max(Bars.eighths(fraction, cells: area.height), fraction > 0 || relative ? 1 : 0)
            Bars.vertical(e, in: column, style: style, buffer: &buffer, glyphs: theme.glyphs)
        }
    }

    func resolvedRange(_ shown: ArraySlice<Double>) -> (Double, Double) {
        if case let .fixed(lo, hi) = range { return (lo, hi) }
        let finite = shown.filter(\.isFinite)
        if fromMinimum { return (finite.min() ?? 0, finite.max() ?? 0) }
        return (min(0, finite.min() ?? 0), finite.max() ?? 0)
    }
}
