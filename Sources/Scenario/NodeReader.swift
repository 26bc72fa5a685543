import SimKernel

/// What every reader needs: the file name for errors and the folder for relative paths.
struct ParseContext {
    let file: String

    var directory: String { TextFile.directory(of: file) }

    /// An error about the value at `path`, located where that value came from.
    func error(_ message: String, at source: NodeSource, path: KeyPath) -> ScenarioError {
        switch source {
        case .file(let line):
            return ScenarioError(file: file, line: line, keyPath: path.description, message: message)
        case .override(let override, let target):
            let line: Int?
            switch override.origin {
            case .commandLine: line = nil
            case .variant(_, let variantLine): line = variantLine
            case .sweep(let sweepLine): line = sweepLine
            }
            return ScenarioError(
                file: file, line: line, keyPath: Self.spelled(path, as: override.path, at: target), message: message,
                override: override)
        }
    }

    /// `path` as the user wrote the override: `peers[1].arrival.poisson.rate` becomes
    /// `peers.crowd.arrival.poisson.rate` when the override said `peers.crowd.arrival`.
    private static func spelled(_ path: KeyPath, as written: String, at target: KeyPath) -> String {
        guard !target.segments.isEmpty, path.segments.starts(with: target.segments) else { return path.description }
        let rest = KeyPath(segments: Array(path.segments.dropFirst(target.segments.count)))
        guard case .key? = rest.segments.first else { return written + rest.description }
        return written + "." + rest.description
    }

    func error(_ message: String, at node: YAMLNode, path: KeyPath) -> ScenarioError {
        error(message, at: node.source, path: path)
    }

    // MARK: Scalars

    /// The text of a scalar; `expected` is the start of the message for anything else
    /// (`expected a size such as "256 KiB"`).
    func text(_ node: YAMLNode, at path: KeyPath, expected: String) throws(ScenarioError) -> String {
        if let text = node.scalarText { return text }
        if node.isNull { throw error("has no value; \(expected)", at: node, path: path) }
        throw error("\(expected), got \(node.kindName)", at: node, path: path)
    }

    /// A whole number of at least `minimum`; `1_000` is accepted as YAML allows.
    func integer(_ node: YAMLNode, at path: KeyPath, minimum: Int) throws(ScenarioError) -> Int {
        let text = try self.text(node, at: path, expected: "expected a whole number such as 10")
        guard let value = Int(Self.withoutDigitSeparators(text)) else {
            throw error("expected a whole number such as 10, got \(quoted(text))", at: node, path: path)
        }
        guard value >= minimum else {
            throw error("must be at least \(minimum), got \(quoted(text))", at: node, path: path)
        }
        return value
    }

    func unsigned64(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> UInt64 {
        let expected = "expected a whole number from 0 to \(UInt64.max)"
        let text = try self.text(node, at: path, expected: expected)
        guard let value = UInt64(Self.withoutDigitSeparators(text)) else {
            throw error("\(expected), got \(quoted(text))", at: node, path: path)
        }
        return value
    }

    /// A plain decimal number, such as lognormal's `mu` or a bandwidth `share`.
    func number(_ node: YAMLNode, at path: KeyPath, example: String) throws(ScenarioError) -> Double {
        let expected = "expected a number such as \(example)"
        let text = try self.text(node, at: path, expected: expected)
        guard let value = Units.number(text) else {
            throw error("\(expected), got \(quoted(text))", at: node, path: path)
        }
        return value
    }

    func bool(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Bool {
        let text = try self.text(node, at: path, expected: "expected true or false")
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("expected true or false, got \(quoted(text))", at: node, path: path)
        }
    }

    /// One of `names`, with a did-you-mean or the full list on a mismatch.
    func choice(_ node: YAMLNode, at path: KeyPath, among names: [String], noun: String) throws(ScenarioError) -> String
    {
        let expected = "expected one of \(Suggestions.list(names))"
        let text = try self.text(node, at: path, expected: expected)
        guard names.contains(text) else {
            let hint = Suggestions.hint(for: text, among: names, listIntro: "known:")
            throw error("unknown \(noun) \(quoted(text))\(hint)", at: node, path: path)
        }
        return text
    }

    // MARK: Quantities with units

    func size(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Int64 {
        try quantity(node, at: path, expected: Units.sizeExample) { text throws(Units.Problem) in
            try Units.size(text)
        }
    }

    func rate(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Double {
        try quantity(node, at: path, expected: Units.rateExample) { text throws(Units.Problem) in
            try Units.rate(text)
        }
    }

    func duration(_ node: YAMLNode, at path: KeyPath, allowZero: Bool) throws(ScenarioError) -> SimTime {
        try quantity(node, at: path, expected: Units.durationExample) { text throws(Units.Problem) in
            try Units.duration(text, allowZero: allowZero)
        }
    }

    func eventRate(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Double {
        try quantity(node, at: path, expected: Units.eventRateExample) { text throws(Units.Problem) in
            try Units.eventRate(text)
        }
    }

    func quantity<T>(
        _ node: YAMLNode, at path: KeyPath, expected: String, _ parse: (String) throws(Units.Problem) -> T
    ) throws(ScenarioError) -> T {
        let text = try self.text(node, at: path, expected: expected)
        do throws(Units.Problem) {
            return try parse(text)
        } catch {
            throw self.error(error.message, at: node, path: path)
        }
    }

    // MARK: Collections

    /// The single entry of a one-key mapping that names a kind, as in `{poisson: {...}}`
    /// or `{exponential: {...}}`; the key must be one of `kinds`.
    func tagged(
        _ node: YAMLNode, at path: KeyPath, kinds: [String], noun: String, expected: String
    ) throws(ScenarioError) -> YAMLNode.Entry {
        guard case .mapping(let entries) = node.kind else {
            throw error("\(expected), got \(node.kindName)", at: node, path: path)
        }
        guard let entry = entries.first else {
            throw error("\(expected), got an empty mapping", at: node, path: path)
        }
        guard entries.count == 1 else {
            let given = Suggestions.list(entries.map { quoted($0.key) })
            throw error("give exactly one \(noun), got \(given)", at: node, path: path)
        }
        guard kinds.contains(entry.key) else {
            let hint = Suggestions.hint(for: entry.key, among: kinds, listIntro: "known:")
            throw error("unknown \(noun)\(hint)", at: entry.keySource, path: path.key(entry.key))
        }
        return entry
    }

    /// The items of a list; no value reads as an empty list.
    func list(_ node: YAMLNode, at path: KeyPath, expected: String) throws(ScenarioError) -> [YAMLNode] {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.kind else {
            throw error("\(expected), got \(node.kindName)", at: node, path: path)
        }
        return items
    }

    private static func withoutDigitSeparators(_ text: String) -> String {
        let digitsWithUnderscores = text.contains("_") && !text.hasPrefix("_") && !text.hasSuffix("_")
        return digitsWithUnderscores ? text.replacingAll("_", with: "") : text
    }
}

/// Reads one mapping: rejects unknown keys up front, so a typo never silently falls back
/// to a default, then hands out values by key.
struct MappingReader {
    let context: ParseContext
    let node: YAMLNode
    let path: KeyPath
    let entries: [YAMLNode.Entry]

    /// No value reads as an empty mapping: a `protocol:` block whose keys are all
    /// commented out means "all defaults".
    init(
        _ node: YAMLNode, at path: KeyPath, keys: [String], context: ParseContext, expected: String
    ) throws(ScenarioError) {
        self.context = context
        self.node = node
        self.path = path
        switch node.kind {
        case .mapping(let entries): self.entries = entries
        case .scalar where node.isNull: self.entries = []
        default: throw context.error("\(expected), got \(node.kindName)", at: node, path: path)
        }
        for entry in entries where !keys.contains(entry.key) {
            let hint = Suggestions.hint(for: entry.key, among: keys, listIntro: "valid keys here are")
            throw context.error("unknown key\(hint)", at: entry.keySource, path: path.key(entry.key))
        }
    }

    var keys: [String] { entries.map(\.key) }

    /// The value under `key`, or nil when the key is absent.
    func value(_ key: String) -> YAMLNode? {
        entries.first(where: { $0.key == key })?.value
    }

    /// The value under `key`, or an error naming the missing key at the mapping's line.
    func required(_ key: String) throws(ScenarioError) -> YAMLNode {
        guard let value = value(key) else {
            throw context.error("required key is missing", at: node, path: path.key(key))
        }
        return value
    }

    /// `read(value)` for a present key, nil for an absent one.
    func optional<T>(
        _ key: String, _ read: (YAMLNode, KeyPath) throws(ScenarioError) -> T
    ) throws(ScenarioError) -> T? {
        guard let value = value(key) else { return nil }
        return try read(value, path.key(key))
    }

    /// `read(value)` for a key that must be present.
    func require<T>(
        _ key: String, _ read: (YAMLNode, KeyPath) throws(ScenarioError) -> T
    ) throws(ScenarioError) -> T {
        try read(try required(key), path.key(key))
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
