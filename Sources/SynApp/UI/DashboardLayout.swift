import TUICore
import SynScenes
import TerminalBackend
import TUIWidgets

/// Where everything goes on screen: a status bar on top, a key bar at the bottom and the
/// scene's panels in between, in the rows the scene declares (`[[panel]] row`), each row split
/// left to right by the panels' weights. A zoomed panel gets the whole body.
public struct DashboardLayout: Sendable, Equatable {
    /// Smallest terminal the dashboard draws in; below it a centred message names this size.
    public static let minimumSize = TerminalSize(width: 60, height: 16)

    public var screen: Rect
    public var statusBar: Rect
    public var keyBar: Rect
    public var body: Rect
    /// One rect per panel (same order as the scene's panels); empty for panels hidden by zoom.
    public var panels: [Rect]
    /// False when the terminal is smaller than `minimumSize`.
    public var fits: Bool

    public init(panels specs: [PanelSpec], size: TerminalSize, zoomed: Int? = nil) {
        screen = Rect(width: size.width, height: size.height)
        fits = size.width >= Self.minimumSize.width && size.height >= Self.minimumSize.height
        guard fits else {
            statusBar = .zero
            keyBar = .zero
            body = .zero
            panels = specs.map { _ in .zero }
            return
        }
        let (top, rest) = screen.splitTop(1)
        let (middle, bottom) = rest.splitBottom(1)
        statusBar = top
        keyBar = bottom
        body = middle
        panels = Self.place(specs, in: middle, zoomed: zoomed)
    }

    static func place(_ specs: [PanelSpec], in body: Rect, zoomed: Int?) -> [Rect] {
        var out = [Rect](repeating: .zero, count: specs.count)
        if let z = zoomed, specs.indices.contains(z) {
            out[z] = body
            return out
        }
        let rowIndices = Array(Set(specs.map(\.row))).sorted()
        guard !rowIndices.isEmpty else { return out }
        let rowRects = body.rows(rowIndices.map { _ in .weight(1) })
        for (r, rowIndex) in rowIndices.enumerated() {
            let members = specs.indices.filter { specs[$0].row == rowIndex }
            let cols = rowRects[r].columns(members.map { .weight(max(1, specs[$0].weight)) })
            for (k, i) in members.enumerated() { out[i] = cols[k] }
        }
        return out
    }

    /// The panel under a cell, if any.
    public func panel(atX x: Int, y: Int) -> Int? {
        panels.indices.first { panels[$0].contains(x: x, y: y) }
    }
}
