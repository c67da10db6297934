import TUICore

/// A centred bordered box listing keys and what they do, drawn over whatever is beneath it.
/// The box is as small as its content allows; when the area cannot hold every entry, the list
/// scrolls (`scroll` lines down, clamped) and the borders say there is more above or below.
/// An entry with an empty key is a heading.
public struct HelpOverlay: Widget {
    public var title: String
    public var hints: [KeyHint]
    public var scroll: Int

    public init(title: String = "Keys", hints: [KeyHint], scroll: Int = 0) {
        self.title = title
        self.hints = hints
        self.scroll = scroll
    }

    /// Rows visible in `area` (the box's inner height).
    public static func visibleRows(hintCount: Int, in area: Rect) -> Int {
        max(0, min(hintCount + 2, area.height) - 2)
    }

    /// The largest useful `scroll` for `hintCount` entries in `area`.
    public static func scrollLimit(hintCount: Int, in area: Rect) -> Int {
        max(0, hintCount - visibleRows(hintCount: hintCount, in: area))
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= 8, area.height >= 3 else {
            Placeholder.draw(in: area, buffer: &buffer, theme: theme)
            return
        }
        let keyWidth = hints.map(\.key.count).max() ?? 0
        let actionWidth = hints.map(\.action.count).max() ?? 0
        let contentWidth = max(keyWidth + 2 + actionWidth, title.count + 2)
        let box = area.centered(width: contentWidth + 4, height: hints.count + 2)
        Panel(title: title, focused: true).render(in: box, buffer: &buffer, theme: theme)
        let inner = Panel.innerArea(of: box).inset(dx: 1, dy: 0)
        guard !inner.isEmpty else { return }
        let visible = inner.height
        let first = min(max(0, scroll), max(0, hints.count - visible))
        for (i, hint) in hints.dropFirst(first).prefix(visible).enumerated() {
            let y = inner.y + i
            if hint.key.isEmpty {
                buffer.write(hint.action, x: inner.x, y: y, style: theme.accentText, clip: inner)
                continue
            }
            buffer.write(hint.key, x: inner.x, y: y, style: theme.accentText, clip: inner)
            buffer.write(hint.action, x: inner.x + keyWidth + 2, y: y, style: theme.text, clip: inner)
        }
        let below = hints.count - first - visible
        // Border notes, shortened to fit the box: "3 more (down)", "+3".
        func note(_ long: String, _ short: String, y: Int) {
            let text = long.count + 4 <= box.width ? long : short
            guard text.count + 4 <= box.width else { return }
            buffer.write(text, x: box.maxX - 2 - text.count, y: y, style: theme.dimText, clip: box)
        }
        if first > 0 { note(" \(first) more (up) ", " -\(first) ", y: box.y) }
        if below > 0 { note(" \(below) more (down) ", " +\(below) ", y: box.maxY - 1) }
    }
}
