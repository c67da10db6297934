/// The characters a theme draws panel borders with.
public struct BorderGlyphs: Sendable, Hashable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character

    public init(horizontal: Character, vertical: Character, topLeft: Character, topRight: Character,
                bottomLeft: Character, bottomRight: Character) {
        self.horizontal = horizontal
        self.vertical = vertical
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
    }

    public static let rounded = BorderGlyphs(horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮",
                                             bottomLeft: "╰", bottomRight: "╯")
    public static let plain = BorderGlyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
                                           bottomLeft: "└", bottomRight: "┘")
    public static let thick = BorderGlyphs(horizontal: "━", vertical: "┃", topLeft: "┏", topRight: "┓",
                                           bottomLeft: "┗", bottomRight: "┛")
    public static let ascii = BorderGlyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
                                           bottomLeft: "+", bottomRight: "+")
    /// ASCII border for the focused panel.
    public static let asciiFocused = BorderGlyphs(horizontal: "=", vertical: "#", topLeft: "#", topRight: "#",
                                                  bottomLeft: "#", bottomRight: "#")
}
