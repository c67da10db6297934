import TUICore

/// Word-wrapped paragraphs, each in its own tone, scrolled down by `scroll` wrapped lines.
///
/// A paragraph's leading spaces indent every line it wraps to; words longer than a line are
/// split. When text continues below the area, its last cell shows the ellipsis glyph.
public struct TextPanel: Widget {
    /// One paragraph (no line breaks inside) and its tone.
    public struct Paragraph: Sendable, Hashable {
        public var text: String
        public var tone: Tone
        public init(_ text: String, tone: Tone = .normal) {
            self.text = text
            self.tone = tone
        }
    }

    public var paragraphs: [Paragraph]
    /// Wrapped lines skipped at the top.
    public var scroll: Int

    /// `text` split into paragraphs at "\n", all in `tone`.
    public init(_ text: String, tone: Tone = .normal, scroll: Int = 0) {
        paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false).map { Paragraph(String($0), tone: tone) }
        self.scroll = scroll
    }

    public init(paragraphs: [Paragraph], scroll: Int = 0) {
        self.paragraphs = paragraphs
        self.scroll = scroll
    }

    /// The wrapped lines for a given width.
    public func wrappedLines(width: Int) -> [String] {
        styledLines(width: width).map(\.text)
    }

    func styledLines(width: Int) -> [(text: String, tone: Tone)] {
        guard width > 0 else { return [] }
        var lines: [(text: String, tone: Tone)] = []
        for p in paragraphs {
            let indent = min(p.text.prefix { $0 == " " }.count, width - 1)
            let pad = String(repeating: " ", count: indent)
            for line in Text.wrap(p.text.dropFirst(indent), width: width - indent) {
                lines.append((pad + line, p.tone))
            }
        }
        return lines
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let lines = styledLines(width: area.width)
        let first = min(max(scroll, 0), lines.count)
        let shown = lines[first...].prefix(area.height)
        for (i, line) in shown.enumerated() {
            buffer.write(line.text, x: area.x, y: area.y + i, style: line.tone.style(in: theme), clip: area)
        }
        if first + shown.count < lines.count {
            buffer.set(x: area.maxX - 1, y: area.maxY - 1, symbol: theme.glyphs.ellipsis, style: theme.dimText)
        }
    }
}
