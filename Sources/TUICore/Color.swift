/// A terminal colour: the terminal's default, a palette index, or 24-bit RGB.
///
/// Widgets describe colours freely; the backend calls `quantized(to:)` once per cell so a frame
/// drawn in RGB still looks right on a 256- or 16-colour terminal, or with no colour at all.
public enum Color: Sendable, Hashable {
    /// The terminal's own foreground or background.
    case `default`
    /// An xterm palette index: 0-15 the ANSI colours, 16-231 the 6x6x6 cube, 232-255 greys.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    // The 16 ANSI colours by name (palette indices 0-15).
    public static let black = Color.indexed(0)
    public static let red = Color.indexed(1)
    public static let green = Color.indexed(2)
    public static let yellow = Color.indexed(3)
    public static let blue = Color.indexed(4)
    public static let magenta = Color.indexed(5)
    public static let cyan = Color.indexed(6)
    public static let white = Color.indexed(7)
    public static let brightBlack = Color.indexed(8)
    public static let brightRed = Color.indexed(9)
    public static let brightGreen = Color.indexed(10)
    public static let brightYellow = Color.indexed(11)
    public static let brightBlue = Color.indexed(12)
    public static let brightMagenta = Color.indexed(13)
    public static let brightCyan = Color.indexed(14)
    public static let brightWhite = Color.indexed(15)

    /// Builds a colour from an `RGB` value.
    public init(_ rgb: RGB) {
        self = .rgb(rgb.r, rgb.g, rgb.b)
    }

    /// The RGB value this colour shows on a standard xterm palette; nil for `.default`.
    public var rgbValue: RGB? {
        switch self {
        case .default: return nil
        case let .rgb(r, g, b): return RGB(r, g, b)
        case let .indexed(i): return Palette.rgb(ofIndex: i)
        }
    }

    /// This colour as a terminal in `mode` can show it: RGB is mapped to the nearest palette entry
    /// (256: 6x6x6 cube or grey ramp; 16: ANSI colours), and every colour becomes `.default` in
    /// `.monochrome`. Idempotent: quantising a quantised colour changes nothing.
    public func quantized(to mode: ColorMode) -> Color {
        switch (mode, self) {
        case (_, .default), (.truecolor, _): return self
        case (.monochrome, _): return .default
        case (.palette256, .indexed): return self
        case let (.palette256, .rgb(r, g, b)): return .indexed(Palette.nearest256(RGB(r, g, b)))
        case let (.palette16, .indexed(i)) where i < 16: return .indexed(i)
        case (.palette16, _):
            guard let value = rgbValue else { return .default }
            return .indexed(Palette.nearest16(value))
        }
    }
}
