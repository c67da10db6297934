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

    public var description: String {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let key { return "\(file): \(key): \(oneLine)" }
        return "\(file): \(oneLine)"
    }
}
