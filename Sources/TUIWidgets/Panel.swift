import TUICore

/// A bordered box with a title, wrapping a content widget. The focused panel draws its border
/// with the theme's focused glyphs in the accent colour.
///
/// Areas narrower or shorter than 2 cells have no room for a border: the content gets the whole
/// area.
public struct Panel: Widget {
    public var title: String
    /// Short right-aligned text in the top border (e.g. "step 1200").
    public var trailing: String
    public var focused: Bool
    public var content: (any Widget)?

    public init(title: String = "", trailing: String = "", focused: Bool = false, content: (any Widget)? = nil) {
        self.title = title
        self.trailing = trailing
        self.focused = focused
        self.content = content
    }

    /// The area left for content inside a panel drawn in `area`.
    public static func innerArea(of area: Rect) -> Rect {
        area.width >= 2 && area.height >= 2 ? area.inset(by: 1) : area
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        if area.width >= 2 && area.height >= 2 {
            drawBorder(area, buffer: &buffer, theme: theme)
        }
        content?.render(in: Panel.innerArea(of: area), buffer: &buffer, theme: theme)
    }

    private func drawBorder(_ area: Rect, buffer: inout Buffer, theme: Theme) {
        let g = focused ? theme.focusedBorderGlyphs : theme.borderGlyphs
        let style = Style(fg: focused ? theme.accent : theme.border, bg: theme.background)
        let right = area.maxX - 1, bottom = area.maxY - 1
        for x in area.x + 1..<right {
            buffer.set(x: x, y: area.y, symbol: g.horizontal, style: style)
            buffer.set(x: x, y: bottom, symbol: g.horizontal, style: style)
        }
        for y in area.y + 1..<bottom {
            buffer.set(x: area.x, y: y, symbol: g.vertical, style: style)
            buffer.set(x: right, y: y, symbol: g.vertical, style: style)
        }
        buffer.set(x: area.x, y: area.y, symbol: g.topLeft, style: style)
        buffer.set(x: right, y: area.y, symbol: g.topRight, style: style)
        buffer.set(x: area.x, y: bottom, symbol: g.bottomLeft, style: style)
        buffer.set(x: right, y: bottom, symbol: g.bottomRight, style: style)

        // Title from the left (" title "), trailing text from the right, title wins on overlap.
        let titleRoom = area.inset(dx: 1, dy: 0).splitTop(1).top
        var titleEnd = titleRoom.x
        if !title.isEmpty && titleRoom.width >= 3 {
            let text = " " + Text.truncate(title, to: titleRoom.width - 2, ellipsis: theme.glyphs.ellipsis) + " "
            let titleStyle = focused ? theme.accentText : theme.text.adding(.bold)
            titleEnd = buffer.write(text, x: titleRoom.x, y: titleRoom.y, style: titleStyle, clip: titleRoom)
        }
        let trailingRoom = titleRoom.maxX - titleEnd - 1
        if !trailing.isEmpty && trailingRoom >= 4 {
            let text = " " + Text.truncate(trailing, to: trailingRoom - 2, ellipsis: theme.glyphs.ellipsis) + " "
            Text.rightAligned(text, maxX: titleRoom.maxX, y: titleRoom.y, style: theme.dimText, clip: titleRoom,
                              buffer: &buffer)
        }
    }
}
