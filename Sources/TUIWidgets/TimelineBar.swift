import TUICore

/// A scrub bar over the steps a run can go back to: `800 ━━━━━━●────── 2,000`, from the oldest
/// step the rewind history keeps to the furthest step reached, with the current step as a knob
/// (the part already re-simulated is heavy, the part ahead light) and forks as ticks.
///
/// `column(of:)` and `step(atColumn:)` map between steps and screen columns the same way the
/// bar is drawn, so a click can go to the step under the pointer.
public struct TimelineBar: Widget {
    public var oldest: Int
    public var frontier: Int
    public var step: Int
    /// Steps marked on the bar (forks of the history).
    public var marks: [Int]

    public init(oldest: Int, frontier: Int, step: Int, marks: [Int] = []) {
        self.oldest = min(oldest, step)
        self.frontier = max(frontier, step)
        self.step = step
        self.marks = marks
    }

    /// Where the bar itself is drawn inside `area` (between the two step labels); empty when
    /// the area is too narrow for a useful bar.
    public func barArea(in area: Rect) -> Rect {
        let left = String(oldest).count + 1
        let right = String(frontier).count + 1
        guard area.width - left - right >= 4, area.height >= 1 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        return Rect(x: area.x + left, y: area.y, width: area.width - left - right, height: 1)
    }

    /// The bar column (0-based, within `barArea`) of `s`.
    public func column(of s: Int, width: Int) -> Int {
        guard width > 1, frontier > oldest else { return 0 }
        let f = Double(min(max(s, oldest), frontier) - oldest) / Double(frontier - oldest)
        return Int((f * Double(width - 1)).rounded())
    }

    /// The step a bar column stands for (the inverse of `column(of:width:)` at the columns'
    /// centres).
    public func step(atColumn c: Int, width: Int) -> Int {
        guard width > 1, frontier > oldest else { return oldest }
        let f = Double(min(max(c, 0), width - 1)) / Double(width - 1)
        return oldest + Int((f * Double(frontier - oldest)).rounded())
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: theme.blank)
        let y = area.y
        let bar = barArea(in: area)
        guard !bar.isEmpty else {
            let text = Text.truncate("step " + String(step), to: area.width, ellipsis: theme.glyphs.ellipsis)
            buffer.write(text, x: area.x, y: y, style: theme.text, clip: area)
            return
        }
        let unicode = theme.glyphs.usesBraille
        buffer.write(String(oldest), x: area.x, y: y, style: theme.dimText, clip: area)
        let rightLabel = String(frontier)
        buffer.write(rightLabel, x: area.maxX - rightLabel.count, y: y, style: theme.dimText, clip: area)
        let knob = column(of: step, width: bar.width)
        for c in 0..<bar.width {
            let behind = c < knob
            buffer.set(x: bar.x + c, y: y, symbol: behind ? (unicode ? "━" : "=") : (unicode ? "─" : "-"),
                       style: behind ? theme.accentText : theme.dimText)
        }
        for m in marks where m >= oldest && m <= frontier {
            buffer.set(x: bar.x + column(of: m, width: bar.width), y: y, symbol: unicode ? "┃" : "|", style: theme.warningText)
        }
        buffer.set(x: bar.x + knob, y: y, symbol: unicode ? "●" : "O", style: theme.accentText)
    }
}
