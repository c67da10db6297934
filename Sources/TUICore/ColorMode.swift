/// How many colours the terminal can show.
public enum ColorMode: String, Sendable, CaseIterable {
    /// 24-bit colour (`COLORTERM=truecolor`).
    case truecolor
    /// The xterm 256-colour palette.
    case palette256
    /// The 16 ANSI colours.
    case palette16
    /// No colour: only attributes (bold, reverse, ...) distinguish things.
    case monochrome
}
