import TUICore

/// A piece of status text with a tone.
public struct StatusSegment: Sendable, Hashable {
    public var text: String
    public var tone: Tone
    public init(_ text: String, tone: Tone = .normal) {
        self.text = text
        self.tone = tone
    }
}

/// One row: left segments from the left edge, right segments against the right edge, separated
/// by two spaces. The left side has priority: right segments that would overlap it are dropped
/// (from the leftmost right segment on), and a left side too long for the row is truncated.
public struct StatusBar: Widget {
    public var left: [StatusSegment]
    public var right: [StatusSegment]

    public init(left: [StatusSegment], right: [StatusSegment] = []) {
        self.left = left
        self.right = right
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let row = area.splitTop(1).top
        let barStyle = theme.text.adding(.reverse)
        buffer.fill(row, with: Cell(" ", style: barStyle))
        var x = row.x
        for (i, segment) in left.enumerated() {
            let room = row.maxX - x
            guard room > 0 else { break }
            let text = (i > 0 ? "  " : "") + segment.text
            let shown = text.count > room ? Text.truncate(text, to: room, ellipsis: theme.glyphs.ellipsis) : text
            x = buffer.write(shown, x: x, y: row.y, style: segment.tone.style(in: theme).adding(.reverse), clip: row)
        }
        // Right segments: keep as many of the last ones as fit after the left text plus a gap.
        var kept: [StatusSegment] = []
        var width = 0
        for segment in right.reversed() {
            let w = segment.text.count + (kept.isEmpty ? 0 : 2)
            if x + 2 + width + w > row.maxX { break }
            kept.insert(segment, at: 0)
            width += w
        }
        var rx = row.maxX - width
        for (i, segment) in kept.enumerated() {
            rx = buffer.write((i > 0 ? "  " : "") + segment.text, x: rx, y: row.y,
                              style: segment.tone.style(in: theme).adding(.reverse), clip: row)
        }
    }
}
