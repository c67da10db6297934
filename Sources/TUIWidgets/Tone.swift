import TUICore

/// A semantic text colour, resolved against the theme at render time.
public enum Tone: Sendable, Hashable {
    case normal, dim, accent, warning

    /// The theme style for this tone.
    public func style(in theme: Theme) -> Style {
        switch self {
        case .normal: return theme.text
        case .dim: return theme.dimText
        case .accent: return theme.accentText
        case .warning: return theme.warningText
        }
    }
}
