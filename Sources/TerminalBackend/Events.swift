/// A key press, decoded by the backend.
public enum Key: Sendable, Equatable, CustomStringConvertible {
    /// A printable character (including space).
    case char(Character)
    case enter
    case tab
    /// Shift-tab.
    case backTab
    case escape
    case backspace
    case up, down, left, right
    case pageUp, pageDown, home, end
    /// A function key F1...F12.
    case function(Int)
    /// Any other key code the backend does not name.
    case other(Int)

    public var description: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .enter: "enter"
        case .tab: "tab"
        case .backTab: "shift-tab"
        case .escape: "esc"
        case .backspace: "backspace"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .pageUp: "page-up"
        case .pageDown: "page-down"
        case .home: "home"
        case .end: "end"
        case .function(let n): "F\(n)"
        case .other(let k): "key \(k)"
        }
    }
}

/// Terminal size in cells.
public struct TerminalSize: Sendable, Equatable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }
    public var description: String { "\(width)x\(height)" }

    /// Parses "120x40"; nil when malformed or outside 1...10000 per side.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (1...10_000).contains(w), (1...10_000).contains(h) else { return nil }
        self.init(width: w, height: h)
    }
}

/// Something that happened at the terminal.
public enum InputEvent: Sendable, Equatable {
    case key(Key)
    /// A click of the primary mouse button at a cell (0-based column and row).
    case mouse(x: Int, y: Int)
    /// One step of the mouse wheel with the pointer over a cell: `delta` -1 up, +1 down.
    case wheel(x: Int, y: Int, delta: Int)
    /// The terminal now has this size (the screen must be redrawn in full).
    case resize(TerminalSize)
}
