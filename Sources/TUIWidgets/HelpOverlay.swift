import TUICore

/// A centred bordered box listing keys and what they do, drawn over whatever is beneath it.
/// The box is as small as its content allows; when the area cannot hold every entry, the list is
/// cut and the last row says how many were left out.
public struct HelpOverlay: Widget {
    public var title: String
    public var hints: [KeyHint]

    public init(title: String = "Keys", hints: [KeyHint]) {
        self.title = title
        self.hints = hints
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
        let fits = hints.count <= inner.height
        let shownCount = fits ? hints.count : max(inner.height - 1, 0)
        for (i, hint) in hints.prefix(shownCount).enumerated() {
            let y = inner.y + i
            buffer.write(hint.key, x: inner.x, y: y, style: theme.accentText, clip: inner)
            buffer.write(hint.action, x: inner.x + keyWidth + 2, y: y, style: theme.text, clip: inner)
        }
        if !fits {
            let more = "+\(hints.count - shownCount) more"
            buffer.write(Text.truncate(more, to: inner.width, ellipsis: theme.glyphs.ellipsis), x: inner.x,
                         y: inner.y + shownCount, style: theme.dimText, clip: inner)
        }
    }
}
