/// A problem with a scenario, as one line a user can act on (docs/architecture.md, "Principles"):
///
///     Scenarios/x.yaml:14 peers[1].up: expected a rate such as "1 Mbit/s", got "fast"
///
/// The shape is `<file>:<line> <key path>: <message>`. Key paths index lists from 0
/// (`peers[0]` is the first group), the same way `--set peers[0].count=5` does.
/// When the offending value came from an override, the location names the override instead
/// of a file line: `--set peers.crowd.count: ...`, or `x.yaml:31 variant "fast" ...` and
/// `x.yaml:40 sweep protocol.unchoke_slots=0: ...` for variants and sweep values.
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The scenario file as the user named it.
    public var file: String
    /// The line in `file` (1-based), when one is known.
    public var line: Int?
    /// The key the problem is about, such as `peers[1].up`; empty when about the whole file.
    public var keyPath: String
    public var message: String
    /// The override that introduced the offending value, if any.
    public var override: Override?

    public init(file: String, line: Int?, keyPath: String, message: String, override: Override? = nil) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
        self.override = override
    }

    public var description: String {
        Self.oneLine("\(location): \(message)")
    }

    /// Where to look: a file line and key path, or the override that put the value there
    /// (with the key path inside it when that adds something).
    private var location: String {
        let fileLine = line.map { "\(file):\($0)" } ?? file
        guard let override else { return keyPath.isEmpty ? fileLine : "\(fileLine) \(keyPath)" }
        let innerKey = keyPath.isEmpty || keyPath == override.path ? "" : " \(keyPath)"
        switch override.origin {
        case .commandLine:
            return "--set \(override.path)\(innerKey)"
        case .variant(let name, _):
            return "\(fileLine) variant \"\(name)\" \(keyPath.isEmpty ? override.path : keyPath)"
        case .sweep:
            return "\(fileLine) sweep \(override.path)=\(override.value)\(innerKey)"
        }
    }

    /// Errors go to a terminal and to logs line by line, so embedded newlines (from YAML
    /// problems or quoted values) become spaces.
    static func oneLine(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in text {
            if character.isNewline {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = character == " "
            }
        }
        return result.hasSuffix(" ") ? String(result.dropLast()) : result
    }
}

/// Quotes a user's value for an error message, on one line.
func quoted(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "\"": escaped += "\\\""
        case "\\": escaped += "\\\\"
        case "\n", "\r\n": escaped += "\\n"
        case "\t": escaped += "\\t"
        default: escaped.append(character)
        }
    }
    return "\"\(escaped)\""
}
