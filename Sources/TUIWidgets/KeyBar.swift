import TUICore

/// One row of key hints: "q quit  space pause  ? help". Keys are in the accent colour. Hints
/// that do not fit entirely are left out (from the end), so none is ever cut in half.
public struct KeyBar: Widget {
    public var hints: [KeyHint]

    public init(_ hints: [KeyHint]) {
        self.hints = hints
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let row = area.splitTop(1).top
        var x = row.x
        for (i, hint) in hints.enumerated() {
            let gap = i > 0 ? 2 : 0
            let needed = gap + hint.key.count + 1 + hint.action.count
            guard x + needed <= row.maxX else { break }
            x += gap
            x = buffer.write(hint.key, x: x, y: row.y, style: theme.accentText, clip: row)
            x = buffer.write(" " + hint.action, x: x, y: row.y, style: theme.dimText, clip: row)
        }
    }
}
