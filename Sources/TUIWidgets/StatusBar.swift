import TUICore

/// A piece of status text with a tone and a priority: when the row is too short, segments
/// with the lowest priority are dropped first; segments at `StatusSegment.essential` or above
/// are never dropped (the left side is truncated instead).
public struct StatusSegment: Sendable, Hashable {
    public var text: String
    public var tone: Tone
    public var priority: Int
    /// Priority of segments that must stay (run state, speed, a notice).
    public static let essential = 100
    public init(_ text: String, tone: Tone = .normal, priority: Int = 0) {
        self.text = text
        self.tone = tone
        self.priority = priority
    }
}

/// One row: left segments from the left edge, right segments against the right edge, separated
/// by two spaces. When everything does not fit, the lowest-priority segments are dropped first
/// (on ties, right segments from the left, then left segments from the end); if the essential
/// segments alone are still too long, the right side is kept whole and the left side is
/// truncated.
public struct StatusBar: Widget {
    public var left: [StatusSegment]
    public var right: [StatusSegment]

    public init(left: [StatusSegment], right: [StatusSegment] = []) {
        self.left = left
        self.right = right
    }

    /// Width of a side's segments joined by two spaces.
    static func width(_ segments: [StatusSegment]) -> Int {
        segments.isEmpty ? 0 : segments.reduce(0) { $0 + $1.text.count } + 2 * (segments.count - 1)
    }

    /// The segments kept for a row `width` cells wide.
    func kept(width: Int) -> (left: [StatusSegment], right: [StatusSegment]) {
        var l = left, r = right
        func total() -> Int { Self.width(l) + (r.isEmpty ? 0 : 2 + Self.width(r)) }
        while total() > width {
            // The droppable segment with the lowest priority: right ones first, left ones from the end.
            var best: (side: Int, index: Int, priority: Int)?
            for (i, s) in r.enumerated() where s.priority < StatusSegment.essential {
                if best == nil || s.priority < (best?.priority ?? 0) { best = (1, i, s.priority) }
            }
            for (i, s) in l.enumerated().reversed() where s.priority < StatusSegment.essential && i > 0 {
                if best == nil || s.priority < (best?.priority ?? 0) { best = (0, i, s.priority) }
            }
            guard let b = best else { break }
            if b.side == 1 { r.remove(at: b.index) } else { l.remove(at: b.index) }
        }
        return (l, r)
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let row = area.splitTop(1).top
        let barStyle = theme.text.adding(.reverse)
        buffer.fill(row, with: Cell(" ", style: barStyle))
        var (l, r) = kept(width: row.width)
        // Essential right segments that cannot fit at all are dropped from the left.
        while Self.width(r) > row.width, !r.isEmpty { r.removeFirst() }
        let rightWidth = Self.width(r)
        let leftRoom = r.isEmpty ? row.width : row.width - rightWidth - 2
        var x = row.x
        let leftEnd = row.x + max(0, leftRoom)
        for (i, segment) in l.enumerated() {
            let room = leftEnd - x
            guard room > 0 else { break }
            let text = (i > 0 ? "  " : "") + segment.text
            let shown = text.count > room ? Text.truncate(text, to: room, ellipsis: theme.glyphs.ellipsis) : text
            x = buffer.write(shown, x: x, y: row.y, style: segment.tone.style(in: theme).adding(.reverse), clip: row)
        }
        var rx = row.maxX - rightWidth
        for (i, segment) in r.enumerated() {
            rx = buffer.write((i > 0 ? "  " : "") + segment.text, x: rx, y: row.y,
                              style: segment.tone.style(in: theme).adding(.reverse), clip: row)
        }
    }
}
