import TUICore

/// The message shown instead of the dashboard when the terminal is too small: the needed and
/// the current size, centred and wrapped, shortened as far as "80x24" when space is short.
public struct TooSmall: Widget {
    public var neededWidth: Int
    public var neededHeight: Int

    public init(neededWidth: Int, neededHeight: Int) {
        self.neededWidth = neededWidth
        self.neededHeight = neededHeight
    }

    /// The longest of the messages that fits an area of `width x height` when word-wrapped,
    /// from "Terminal too small: need 80x24, have 40x10" down to just "80x24".
    public func message(width: Int, height: Int) -> [String] {
        let need = "\(neededWidth)x\(neededHeight)"
        let candidates = ["Terminal too small: need \(need), have \(width)x\(height)", "Too small: need \(need)",
                          "need \(need)", need]
        for text in candidates {
            let lines = Text.wrap(Substring(text), width: width)
            let wordsWhole = text.split(separator: " ").allSatisfy { $0.count <= width }
            if lines.count <= height && wordsWhole { return lines }
        }
        return Text.wrap(Substring(need), width: width)
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let shown = message(width: area.width, height: area.height).prefix(area.height)
        let top = area.y + (area.height - shown.count) / 2
        for (i, line) in shown.enumerated() {
            Text.centered(line, in: area, y: top + i, style: theme.warningText, buffer: &buffer, theme: theme)
        }
    }
}
