/// One terminal cell: a single-column grapheme and its style.
///
/// Every `Character` stored in a cell is assumed to occupy exactly one column; widgets only use
/// single-width glyphs (ASCII, box drawing, blocks, braille).
public struct Cell: Sendable, Hashable {
    public var symbol: Character
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(_ symbol: Character = " ", fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.symbol = symbol
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public init(_ symbol: Character, style: Style) {
        self.init(symbol, fg: style.fg, bg: style.bg, attributes: style.attributes)
    }

    /// An empty cell in the terminal's default colours.
    public static let blank = Cell()

    /// The cell's colours and attributes.
    public var style: Style {
        get { Style(fg: fg, bg: bg, attributes: attributes) }
        set {
            fg = newValue.fg
            bg = newValue.bg
            attributes = newValue.attributes
        }
    }
}

/// A cell that differs between two frames, at column `x`, row `y`.
public struct CellChange: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}
