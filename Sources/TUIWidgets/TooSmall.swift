import TUICore

/// The message shown instead of the dashboard when the terminal is too small: the needed and
/// the current size, centred and wrapped to fit.
public struct TooSmall: Widget {
    public var neededWidth: Int
    public var neededHeight: Int

    public init(neededWidth: Int, neededHeight: Int) {
        self.neededWidth = neededWidth
        self.neededHeight = neededHeight
    }

    /// The message for an area of `width x height`.
    public func message(width: Int, height: Int) -> String {
        "Terminal too small: need \(neededWidth)x\(neededHeight), have \(width)x\(height)"
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let lines = Text.wrap(Substring(message(width: area.width, height: area.height)), width: area.width)
        let shown = lines.prefix(area.height)
        let top = area.y + (area.height - shown.count) / 2
        for (i, line) in shown.enumerated() {
            Text.centered(line, in: area, y: top + i, style: theme.warningText, buffer: &buffer, theme: theme)
        }
    }
}
