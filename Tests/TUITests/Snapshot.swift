import TUICore
import Testing
import TUIWidgets

/// Parameterised tests name themes by their name, not their whole contents.
extension Theme: CustomTestStringConvertible {
    public var testDescription: String { name }
}

/// Renders `widget` into a fresh `width x height` buffer and returns its plain text (rows joined
/// by newlines, trailing spaces trimmed), for inline snapshot comparisons.
func snapshot(_ widget: some Widget, _ width: Int, _ height: Int, theme: Theme = .default) -> String {
    rendered(widget, width, height, theme: theme).plainText
}

/// Renders `widget` into a fresh `width x height` buffer.
func rendered(_ widget: some Widget, _ width: Int, _ height: Int, theme: Theme = .default) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    widget.render(in: buffer.area, buffer: &buffer, theme: theme)
    return buffer
}
