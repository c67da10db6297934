import TUICore

/// What a widget draws when its area is too small to show anything useful: a dim ellipsis in
/// the centre (nothing for an empty area).
enum Placeholder {
    static func draw(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        buffer.set(x: area.x + (area.width - 1) / 2, y: area.y + (area.height - 1) / 2,
                   symbol: theme.glyphs.ellipsis, style: theme.dimText)
    }
}
