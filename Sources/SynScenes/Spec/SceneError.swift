/// One clear line about a bad scene file or override:
/// `scenes/x.toml: rule.eta: expected a number in (0, 10], got -1`.
public struct SceneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (possibly with `:line:col`).
    public var file: String
    /// The dotted key path, when the error is about one key.
    public var key: String?
    public var message: String

    public init(file: String, key: String?, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// Always one line of bounded length: control characters in the file name, key or message
    /// are escaped (`\n`), and over-long parts are cut with an ellipsis.
    public var description: String {
        let oneLine = Self.escaped(Self.clip(message.split(whereSeparator: \.isNewline).joined(separator: " "), 400))
        let f = Self.escaped(Self.clip(file, 200))
        if let key { return "\(f): \(Self.escaped(Self.clip(key, 80))): \(oneLine)" }
        return "\(f): \(oneLine)"
    }

    /// `s` cut to `limit` characters with an ellipsis ("aaaa…") when longer.
    public static func clip(_ s: String, _ limit: Int = 60) -> String {
        guard s.utf8.count > limit, s.count > limit else { return s }
        return String(s.prefix(limit)) + "…"
    }

    /// Control characters as escapes: a newline becomes `\n`, others `\u{1}`.
    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F: out += "\\u{\(String(u.value, radix: 16))}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
