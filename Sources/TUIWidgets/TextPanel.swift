import TUICore

/// Word-wrapped paragraphs (separated by "\n"), scrolled down by `scroll` wrapped lines.
/// Words longer than the width are split. When text continues below, the last row ends in the
/// ellipsis glyph.
public struct TextPanel: Widget {
    public var text: String
    public var tone: Tone
    /// Wrapped lines skipped at the top.
    public var scroll: Int

    public init(_ text: String, tone: Tone = .normal, scroll: Int = 0) {
        self.text = text
        self.tone = tone
        self.scroll = scroll
    }

    /// The wrapped lines for a given width.
    public func wrappedLines(width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { Text.wrap($0, width: width) }
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let lines = wrappedLines(width: area.width)
        let first = min(max(scroll, 0), lines.count)
        let shown = lines[first...].prefix(area.height)
        let style = tone.style(in: theme)
        for (i, line) in shown.enumerated() {
            buffer.write(line, x: area.x, y: area.y + i, style: style, clip: area)
        }
        if first + shown.count < lines.count {
            buffer.set(x: area.maxX - 1, y: area.maxY - 1, symbol: theme.glyphs.ellipsis, style: theme.dimText)
        }
    }
}
