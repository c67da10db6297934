/// One terminal cell: a single-column character and its style.
///
/// The character is stored as one Unicode scalar, which keeps `Cell` a plain value with no
/// reference counting, so clearing, copying and diffing a buffer run at memory speed. Every
/// glyph the widgets use (ASCII, box drawing, blocks, braille) is one scalar occupying one
/// column; of a grapheme made of several scalars (a letter plus a combining accent) only the
/// first is kept.
public struct Cell: Sendable, Hashable {
    /// The character's single Unicode scalar.
    public var scalar: Unicode.Scalar
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(_ symbol: Character = " ", fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        scalar = symbol.unicodeScalars.first ?? " "
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    /// The character shown (see the type's doc on multi-scalar graphemes).
    public var symbol: Character {
        get { Character(scalar) }
        set { scalar = newValue.unicodeScalars.first ?? " " }
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
