import TUICore

/// A one-line meter: "label ████▌····· 45%". The bar fills with eighth-cell resolution.
public struct Gauge: Widget {
    public var label: String
    /// Filled fraction, clamped to [0, 1].
    public var fraction: Double
    /// Text after the bar; a percentage of `fraction` when nil.
    public var valueText: String?
    public var color: Color?

    public init(label: String, fraction: Double, valueText: String? = nil, color: Color? = nil) {
        self.label = label
        self.fraction = fraction
        self.valueText = valueText
        self.color = color
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let value = valueText ?? "\(Int((clamped * 100).rounded()))%"
        let y = area.y + (area.height - 1) / 2
        var row = Rect(x: area.x, y: y, width: area.width, height: 1)
        // Labels first; the bar takes what is left (at least 3 cells, else labels only).
        let labelText = label.isEmpty ? "" : label + " "
        if row.width - labelText.count - value.count - 1 >= 3 {
            buffer.write(labelText, x: row.x, y: y, style: theme.text, clip: row)
            row = row.splitLeft(labelText.count).rest
            Text.rightAligned(value, maxX: row.maxX, y: y, style: theme.text, clip: row, buffer: &buffer)
            row = row.splitRight(value.count + 1).rest
            for x in row.x..<row.maxX {
                buffer.set(x: x, y: y, symbol: theme.glyphs.gaugeEmpty, style: theme.dimText)
            }
            Bars.horizontal(Bars.eighths(clamped, cells: row.width), in: row,
                            style: Style(fg: color ?? theme.accent, bg: theme.background),
                            buffer: &buffer, glyphs: theme.glyphs)
        } else {
            let text = Text.truncate(labelText + value, to: row.width, ellipsis: theme.glyphs.ellipsis)
            buffer.write(text, x: row.x, y: y, style: theme.text, clip: row)
        }
    }
}
